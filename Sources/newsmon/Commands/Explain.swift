import ArgumentParser
import Dedup
import Foundation
import NewsModel

/// `newsmon explain FEED ITEM`: why an item did or did not raise an alert.
struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why an item raised an alert or not: its story, the story's items and alerts, and how each joined.",
        discussion: """
            ITEM is the item's id (guid) or link as the feed gives it, or its key as the log prints it
            (guid:…, url:…, digest:…). Reads the state store only.
            """)

    @OptionGroup var paths: StateOptions

    @Argument(help: "The feed id (from feeds.conf).")
    var feed: String

    @Argument(help: "The item's id, link or stored key.")
    var item: String

    func run() async throws {
        let databasePath = try paths.existingStateDirectory(command: "explain") + "/state.sqlite"
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw StandardError.failure("explain", "no state store \(databasePath)")
        }
        let explanation: StoryExplanation?
        do {
            let store = try DedupStore(path: databasePath)
            defer { store.close() }
            explanation = try store.explain(feedID: feed, item: item)
        } catch {
            throw StandardError.failure("explain", "\(databasePath): \(error)")
        }
        guard let explanation else {
            throw StandardError.failure("explain", "feed '\(feed)' has no item '\(item)' in \(databasePath)")
        }
        print(Self.text(explanation))
    }

    /// The explanation as text; item keys, joins and titles (from feeds) pass through ``NewsModel/TerminalText``.
    static func text(_ e: StoryExplanation) -> String {
        func time(_ date: Date) -> String { date.formatted(.iso8601) }
        func safe(_ text: String) -> String { TerminalText.sanitize(text, maxLength: TerminalText.titleWidth) }
        let short = String(e.storyKey.prefix(12))
        var lines = ["item \(safe(e.item.itemKey)) in feed \(e.item.feedID), first seen \(time(e.item.firstSeen))"]
        lines.append("  joined: \(e.item.joined.map(safe) ?? "(recorded before newsmon kept this)")")
        var origin = "story \(short), dated \(time(e.storyDate))"
        if let feed = e.origin.feedID { origin += ", first reported by feed \(feed)" }
        if let title = e.origin.title { origin += " as \"\(safe(title))\"" }
        lines.append(origin)
        lines.append("items (\(e.members.count)):")
        for member in e.members {
            lines.append("  \(member.feedID)  \(safe(member.itemKey))  \(time(member.firstSeen))  \(member.joined.map(safe) ?? "-")")
        }
        if e.alerts.isEmpty {
            lines.append("alerts: none (no topic matched an item of this story while it could alert)")
        } else {
            lines.append("alerts (\(e.alerts.count)):")
            for alert in e.alerts {
                var line = "  \(alert.topic)  \(alert.id.prefix(12))  raised by \(alert.feedID) for \(safe(alert.itemKey)) at \(time(alert.createdAt))"
                if !alert.alsoIn.isEmpty { line += "; also in \(alert.alsoIn.joined(separator: ", "))" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
