import Logging
import NewsMonitor

/// ``NewsMonitor/NewsmonLogHandler`` behind ``StandardError``: each log line clears the progress line first.
struct CommandLogHandler: LogHandler {
    private var inner: NewsmonLogHandler

    init(label: String, level: Logger.Level, isJournal: Bool) {
        inner = NewsmonLogHandler(label: label, level: level, isJournal: isJournal)
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        StandardError.clearProgress()
        inner.log(event: event)
    }
}
