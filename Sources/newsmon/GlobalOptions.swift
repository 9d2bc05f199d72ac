#if canImport(Glibc)
@preconcurrency import Glibc
#endif
public import ArgumentParser
import Foundation
import Logging
import NewsMonitor
public import Spool

extension AlertOutputFormat: ExpressibleByArgument {}

/// Where the daemon's files are: `--config`, `--state`, `--spool`, with the defaults of DESIGN.md.
struct PathOptions: ParsableArguments {
    @Option(help: "feeds.conf to read (default: ./feeds.conf, else /etc/newsmon/feeds.conf).")
    var config: String?

    @Option(
        help: "State directory (default: $STATE_DIRECTORY, else $XDG_STATE_HOME/newsmon, else ~/.local/state/newsmon).")
    var state: String?

    @Option(help: "Spool directory (default: <state>/spool).")
    var spool: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var configurationPath: String {
        config ?? MonitorPaths.defaultConfigurationPath(workingDirectory: FileManager.default.currentDirectoryPath)
    }

    var stateDirectory: String {
        state ?? MonitorPaths.defaultStateDirectory(environment: environment)
    }

    var spoolDirectory: String {
        spool ?? stateDirectory + "/spool"
    }
}

/// `--output` and `--log-level` of `run` and `once`.
struct MonitorCommandOptions: ParsableArguments {
    @OptionGroup var paths: PathOptions

    @Option(help: "How alerts are printed on stdout: text, json or none (default: text on a terminal, else json).")
    var output: AlertOutputFormat?

    @Option(help: "Spread the first polls of new or overdue feeds over this many seconds after start.")
    var startupSpread: Double = 30

    @Option(help: "Lowest log level on stderr: trace, debug, info, notice, warning, error, critical (default: info for run, warning for once).")
    var logLevel: String?

    func validate() throws {
        guard startupSpread >= 0 else { throw ValidationError("--startup-spread must be 0 or more") }
        guard logLevel.map({ Logger.Level(rawValue: $0) != nil }) ?? true else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The runtime options, with systemd's environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`) applied.
    func monitorOptions() -> MonitorOptions {
        let environment = paths.environment
        return MonitorOptions(
            configurationPath: paths.configurationPath,
            stateDirectory: paths.stateDirectory,
            spoolDirectory: paths.spoolDirectory,
            output: output ?? Terminal.defaultOutput,
            startupSpread: .milliseconds(Int64(startupSpread * 1000)),
            watchdogInterval: MonitorPaths.watchdogInterval(environment: environment, processID: getpid()),
            notifySocket: environment["NOTIFY_SOCKET"]
        )
    }

    /// Bootstraps swift-log once for the process and returns the root logger.
    func bootstrapLogging(defaultLevel: Logger.Level) -> Logger {
        let level = logLevel.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        let isJournal = paths.environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in NewsmonLogHandler(label: label, level: level, isJournal: isJournal) }
        return Logger(label: "newsmon")
    }
}

/// Facts about the process's terminal.
enum Terminal {
    static var isStandardOutput: Bool { isatty(1) == 1 }
    static var isStandardError: Bool { isatty(2) == 1 }
    /// `text` on a terminal, `json` otherwise.
    static var defaultOutput: AlertOutputFormat { isStandardOutput ? .text : .json }

    /// Prints to stderr, unbuffered.
    static func printError(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        line.withCString { _ = write(2, $0, strlen($0)) }
    }
}
