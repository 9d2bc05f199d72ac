#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport

/// The built `newsmon` binary running as a child process, stdout and stderr captured to files.
final class NewsmonProcess: @unchecked Sendable {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ arguments: [String], in directory: TemporaryDirectory, name: String = "newsmon", environment: [String: String] = [:]) throws {
        stdoutPath = directory.path + "/\(name).stdout"
        stderrPath = directory.path + "/\(name).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = RepositoryPaths.newsmonBinary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "STATE_DIRECTORY", "XDG_STATE_HOME"] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = directory.url
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Runs to completion (at most `timeout` seconds) and returns the exit status.
    static func run(
        _ arguments: [String], in directory: TemporaryDirectory, name: String = "newsmon",
        environment: [String: String] = [:], timeout: Double = 60
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try NewsmonProcess(arguments, in: directory, name: name, environment: environment)
        let status = await child.waitForExit(timeout: timeout)
        return (status ?? -1, child.stdout, child.stderr)
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
