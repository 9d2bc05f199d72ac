#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import NewsMonitor

/// `--state DIR`.
struct StateOptions: ParsableArguments {
    @Option(help: "State directory (default: $STATE_DIRECTORY, else $XDG_STATE_HOME/newsmon, else ~/.local/state/newsmon).")
    var state: String?

    var stateDirectory: String {
        state ?? MonitorPaths.defaultStateDirectory(environment: ProcessInfo.processInfo.environment)
    }

    /// The state directory, or exit 1 naming it when it does not exist (a wrong `--state`, or a
    /// monitor that never ran there).
    func existingStateDirectory(command: String) throws -> String {
        let directory = stateDirectory
        try Self.requireDirectory(directory, what: "state directory", command: command, hint: hint)
        return directory
    }


    /// Exits 1 naming `path` unless it is a directory this user may read.
    static func requireDirectory(_ path: String, what: String, command: String, hint: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            let reason = errno == ENOENT ? "no \(what) at \(path)\(hint)" : "\(path): \(String(cString: strerror(errno)))"
            throw StandardError.failure(command, errno == EACCES ? reason + " (ask to join the daemon's group)" : reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw StandardError.failure(command, "\(path) is not a directory") }
        guard access(path, R_OK | X_OK) == 0 else {
            throw StandardError.failure(command, "\(path): permission denied (ask to join the daemon's group)")
        }
    }

    /// ` (the default; pass --state DIR)` plus the sudo hint when the default is in use.
    var hint: String {
        var text = state == nil ? " (the default; pass --state DIR)" : ""
        if state == nil, let sudo = MonitorPaths.sudoHint(environment: ProcessInfo.processInfo.environment) {
            text += "; " + sudo
        }
        return text
    }
}

/// `--state DIR` and `--spool DIR`.
struct StateAndSpoolOptions: ParsableArguments {
    @OptionGroup var stateOptions: StateOptions

    @Option(help: "Spool directory (default: <state>/spool).")
    var spool: String?

    var stateDirectory: String { stateOptions.stateDirectory }
    var spoolDirectory: String { spool ?? stateDirectory + "/spool" }

    /// The spool, or exit 1 naming it (and the state directory) when it does not exist.
    func existingSpoolDirectory(command: String) throws -> String {
        if spool == nil { _ = try stateOptions.existingStateDirectory(command: command) }
        let directory = spoolDirectory
        try StateOptions.requireDirectory(
            directory + "/new", what: "spool folder", command: command, hint: spool == nil ? stateOptions.hint : "")
        return directory
    }
}
