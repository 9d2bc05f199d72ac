#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, parsed from a URL host or taken from a socket address.
struct NetworkAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The address a URL host names, or nil for a domain name.
    ///
    /// Accepts IPv6 literals (with or without brackets) and every IPv4 form that `inet_aton` and
    /// therefore the resolver accept: `127.0.0.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`.
    init?(host: String) {
        var host = host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.contains(":") {
            if let zone = host.firstIndex(of: "%") { host = String(host[..<zone]) }
            var storage = in6_addr()
            guard inet_pton(AF_INET6, host, &storage) == 1 else { return nil }
            self.bytes = withUnsafeBytes(of: &storage) { Array($0) }
            return
        }
        guard let value = Self.parseIPv4(host) else { return nil }
        self.bytes = [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// The address of a `struct sockaddr` (AF_INET or AF_INET6).
    init?(socketAddress: UnsafeRawPointer) {
        let family = Int32(socketAddress.load(as: sockaddr.self).sa_family)
        switch family {
        case AF_INET:
            var address = socketAddress.load(as: sockaddr_in.self).sin_addr
            self.bytes = withUnsafeBytes(of: &address) { Array($0) }
        case AF_INET6:
            var address = socketAddress.load(as: sockaddr_in6.self).sin6_addr
            self.bytes = withUnsafeBytes(of: &address) { Array($0) }
        default:
            return nil
        }
    }

    /// Where the address lies, by the IANA special-purpose registries.
    var scope: AddressScope {
        if bytes.count == 4 { return Self.scope(ipv4: bytes) }
        let b = bytes
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d).
        if b[0..<10].allSatisfy({ $0 == 0 }) && (b[10] == 0xFF && b[11] == 0xFF || b[10] == 0 && b[11] == 0) {
            return Self.scope(ipv4: Array(b[12..<16]))
        }
        if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return Self.scope(ipv4: Array(b[12..<16])) }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        if b[0] & 0xFE == 0xFC { return .private }  // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return .private }  // fec0::/10 site-local (deprecated)
        if b[0] == 0xFF { return .private }  // multicast: never a feed server
        return .public
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func scope(ipv4 b: [UInt8]) -> AddressScope {
        switch (b[0], b[1]) {
        case (0, _): return .unspecified  // 0.0.0.0/8 "this network": connects to the local host
        case (127, _): return .loopback
        case (169, 254): return .linkLocal  // includes the cloud metadata service 169.254.169.254
        case (10, _), (192, 168): return .private
        case (172, let x) where x & 0xF0 == 16: return .private  // 172.16/12
        case (100, let x) where x & 0xC0 == 64: return .private  // 100.64/10 carrier-grade NAT
        case (let x, _) where x >= 224: return .private  // multicast, reserved, broadcast
        default: return .public
        }
    }

    /// `inet_aton` rules: 1–4 dot-separated numbers in decimal, octal (leading 0) or hex (0x); the
    /// last one fills the remaining bytes. One trailing dot is allowed, as in DNS names.
    static func parseIPv4(_ host: String) -> UInt32? {
        var text = Substring(host)
        if text.hasSuffix(".") { text = text.dropLast() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            let lower = part.lowercased()
            let value: UInt64?
            if lower.hasPrefix("0x") {
                value = lower.count == 2 ? 0 : UInt64(lower.dropFirst(2), radix: 16)
            } else if lower.count > 1, lower.hasPrefix("0") {
                value = UInt64(lower.dropFirst(), radix: 8)
            } else {
                value = lower.isEmpty ? nil : UInt64(lower, radix: 10)
            }
            guard let value, lower.allSatisfy({ $0.isHexDigit || $0 == "x" }) else { return nil }
            numbers.append(value)
        }
        let leading = numbers.dropLast()
        guard leading.allSatisfy({ $0 <= 0xFF }) else { return nil }
        let lastBits = 8 * (4 - leading.count)
        guard let last = numbers.last, last < (UInt64(1) << lastBits) else { return nil }
        var value: UInt64 = 0
        for (index, number) in leading.enumerated() { value |= number << (8 * (3 - index)) }
        return UInt32(value | last)
    }
}
