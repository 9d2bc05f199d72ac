import NewsModel
import Spool
import Synchronization

/// The stdout sink of `run` and `once`: clears the progress line before each alert and counts what it
/// was given, so that `once`'s summary states the number of alerts it printed.
final class ProgressAwareSink: AlertSink {
    private let output: StandardOutputSink
    private let count = Mutex(0)

    init(format: AlertOutputFormat) {
        output = StandardOutputSink(format: format)
    }

    /// Alerts delivered so far (printed, or counted only with `--output none`).
    var delivered: Int { count.withLock { $0 } }

    func deliver(_ alert: Alert) throws(SpoolError) {
        if output.format != .none { StandardError.clearProgress() }
        try output.deliver(alert)
        count.withLock { $0 += 1 }
    }
}
