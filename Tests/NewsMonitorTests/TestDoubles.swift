import NewsTestSupport
import Foundation
import Dedup
import Fetching
import Logging
import NewsModel
import Synchronization

@testable import NewsMonitor

/// A clock that moves only when the test says so.
struct ManualClock {
    var now: Date
    mutating func advance(by seconds: Double) { now = now.addingTimeInterval(seconds) }
}

extension DedupStore {
    /// A real store in memory: the scheduler tests need records, the pipeline tests dedup.
    static func inMemory() throws -> DedupStore { try DedupStore(path: ":memory:") }
}

extension FetchResult {
    /// What a fetcher answers to `request` (tests).
    static func answer(
        _ request: FetchRequest, _ outcome: FetchOutcome, status: Int? = nil, movedTo: String? = nil
    ) -> FetchResult {
        FetchResult(
            feedID: request.feedID, requestedURL: request.url, outcome: outcome,
            permanentRedirect: movedTo.flatMap(URL.init(string:)), status: status)
    }

    /// A 200 with `body`.
    static func content(_ request: FetchRequest, _ body: [UInt8], etag: String? = nil) -> FetchResult {
        answer(request, .content(body: body, charset: nil, etag: etag, lastModified: nil), status: 200)
    }
}

/// A fetcher that answers from a closure and records every call.
final class ScriptedFetcher: FeedFetcher {
    struct Call: Sendable { var feedID: String; var at: Date }
    let calls = Mutex<[Call]>([])
    let concurrent = Mutex<(now: Int, peak: Int)>((0, 0))
    let answer: @Sendable (FetchRequest) async -> FetchResult
    let delay: Duration

    init(
        delay: Duration = .zero,
        answer: @escaping @Sendable (FetchRequest) async -> FetchResult = { .answer($0, .notModified) }
    ) {
        self.delay = delay
        self.answer = answer
    }

    func fetch(_ request: FetchRequest, logger: Logger) async -> FetchResult {
        calls.withLock { $0.append(Call(feedID: request.feedID, at: Date())) }
        concurrent.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
        defer { concurrent.withLock { $0.now -= 1 } }
        if delay > .zero { try? await Task.sleep(for: delay) }
        return await answer(request)
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
