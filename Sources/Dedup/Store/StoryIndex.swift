/// The stories of the recent window, in memory, for finding the story a new item copies.
///
/// Holds every story dated after ``horizon`` with a fingerprint: inverted lists from teaser phrases and
/// title word pairs to stories, and how many stories carry each title. The length of a phrase's list is
/// its *story frequency*: a phrase carried by ``commonPhraseStories`` or more stories is common
/// (boilerplate, an agency background sentence) and proves nothing. The store loads it on the first
/// plan, adds each committed story and reloads it when the horizon moves; the planner keeps a second,
/// small one for the stories its document starts.
struct StoryIndex: Sendable {
    struct Story: Sendable {
        /// `stories.story_id`, or the position in the plan for a story not yet committed.
        var id: Int64
        var key: String
        /// The story's date (its first item's date, else its fetch time), Unix seconds.
        var at: Double
        /// The feed of the item that started the story.
        var feedID: String
        var fingerprint: StoryFingerprint
    }

    /// A phrase carried by this many stories in the window identifies nothing.
    static let commonPhraseStories = 3
    /// A content word carried by this many stories in the window identifies nothing (words recur more than
    /// phrases: a lower bound let copies that founded stories of their own make their own words common).
    static let commonWordStories = 12
    /// Title word pairs carried by more stories than this are not used to find candidates ("die lage").
    static let titleCandidateLimit = 64

    private(set) var stories: [Story] = []
    private var bodyPostings: [UInt64: [Int32]] = [:]
    private var titlePostings: [UInt64: [Int32]] = [:]
    private var titleKeys: [UInt64: Int32] = [:]
    private var wordPostings: [UInt64: [Int32]] = [:]
    /// Story frequencies, kept apart from the lists so that a look-up reads one table, not a list too.
    private var bodyFrequency: [UInt64: Int32] = [:]
    private var wordFrequencies: [UInt64: Int32] = [:]
    private var figureFrequencies: [UInt64: Int32] = [:]
    /// Stories dated before this are not held.
    let horizon: Double

    init(horizon: Double) {
        self.horizon = horizon
    }

    var count: Int { stories.count }

    mutating func add(_ story: Story) {
        let slot = Int32(stories.count)
        stories.append(story)
        for phrase in story.fingerprint.body {
            bodyPostings[phrase, default: []].append(slot)
            bodyFrequency[phrase, default: 0] += 1
        }
        for pair in story.fingerprint.title { titlePostings[pair, default: []].append(slot) }
        titleKeys[story.fingerprint.titleKey, default: 0] += 1
        for word in story.fingerprint.words {
            wordPostings[word, default: []].append(slot)
            wordFrequencies[word, default: 0] += 1
        }
        for figure in story.fingerprint.numbers { figureFrequencies[figure, default: 0] += 1 }
    }

    /// How many stories carry `word` (a content word) in title or teaser.
    func wordFrequency(_ word: UInt64) -> Int { Int(wordFrequencies[word] ?? 0) }

    /// How many stories carry `figure` in their title.
    func figureFrequency(_ figure: UInt64) -> Int { Int(figureFrequencies[figure] ?? 0) }

    /// How many stories carry `phrase` in their teaser.
    func storyFrequency(_ phrase: UInt64) -> Int { Int(bodyFrequency[phrase] ?? 0) }

    /// How many stories have this exact title.
    func titleFrequency(_ titleKey: UInt64) -> Int { Int(titleKeys[titleKey] ?? 0) }

    /// Adds to `counts` (keyed by slot) the informative phrases and title pairs each story shares with the item.
    func countShared(
        informativeBody: [UInt64], title: [UInt64], informativeWords: [UInt64], titleFrequency: (UInt64) -> Int,
        into counts: inout [Int32: Shared]
    ) {
        for phrase in informativeBody {
            for slot in bodyPostings[phrase] ?? [] { counts[slot, default: Shared()].body += 1 }
        }
        for pair in title where titleFrequency(pair) <= Self.titleCandidateLimit {
            for slot in titlePostings[pair] ?? [] { counts[slot, default: Shared()].title += 1 }
        }
        for word in informativeWords {
            for slot in wordPostings[word] ?? [] { counts[slot, default: Shared()].words += 1 }
        }
    }

    /// What a candidate shares with the item, counted from the inverted lists.
    struct Shared {
        var body = 0
        var title = 0
        var words = 0
    }

    func titlePairFrequency(_ pair: UInt64) -> Int { titlePostings[pair]?.count ?? 0 }
}

/// Finds the story a new item copies, over the committed index and the plan's own new stories.
struct StoryFinder {
    let indexes: [StoryIndex]
    let window: Double

    /// Candidates verified per item and index: a bound on the cost of an item that shares phrases with
    /// many stories.
    static let verifiedCandidates = 4

    /// A story the item matched: which index, which slot, and the evidence.
    struct Match {
        var index: Int
        var story: StoryIndex.Story
        var evidence: StoryEvidence
    }

    func isCommon(_ phrase: UInt64) -> Bool {
        var total = 0
        for index in indexes {
            total += index.storyFrequency(phrase)
            if total >= StoryIndex.commonPhraseStories { return true }
        }
        return false
    }

    /// A headline figure carried by ``StoryIndex/commonPhraseStories`` or more stories ("100.000 Soldaten",
    /// "1000") identifies nothing.
    func isCommonFigure(_ figure: UInt64) -> Bool {
        var total = 0
        for index in indexes {
            total += index.figureFrequency(figure)
            if total >= StoryIndex.commonPhraseStories { return true }
        }
        return false
    }

    func isCommonWord(_ word: UInt64) -> Bool {
        var total = 0
        for index in indexes {
            total += index.wordFrequency(word)
            if total >= StoryIndex.commonWordStories { return true }
        }
        return false
    }

    /// The best story dated within the window of `at` that the item is the same report as, if any. Ties go
    /// to the earlier story (committed before pending, lower id first), so the answer does not depend on
    /// dictionary order.
    func bestMatch(
        for item: StoryFingerprint, headline: [UInt64] = [], figures: [UInt64] = [], at: Double, feedID: String
    ) -> Match? {
        let informativeFigures = figures.filter { !isCommonFigure($0) }
        let informativeBody = item.body.filter { !isCommon($0) }
        // Judged by its headline only when it has no teaser to compare.
        let informativeHeadline = informativeBody.count < StoryEvidence.minimumBodyPhrases
            ? headline.filter { !isCommonWord($0) } : []
        let informativeLead = item.lead.filter { !isCommon($0) }
        let informativeWords = item.words.filter { !isCommonWord($0) }
        let titleFrequency = { (pair: UInt64) in self.indexes.reduce(0) { $0 + $1.titlePairFrequency(pair) } }
        let titleKeyFrequency = indexes.reduce(0) { $0 + $1.titleFrequency(item.titleKey) }
        var best: Match?
        for (number, index) in indexes.enumerated() {
            var counts: [Int32: StoryIndex.Shared] = [:]
            index.countShared(
                informativeBody: informativeBody, title: item.title, informativeWords: informativeWords,
                titleFrequency: titleFrequency, into: &counts)
            // Only stories that could pass a path of the decision (three phrases, six words or three title pairs),
            // the most alike first, at most `verifiedCandidates` of them.
            let candidates = counts.filter { _, shared in
                shared.body >= 3 || shared.words >= StoryEvidence.minimumSharedWords || shared.title >= 3
                    || (!informativeHeadline.isEmpty && shared.words >= StoryEvidence.minimumHeadlineWords)
            }
            .map { (slot: $0.key, weight: 2 * $0.value.body + $0.value.words + $0.value.title) }
            .sorted { ($0.weight, $1.slot) > ($1.weight, $0.slot) }
            .prefix(Self.verifiedCandidates)
            for (slot, _) in candidates {
                let story = index.stories[Int(slot)]
                guard abs(story.at - at) <= window else { continue }
                // The same title twice on one feed with different links, or on several stories: a recurring title.
                let sameTitle = story.fingerprint.titleKey == item.titleKey
                let recurring = sameTitle && (story.feedID == feedID || titleKeyFrequency >= 2)
                let evidence = StoryEvidence.compare(
                    item, informativeBody: informativeBody, informativeLead: informativeLead,
                    informativeWords: informativeWords, informativeHeadline: informativeHeadline,
                    informativeFigures: informativeFigures, with: story.fingerprint, hoursApart: abs(story.at - at) / 3600,
                    isCommon: isCommon,
                    isCommonWord: isCommonWord, isRecurringTitle: recurring)
                guard evidence.isSameReport else { continue }
                if let current = best {
                    let better = evidence.score > current.evidence.score
                        || (evidence.score == current.evidence.score
                            && (number, story.id) < (current.index, current.story.id))
                    if !better { continue }
                }
                best = Match(index: number, story: story, evidence: evidence)
            }
        }
        return best
    }
}
