import Foundation
import NewsMonitor

/// Reads feeds.conf for a reload in a child process (`newsmon check --emit-json`), so that the
/// running daemon never parses TOML after it started.
///
/// Two reasons. TOMLKit 0.6.0 frees nothing a parse allocates: about 150 KB per load of the shipped
/// feeds.conf stayed in the daemon at every SIGHUP (docs/performance.md, "Memory over time"); a child
/// gives it back when it exits. And the TOML parser inside TOMLKit (toml++) aborts its process on an
/// internal assertion for some malformed files instead of reporting them: newsmon guards against the
/// cases it knows (`TOMLAbortGuard`), but a daemon must not die because someone saved a half-edited
/// file and ran `systemctl reload`. The child writes the configuration (or every problem, with its
/// position) as JSON; the daemon decodes it and compiles the rules, which involves no TOML.
enum ConfigurationCheckProcess {
    /// The runtime for `path` as the child read it.
    ///
    /// - Throws: ``MonitorError`` with the file's problems (as ``MonitorRuntime/load(path:)`` reports
    ///   them), or when the child crashed, failed or could not be started.
    static func loadRuntime(path: String) throws(MonitorError) -> MonitorRuntime {
        try MonitorRuntime.load(check(path: path), path: path)
    }

    /// What `newsmon check --emit-json --config path` printed.
    static func check(path: String) throws(MonitorError) -> ConfigurationCheck {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["check", "--emit-json", "--config", path]
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil  // the child is not the service
        process.environment = environment
        do {
            try process.run()
        } catch {
            throw MonitorError(
                code: .configuration, message: "\(path): cannot start `newsmon check` to read the file: \(error)", cause: error)
        }
        // Read to the end before waiting: a child blocked on a full pipe would never exit.
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            throw MonitorError(
                code: .configuration,
                message: "\(path): checking the file crashed the TOML parser (signal \(process.terminationStatus)); "
                    + "run `newsmon check --config \(path)`, fix the syntax near the last edit, and reload again"
            )
        }
        guard process.terminationStatus == 0, let check = try? ConfigurationCheck(json: json) else {
            throw MonitorError(
                code: .configuration,
                message: "\(path): `newsmon check` failed (exit status \(process.terminationStatus), \(json.count) bytes of output); "
                    + "run `newsmon check --config \(path)`")
        }
        return check
    }
}
