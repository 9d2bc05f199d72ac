#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import NewsModel

/// Renders a ``NewsModel/FeedDocument`` as the JSON object of `newsmon parse`
/// (the schema of the shared conformance corpus): `feed` {title, link, subtitle, language, updated}
/// and `entries` [{title, link, id, published, updated, summary, content, author, categories,
/// enclosures}], dates ISO-8601 UTC, absent values `null`.
public enum FeedDocumentJSON {
    /// One JSON object, no trailing newline.
    public static func render(_ document: FeedDocument) -> String {
        var out = "{\"feed\":{"
        let f = document.feed
        out += "\"title\":" + string(f.title) + ",\"link\":" + string(f.link) + ",\"subtitle\":" + string(f.subtitle)
        out += ",\"language\":" + string(f.language) + ",\"updated\":" + string(f.updated.map(iso8601))
        out += "},\"entries\":["
        for (k, e) in document.entries.enumerated() {
            if k > 0 { out += "," }
            out += "{\"title\":" + string(e.title) + ",\"link\":" + string(e.link) + ",\"id\":" + string(e.id)
            out += ",\"published\":" + string(e.published.map(iso8601)) + ",\"updated\":" + string(e.updated.map(iso8601))
            out += ",\"summary\":" + string(e.summary) + ",\"content\":" + string(e.content) + ",\"author\":" + string(e.author)
            out += ",\"categories\":[" + e.categories.map { string($0) }.joined(separator: ",") + "]"
            out += ",\"enclosures\":["
            out += e.enclosures.map { "{\"url\":" + string($0.url) + ",\"type\":" + string($0.type) + ",\"length\":" + string($0.length) + "}" }
                .joined(separator: ",")
            out += "]}"
        }
        out += "]}"
        return out
    }

    /// `2022-01-12T10:15:03Z` (seconds precision, UTC).
    public static func iso8601(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        var days = t / 86_400
        var secs = t % 86_400
        if secs < 0 { secs += 86_400; days -= 1 }
        // Civil from days (H. Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
    }

    static func string(_ value: String?) -> String {
        guard let value else { return "null" }
        var out = [UInt8]()
        out.reserveCapacity(value.utf8.count + 2)
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
