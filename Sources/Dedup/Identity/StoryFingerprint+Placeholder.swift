/// Breaking-news placeholders: an outlet's item titled only "Eilmeldung" (or "+++ EIL +++", "Breaking news", "Just
/// in") with one sentence, which the full report replaces minutes later under a new link, with a headline and a
/// teaser written afresh. The report shares the placeholder's news in other words, so no path of
/// ``StoryEvidence/isSameReport`` finds it: it *follows* the placeholder (``StoryEvidence/followsPlaceholder``), and
/// the story then carries the report's text (``followed(by:)``), so that copies of the report find it.
extension StoryFingerprint {
    /// Words a placeholder's title is made of; ``placeholderMarkers`` says which make it one.
    static let placeholderWords: Set<String> = [
        "eilmeldung", "eil", "eilt", "sondermeldung", "breaking", "news", "newsflash", "flash", "developing", "story",
        "just", "in", "alert",
    ]
    /// A title of ``placeholderWords`` is a placeholder when it carries one of these, or is "just in".
    static let placeholderMarkers: Set<String> = ["eilmeldung", "eil", "eilt", "sondermeldung", "breaking", "newsflash", "developing"]
    /// The longest placeholder title, in words.
    static let placeholderTitleWords = 4

    /// Whether normalized title words are only a breaking-news marker.
    static func isPlaceholder(_ words: [String]) -> Bool {
        guard !words.isEmpty, words.count <= placeholderTitleWords, words.allSatisfy(placeholderWords.contains) else {
            return false
        }
        return words.contains(where: placeholderMarkers.contains) || words == ["just", "in"]
    }

    /// The fingerprint of an item: its title words and raw teaser, and the outlet of its link identity
    /// (``ItemIdentity/urlIdentity``).
    init(titleWords: [String], summary: String, linkIdentity: String?) {
        self.init(titleWords: titleWords, summary: summary)
        outlet = Self.outlet(ofLinkIdentity: linkIdentity)
    }

    /// The hash of the host of a link identity (``URLCanonicalizer/identity(_:)``: no scheme, no `www.`), 0 for none.
    static func outlet(ofLinkIdentity identity: String?) -> UInt64 {
        guard let identity else { return 0 }
        let host = identity.utf8.prefix { $0 != UInt8(ascii: "/") }
        return host.isEmpty ? 0 : hash(host, seed: 0x6f75_746c)
    }

    /// This placeholder's story once the report that follows it joined it: the report's text, which copies of the
    /// report are compared with. The placeholder's one sentence is left out: its phrases would stand in every
    /// comparison's "smaller side" (a copy of a report of 34 phrases shared 14 with the report's 24, 0.58, and with
    /// both texts' 35, 0.41) and fold no copy that the report's text does not. No longer a placeholder: it takes no
    /// second report by ``StoryEvidence/followsPlaceholder``.
    func followed(by report: StoryFingerprint) -> StoryFingerprint {
        var story = report
        story.isPlaceholder = false
        story.outlet = outlet
        return story
    }
}
