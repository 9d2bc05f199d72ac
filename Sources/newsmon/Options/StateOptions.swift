import ArgumentParser
import Foundation
import NewsMonitor

/// `--state DIR` and `--spool DIR`.
struct StateOptions: ParsableArguments {
    @Option(help: "State directory (default: $STATE_DIRECTORY, else $XDG_STATE_HOME/newsmon, else ~/.local/state/newsmon).")
    var state: String?

    @Option(help: "Spool directory (default: <state>/spool).")
    var spool: String?

    var stateDirectory: String {
        state ?? MonitorPaths.defaultStateDirectory(environment: ProcessInfo.processInfo.environment)
    }

    var spoolDirectory: String { spool ?? stateDirectory + "/spool" }

    /// The state directory, or exit 1 naming it when it does not exist (a wrong `--state`, or a
    /// monitor that never ran there).
    func existingStateDirectory(command: String) throws -> String {
        let directory = stateDirectory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StandardError.failure(command, "no state directory \(directory)\(hint)")
        }
        return directory
    }

    /// The spool, or exit 1 naming it (and the state directory) when it does not exist.
    func existingSpoolDirectory(command: String) throws -> String {
        if spool == nil { _ = try existingStateDirectory(command: command) }
        let directory = spoolDirectory
        guard FileManager.default.fileExists(atPath: directory + "/new") else {
            throw StandardError.failure(command, "no spool at \(directory) (no \(directory)/new)\(hint)")
        }
        return directory
    }

    /// `; newsmon run or once has not used it` plus the sudo hint when the default is in use.
    private var hint: String {
        var text = state == nil && spool == nil ? " (the default; pass --state DIR)" : ""
        if state == nil, let sudo = MonitorPaths.sudoHint(environment: ProcessInfo.processInfo.environment) {
            text += "; " + sudo
        }
        return text
    }
}
