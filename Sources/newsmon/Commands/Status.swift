import ArgumentParser
import Dedup
import Foundation
import NewsModel
import NewsMonitor

/// `newsmon status`: Per-feed health from the state store.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per-feed health from the state store.",
        discussion: """
            Per feed: id, last success, HTTP status, items, consecutive errors, documents recovered (not well-formed,
            read leniently; counted since the feed's first poll), next due, moved-to URL or last error.
            Feeds in feeds.conf that were never polled are listed too; feeds no longer in feeds.conf are marked.
            A missing state directory or state store is an error; without feeds.conf only the stored feeds are listed.
            """)

    @OptionGroup var configuration: ConfigurationOption
    @OptionGroup var paths: StateOptions

    @Flag(help: "Print one JSON object per feed (JSON Lines).")
    var json = false

    func run() async throws {
        let stateDirectory = StateDirectory(path: try paths.existingStateDirectory(command: "status"))
        let databasePath = stateDirectory.storePath
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw StandardError.failure("status", "no state store \(databasePath): newsmon run or once has not polled with this --state")
        }
        let location = configuration.location
        var configured: [FeedSource]?
        if location.isExplicit || FileManager.default.fileExists(atPath: location.path) {
            configured = try configuration.loadConfiguration(command: "status").configuration.feeds
        }
        var states: [StoredFeedState] = []
        do {
            let store = try DedupStore(path: databasePath)
            defer { store.close() }
            states = try store.allFeedStates()
        } catch {
            throw StandardError.failure("status", "\(databasePath): \(error)")
        }
        var byID = Dictionary(states.map { ($0.feedID, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [(id: String, state: StoredFeedState?, inConfig: Bool)] = []
        for feed in configured ?? [] {
            rows.append((feed.id, byID.removeValue(forKey: feed.id), true))
        }
        for state in byID.values.sorted(by: { $0.feedID < $1.feedID }) {
            rows.append((state.feedID, state, configured == nil))
        }
        if let problem = stateDirectory.savedProblem() {
            // Stderr in JSON mode, so that stdout stays one object per feed.
            let text = TerminalText.sanitize("\(problem)", maxLength: TerminalText.valueWidth)
            if json { StandardError.print("newsmon status: daemon problem \(text)") } else { print("DAEMON PROBLEM \(text)\n") }
        }
        if json {
            for row in rows { print(Self.jsonLine(id: row.id, state: row.state, inConfig: row.inConfig)) }
        } else {
            print(Self.table(rows))
        }
    }

    static func time(_ date: Date?) -> String {
        date.map { $0.formatted(.iso8601) } ?? "-"
    }

    /// The text table; every cell passes through ``NewsModel/TerminalText`` (errors and moved-to URLs
    /// come from servers).
    static func table(_ rows: [(id: String, state: StoredFeedState?, inConfig: Bool)]) -> String {
        var lines = [["FEED", "LAST SUCCESS", "HTTP", "ITEMS", "ERRORS", "RECOVERED", "NEXT DUE", "MOVED TO / LAST ERROR"]]
        for row in rows {
            let s = row.state
            var note = s?.movedToURL.map(URLCredentials.stripped) ?? s?.lastError ?? (s == nil ? "never polled" : "")
            if !row.inConfig { note = "(not in feeds.conf) " + note }
            lines.append([
                TerminalText.sanitize(row.id, maxLength: TerminalText.valueWidth), time(s?.lastSuccess), s?.lastStatus.map(String.init) ?? "-",
                s?.lastItemCount.map(String.init) ?? "-", s.map { String($0.consecutiveErrors) } ?? "-",
                s.map { String($0.recoveredDocuments) } ?? "-", time(s?.nextDue), TerminalText.sanitize(note, maxLength: TerminalText.valueWidth),
            ])
        }
        let columns = lines[0].count - 1  // padded; the last one runs to the end of the line
        let widths = (0..<columns).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            (0..<columns).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + cells[columns]
        }.joined(separator: "\n")
    }

    /// One feed as a JSON object, keys in alphabetical order.
    static func jsonLine(id: String, state s: StoredFeedState?, inConfig: Bool) -> String {
        var o = JSONObjectWriter()
        o.field("consecutive_errors", s?.consecutiveErrors ?? 0)
        o.field("gone_since", s?.goneSince.map { time($0) })
        o.field("http_status", s?.lastStatus)
        o.field("id", id)
        o.field("in_config", inConfig)
        o.field("items", s?.lastItemCount)
        o.field("last_attempt", s?.lastAttempt.map { time($0) })
        o.field("last_error", s?.lastError)
        o.field("last_success", s?.lastSuccess.map { time($0) })
        o.field("moved_to", s?.movedToURL.map(URLCredentials.stripped))
        o.field("next_due", s?.nextDue.map { time($0) })
        o.field("polled", s != nil)
        o.field("recovered_documents", s?.recoveredDocuments ?? 0)
        return o.finish()
    }
}
