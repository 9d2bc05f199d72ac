#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Logging
import NewsMonitor

/// `newsmon once`: Poll every feed once, then exit.
struct Once: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Poll every feed once, then exit.",
        discussion: "Exit status 0 when every feed was fetched, 1 (with a summary on stderr) when some failed.")

    @OptionGroup var options: MonitorCommandOptions

    @Flag(help: "Print where the time went on stderr: fetch (wall), parse, match, dedup (plan, commit) and spool (CPU).")
    var timings = false

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let logger = options.bootstrapLogging(defaultLevel: .warning)
        let monitorOptions = options.monitorOptions()
        let runtime = try MonitorLauncher.loadOrExit(path: monitorOptions.configurationPath)
        let monitor = try MonitorLauncher.makeOrExit(runtime: runtime, options: monitorOptions, logger: logger, command: "once")
        let showProgress = Terminal.isStandardError
        let summary = await monitor.pollOnce { done, total in
            if showProgress { Terminal.printProgress("newsmon: polled \(done)/\(total) feeds") }
        }
        if showProgress { Terminal.printProgress(nil) }
        if timings { Terminal.printError("newsmon once: \(summary.timings.description)") }
        guard summary.failures.isEmpty, summary.deferred.isEmpty, summary.problem == nil else {
            Self.printFailures(summary)
            throw ExitCode(1)
        }
        logger.info(
            "poll done",
            metadata: [
                "monitor.feeds": "\(summary.feeds)", "monitor.alerts": "\(summary.alerts)",
                "monitor.timings": "\(summary.timings.description)",
            ])
    }
}

extension Once {
    /// The summary on stderr: failed feeds, then what the daemon could not record.
    static func printFailures(_ summary: Monitor.OnceSummary) {
        if !summary.failures.isEmpty {
            Terminal.printError(
                "newsmon once: \(summary.failures.count) of \(summary.feeds) feeds failed (\(summary.alerts) alerts raised):")
            for failure in summary.failures.sorted(by: { $0.feed < $1.feed }) {
                Terminal.printError("  \(failure.feed): \(failure.message)")
            }
        }
        if let problem = summary.problem {
            Terminal.printError("newsmon once: cannot record alerts and seen items: \(problem)")
        }
        if !summary.deferred.isEmpty || summary.problem != nil {
            Terminal.printError(
                "newsmon once: \(summary.alerts) alerts raised; \(summary.deferred.count) of \(summary.feeds) feeds fetched "
                    + "but not recorded: they are read again next time, and alerts already raised are not repeated")
        }
    }
}

extension Terminal {
    /// Rewrites one progress line on stderr (a terminal); nil clears it.
    static func printProgress(_ text: String?) {
        let line = "\r\u{1B}[K" + (text ?? "")
        line.withCString { _ = write(2, $0, strlen($0)) }
    }
}
