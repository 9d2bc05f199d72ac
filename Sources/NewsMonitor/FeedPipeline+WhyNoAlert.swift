import Dedup
import Logging
import NewsModel

extension FeedPipeline {
    /// Logs, at info level, one line for every entry a topic matched that raises no alert, with the reason:
    /// backfilled, stale, seen before (a rotated id or a repeat in the document), the topic already alerted for
    /// its story, or the story it joined — first reported by which feed as what title, with the evidence.
    ///
    /// An unchanged entry the feed carried at an earlier poll logs at debug level: its reason was given when
    /// it was first seen, and repeating it at every poll of a busy feed would bury everything else.
    static func logSilentMatches(_ plan: DedupPlan, entries: [FeedEntry], logger: Logger) {
        for item in plan.items {
            for decision in item.topics {
                if case .raised = decision.outcome { continue }
                let level: Logger.Level = item.disposition == .seen && item.join == .knownItem ? .debug : .info
                guard logger.logLevel <= level else { continue }
                let entry = entries.indices.contains(item.entryIndex) ? entries[item.entryIndex] : nil
                let title = entry.map { $0.text.title.isEmpty ? ($0.title ?? "") : $0.text.title } ?? ""
                var metadata: Logger.Metadata = [
                    "topic": "\(decision.topic)", "item.id": "\(item.identity.key)",
                    "item.title": "\(title.prefix(120))", "story": "\(item.storyKey.prefix(12))",
                    "reason": "\(reason(item, decision.outcome))",
                ]
                if let origin = item.origin, item.join != .knownItem {
                    metadata["story.first_feed"] = "\(origin.feedID ?? "?")"
                    metadata["story.first_title"] = "\((origin.title ?? "?").prefix(120))"
                    metadata["story.joined"] = "\(item.join.description)"
                }
                logger.log(level: level, "matched item raises no alert", metadata: metadata)
            }
        }
    }

    /// The reason in words, for the log line.
    static func reason(_ item: DedupPlan.Item, _ outcome: TopicOutcome) -> String {
        switch outcome {
        case .raised:
            return "raised"
        case .raisedByEarlierEntry:
            return "another entry of this document raised the alert for its story"
        case .alreadyAlerted(_, let feedID):
            let joined: String
            switch item.join {
            case .sameText, .sameLink:
                let origin = item.origin.map { "first reported by feed \($0.feedID ?? "?") as \"\($0.title ?? "?")\"" }
                joined = "; it joined story \(item.storyKey.prefix(12)) (\(item.join.description))"
                    + (origin.map { ", " + $0 } ?? "")
            default:
                joined = ""
            }
            return "topic already alerted for its story (by feed \(feedID))" + joined
        case .notEligible:
            switch item.disposition {
            case .backfilled: return "backfilled: first poll of the feed, older than its backfill window"
            case .stale: return "stale: dated before the retention horizon"
            default: return item.join == .repeatedInDocument ? "repeated in the document" : "seen before"
            }
        }
    }
}
