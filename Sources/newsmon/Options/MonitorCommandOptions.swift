#if canImport(Glibc)
@preconcurrency import Glibc
#endif
public import ArgumentParser
import Foundation
import Logging
import NewsMonitor
public import Spool

extension AlertOutputFormat: ExpressibleByArgument {}

/// The options `run` and `once` share.
struct MonitorCommandOptions: ParsableArguments {
    @OptionGroup var configuration: ConfigurationOption
    @OptionGroup var paths: StateAndSpoolOptions

    @Option(help: "How alerts are printed on stdout (default: text on a terminal, else json).")
    var output: AlertOutputFormat?

    @Flag(help: "Let the group of the user running newsmon read alerts in the spool and take them (docs/spool-format.md).")
    var sharedSpool = false

    @Option(help: "Lowest log level on stderr: trace, debug, info, notice, warning, error, critical (default: info for run, error for once).")
    var logLevel: String?

    func validate() throws {
        guard logLevel.map({ Logger.Level(rawValue: $0) != nil }) ?? true else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The runtime options, with systemd's environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`) applied.
    func monitorOptions(configurationPath: String, startupSpread: Duration = .seconds(30)) -> MonitorOptions {
        let environment = ProcessInfo.processInfo.environment
        return MonitorOptions(
            configurationPath: configurationPath,
            stateDirectory: paths.stateDirectory,
            spoolDirectory: paths.spoolDirectory,
            output: output ?? (Terminal.isStandardOutput ? .text : .json),
            startupSpread: startupSpread,
            watchdogInterval: MonitorPaths.watchdogInterval(environment: environment, processID: getpid()),
            notifySocket: environment["NOTIFY_SOCKET"],
            isSpoolShared: sharedSpool,
            logsCycleSummary: Terminal.isStandardError
        )
    }

    /// Bootstraps swift-log once for the process and returns the root logger.
    func bootstrapLogging(defaultLevel: Logger.Level) -> Logger {
        let level = logLevel.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        let isJournal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in CommandLogHandler(label: label, level: level, isJournal: isJournal) }
        return Logger(label: "newsmon")
    }

    /// feeds.conf loaded and the monitor built, with the sink that prints its alerts; exits 1 with the
    /// problems otherwise.
    func makeMonitor(command: String, startupSpread: Duration = .seconds(30), logger: Logger) throws
        -> (monitor: Monitor, sink: ProgressAwareSink)
    {
        let runtime = try configuration.loadRuntime(command: command)
        let options = monitorOptions(configurationPath: configuration.location.path, startupSpread: startupSpread)
        let sink = ProgressAwareSink(format: options.output)
        do {
            let monitor = try NewsMonitor.makeMonitor(
                runtime: runtime, options: options, userAgentVersion: NewsmonVersion.string, output: sink, logger: logger)
            return (monitor, sink)
        } catch {
            throw StandardError.failure(command, "\(error)")
        }
    }
}
