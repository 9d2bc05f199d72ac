#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization

/// A stand-in for systemd's notify socket: an `AF_UNIX` datagram socket that records every message.
///
/// `path` is a file-system path, or `@name` for the abstract namespace.
public final class NotifyReceiver: Sendable {
    /// The socket address, as it goes into `NOTIFY_SOCKET`.
    public let path: String
    private let fd: Int32
    private let received = Mutex<[String]>([])
    private let isClosed = Atomic<Bool>(false)

    public init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 } else { bytes.append(0) }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in self.receiveLoop() }
        thread.start()
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isClosed.load(ordering: .acquiring) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                let message = String(decoding: buffer[0..<n], as: UTF8.self)
                received.withLock { $0.append(message) }
            }
        }
        close(fd)
    }

    /// Every message received so far, in order.
    public var messages: [String] { received.withLock { $0 } }

    /// Waits until a message satisfies `predicate`; false on timeout.
    public func waitFor(timeout: Double = 20, _ predicate: (String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if messages.contains(where: predicate) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return messages.contains(where: predicate)
    }

    /// Closes the socket (and removes a path socket).
    public func stop() {
        isClosed.store(true, ordering: .releasing)
        if !path.hasPrefix("@") { unlink(path) }
    }
}
