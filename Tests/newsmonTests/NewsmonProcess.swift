#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport

/// The built `newsmon` binary as a child process: the one helper of every test that runs it.
///
/// stdout and stderr go to files (no pipe can fill up); stdin is empty unless `stdin` writes to it.
/// `run` waits for the end; a `NewsmonProcess` kept as a value is for daemons (signals, waiting for output).
/// With `onTerminal`, it runs on a pseudo-terminal (`script`), and `stdout` is what the terminal showed.
/// With `measured`, the child runs under `/usr/bin/time -f "%U %S %M"` (Debian package `time`) for its CPU time and peak RSS:
/// Linux carries a process's RSS high-water mark across `execve`, so a child spawned straight from the
/// (large) test process would report the test process's peak.
final class NewsmonProcess: @unchecked Sendable {
    /// How a finished run ended.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Wall time from start to exit.
        var seconds: Double = 0
        /// Peak resident memory in KiB (only with `measured`; else 0).
        var maxRSSKiB: Int = 0
        /// CPU time (user and system) in seconds (only with `measured`; else 0): unlike wall time, it does not
        /// grow when other work shares the machine.
        var cpuSeconds: Double = 0
    }

    let process = Process()
    let stdoutPath: String
    let stderrPath: String
    private let rssReportPath: String?
    private let started = Date()

    /// Starts `newsmon arguments…` in `directory`; `stdin`, if given, is called on a thread of its own with
    /// the write end of the child's standard input, which is closed afterwards.
    init(
        _ arguments: [String], in directory: TemporaryDirectory, name: String = "newsmon", environment: [String: String] = [:],
        workingDirectory: URL? = nil, measured: Bool = false, onTerminal: Bool = false,
        stdin: (@Sendable (Int32) -> Void)? = nil
    ) throws {
        signal(SIGPIPE, SIG_IGN)
        stdoutPath = directory.path + "/\(name).stdout"
        stderrPath = directory.path + "/\(name).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let newsmon = RepositoryPaths.newsmonBinary
        if measured, access("/usr/bin/time", X_OK) == 0 {
            let report = directory.path + "/\(name).rss"
            rssReportPath = report
            process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            process.arguments = ["-f", "%U %S %M", "-o", report, newsmon.path] + arguments
        } else if onTerminal {
            // util-linux `script` gives the child a pseudo-terminal as stdin, stdout and stderr; what the
            // terminal shows arrives on script's stdout.
            rssReportPath = nil
            let quoted = ([newsmon.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        } else {
            rssReportPath = nil
            process.executableURL = newsmon
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        for key in [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "STATE_DIRECTORY", "XDG_STATE_HOME",
            "NEWSMON_CONFIG", "SUDO_USER",
        ] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = workingDirectory ?? directory.url
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            let writeEnd = pipe.fileHandleForWriting
            Thread {
                stdin(writeEnd.fileDescriptor)
                try? writeEnd.close()
            }.start()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    /// Runs to completion (at most `timeout` seconds) without blocking the cooperative pool.
    static func run(
        _ arguments: [String], in directory: TemporaryDirectory, name: String = "newsmon",
        environment: [String: String] = [:], timeout: Double = 60
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try NewsmonProcess(arguments, in: directory, name: name, environment: environment)
        let status = await child.waitForExit(timeout: timeout)
        return (status ?? -1, child.stdout, child.stderr)
    }

    /// Runs to completion, blocking (for synchronous tests); output files live in a fresh temporary
    /// directory, which is also the working directory unless `workingDirectory` is given.
    static func runBlocking(
        _ arguments: [String], in workingDirectory: URL? = nil, environment: [String: String] = [:], measured: Bool = false,
        onTerminal: Bool = false, stdin: (@Sendable (Int32) -> Void)? = nil
    ) throws -> Result {
        let directory = try TemporaryDirectory(prefix: "newsmon-run")
        defer { directory.remove() }
        let child = try NewsmonProcess(
            arguments, in: directory, environment: environment, workingDirectory: workingDirectory, measured: measured,
            onTerminal: onTerminal, stdin: stdin)
        child.process.waitUntilExit()
        return child.result
    }

    /// `newsmon parse arguments…`, measured (the parser's hostile-input limits are on time and memory).
    static func runParse(_ arguments: [String], stdin: (@Sendable (Int32) -> Void)? = nil) throws -> Result {
        try runBlocking(["parse"] + arguments, measured: true, stdin: stdin)
    }

    /// The result of a process that has exited.
    var result: Result {
        var status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        var maxRSS = 0
        var cpu = 0.0
        if let rssReportPath, let text = try? String(contentsOfFile: rssReportPath, encoding: .utf8) {
            // "%U %S %M\n", preceded by "Command terminated by signal N" / "Command exited with non-zero status N".
            let lines = text.split(separator: "\n")
            if let last = lines.last {
                let fields = last.split(separator: " ")
                if fields.count == 3, let kib = Int(fields[2]) {
                    maxRSS = kib
                    cpu = (Double(fields[0]) ?? 0) + (Double(fields[1]) ?? 0)
                }
            }
            if let signalLine = lines.first(where: { $0.hasPrefix("Command terminated by signal") }),
                let n = Int32(signalLine.split(separator: " ").last ?? "")
            {
                status = 128 + n
            }
        }
        return Result(
            status: status, stdout: stdout, stderr: stderr, seconds: Date().timeIntervalSince(started), maxRSSKiB: maxRSS,
            cpuSeconds: cpu)
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

    var pid: Int32 { process.processIdentifier }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func send(_ signalNumber: Int32) {
        kill(process.processIdentifier, signalNumber)
    }

    /// The exit status once the process ended by exit(); nil on timeout or when killed by a signal.
    func waitForExit(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    /// Waits until stdout or stderr satisfies `predicate`.
    func waitForOutput(timeout: Double = 20, stream: KeyPath<NewsmonProcess, String> = \.stdout, _ predicate: (String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(self[keyPath: stream]) { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return predicate(self[keyPath: stream])
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Alerts as JSON objects, read from JSON Lines or from spool files.
enum AlertJSON {
    static func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Every alert in `spool/new` and `spool/cur`.
    static func spool(_ directory: String) -> [[String: Any]] {
        var alerts: [[String: Any]] = []
        for folder in ["new", "cur"] {
            let path = directory + "/" + folder
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                if let data = FileManager.default.contents(atPath: path + "/" + name),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                {
                    alerts.append(object)
                }
            }
        }
        return alerts
    }

    static func ids(_ alerts: [[String: Any]]) -> [String] { alerts.compactMap { $0["id"] as? String } }

    /// (item link, topic) pairs.
    static func pairs(_ alerts: [[String: Any]]) -> [String] {
        alerts.map { alert in
            let item = alert["item"] as? [String: Any]
            return "\(item?["link"] as? String ?? "?") \(alert["topic"] as? String ?? "?")"
        }.sorted()
    }
}
