import Synchronization

/// Stops a fetch from outside (deadline timer, task cancellation): marks it stopped and cancels the
/// exchange in flight, so no further hop starts.
final class FetchControl: Sendable {
    private struct State {
        var stop: CurlExchange.Stop?
        var exchange: CurlExchange?
    }
    private let state = Mutex(State())

    /// Stops the fetch (first reason wins).
    func stop(_ reason: CurlExchange.Stop) {
        let exchange: CurlExchange? = state.withLock { state in
            if state.stop == nil { state.stop = reason }
            return state.exchange
        }
        exchange?.cancel(reason)
    }

    /// Registers the next exchange; returns the stop reason instead when the fetch was already stopped.
    func begin(_ exchange: CurlExchange) -> CurlExchange.Stop? {
        state.withLock { state in
            if let stop = state.stop { return stop }
            state.exchange = exchange
            return nil
        }
    }

    func end() {
        state.withLock { $0.exchange = nil }
    }
}
