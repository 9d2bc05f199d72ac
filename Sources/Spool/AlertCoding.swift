public import Foundation
public import NewsModel

/// The JSON form of an alert, schema version 1 (docs/spool-format.md): snake_case keys,
/// ISO-8601 UTC dates without fractional seconds, a summary of at most 500 characters.
public enum AlertCoding {
    /// The schema version this build writes and reads.
    public static let schemaVersion = 1
    /// The longest summary kept, in characters.
    public static let maximumSummaryLength = 500

    /// One alert as a single line of JSON (no trailing newline), keys in the order of docs/spool-format.md,
    /// absent optional values as `null`.
    ///
    /// The output is deterministic: the same alert always gives the same bytes.
    public static func encode(_ alert: Alert) throws(SpoolError) -> String {
        let alert = normalized(alert)
        var o = JSONObjectWriter()
        o.field("version", alert.version)
        o.field("id", alert.id)
        o.field("topic", alert.topic)
        o.field("topic_title", alert.topicTitle)
        o.field("detected_at", iso8601(alert.detectedAt))
        o.field("feed", alert.feed)
        o.field("feed_url", alert.feedURL)
        var item = JSONObjectWriter()
        item.field("title", alert.item.title)
        item.field("link", alert.item.link)
        item.field("id", alert.item.id)
        item.field("published", alert.item.published.map(iso8601))
        item.field("summary", alert.item.summary)
        o.raw("item", item.finish())
        o.raw("why", MatchEvidence.jsonArray(alert.why))
        o.field("story", alert.story)
        o.raw("also_in", "[" + alert.alsoIn.map(JSONObjectWriter.quoted).joined(separator: ",") + "]")
        return o.finish()
    }

    /// `2022-01-12T10:15:03Z`. By hand (``NewsModel/CivilDate``): `Date.ISO8601FormatStyle` sets up ICU's time
    /// zone data for its UTC zone, about 0.5 MB of peak RSS for a poll that alerts.
    public static func iso8601(_ date: Date) -> String {
        CivilDate.iso8601(date)
    }

    /// Decodes one alert written by ``encode(_:)``.
    ///
    /// - Throws: ``SpoolError`` with code ``SpoolError/Code/decoding`` for other JSON or another version.
    public static func decode(_ bytes: Data, path: String? = nil) throws(SpoolError) -> Alert {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let alert: Alert
        do {
            alert = try decoder.decode(Alert.self, from: bytes)
        } catch {
            throw SpoolError(code: .decoding, message: "not an alert: \(Self.reason(error))", path: path)
        }
        guard alert.version == schemaVersion else {
            throw SpoolError(code: .decoding, message: "unsupported alert version \(alert.version)", path: path)
        }
        return alert
    }

    /// A short reason for a decoding failure: what is wrong and where (`missing "id"`, `"topic" is not a string`).
    static func reason(_ error: any Error) -> String {
        func at(_ path: [any CodingKey]) -> String {
            guard !path.isEmpty else { return "the top level" }
            var text = ""
            for key in path {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return "\"" + text + "\""
        }
        switch error as? DecodingError {
        case .dataCorrupted(let context) where context.codingPath.isEmpty: return "not valid JSON"
        case .dataCorrupted(let context): return "\(at(context.codingPath)) is malformed"
        case .keyNotFound(let key, let context): return "missing \(at(context.codingPath + [key]))"
        case .typeMismatch(let type, let context): return "\(at(context.codingPath)) is not \(type == String.self ? "a string" : "a \(type)")"
        case .valueNotFound(_, let context): return "\(at(context.codingPath)) is null"
        default: return "\(error)"
        }
    }

    /// The alert as it is written: version set, dates whole seconds, summary cut to 500 characters.
    public static func normalized(_ alert: Alert) -> Alert {
        var alert = alert
        alert.version = schemaVersion
        alert.detectedAt = wholeSeconds(alert.detectedAt)
        alert.feedURL = URLCredentials.stripped(alert.feedURL)  // spool readers never see a password
        alert.item.published = alert.item.published.map(wholeSeconds)
        if alert.item.summary.count > maximumSummaryLength {
            alert.item.summary = String(alert.item.summary.prefix(maximumSummaryLength - 1)) + "…"
        }
        return alert
    }

    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
