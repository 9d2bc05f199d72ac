public import NewsModel
import TextNormalization

/// The fingerprint of an entry (its title and teaser, ``NewsModel/ItemText/teaser``), worked out ahead of the plan.
///
/// A fingerprint depends on the entry alone, so the pipeline works it out where the entry is fetched, parsed and
/// matched, concurrently with other feeds, and the serialized plan only looks up and decides. Worth it where
/// nearly every entry is new (a feed's first poll); elsewhere the plan works out the few it needs. The decisions
/// are the same either way.
public struct PreparedEntry: Sendable {
    let fingerprint: StoryFingerprint

    public init(_ entry: FeedEntry) {
        fingerprint = StoryFingerprint(
            titleWords: TextNormalizer.words(in: ItemIdentity.plainTitle(of: entry)), summary: entry.text.teaser)
    }
}
