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
            Per feed: id, last success, HTTP status, items, consecutive errors, next due, moved-to URL.
            Feeds in feeds.conf that were never polled are listed too; feeds no longer in feeds.conf are marked.
            """)

    @OptionGroup var paths: PathOptions

    @Flag(help: "Print one JSON object per feed (JSON Lines).")
    var json = false

    func run() async throws {
        let configured = (try? MonitorRuntime.load(path: paths.configurationPath))?.configuration.feeds
        var states: [StoredFeedState] = []
        let databasePath = paths.stateDirectory + "/state.sqlite"
        if FileManager.default.fileExists(atPath: databasePath) {
            do {
                let store = try DedupStore(path: databasePath)
                defer { store.close() }
                states = try store.allFeedStates()
            } catch {
                Terminal.printError("newsmon status: \(databasePath): \(error)")
                throw ExitCode(1)
            }
        } else if configured == nil {
            Terminal.printError("newsmon status: no state in \(paths.stateDirectory) and no readable \(paths.configurationPath)")
            throw ExitCode(1)
        }
        var byID = Dictionary(states.map { ($0.feedID, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [(id: String, state: StoredFeedState?, inConfig: Bool)] = []
        for feed in configured ?? [] {
            rows.append((feed.id, byID.removeValue(forKey: feed.id), true))
        }
        for state in byID.values.sorted(by: { $0.feedID < $1.feedID }) {
            rows.append((state.feedID, state, configured == nil))
        }
        if let problem = StateDirectory(path: paths.stateDirectory).savedProblem() {
            // Stderr in JSON mode, so that stdout stays one object per feed.
            if json { Terminal.printError("newsmon status: daemon problem \(problem)") } else { print("DAEMON PROBLEM \(problem)\n") }
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

    static func table(_ rows: [(id: String, state: StoredFeedState?, inConfig: Bool)]) -> String {
        var lines = [["FEED", "LAST SUCCESS", "HTTP", "ITEMS", "ERRORS", "NEXT DUE", "MOVED TO / LAST ERROR"]]
        for row in rows {
            let s = row.state
            var note = s?.movedToURL ?? s?.lastError ?? (s == nil ? "never polled" : "")
            if !row.inConfig { note = "(not in feeds.conf) " + note }
            lines.append([
                row.id, time(s?.lastSuccess), s?.lastStatus.map(String.init) ?? "-",
                s?.lastItemCount.map(String.init) ?? "-", s.map { String($0.consecutiveErrors) } ?? "-",
                time(s?.nextDue), note,
            ])
        }
        let widths = (0..<6).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            (0..<6).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + cells[6]
        }.joined(separator: "\n")
    }

    static func jsonLine(id: String, state s: StoredFeedState?, inConfig: Bool) -> String {
        var object: [String: Any] = ["id": id, "in_config": inConfig, "polled": s != nil]
        object["last_success"] = s?.lastSuccess.map { time($0) } ?? NSNull()
        object["last_attempt"] = s?.lastAttempt.map { time($0) } ?? NSNull()
        object["http_status"] = s?.lastStatus ?? NSNull()
        object["items"] = s?.lastItemCount ?? NSNull()
        object["consecutive_errors"] = s?.consecutiveErrors ?? 0
        object["next_due"] = s?.nextDue.map { time($0) } ?? NSNull()
        object["moved_to"] = s?.movedToURL ?? NSNull()
        object["gone_since"] = s?.goneSince.map { time($0) } ?? NSNull()
        object["last_error"] = s?.lastError ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
