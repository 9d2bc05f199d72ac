#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// The advisory lock (`flock`) on `<state>/newsmon.lock` that lets one `newsmon run` or `once` use a
/// state directory at a time; held until the lock is released with the object (the process's life
/// for the CLI).
///
/// Readers (`newsmon status`, `tail`) do not take it. The file holds the owner's pid, for the message
/// a second process gets.
public final class StateDirectoryLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock without waiting.
    ///
    /// - Throws: ``MonitorError`` with code ``MonitorError/Code/locked`` when another process holds
    ///   it, ``MonitorError/Code/state`` when the file cannot be opened.
    public init(stateDirectory: StateDirectory) throws(MonitorError) {
        try stateDirectory.create()
        path = stateDirectory.path + "/newsmon.lock"
        // O_CLOEXEC: a child (the `newsmon check` of a reload) must not inherit, and so keep, the lock.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw MonitorError(code: .state, message: "\(path): cannot open the lock file: \(reason)")
        }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                let owner = (try? String(contentsOfFile: path, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let pid = owner.flatMap { $0.isEmpty ? nil : " (pid \($0))" } ?? ""
                throw MonitorError(
                    code: .locked,
                    message: "\(stateDirectory.path): the state directory is in use by another newsmon run or once\(pid); "
                        + "stop it first or use another --state")
            }
            throw MonitorError(code: .state, message: "\(path): cannot lock: \(String(cString: strerror(code)))")
        }
        descriptor = fd
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit {
        close(descriptor)  // releases the lock
    }
}
