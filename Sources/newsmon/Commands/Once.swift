#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Logging
import NewsModel
import NewsMonitor

/// `newsmon once`: Poll every feed once, then exit.
struct Once: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Poll every feed once, then exit.",
        discussion: """
            Exit status 0 when every feed was fetched, 1 when some failed: the summary on stderr names each \
            failed feed once.
            """)

    @OptionGroup var options: MonitorCommandOptions

    @Flag(help: "Print where the time went on stderr: fetch (wall), parse, match, dedup (plan, commit) and spool (CPU).")
    var timings = false

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let logger = options.bootstrapLogging(defaultLevel: .error)
        let (monitor, sink) = try options.makeMonitor(command: "once", logger: logger)
        let summary = await monitor.pollOnce { done, total in
            StandardError.progress("newsmon: polled \(done)/\(total) feeds")
        }
        StandardError.clearProgress()
        if timings { StandardError.print("newsmon once: \(summary.timings.description)") }
        let lines = Self.summaryLines(summary, alerts: sink.delivered)
        guard lines.isEmpty else {
            StandardError.print(lines.joined(separator: "\n"))
            throw ExitCode(1)
        }
        logger.info(
            "poll done",
            metadata: [
                "monitor.feeds": "\(summary.feeds)", "monitor.alerts": "\(sink.delivered)",
                "monitor.timings": "\(summary.timings.description)",
            ])
    }

    /// The summary on stderr when something failed: each failed feed once, then what could not be
    /// recorded; empty when all went well. `alerts` is the number of alerts printed. Messages pass
    /// through ``NewsModel/TerminalText`` (they quote servers: a refused `Location`, a status line).
    static func summaryLines(_ summary: Monitor.OnceSummary, alerts: Int) -> [String] {
        var lines: [String] = []
        if !summary.failures.isEmpty {
            lines.append("newsmon once: \(summary.failures.count) of \(summary.feeds) feeds failed (\(alerts) alerts printed):")
            for failure in summary.failures.sorted(by: { $0.feed < $1.feed }) {
                let message = TerminalText.sanitize(
                    withoutFeedPrefix(failure.message, feed: failure.feed), maxLength: TerminalText.valueWidth)
                lines.append("  \(TerminalText.sanitize(failure.feed)): \(message)")
            }
        }
        if let problem = summary.problem {
            let text = TerminalText.sanitize("\(problem)", maxLength: TerminalText.valueWidth)
            lines.append("newsmon once: cannot record alerts and seen items: \(text)")
        }
        if !summary.deferred.isEmpty || summary.problem != nil {
            lines.append(
                "newsmon once: \(alerts) alerts printed; \(summary.deferred.count) of \(summary.feeds) feeds fetched "
                    + "but not recorded: they are read again next time, and alerts already raised are not repeated")
        }
        return lines
    }

    /// `feed 'x': HTTP 404` → `HTTP 404` (the summary names the feed already).
    static func withoutFeedPrefix(_ message: String, feed: String) -> String {
        var message = Substring(message)
        for prefix in ["\(feed): ", "feed '\(feed)': "] where message.hasPrefix(prefix) {
            message = message.dropFirst(prefix.count)
        }
        return String(message)
    }
}

extension Once: PollSized {
    func feedCountHint() -> Int? {
        FeedCountHint.count(path: options.configuration.location.path)
    }
}
