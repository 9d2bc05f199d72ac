public import Dedup
public import Foundation
public import NewsModel

/// The production ``MonitorStore``: the SQLite ``Dedup/DedupStore`` under the state directory.
public final class DedupMonitorStore: MonitorStore {
    /// The underlying store.
    public let store: DedupStore

    public init(store: DedupStore) {
        self.store = store
    }

    /// Opens (creating) `<stateDirectory>/state.sqlite`, creating the directory when missing.
    ///
    /// - Throws: ``MonitorError`` with code ``MonitorError/Code/state``.
    public static func open(stateDirectory: String, configuration: DedupConfiguration) throws(MonitorError)
        -> DedupMonitorStore
    {
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw MonitorError(code: .state, message: "\(stateDirectory): cannot create the state directory: \(error)")
        }
        do {
            return DedupMonitorStore(store: try DedupStore(path: stateDirectory + "/state.sqlite", configuration: configuration))
        } catch {
            throw MonitorError(code: .state, message: "cannot open the state store: \(error)", cause: error)
        }
    }

    public func feedState(id: String) throws -> StoredFeedState? { try store.feedState(id: id) }
    public func saveFeedState(_ record: StoredFeedState) throws { try store.saveFeedState(record) }
    public func allFeedStates() throws -> [StoredFeedState] { try store.allFeedStates() }

    public func plan(feed: FeedSource, entries: [FeedEntry], topics: [[String]], now: Date) throws -> AlertPlan {
        let plan = try store.plan(feed: feed, entries: entries, topics: topics, now: now)
        let items = Dictionary(plan.items.map { ($0.entryIndex, $0) }, uniquingKeysWith: { a, _ in a })
        let alerts = plan.alerts.map { alert in
            AlertToRaise(
                alertID: alert.id, storyKey: alert.storyKey, topicID: alert.topic, entryIndex: alert.entryIndex,
                itemID: items[alert.entryIndex]?.identity.key ?? alert.storyKey)
        }
        return AlertPlan(alerts: alerts, token: plan)
    }

    public func commit(_ plan: AlertPlan) throws {
        guard let dedupPlan = plan.token as? DedupPlan else {
            preconditionFailure("DedupMonitorStore.commit got a plan it did not make")
        }
        try store.commit(dedupPlan)
    }

    public func prune(now: Date) throws {
        try store.prune(now: now)
    }
}
