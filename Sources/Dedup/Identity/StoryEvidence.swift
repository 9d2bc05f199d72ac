/// Why a new item is (or is not) a copy of a known story: the measured overlaps and the decision.
///
/// Only *informative* phrases count: a phrase carried by ``StoryIndex/commonPhraseStories`` or more
/// stories in the window (an agency background sentence, an outlet's boilerplate, "sagte ein Sprecher")
/// identifies nothing and is left out on both sides.
public struct StoryEvidence: Sendable, Hashable {
    /// Shared informative teaser phrases / the smaller side's informative phrases; nil when either side
    /// has fewer than ``minimumBodyPhrases`` (no teaser, or only common phrases).
    public var body: Double?
    /// The larger of: the share of this item's informative lead phrases found in the story's teaser, and
    /// the other way round.
    public var lead: Double
    /// Shared title word pairs / the shorter title's; 0 when the title recurs (see ``isRecurringTitle``).
    public var title: Double
    /// Informative teaser phrases shared.
    public var sharedBody: Int
    /// Title word pairs shared.
    public var sharedTitle: Int
    /// The smaller of the two lead shares (each lead found in the other teaser).
    public var leadBoth: Double
    /// Shared informative content words / the smaller side's; nil when either side has fewer than
    /// ``minimumSharedWords``.
    public var words: Double?
    /// Informative content words shared.
    public var sharedWords: Int
    /// For an item with no teaser to compare (headline only, or a teaser of boilerplate): whether the story
    /// carries every informative word of its headline, at least ``minimumHeadlineWords`` of them.
    public var headlineCovered = false
    /// Headline figures both carry that few stories in the window carry ("80.430 Neuinfektionen", "7939 Festnahmen").
    public var sharedFigures = 0
    /// The two cannot be one report: they are half a day apart or more and their titles carry figures, none
    /// shared (daily case counts, quarterly results), or both name their day ("heute", "am Morgen") and are
    /// ``dayConflictHours`` apart or more, or they name different weekdays, or their
    /// datelines name different places: the same template about another day or place; or one is
    /// an entry of live coverage and the other is not (a live blog summarises reports, it copies none).
    /// Never the same report.
    public var hasConflict: Bool
    /// The title is one that recurs with other content: the same title on two or more stories, or on an
    /// earlier item of the same feed with another link ("Die Lage am Morgen", "Live updates").
    public var isRecurringTitle: Bool
    /// The item's teaser is its feed's boilerplate (``BoilerplateTeasers``). An outlet puts one teaser on unrelated
    /// items ("Lesen Sie hier alle aktuellen Entwicklungen zum Thema in unserem Liveblog nach."): its phrases are
    /// common once three stories carry it, but the first items that carry it would fold into one story by it, and
    /// then never make it common. So such an item is a copy of a story of its own feed (``isSameFeed``) by teaser or
    /// words only under a title that shares ``boilerplateTitle`` of its word pairs.
    public var hasBoilerplateTeaser = false
    /// The story's first report is from the item's feed. An outlet reuses its own text in its other reports: a
    /// template ("Lebenslang für Mord an …" from another court), the background paragraph of each development of one
    /// event. Its own update of a report keeps the report's lead; its other reports do not. So within one feed the
    /// words path also needs ``sameFeedWordsLead`` of one lead found in the other teaser.
    public var isSameFeed = false
    /// The item is the report that replaces an outlet's breaking-news placeholder (``StoryFingerprint/isPlaceholder``):
    /// ``isPlaceholderFollowUp(_:of:sharedWords:storyWords:hoursAfter:)``.
    public var followsPlaceholder = false

    static let minimumBodyPhrases = 3
    static let minimumSharedWords = 6
    /// A headline alone identifies a report by this many informative words, all found in the story's title
    /// and teaser.
    static let minimumHeadlineWords = 3
    /// Shared informative words a shared rare headline figure needs beside it.
    static let minimumFigureWords = 5
    /// The share of title word pairs an item with its feed's boilerplate teaser needs for its teaser or words to make
    /// it a copy of a story of the same feed (``hasBoilerplateTeaser``).
    static let boilerplateTitle = 0.4
    /// The share of one lead in the other teaser that the words path needs within one feed (``isSameFeed``): what an
    /// outlet's update of its own report keeps.
    static let sameFeedWordsLead = 0.5
    /// Items this many hours apart with no headline figure in common are not one report: an update within
    /// hours may change every figure ("mindestens 12 Tote" → "15 Tote"); a daily report a day later does too.
    static let figureConflictHours = 12.0
    /// Two reports that each name their day ("heute", "am Morgen", "this morning": ``StoryFingerprint/namesItsDay``)
    /// this many hours apart or more are about different days: the same template on the next morning. Not 12: a
    /// copy in the evening of a morning's report that says "heute" is the same day's report.
    static let dayConflictHours = 18.0
    /// How long after its placeholder a report may follow it.
    static let placeholderHours = 3.0
    /// Informative content words a report shares with the placeholder it follows, at least, and at least a third of
    /// the placeholder's.
    static let minimumPlaceholderWords = 3

    /// Whether `item` is the report that replaces the breaking-news placeholder `story`: not a placeholder itself,
    /// from the same outlet (the host of its link: a sister feed's copy counts), published after it within
    /// ``placeholderHours``, and carrying at least ``minimumPlaceholderWords`` of the placeholder's informative
    /// content words, a third of them or more. The placeholder's one sentence and the report's headline and lead
    /// name the same news in other words ("Das Treffen des Nato-Russland-Rats ist ohne Annäherung zu Ende
    /// gegangen." / "Nato-Russland-Rat: Keine Annäherung in Brüssel"). A placeholder takes one report
    /// (``StoryFingerprint/followed(by:)``).
    static func isPlaceholderFollowUp(
        _ item: StoryFingerprint, of story: StoryFingerprint, sharedWords: Int, storyWords: Int, hoursAfter: Double
    ) -> Bool {
        story.isPlaceholder && !item.isPlaceholder && item.outlet != 0 && item.outlet == story.outlet
            && hoursAfter >= 0 && hoursAfter <= placeholderHours && sharedWords >= minimumPlaceholderWords
            && 3 * sharedWords >= storyWords && !hasConflict(item, story, hoursApart: hoursAfter)
    }

    /// "score 0.82: teaser 0.90 (14 phrases), lead 1.00, title 0.75 (3 pairs)".
    public var description: String {
        func f(_ x: Double) -> String {
            let hundredths = Int((x * 100).rounded())
            return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        }
        var parts = ["score \(f(score)):"]
        if let body { parts.append("teaser \(f(body)) (\(sharedBody) phrases),") } else { parts.append("no teaser to compare,") }
        parts.append("lead \(f(lead)),")
        parts.append(isRecurringTitle ? "title recurring" : "title \(f(title)) (\(sharedTitle) pairs)")
        if followsPlaceholder { parts.append("(follows the outlet's breaking-news placeholder, \(sharedWords) words)") }
        var text = parts.joined(separator: " ")
        if !sharedTerms.isEmpty { text += "; shared: " + sharedTerms.joined(separator: ", ") }
        return text
    }

    /// Some of the words the two share, for people reading the evidence (the decision never uses them).
    public var sharedTerms: [String] = []

    /// The decision: the same report. Never with a conflict (``hasConflict``). Otherwise one of:
    ///
    /// - *words* (a heavily edited agency copy): six shared informative content words or more, 60 % of the
    ///   smaller side; titles sharing half their word pairs or a tenth of each lead found in the other teaser;
    ///   a fifth of one lead in the other teaser and 30 % of the shorter teaser shared (when both have one);
    /// - *phrases*: at least three shared informative phrases covering half of the shorter teaser, half of one
    ///   lead found in the other teaser (a fifth of each), and either titles that share 40 % of their word
    ///   pairs, teasers that share 80 % (ten phrases or more), or leads that share three quarters both ways
    ///   (eight phrases or more: a copy under a new title);
    /// - *title* (no teaser to compare): titles that share 80 % of their word pairs, at least three of them,
    ///   and a title that does not recur;
    /// - *figures* (a heavily edited copy of a report in figures: "RKI: Sieben-Tage-Inzidenz steigt auf 407,5" /
    ///   "Corona-Inzidenz steigt auf 407,5", whose template sentences many stories share): a rare headline figure
    ///   in common, five shared informative words or more, 40 % of the smaller side, under half a day apart;
    /// - *headline* (the item has no teaser to compare: headline only, "Weitere Informationen folgen."): every
    ///   informative word of its headline, three or more, is in the story's title or teaser ("Norwegen:
    ///   Unterseekabel nach Spitzbergen beschädigt"; a second cable cut elsewhere names another place).
    ///   Half a day apart or more, never (a headline alone cannot tell the next day's report apart);
    /// - *placeholder* (``followsPlaceholder``): the report that replaces its outlet's breaking-news placeholder.
    ///
    /// An item whose teaser is its feed's boilerplate, compared with a story of the same feed
    /// (``hasBoilerplateTeaser``), also needs titles that share 40 % of their word pairs for the words and phrases paths;
    /// any item compared with a story of its own feed (``isSameFeed``) needs half of one lead in the other teaser for
    /// the words path.
    public var isSameReport: Bool {
        if hasConflict { return false }
        if followsPlaceholder { return true }
        let teaserDecides = !(hasBoilerplateTeaser && isSameFeed) || title >= Self.boilerplateTitle
        let keepsLead = !isSameFeed || lead >= Self.sameFeedWordsLead
        if teaserDecides, keepsLead, let words, sharedWords >= Self.minimumSharedWords, words >= 0.6,
            title >= 0.5 || leadBoth >= 0.1, lead >= 0.2 || body == nil, (body ?? 1) >= 0.3
        {
            return true
        }
        if sharedFigures >= 1, sharedWords >= Self.minimumFigureWords, (words ?? 0) >= 0.4 { return true }
        if let body {
            return teaserDecides && sharedBody >= 3 && body >= 0.5 && lead >= 0.5 && leadBoth >= 0.2
                && (title >= 0.4 || (body >= 0.8 && sharedBody >= 10) || (leadBoth >= 0.75 && sharedBody >= 8))
        }
        if !isRecurringTitle && sharedTitle >= 3 && title >= 0.8 { return true }
        return headlineCovered && !isRecurringTitle
    }

    /// Orders candidates that are the same report: teaser overlap first, then lead and title.
    public var score: Double {
        if let body { return 0.4 * body + 0.2 * lead + 0.2 * title + 0.2 * (words ?? 0) }
        return 0.6 * title + 0.2 * (words ?? 0)
    }

    /// How many of a story's teaser phrases, lead phrases and content words are informative (not common).
    struct InformativeCounts {
        var body: Int
        var lead: Int
        var words: Int
    }

    /// Compares a new item's fingerprint with a story's.
    ///
    /// - Parameters:
    ///   - isCommon: Whether a teaser phrase is carried by so many stories that it identifies nothing.
    ///   - isRecurringTitle: Whether the titles are equal as recurring titles are (decided by the index).
    static func compare(
        _ item: StoryFingerprint, informativeBody: [UInt64], informativeLead: [UInt64], informativeWords: [UInt64],
        informativeHeadline: [UInt64] = [], informativeFigures: [UInt64] = [], with story: StoryFingerprint,
        hoursApart: Double, isCommon: (UInt64) -> Bool,
        isCommonWord: (UInt64) -> Bool, isRecurringTitle: Bool
    ) -> StoryEvidence {
        let counts = InformativeCounts(
            body: story.body.count { !isCommon($0) }, lead: story.leadPhrases.count { !isCommon($0) },
            words: story.words.count { !isCommonWord($0) })
        return compare(
            item, informativeBody: informativeBody, informativeLead: informativeLead, informativeWords: informativeWords,
            informativeHeadline: informativeHeadline, informativeFigures: informativeFigures, with: story,
            informative: counts, hoursApart: hoursApart, isRecurringTitle: isRecurringTitle)
    }

    /// Whether the item could be the same report as the story for some informative counts of the story: what
    /// ``isSameReport`` requires that does not depend on them (no conflict, and the shared words, figures, title
    /// pairs, item lead or headline one of its paths needs). When false, ``compare(_:informativeBody:informativeLead:informativeWords:informativeHeadline:informativeFigures:with:informative:hoursApart:isRecurringTitle:)``
    /// would decide "not the same report" whatever the counts, so the finder skips looking them up.
    static func mayBeSameReport(
        _ item: StoryFingerprint, informativeBody: [UInt64], informativeLead: [UInt64], informativeWords: [UInt64],
        informativeHeadline: [UInt64], informativeFigures: [UInt64], with story: StoryFingerprint, hoursApart: Double,
        isRecurringTitle: Bool
    ) -> Bool {
        if hasConflict(item, story, hoursApart: hoursApart) { return false }
        let sharedWords = Self.sharedCount(informativeWords, story.words)
        // Words path; figures path.
        if sharedWords >= minimumSharedWords { return true }
        if sharedWords >= minimumFigureWords, hoursApart < figureConflictHours,
            Self.sharedCount(informativeFigures, story.numbers) >= 1
        {
            return true
        }
        // Phrases path: three shared phrases and a fifth of the item's lead in the story's teaser (`leadBoth`).
        if Self.sharedCount(informativeBody, story.body) >= 3, !informativeLead.isEmpty,
            Double(Self.sharedCount(informativeLead, story.body)) / Double(informativeLead.count) >= 0.2
        {
            return true
        }
        guard !isRecurringTitle else { return false }
        // Title path.
        let sharedTitle = Self.sharedCount(item.title, story.title)
        let shorterTitle = min(item.title.count, story.title.count)
        if sharedTitle >= 3, shorterTitle > 0, Double(sharedTitle) / Double(shorterTitle) >= 0.8 { return true }
        // Headline path.
        return informativeBody.count < minimumBodyPhrases && informativeHeadline.count >= minimumHeadlineWords
            && hoursApart < figureConflictHours
            && Self.sharedCount(informativeHeadline, story.words) == informativeHeadline.count
    }

    /// The conflicts of ``hasConflict``: live coverage on one side only, no shared headline figure half a day apart
    /// or more, both naming their day ``dayConflictHours`` apart or more, other weekdays, other datelines.
    private static func hasConflict(_ item: StoryFingerprint, _ story: StoryFingerprint, hoursApart: Double) -> Bool {
        item.isLiveCoverage != story.isLiveCoverage
            || (hoursApart >= Self.figureConflictHours && !item.numbers.isEmpty && !story.numbers.isEmpty
                && Self.sharedCount(item.numbers, story.numbers) == 0)
            || (hoursApart >= Self.dayConflictHours && item.namesItsDay && story.namesItsDay)
            || (item.weekdays != 0 && story.weekdays != 0 && item.weekdays & story.weekdays == 0)
            || (item.dateline != 0 && story.dateline != 0 && item.dateline != story.dateline)
    }

    /// Compares a new item's fingerprint with a story's, given how many of the story's terms are informative.
    ///
    /// The item's informative lists hold no common term, so what they share with the story's whole lists is
    /// what they share with its informative part: only the story's informative counts need the index.
    static func compare(
        _ item: StoryFingerprint, informativeBody: [UInt64], informativeLead: [UInt64], informativeWords: [UInt64],
        informativeHeadline: [UInt64] = [], informativeFigures: [UInt64] = [],
        with story: StoryFingerprint, informative storyCounts: InformativeCounts, hoursApart: Double,
        isRecurringTitle: Bool, hasBoilerplateTeaser: Bool = false, isSameFeed: Bool = false
    ) -> StoryEvidence {
        let sharedWords = Self.sharedCount(informativeWords, story.words)
        let fewerWords = min(informativeWords.count, storyCounts.words)
        let words = fewerWords >= minimumSharedWords ? Double(sharedWords) / Double(fewerWords) : nil
        let hasConflict = Self.hasConflict(item, story, hoursApart: hoursApart)
        let sharedBody = Self.sharedCount(informativeBody, story.body)
        let smaller = min(informativeBody.count, storyCounts.body)
        let body = smaller >= minimumBodyPhrases ? Double(sharedBody) / Double(smaller) : nil
        let itemLead = informativeLead.isEmpty
            ? 0 : Double(Self.sharedCount(informativeLead, story.body)) / Double(informativeLead.count)
        let storyLeadShare = storyCounts.lead == 0
            ? 0 : Double(story.leadShared(with: informativeBody)) / Double(storyCounts.lead)
        let lead = max(itemLead, storyLeadShare)
        let leadBoth = min(itemLead, storyLeadShare)
        let headlineCovered = informativeBody.count < minimumBodyPhrases
            && informativeHeadline.count >= minimumHeadlineWords && hoursApart < figureConflictHours
            && Self.sharedCount(informativeHeadline, story.words) == informativeHeadline.count
        let sharedFigures = hoursApart < figureConflictHours
            ? Self.sharedCount(informativeFigures, story.numbers) : 0
        let sharedTitle = Self.sharedCount(item.title, story.title)
        let shorterTitle = min(item.title.count, story.title.count)
        let title = isRecurringTitle || shorterTitle == 0 ? 0 : Double(sharedTitle) / Double(shorterTitle)
        return StoryEvidence(
            body: body, lead: lead, title: title, sharedBody: sharedBody, sharedTitle: sharedTitle, leadBoth: leadBoth,
            words: words,
            sharedWords: sharedWords, headlineCovered: headlineCovered, sharedFigures: sharedFigures, hasConflict: hasConflict,
            isRecurringTitle: isRecurringTitle, hasBoilerplateTeaser: hasBoilerplateTeaser, isSameFeed: isSameFeed)
    }

    /// The elements of sorted, unique `a` that are in sorted, unique `b`, in order.
    static func intersection<A: RandomAccessCollection<UInt64>, B: RandomAccessCollection<UInt64>>(_ a: A, _ b: B)
        -> [UInt64] where A.Index == Int, B.Index == Int
    {
        var result: [UInt64] = []
        result.reserveCapacity(min(a.count, b.count))
        forEachShared(a, b) { result.append($0) }
        return result
    }

    /// The size of the intersection of two sorted, unique lists.
    static func sharedCount<A: RandomAccessCollection<UInt64>, B: RandomAccessCollection<UInt64>>(_ a: A, _ b: B) -> Int
    where A.Index == Int, B.Index == Int {
        var shared = 0
        forEachShared(a, b) { _ in shared += 1 }
        return shared
    }

    /// Walks two sorted, unique lists together, calling `body` with each element both hold, in order.
    static func forEachShared<A: RandomAccessCollection<UInt64>, B: RandomAccessCollection<UInt64>>(
        _ a: A, _ b: B, _ body: (UInt64) -> Void
    ) where A.Index == Int, B.Index == Int {
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex && j < b.endIndex {
            if a[i] == b[j] {
                body(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
    }

    /// Walks sorted `terms` against sorted `known`, calling `body` with each term `known` does not hold, in order.
    static func forEachUnknown(_ terms: ArraySlice<UInt64>, known: ArraySlice<UInt64>, _ body: (UInt64) -> Void) {
        var next = known.startIndex
        for term in terms {
            while next < known.endIndex && known[next] < term { next += 1 }
            if next < known.endIndex && known[next] == term { continue }
            body(term)
        }
    }
}
