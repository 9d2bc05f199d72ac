extension HTTPFeedFetcher {
    /// Why the fetcher cannot reach the host and port of an `http`/`https` URL, or nil when it can.
    ///
    /// The fetcher (libcurl) connects to every IPv4 form `inet_aton` accepts (`127.0.0.1`, `2130706433`,
    /// `0x7f000001`, `0177.0.0.1`, `127.1`) and to IPv6 literals (`[::1]`, `[::ffff:127.0.0.1]`,
    /// `[fe80::1%25eth0]`), so those pass. Refused: a port outside 1–65535; brackets around anything but
    /// an IPv6 address (`[v1.x]`); a host whose last label is a number (`4294967296`, `1.2.3.4.5`,
    /// `127.0.0.1.`) but that is no IPv4 address the resolver takes.
    ///
    /// - Parameters:
    ///   - host: The URL's host as written, brackets included (`URLComponents.host`).
    ///   - port: The URL's port, if it has one.
    public static func hostProblem(host: String, port: Int?) -> String? {
        if let port, !(1...65535).contains(port) {
            return "port \(port) is outside 1–65535"
        }
        if host.hasPrefix("[") || host.contains(":") {
            guard host.hasPrefix("["), host.hasSuffix("]"), host.contains(":"), NetworkAddress(host: host) != nil else {
                return "host \(host) is not an IPv6 address in brackets"
            }
            return nil
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let last = labels.last == "" && labels.count > 1 ? labels[labels.count - 2] : labels.last ?? ""
        guard Self.isNumber(last) else { return nil }  // a host name: the resolver decides
        if host.hasSuffix(".") || NetworkAddress.parseIPv4(host) == nil {
            return "host \(host) looks like an IPv4 address but is not one (at most 4 parts, each in range, no trailing dot)"
        }
        return nil
    }

    /// Whether a label reads as a number: decimal digits, or `0x` and hex digits (WHATWG's "ends in a number").
    private static func isNumber(_ label: Substring) -> Bool {
        let lower = label.lowercased()
        if lower.hasPrefix("0x") { return lower.dropFirst(2).allSatisfy(\.isHexDigit) }
        return !lower.isEmpty && lower.allSatisfy(\.isASCII) && lower.allSatisfy(\.isNumber)
    }
}
