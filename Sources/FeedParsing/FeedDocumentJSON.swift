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
        CivilDate.iso8601(date)
    }
}
