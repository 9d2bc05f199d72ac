#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import NewsModel
import NewsMonitor
import Spool

/// `newsmon tail`: Print alerts from the spool; -f follows new ones.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Print alerts from the spool; -f follows new ones.",
        discussion: """
            A missing state directory or spool is an error, and so is a --topic that neither feeds.conf \
            nor any alert in the spool names.
            """)

    /// `--output` of tail: alerts are what it prints, so there is no `none`.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var configuration: ConfigurationOption
    @OptionGroup var paths: StateAndSpoolOptions

    @Flag(name: .shortAndLong, help: "Keep running and print alerts as they are written.")
    var follow = false

    @Option(name: .short, help: "Print only the last N alerts before following.")
    var n: Int = 10

    @Option(help: "Only alerts of this topic id (from feeds.conf or the spool).")
    var topic: String?

    @Option(help: "Only alerts detected since TIME: ISO-8601 (2022-01-12T10:15:03Z, 2022-01-12) or an age (90m, 2h, 3d).")
    var since: String?

    @Option(help: "How alerts are printed (default: text on a terminal, else json).")
    var output: OutputFormat?

    func validate() throws {
        guard n >= 0 else { throw ValidationError("-n must be 0 or more") }
        if let since, Self.parseSince(since, now: Date()) == nil {
            throw ValidationError("--since: cannot read \"\(since)\" as a time (2022-01-12T10:15:03Z) or an age (2h)")
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let spool = try paths.existingSpoolDirectory(command: "tail")
        let filter = AlertFilter(topic: topic, since: since.flatMap { Self.parseSince($0, now: Date()) })
        let format: AlertOutputFormat = switch output ?? (Terminal.isStandardOutput ? .text : .json) {
        case .text: .text
        case .json: .json
        }
        let sink = StandardOutputSink(format: format)
        let watcher = SpoolWatcher(directory: spool)
        // Watch first, then read: an alert published in between is printed by the watcher.
        var stream: AsyncStream<Alert>?
        let recent: [Alert]
        let unreadable: @Sendable (SpoolError) -> Void = { StandardError.print("newsmon tail: skipping \($0)") }
        do {
            if follow {
                let known = Set(try watcher.reader.entries().map(\.alertID))
                stream = try watcher.follow(filter: filter, skipping: known, unreadable: unreadable)
            }
            let all = try watcher.reader.alerts(unreadable: unreadable)
            if let topic { try checkTopic(topic, spoolTopics: Set(all.map(\.topic))) }
            recent = Array(all.filter(filter.accepts).suffix(n))
        } catch let error as SpoolError {
            throw StandardError.failure("tail", "\(error)")
        }
        for alert in recent {
            do {
                try sink.deliver(alert)
            } catch {
                return  // stdout closed (e.g. piped into head): nothing more to show
            }
        }
        guard let stream else { return }
        for await alert in stream {
            do {
                try sink.deliver(alert)
            } catch {
                return  // stdout closed (e.g. piped into head)
            }
        }
    }

    /// Exits 1 unless feeds.conf (when there is one) or an alert in the spool names `topic`.
    private func checkTopic(_ topic: String, spoolTopics: Set<String>) throws {
        var known = spoolTopics
        let location = configuration.location
        if location.isExplicit || FileManager.default.fileExists(atPath: location.path) {
            known.formUnion(try configuration.loadConfiguration(command: "tail").configuration.topics.map(\.id))
        }
        guard known.contains(topic) else {
            let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
            throw StandardError.failure("tail", "unknown topic '\(topic)' (topics in feeds.conf and the spool: \(list))")
        }
    }

    /// An ISO-8601 time or date, or an age such as `90m`, `2h`, `3d` before `now`.
    static func parseSince(_ text: String, now: Date) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let day = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return day }
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86400
        default: return nil
        }
        return now.addingTimeInterval(-seconds)
    }
}
