#if canImport(Glibc)
@preconcurrency import Glibc
#endif
public import Foundation
public import Logging
import NewsModel

/// Log lines on stderr: `2026-11-29T12:00:00Z warning newsmon: message feed.id=x error=…`.
///
/// The message and every metadata value pass through ``NewsModel/TerminalText`` (cut to
/// ``NewsModel/TerminalText/valueWidth``): a server's `Location`, an error or a title can neither
/// drive the terminal nor split a line in the journal.
///
/// Under journald (`JOURNAL_STREAM` set) the timestamp is left out — the journal has its own —
/// and each line starts with a syslog priority prefix (`<4>`) so `journalctl -p` works.
/// Bootstrapped once by the executable; libraries only receive `Logger` values.
public struct NewsmonLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let isJournal: Bool

    /// - Parameters:
    ///   - label: The logger label.
    ///   - level: The lowest level printed.
    ///   - isJournal: Whether stderr is connected to journald (the caller checks `JOURNAL_STREAM`).
    public init(label: String, level: Logger.Level, isJournal: Bool) {
        self.label = label
        self.logLevel = level
        self.isJournal = isJournal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.format(
            level: event.level, label: label, message: "\(event.message)", metadata: merged,
            timestamp: isJournal ? nil : Date())
        let text = (isJournal ? "<\(Self.syslogPriority(event.level))>" : "") + line + "\n"
        text.withCString { pointer in _ = write(2, pointer, strlen(pointer)) }
    }

    /// One log line without its newline; `timestamp` nil leaves the time out.
    public static func format(
        level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, timestamp: Date?
    ) -> String {
        var parts: [String] = []
        if let timestamp { parts.append(timestamp.formatted(.iso8601)) }
        parts.append(level.rawValue)
        parts.append(label + ":")
        parts.append(TerminalText.sanitize(message, maxLength: TerminalText.valueWidth))
        for key in metadata.keys.sorted() {
            let value = TerminalText.sanitize("\(metadata[key]!)", maxLength: TerminalText.valueWidth)
            let needsQuotes = value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            parts.append(key + "=" + (needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value))
        }
        return parts.joined(separator: " ")
    }

    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
