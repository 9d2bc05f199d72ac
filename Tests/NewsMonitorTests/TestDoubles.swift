import NewsTestSupport
import Foundation
import Dedup
import Logging
import NewsModel
import Synchronization

@testable import NewsMonitor

/// A clock that moves only when the test says so.
struct ManualClock {
    var now: Date
    mutating func advance(by seconds: Double) { now = now.addingTimeInterval(seconds) }
}

/// State kept in memory: the scheduler tests need records, not dedup.
final class MemoryStore: MonitorStore {
    let records = Mutex<[String: StoredFeedState]>([:])
    let committed = Mutex<[AlertToRaise]>([])

    func feedState(id: String) throws -> StoredFeedState? { records.withLock { $0[id] } }
    func saveFeedState(_ record: StoredFeedState) throws { records.withLock { $0[record.feedID] = record } }
    func allFeedStates() throws -> [StoredFeedState] { records.withLock { Array($0.values) } }

    /// One alert per (entry, topic) not committed before; ids are deterministic.
    func plan(feed: FeedSource, entries: [FeedEntry], topics: [[String]], now: Date) throws -> AlertPlan {
        let done = Set(committed.withLock { $0.map(\.alertID) })
        var alerts: [AlertToRaise] = []
        for (index, ids) in topics.enumerated() {
            for topic in ids {
                let item = entries[index].id ?? entries[index].link ?? "item\(index)"
                let id = "a" + String(UInt64(truncatingIfNeeded: (feed.id + item + topic).utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }), radix: 16)
                if !done.contains(id) {
                    alerts.append(AlertToRaise(alertID: id, storyKey: item, topicID: topic, entryIndex: index, itemID: item))
                }
            }
        }
        return AlertPlan(alerts: alerts, token: alerts)
    }

    let prunes = Mutex<Int>(0)
    func prune(now: Date) throws { prunes.withLock { $0 += 1 } }

    func commit(_ plan: AlertPlan) throws {
        committed.withLock { $0.append(contentsOf: plan.token as! [AlertToRaise]) }
    }
}

/// A fetcher that answers from a table and records every call.
final class ScriptedFetcher: FeedFetching {
    struct Call: Sendable { var feedID: String; var at: Date }
    let calls = Mutex<[Call]>([])
    let concurrent = Mutex<(now: Int, peak: Int)>((0, 0))
    let outcome: @Sendable (FeedFetchRequest) -> FeedFetchOutcome
    let delay: Duration

    init(delay: Duration = .zero, outcome: @escaping @Sendable (FeedFetchRequest) -> FeedFetchOutcome = { _ in .notModified() }) {
        self.delay = delay
        self.outcome = outcome
    }

    func fetch(_ request: FeedFetchRequest, logger: Logger) async -> FeedFetchOutcome {
        calls.withLock { $0.append(Call(feedID: request.feed.id, at: Date())) }
        concurrent.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
        defer { concurrent.withLock { $0.now -= 1 } }
        if delay > .zero { try? await Task.sleep(for: delay) }
        return outcome(request)
    }

    func count(_ feedID: String) -> Int { calls.withLock { $0.filter { $0.feedID == feedID }.count } }
}

/// Collects sd_notify messages in memory.
final class RecordingNotifier: ServiceNotifier {
    let messages = Mutex<[String]>([])
    func notify(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
}

extension Logger {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A ``MonitorClock`` that moves only when the test calls ``advance(by:)``; sleepers wake then.
final class ManualMonitorClock: MonitorClock {
    private struct Sleeper {
        var id: Int
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextID = 0
        var sleepers: [Sleeper] = []
    }

    private let state: Mutex<State>

    init(now: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        state = Mutex(State(now: now))
    }

    func now() -> Date { state.withLock { $0.now } }

    /// Sleepers currently waiting (the scheduler waits in one while idle).
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    if deadline <= state.now { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                switch resumeNow {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by seconds: Double) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// Waits (in real time, generously) until `condition` holds; false on timeout.
func eventually(timeout: Double = 30, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
