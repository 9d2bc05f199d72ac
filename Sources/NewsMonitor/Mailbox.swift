import Foundation
import Synchronization

/// A single-consumer event queue whose ``next(until:clock:)`` also wakes at a deadline.
///
/// The scheduler sleeps in it: a finished poll, a reload or a shutdown request wakes it at once,
/// otherwise it wakes at the next due time. No polling, no fixed tick.
final class Mailbox<Event: Sendable>: Sendable {
    private struct State {
        var queue: [Event] = []
        var waiter: CheckedContinuation<Event?, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Queues `event`, waking the consumer if it waits.
    func post(_ event: Event) {
        let waiter = state.withLock { state -> CheckedContinuation<Event?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queue.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The next event; nil when `deadline` passed first or the task was cancelled.
    func next(until deadline: Date?, clock: any MonitorClock) async -> Event? {
        if let queued = takeQueued() { return queued }
        return await withTaskGroup(of: Event?.self) { group in
            group.addTask { await self.waitForEvent() }
            if let deadline {
                group.addTask {
                    try? await clock.sleep(until: deadline)
                    return nil
                }
            }
            var result: Event?
            if let first = await group.next() { result = first }
            group.cancelAll()
            // The waiter may have received an event while the timer won: never drop it.
            for await other in group where result == nil { result = other }
            return result
        }
    }

    private func takeQueued() -> Event? {
        state.withLock { state in state.queue.isEmpty ? nil : state.queue.removeFirst() }
    }

    private func waitForEvent() async -> Event? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Event?, Never>) in
                let immediate: Event?? = state.withLock { state in
                    if !state.queue.isEmpty { return .some(state.queue.removeFirst()) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
