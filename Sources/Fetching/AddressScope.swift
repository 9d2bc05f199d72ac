/// How far inside the local network an address lies; ordered from the open internet inwards.
///
/// A redirect may go to an address of the same scope as the feed's own (its first connection), or further out,
/// never further in (judged in `HTTPFeedFetcher+HTTP` and at connect time by ``CurlExchange``).
enum AddressScope: Int, Comparable, Sendable, CustomStringConvertible {
    /// A globally routable address.
    case `public` = 0
    /// RFC 1918, carrier-grade NAT, unique-local IPv6 (fc00::/7), multicast.
    case `private` = 1
    /// 169.254/16 and fe80::/10 (the cloud metadata service lives here).
    case linkLocal = 2
    /// 127/8 and ::1.
    case loopback = 3
    /// 0.0.0.0/8 and ::, which reach the local host.
    case unspecified = 4

    static func < (lhs: AddressScope, rhs: AddressScope) -> Bool { lhs.rank < rhs.rank }

    /// Unspecified addresses reach the local host, so they rank with loopback.
    var rank: Int { self == .unspecified ? AddressScope.loopback.rawValue : rawValue }

    var description: String {
        switch self {
        case .public: "public"
        case .private: "private"
        case .linkLocal: "link-local"
        case .loopback: "loopback"
        case .unspecified: "unspecified"
        }
    }
}
