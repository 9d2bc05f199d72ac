#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
public import NewsModel

/// How alerts are printed on standard output.
public enum AlertOutputFormat: String, Sendable, Hashable, CaseIterable {
    /// One line per alert: `time [topic] feed: title <link>`, sanitized for terminals.
    case text
    /// JSON Lines: the schema-1 alert object, one per line.
    case json
    /// Nothing.
    case none
}

/// Prints alerts on standard output (or any line writer) in one ``AlertOutputFormat``.
public struct StandardOutputSink: AlertSink {
    /// The format printed.
    public let format: AlertOutputFormat
    private let writeLine: @Sendable (String) throws(SpoolError) -> Void

    /// - Parameters:
    ///   - format: How to print each alert.
    ///   - writeLine: Receives each line including its newline. The default writes to file
    ///     descriptor 1 with one `write(2)` per line, so lines never interleave or wait in a buffer.
    public init(
        format: AlertOutputFormat,
        writeLine: @escaping @Sendable (String) throws(SpoolError) -> Void = StandardOutputSink.writeToStandardOutput
    ) {
        self.format = format
        self.writeLine = writeLine
    }

    public func deliver(_ alert: Alert) throws(SpoolError) {
        switch format {
        case .none: return
        case .json: try writeLine(AlertCoding.encode(alert) + "\n")
        case .text: try writeLine(Self.textLine(alert) + "\n")
        }
    }

    /// `2022-01-12T10:15:03Z [topic] feed: title <link>`, every field sanitized with
    /// ``NewsModel/TerminalText``, the title cut to ``NewsModel/TerminalText/titleWidth``.
    public static func textLine(_ alert: Alert) -> String {
        let time = alert.detectedAt.formatted(.iso8601)
        let topic = TerminalText.sanitize(alert.topic, maxLength: TerminalText.valueWidth)
        let feed = TerminalText.sanitize(alert.feed, maxLength: TerminalText.valueWidth)
        var line = "\(time) [\(topic)] \(feed): "
        line += TerminalText.sanitize(alert.item.title, maxLength: TerminalText.titleWidth)
        if let link = alert.item.link, !link.isEmpty {
            line += " <\(TerminalText.sanitize(link, maxLength: TerminalText.valueWidth))>"
        }
        return line
    }

    /// Writes a line to file descriptor 1, retrying short writes.
    @Sendable public static func writeToStandardOutput(_ line: String) throws(SpoolError) {
        var failure: Int32?
        Array(line.utf8).withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if let failure { throw SpoolError.system("write", path: "<stdout>", errno: failure) }
    }
}
