import NewsModel

/// Teasers an outlet puts on unrelated items: its boilerplate ("Lesen Sie hier alle aktuellen Entwicklungen zum Thema
/// in unserem Liveblog nach.", "Read the full story on our website."), found in the feed's document itself.
///
/// A teaser is boilerplate when the document carries it, word for word, on ``minimumTitles`` or more items under as
/// many different titles. A report's own teaser comes back under a new title at most once or twice in a document (a
/// breaking-news item, "Eilmeldung", then its headline; an update under a new link). Decided from the document alone,
/// so a document gives the same answer whatever the store holds or lost (``StoryEvidence/hasBoilerplateTeaser``).
enum BoilerplateTeasers {
    /// Different titles under one teaser that make it boilerplate.
    static let minimumTitles = 3

    /// For each entry, whether its teaser is its document's boilerplate.
    static func flags(_ entries: [FeedEntry]) -> [Bool] {
        // Per teaser: the first title seen under it, and how many different titles (counted up to the minimum).
        var seen: [String: (title: String, titles: Int, others: Set<String>)] = [:]
        for entry in entries {
            let teaser = entry.text.teaser
            guard !teaser.isEmpty else { continue }
            let title = Self.title(entry)
            if var known = seen[teaser] {
                guard known.titles < minimumTitles, title != known.title, known.others.insert(title).inserted else { continue }
                known.titles += 1
                seen[teaser] = known
            } else {
                seen[teaser] = (title, 1, [])
            }
        }
        guard seen.values.contains(where: { $0.titles >= minimumTitles }) else {
            return [Bool](repeating: false, count: entries.count)
        }
        return entries.map { entry in
            let teaser = entry.text.teaser
            return !teaser.isEmpty && (seen[teaser]?.titles ?? 0) >= minimumTitles
        }
    }

    private static func title(_ entry: FeedEntry) -> String {
        entry.text.title.isEmpty ? (entry.title ?? "") : entry.text.title
    }
}
