import Dispatch
public import Foundation
import Synchronization

/// Wall-clock time and sleeping, injected so that tests control them.
public protocol MonitorClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Sleeps until `deadline`; throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The system clock.
///
/// Its sleep is a Dispatch timer that is cancelled with the task, not `Task.sleep`: a cancelled
/// `Task.sleep` keeps its timer and a task object (about 600 bytes) until the original deadline. The
/// scheduler's sleep is cancelled at every finished poll and every reload (``Mailbox``), and its
/// deadline can be minutes away, so those would pile up (docs/performance.md, "Memory over time").
public struct SystemMonitorClock: MonitorClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else {
            try Task.checkCancellation()
            return
        }
        let sleep = CancellableSleep()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                sleep.start(continuation, after: seconds)
            }
        } onCancel: {
            sleep.finish(throwing: CancellationError())
        }
    }
}

/// One sleep: a Dispatch timer that resumes the sleeper, or a cancellation that resumes it early and
/// frees the timer at once.
private final class CancellableSleep: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, any Error>?
        nonisolated(unsafe) var timer: (any DispatchSourceTimer)?
        var isFinished = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Void, any Error>, after seconds: Double) {
        let isCancelled = state.withLock { state in
            guard !state.isFinished else { return true }
            state.continuation = continuation
            return false
        }
        guard !isCancelled else {
            continuation.resume(throwing: CancellationError())
            return
        }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(Int((seconds * 1000).rounded(.up))))
        timer.setEventHandler { [self] in finish(throwing: nil) }
        // Activated before anything can drop it: libdispatch crashes on releasing an inactive source.
        timer.activate()
        let isArmed = state.withLock { state in
            guard !state.isFinished else { return false }
            state.timer = timer
            return true
        }
        if !isArmed { timer.cancel() }
    }

    /// Resumes the sleeper (once) and cancels the timer, which releases it and its handler.
    func finish(throwing error: (any Error)?) {
        let (continuation, timer) = state.withLock { state in
            defer { (state.continuation, state.timer, state.isFinished) = (nil, nil, true) }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        if let error { continuation?.resume(throwing: error) } else { continuation?.resume() }
    }
}
