/// An async semaphore with two limits: fetches in flight overall, and per host.
///
/// Waiters are served first come, first served, except that a waiter whose host is full does not
/// block waiters for other hosts. A task cancelled while waiting leaves the queue and gets a
/// `CancellationError`.
package actor FetchLimiter {
    private struct Waiter {
        var id: UInt64
        var host: String?
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// Most permits out at once.
    package let globalLimit: Int
    /// Most permits out at once for one host.
    package let perHostLimit: Int

    private var inFlight = 0
    private var inFlightByHost: [String: Int] = [:]
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0

    package init(globalLimit: Int, perHostLimit: Int) {
        precondition(globalLimit > 0 && perHostLimit > 0, "concurrency limits must be at least 1")
        self.globalLimit = globalLimit
        self.perHostLimit = perHostLimit
    }

    /// Waits for a permit for `host` (nil: counts only against the global limit).
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    package func acquire(host: String?) async throws {
        // Every waiter still queued is blocked (grantWaiters runs after each release), so a newcomer that
        // can start overtakes no one who could.
        if canStart(host) {
            take(host)
            return
        }
        let id = nextID
        nextID &+= 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, host: host, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Returns a permit taken by ``acquire(host:)`` with the same host.
    package func release(host: String?) {
        inFlight -= 1
        if let host {
            let count = (inFlightByHost[host] ?? 1) - 1
            inFlightByHost[host] = count > 0 ? count : nil
        }
        grantWaiters()
    }

    /// Permits out right now: overall, and for `host`.
    package func usage(host: String) -> (global: Int, host: Int) {
        (inFlight, inFlightByHost[host] ?? 0)
    }

    private func canStart(_ host: String?) -> Bool {
        guard inFlight < globalLimit else { return false }
        guard let host else { return true }
        return (inFlightByHost[host] ?? 0) < perHostLimit
    }

    private func take(_ host: String?) {
        inFlight += 1
        if let host { inFlightByHost[host, default: 0] += 1 }
    }

    private func grantWaiters() {
        var index = 0
        while index < waiters.count, inFlight < globalLimit {
            let waiter = waiters[index]
            if canStart(waiter.host) {
                take(waiter.host)
                waiters.remove(at: index)
                waiter.continuation.resume()
            } else {
                index += 1
            }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }  // already granted
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
