#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few libcurl entry points the fetcher calls, looked up at run time in the libcurl that
/// FoundationNetworking already loads (Debian has no `libcurl.so` or headers without the -dev package).
///
/// Why libcurl directly and not `URLSession`: FoundationNetworking always turns on libcurl's content
/// decoding and hands each 16 KB chunk to the delegate asynchronously, so a 1 GiB gzip bomb was decoded
/// into memory before the delegate could stop it (1.15 GB peak RSS), and it aborts the whole transfer
/// on a header line that is not UTF-8. Here the write callback runs on the transfer's thread and stops
/// libcurl at the byte cap, and header lines are decoded leniently.
///
/// `curl_easy_setopt` and `curl_easy_getinfo` are variadic; they are called through fixed-signature
/// pointers, which the x86-64 and AArch64 Linux calling conventions pass the same way for integer and
/// pointer arguments.
struct CurlLibrary: @unchecked Sendable {
    typealias Handle = OpaquePointer

    let easyInit: @convention(c) () -> Handle?
    let easyCleanup: @convention(c) (Handle?) -> Void
    let setoptLong: @convention(c) (Handle?, Int32, Int) -> Int32
    let setoptPointer: @convention(c) (Handle?, Int32, UnsafeRawPointer?) -> Int32
    let getinfoLong: @convention(c) (Handle?, Int32, UnsafeMutablePointer<Int>) -> Int32
    let getinfoString: @convention(c) (Handle?, Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Int32
    let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?
    let slistAppend: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    let slistFreeAll: @convention(c) (OpaquePointer?) -> Void
    let multiInit: @convention(c) () -> Handle?
    let multiCleanup: @convention(c) (Handle?) -> Int32
    let multiAddHandle: @convention(c) (Handle?, Handle?) -> Int32
    let multiRemoveHandle: @convention(c) (Handle?, Handle?) -> Int32
    let multiPerform: @convention(c) (Handle?, UnsafeMutablePointer<Int32>) -> Int32
    let multiPoll: @convention(c) (Handle?, UnsafeMutableRawPointer?, UInt32, Int32, UnsafeMutablePointer<Int32>?) -> Int32
    let multiWakeup: @convention(c) (Handle?) -> Int32
    let multiInfoRead: @convention(c) (Handle?, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?

    /// The loaded library, or the reason it could not be loaded.
    static let shared: Result<CurlLibrary, CurlLoadError> = load()

    private static func load() -> Result<CurlLibrary, CurlLoadError> {
        #if os(macOS)
        let names = ["libcurl.4.dylib", "/usr/lib/libcurl.4.dylib"]
        #else
        let names = ["libcurl.so.4", "libcurl-gnutls.so.4"]
        #endif
        guard let library = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
            return .failure(CurlLoadError(message: "libcurl (\(names[0])) could not be loaded"))
        }
        func symbol<T>(_ name: String, _: T.Type = T.self) throws(CurlLoadError) -> T {
            guard let pointer = dlsym(library, name) else {
                throw CurlLoadError(message: "libcurl lacks \(name) (7.68 or newer needed)")
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        do {
            let globalInit: @convention(c) (Int) -> Int32 = try symbol("curl_global_init")
            _ = globalInit(3)  // CURL_GLOBAL_ALL; reference counted, safe beside FoundationNetworking's call
            return .success(
                CurlLibrary(
                    easyInit: try symbol("curl_easy_init"), easyCleanup: try symbol("curl_easy_cleanup"),
                    setoptLong: try symbol("curl_easy_setopt"), setoptPointer: try symbol("curl_easy_setopt"),
                    getinfoLong: try symbol("curl_easy_getinfo"), getinfoString: try symbol("curl_easy_getinfo"),
                    strerror: try symbol("curl_easy_strerror"), slistAppend: try symbol("curl_slist_append"),
                    slistFreeAll: try symbol("curl_slist_free_all"), multiInit: try symbol("curl_multi_init"),
                    multiCleanup: try symbol("curl_multi_cleanup"), multiAddHandle: try symbol("curl_multi_add_handle"),
                    multiRemoveHandle: try symbol("curl_multi_remove_handle"),
                    multiPerform: try symbol("curl_multi_perform"), multiPoll: try symbol("curl_multi_poll"),
                    multiWakeup: try symbol("curl_multi_wakeup"), multiInfoRead: try symbol("curl_multi_info_read")))
        } catch {
            return .failure(error)
        }
    }

    /// libcurl's own sentence for `code` ("Couldn't resolve host name").
    func message(for code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}

/// libcurl could not be loaded or lacks a needed function.
struct CurlLoadError: Error, Sendable {
    var message: String
}

/// The libcurl constants used here (values from curl.h; they are part of libcurl's stable ABI).
enum CurlOption {
    static let writeData: Int32 = 10_001
    static let url: Int32 = 10_002
    static let errorBuffer: Int32 = 10_010
    static let writeFunction: Int32 = 20_011
    static let lowSpeedLimit: Int32 = 19
    static let lowSpeedTime: Int32 = 20
    static let httpHeader: Int32 = 10_023
    static let headerData: Int32 = 10_029
    static let noProgress: Int32 = 43
    static let followLocation: Int32 = 52
    static let headerFunction: Int32 = 20_079
    static let noSignal: Int32 = 99
    static let acceptEncoding: Int32 = 10_102
    static let connectTimeoutMS: Int32 = 156
    static let openSocketFunction: Int32 = 20_163
    static let openSocketData: Int32 = 10_164
    static let resolve: Int32 = 10_203
    static let protocolsString: Int32 = 10_318
}

enum CurlInfo {
    static let responseCode: Int32 = 0x200002
    static let osErrno: Int32 = 0x200019
    static let primaryIP: Int32 = 0x100020
}

/// `CURLcode` values the fetcher tells apart.
enum CurlCode {
    /// Not a libcurl code: libcurl could not be loaded or made no handle.
    static let unavailable: Int32 = -1
    static let ok: Int32 = 0
    static let unsupportedProtocol: Int32 = 1
    static let urlMalformed: Int32 = 3
    static let couldNotResolveProxy: Int32 = 5
    static let couldNotResolveHost: Int32 = 6
    static let couldNotConnect: Int32 = 7
    static let weirdServerReply: Int32 = 8
    static let http2: Int32 = 16
    static let partialFile: Int32 = 18
    static let writeError: Int32 = 23
    static let operationTimedOut: Int32 = 28
    static let sslConnectError: Int32 = 35
    static let abortedByCallback: Int32 = 42
    static let gotNothing: Int32 = 52
    static let sendError: Int32 = 55
    static let receiveError: Int32 = 56
    static let peerFailedVerification: Int32 = 60
    static let badContentEncoding: Int32 = 61
    static let http2Stream: Int32 = 92
    /// TLS failures other than ``peerFailedVerification`` (certificate files, engines, handshake, pinning…).
    static let tls: Set<Int32> = [35, 53, 54, 58, 59, 64, 66, 77, 80, 82, 83, 90, 91, 98]
}
