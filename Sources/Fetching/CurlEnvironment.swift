#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process environment for the libcurl that ``CurlLibrary`` loads, set once in `main` before any thread starts.
public enum CurlEnvironment {
    /// Asks GnuTLS not to set itself up when the dynamic loader maps it (`GNUTLS_NO_IMPLICIT_INIT=1`, unless the
    /// environment already names a value).
    ///
    /// Debian's OpenSSL libcurl loads GnuTLS only for librtmp and OpenLDAP, protocols the fetcher never enables
    /// (`CURLOPT_PROTOCOLS_STR` is `http,https`), and GnuTLS's load-time set-up (random generator, FIPS check,
    /// p11-kit) cost about 0.6 MB of resident memory for nothing (docs/performance.md, "The `rss-100` branch").
    /// A libcurl built on GnuTLS (`libcurl-gnutls.so.4`) is unaffected: its `curl_global_init` sets GnuTLS up
    /// explicitly. Child processes inherit the variable, which only newsmon's own `check` child would see.
    public static func prepare() {
        #if os(Linux)
        setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0)
        #endif
    }
}
