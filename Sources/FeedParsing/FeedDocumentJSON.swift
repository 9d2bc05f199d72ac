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
        let f = document.feed
        var feed = JSONObjectWriter()
        feed.field("title", f.title)
        feed.field("link", f.link)
        feed.field("subtitle", f.subtitle)
        feed.field("language", f.language)
        feed.field("updated", f.updated.map(iso8601))
        let entries = document.entries.map { e in
            var entry = JSONObjectWriter()
            entry.field("title", e.title)
            entry.field("link", e.link)
            entry.field("id", e.id)
            entry.field("published", e.published.map(iso8601))
            entry.field("updated", e.updated.map(iso8601))
            entry.field("summary", e.summary)
            entry.field("content", e.content)
            entry.field("author", e.author)
            entry.field("categories", e.categories)
            entry.raw(
                "enclosures",
                JSONObjectWriter.array(
                    e.enclosures.map { enclosure in
                        var o = JSONObjectWriter()
                        o.field("url", enclosure.url)
                        o.field("type", enclosure.type)
                        o.field("length", enclosure.length)
                        return o.finish()
                    }))
            return entry.finish()
        }
        var out = JSONObjectWriter()
        out.raw("feed", feed.finish())
        out.raw("entries", JSONObjectWriter.array(entries))
        return out.finish()
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
}
