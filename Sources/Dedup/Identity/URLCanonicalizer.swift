import Foundation

/// Canonical forms of article URLs, so that the same article reached through different links
/// gets the same key.
///
/// The canonical form lower-cases scheme and host, drops a trailing dot on the host, drops the
/// default port (80 for http, 443 for https), the fragment and tracking parameters (``isTrackingParameter(_:)``),
/// sorts the remaining query parameters, writes an empty path as `/`, and unwraps redirector links that
/// carry their target in a `url=` parameter (also Google's `/url?q=`).
public enum URLCanonicalizer {
    /// The canonical form of `link`, or `nil` when `link` is empty or only whitespace.
    ///
    /// Strings that are not absolute http(s) URLs are returned trimmed (and with a lower-case
    /// scheme when they have one), never rejected.
    public static func canonicalize(_ link: String) -> String? {
        canonicalize(link, depth: 0)
    }

    /// The key two links must share to be "the same article" across outlets: the canonical form
    /// without its scheme and without a leading `www.`, so that `http://www.example.org/a` and
    /// `https://example.org/a` are one article.
    public static func identity(_ link: String) -> String? {
        canonicalize(link).map(identity(ofCanonical:))
    }

    /// ``identity(_:)`` of a link that is already canonical.
    static func identity(ofCanonical canonical: String) -> String {
        guard let restStart = afterScheme(canonical) else { return canonical }
        var rest = canonical[restStart...]
        if rest.hasPrefix("www.") { rest = rest.dropFirst(4) }
        return String(rest)
    }

    /// Whether a canonical http(s) URL is a site's front page (`https://example.org/`, no query): such a
    /// link says nothing about which article an item is, so it identifies neither items nor stories.
    public static func isSiteRoot(_ canonical: String) -> Bool {
        // Over the bytes: a search for the `Character` "/" breaks the text into grapheme clusters (a link per item).
        guard let restStart = afterScheme(canonical) else { return false }
        let rest = canonical.utf8[restStart...]
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return true }
        return rest.index(after: slash) == rest.endIndex
    }

    /// Where the text after the first `://` starts. An ASCII string (every canonical URL but an IRI) is
    /// searched byte by byte: Foundation's `range(of:)`, which the rest falls back to, costs a bridge per call.
    private static func afterScheme(_ string: String) -> String.Index? {
        let utf8 = string.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            var matched = 0
            for index in utf8.indices {
                let byte = utf8[index]
                matched = byte == UInt8(ascii: ":") ? 1 : (matched >= 1 && matched < 3 && byte == UInt8(ascii: "/") ? matched + 1 : 0)
                if matched == 3 { return utf8.index(after: index) }
            }
            return nil
        }
        return string.range(of: "://")?.upperBound
    }

    /// Whether a query parameter only tracks the reader and never selects content.
    ///
    /// Matches `utm_*`, `at_*`, `wt_*`, `wt.*`, `ns_*`, `mc_cid`, `mc_eid`, `fbclid`, `gclid`, `dclid`,
    /// `msclkid`, `yclid`, `igshid`, `_ga`, `_gl`, `xtor`, `ref_src`, `s_cid`, `wtmc`, `ocid`, `cmpid`, `icid`,
    /// `smid`, `gbraid`, `wbraid`, `pk_*`, `mtm_*`, case-insensitively.
    public static func isTrackingParameter(_ name: String) -> Bool {
        let lower = name.lowercased()
        for prefix in trackingPrefixes where lower.hasPrefix(prefix) { return true }
        return trackingNames.contains(lower)
    }

    private static let trackingPrefixes = ["utm_", "at_", "wt_", "wt.", "ns_", "pk_", "mtm_"]
    private static let trackingNames: Set<String> = [
        "mc_cid", "mc_eid", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "_ga",
        "_gl", "xtor", "ref_src", "s_cid", "wtmc", "ocid", "cmpid", "icid", "smid",
    ]

    private static let redirectorParameters: Set<String> = ["url"]

    /// The canonical form of the common plain link without parsing it: a lower-case `http://` or `https://`,
    /// a lower-case host without port, user or trailing dot, and no query or fragment, in URL characters
    /// only. Nil when the link is anything else (``canonicalize(_:depth:)`` then parses it).
    static func plainCanonical(_ link: String) -> String? {
        var link = link
        return link.withUTF8 { bytes -> String? in
            let schemeLength: Int
            if bytes.starts(with: "https://".utf8) {
                schemeLength = 8
            } else if bytes.starts(with: "http://".utf8) {
                schemeLength = 7
            } else {
                return nil
            }
            var index = schemeLength
            while index < bytes.count, bytes[index] != 0x2F {
                let byte = bytes[index]
                guard byte &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x2D || byte == 0x2E else { return nil }
                index += 1
            }
            guard index > schemeLength, bytes[index - 1] != 0x2E else { return nil }
            for byte in bytes[index...] {
                guard byte > 0x20, byte < 0x7F, byte != 0x3F, byte != 0x23, byte != 0x22, byte != 0x3C, byte != 0x3E,
                    byte != 0x5C, byte != 0x5E, byte != 0x60, byte != 0x7B, byte != 0x7C, byte != 0x7D
                else { return nil }
            }
            return index == bytes.count ? String(decoding: bytes, as: UTF8.self) + "/" : String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func canonicalize(_ link: String, depth: Int) -> String? {
        plainCanonical(link) ?? parsedCanonical(link, depth: depth)
    }

    /// The canonical form by `URLComponents`: every link ``plainCanonical(_:)`` does not take.
    static func parsedCanonical(_ link: String, depth: Int = 0) -> String? {
        let trimmed = link.trimmedWhitespace
        guard !trimmed.isEmpty else { return nil }
        guard var components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            return trimmed
        }
        components.scheme = scheme
        guard scheme == "http" || scheme == "https" else {
            return components.string ?? trimmed
        }
        if var host = components.percentEncodedHost?.lowercased() {
            while host.hasSuffix(".") { host.removeLast() }
            components.percentEncodedHost = host
        }
        if let port = components.port, (scheme == "http" && port == 80) || (scheme == "https" && port == 443) {
            components.port = nil
        }
        components.fragment = nil
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }

        let items = components.percentEncodedQueryItems ?? []
        if depth < 3, let target = redirectTarget(items, host: components.host ?? "", path: components.path) {
            return canonicalize(target, depth: depth + 1)
        }
        let kept = items.filter { !isTrackingParameter($0.name) }
            .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
        components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        return components.string ?? trimmed
    }

    /// The http(s) URL carried in a `url=` parameter (or Google's `/url?q=`), when there is one.
    private static func redirectTarget(_ items: [URLQueryItem], host: String, path: String) -> String? {
        let isGoogleRedirect = path == "/url" && (host.hasPrefix("google.") || host.contains(".google."))
        for item in items {
            let name = item.name.lowercased()
            guard redirectorParameters.contains(name) || (isGoogleRedirect && name == "q") else { continue }
            guard let raw = item.value, let value = raw.removingPercentEncoding else { continue }
            let lower = value.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return value }
        }
        return nil
    }
}
