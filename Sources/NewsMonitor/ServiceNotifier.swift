#if canImport(Glibc)
@preconcurrency import Glibc
#endif
public import Logging

/// Tells the service manager about the daemon's state (sd_notify protocol).
public protocol ServiceNotifier: Sendable {
    /// Sends one message such as `READY=1` or `STATUS=…`. Never throws: failures are logged.
    func notify(_ message: String)
}

/// sd_notify over an `AF_UNIX` datagram socket, without libsystemd.
///
/// Path sockets (`/run/systemd/notify`) and abstract ones (`@name`) are supported. A missing or
/// refusing socket is logged at debug level and otherwise ignored: a notify never fails the daemon.
public struct SystemdNotifier: ServiceNotifier {
    /// The `$NOTIFY_SOCKET` value; nil makes every call a no-op.
    public let socketPath: String?
    private let logger: Logger

    public init(socketPath: String?, logger: Logger) {
        self.socketPath = socketPath
        self.logger = logger
    }

    public func notify(_ message: String) {
        guard let socketPath else { return }
        if let errorNumber = Self.send(message, to: socketPath) {
            logger.debug(
                "sd_notify failed",
                metadata: ["notify.socket": "\(socketPath)", "notify.errno": "\(errorNumber)"])
        }
    }

    /// Sends one datagram; returns the errno on failure (EINVAL for a bad address), nil on success.
    static func send(_ message: String, to path: String) -> Int32? {
        var bytes = Array(path.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else { return EINVAL }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let isAbstract = first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return ENAMETOOLONG }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(
            MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (isAbstract ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let sent = message.withCString { text in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, text, strlen(text), Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent < 0 ? errno : nil
    }
}
