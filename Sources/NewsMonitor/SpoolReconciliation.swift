import Dedup
import Foundation
import Logging
import NewsModel
import Spool

/// Before the first poll: alerts that reached the spool but were never committed to the state store (the
/// process died, or the store could not write, between the two) are recorded in the store, so that no later
/// plan — another feed, another order, another process — raises them again under another story.
enum SpoolReconciliation {
    /// Records the spool's uncommitted alerts; returns how many. Problems are logged, never thrown: the
    /// daemon still runs, and the spool's idempotent writes keep the same alert ids from repeating.
    @discardableResult
    static func run(store: any StoryStore, spoolDirectory: String, now: Date, logger: Logger) -> Int {
        let reader = SpoolReader(directory: spoolDirectory)
        do {
            let entries = try reader.entries()
            guard !entries.isEmpty else { return 0 }
            let missing = Set(try store.uncommittedAlertIDs(entries.map(\.alertID)))
            guard !missing.isEmpty else { return 0 }
            var alerts: [RecoveredAlert] = []
            for entry in entries where missing.contains(entry.alertID) {
                guard let alert = try? reader.alert(at: entry), alert.id == entry.alertID else { continue }
                alerts.append(
                    RecoveredAlert(
                        id: alert.id, storyKey: alert.story, topic: alert.topic, feedID: alert.feed,
                        itemKey: alert.item.id, title: alert.item.title, summary: alert.item.summary,
                        link: alert.item.link, published: alert.item.published, detectedAt: alert.detectedAt))
            }
            let recorded = try store.recover(alerts, now: now)
            if recorded > 0 {
                logger.notice(
                    "alerts in the spool recorded in the state store",
                    metadata: ["spool.recovered": "\(recorded)"])
            }
            return recorded
        } catch {
            logger.warning("cannot reconcile the spool with the state store", metadata: ["error": "\(error)"])
            return 0
        }
    }
}
