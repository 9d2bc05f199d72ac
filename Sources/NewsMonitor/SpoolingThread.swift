import Foundation
import NewsModel
import Spool

/// A delivery's spool writes (``Spool/SpoolWriter/write(batch:)``) on a thread of their own, waited for once: they
/// spend most of their time in fsyncs, which the delivery's thread overlaps with writing the plan to the store.
/// Not `onThread`, or without alerts, they are written at once, on the caller's thread, and no thread starts.
final class SpoolingThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the thread before it signals `done`, read only after waiting for it.
    private var result: (outcomes: [SpoolWriter.Outcome], failure: SpoolError?) = ([], nil)
    private let isStarted: Bool

    init(spool: SpoolWriter, alerts: [Alert], timings: PollTimings, onThread: Bool) {
        isStarted = onThread && !alerts.isEmpty
        guard isStarted else {
            result = timings.measure(\.spool) { spool.write(batch: alerts) }
            return
        }
        let thread = Thread { [self] in
            result = timings.measure(\.spool) { spool.write(batch: alerts) }
            done.signal()
        }
        thread.name = "newsmon-spool"
        thread.start()
    }

    /// The outcome of each alert written, up to the first failure, and that failure. Call it once.
    func wait() -> (outcomes: [SpoolWriter.Outcome], failure: SpoolError?) {
        if isStarted { done.wait() }
        return result
    }
}
