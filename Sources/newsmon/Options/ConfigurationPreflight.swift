import Foundation
import NewsMonitor

/// Checks feeds.conf in a child process (`newsmon check`) before the running daemon reads it.
///
/// The TOML parser inside TOMLKit (toml++) aborts the whole process on an internal assertion for
/// some malformed files instead of reporting them. newsmon guards against the cases it knows
/// (`TOMLAbortGuard`), but a daemon must not die because someone saved a half-edited file and
/// ran `systemctl reload`: so a reload first lets a child `newsmon check` read the file, and only
/// if that child finished (clean or with problems) does the daemon parse it itself.
enum ConfigurationPreflight {
    /// Throws when checking `path` killed the child process; returns otherwise (problems in the
    /// file are left to the in-process load, which reports them with positions).
    static func check(path: String) throws(MonitorError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["check", "--config", path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil  // the child is not the service
        process.environment = environment
        do {
            try process.run()
        } catch {
            // Cannot spawn a checker: fall back to the in-process load as before.
            return
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            throw MonitorError(
                code: .configuration,
                message: "\(path): checking the file crashed the TOML parser (signal \(process.terminationStatus)); "
                    + "run `newsmon check --config \(path)`, fix the syntax near the last edit, and reload again"
            )
        }
    }
}
