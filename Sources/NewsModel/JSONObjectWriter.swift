/// Builds one JSON object with its keys in the order written: the one JSON writer behind alerts,
/// `newsmon match` and `newsmon status --json`.
///
/// ```swift
/// var o = JSONObjectWriter()
/// o.field("id", "tagesschau")
/// o.field("items", 12)
/// o.finish()  // {"id":"tagesschau","items":12}
/// ```
public struct JSONObjectWriter: Sendable {
    private var parts: [String] = []

    public init() {}

    /// A string, or `null` for nil.
    public mutating func field(_ key: String, _ value: String?) {
        raw(key, value.map(JSONText.quoted) ?? "null")
    }

    /// An integer, or `null` for nil.
    public mutating func field(_ key: String, _ value: Int?) {
        raw(key, value.map { String($0) } ?? "null")
    }

    /// `true` or `false`.
    public mutating func field(_ key: String, _ value: Bool) {
        raw(key, value ? "true" : "false")
    }

    /// An array of strings.
    public mutating func field(_ key: String, _ values: [String]) {
        raw(key, Self.array(values.map(JSONText.quoted)))
    }

    /// A value that is already JSON (a nested object or array).
    public mutating func raw(_ key: String, _ json: String) {
        parts.append(JSONText.quoted(key) + ":" + json)
    }

    /// The object: `{` fields `}`, on one line.
    public func finish() -> String { "{" + parts.joined(separator: ",") + "}" }

    /// A JSON array of values that are already JSON.
    public static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }

    /// A JSON string literal (``JSONText/quoted(_:)``).
    public static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}

extension MatchEvidence {
    /// `{"term":…,"field":…,"text":…}`, as alerts, `match` and `eval` write it.
    public var jsonObject: String {
        var object = JSONObjectWriter()
        object.field("term", term)
        object.field("field", field)
        object.field("text", text)
        return object.finish()
    }

    /// A JSON array of `evidence`.
    public static func jsonArray(_ evidence: [MatchEvidence]) -> String {
        JSONObjectWriter.array(evidence.map(\.jsonObject))
    }
}
