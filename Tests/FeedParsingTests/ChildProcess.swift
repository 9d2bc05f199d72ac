import Foundation
import NewsTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `newsmon` binary as a child process and reports its exit status, output, wall
/// time and peak resident memory in KiB.
///
/// The peak comes from `/usr/bin/time -f %M` (Debian package `time`): Linux carries a process's
/// RSS high-water mark across `execve`, so a child spawned straight from the (large) test process
/// would report the test process's peak; `time` is small and forks the child itself. Without
/// `/usr/bin/time` the child's own `wait4` rusage is used, which is then an upper bound.
struct ChildProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
        var maxRSSKiB: Int
    }

    /// Runs `newsmon arguments…`; `stdin` (if given) is called on a separate thread with the write end
    /// of the child's standard input and must write what it wants; the pipe is closed afterwards.
    static func runNewsmon(_ arguments: [String], stdin: (@Sendable (Int32) -> Void)? = nil) throws -> Result {
        signal(SIGPIPE, SIG_IGN)
        let newsmon = RepositoryPaths.newsmonBinary.path
        let timeTool = "/usr/bin/time"
        let useTime = access(timeTool, X_OK) == 0
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("newsmon-rss-\(UUID().uuidString)").path
        defer { unlink(report) }
        let binary = useTime ? timeTool : newsmon
        let prefix = useTime ? [timeTool, "-f", "%M", "-o", report, newsmon] : [newsmon]
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw POSIXError(.EMFILE) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = (prefix + ["parse"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let start = Date()
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT)
        }
        let writeEnd = inPipe[1]
        let writer = Thread {
            stdin?(writeEnd)
            close(writeEnd)
        }
        writer.start()
        // Drain stdout and stderr concurrently so the child never blocks on a full pipe.
        let errBox = OutputBox()
        let errFD = errPipe[0]
        let errReader = Thread { errBox.data = readAll(errFD) }
        errReader.start()
        let out = readAll(outPipe[0])
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        while !errBox.isSet { usleep(1000) }
        close(outPipe[0]); close(errPipe[0])
        var exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        var maxRSS = Int(usage.ru_maxrss)
        if useTime, let text = try? String(contentsOfFile: report, encoding: .utf8) {
            // "%M\n", preceded by "Command terminated by signal N" / "Command exited with non-zero status N".
            let lines = text.split(separator: "\n")
            if let last = lines.last, let kib = Int(last.trimmingCharacters(in: .whitespaces)) { maxRSS = kib }
            if let signalLine = lines.first(where: { $0.hasPrefix("Command terminated by signal") }),
                let n = Int32(signalLine.split(separator: " ").last ?? "")
            {
                exit = 128 + n
            }
        }
        return Result(
            status: exit, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self),
            seconds: seconds, maxRSSKiB: maxRSS)
    }

    final class OutputBox: @unchecked Sendable {
        private let lock = NSLock()
        private var _data: [UInt8] = []
        private var _isSet = false
        var data: [UInt8] {
            get { lock.withLock { _data } }
            set { lock.withLock { _data = newValue; _isSet = true } }
        }
        var isSet: Bool { lock.withLock { _isSet } }
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var result = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    /// Writes all of `bytes` to `fd`; stops quietly when the reader has gone (EPIPE).
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}
