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
    /// Teaser phrases, title word pairs and content words → stories; a list's length is the term's story
    /// frequency.
    /// Lists are read only for terms that are not common (across all indexes searched), so each table keeps a
    /// term's list only while the term is not common in this index alone.
    private var bodyPostings = PostingTable(listLimit: Int32(commonPhraseStories - 1))
    private var titlePostings = PostingTable(listLimit: Int32(titleCandidateLimit))
    private var wordPostings = PostingTable(listLimit: Int32(commonWordStories - 1))
    /// Whole titles → how many stories carry them (no lists).
    private var titleKeys = PostingTable(listLimit: 0)
    /// Stories dated before this are not held.
    let horizon: Double

    init(horizon: Double) {
        self.horizon = horizon
    }

    var count: Int { stories.count }

    mutating func add(_ story: Story) {
        let slot = Int32(stories.count)
        stories.append(story)
        for phrase in story.fingerprint.body { bodyPostings.add(phrase, slot: slot) }
        for pair in story.fingerprint.title { titlePostings.add(pair, slot: slot) }
        titleKeys.add(story.fingerprint.titleKey, slot: slot)
        for word in story.fingerprint.words { wordPostings.add(word, slot: slot) }
    }

    /// How many stories carry `word` (a content word) in title or teaser.
    func wordFrequency(_ word: UInt64) -> Int { wordPostings.count(of: word) }

    /// How many stories carry `phrase` in their teaser.
    func storyFrequency(_ phrase: UInt64) -> Int { bodyPostings.count(of: phrase) }

    /// How many stories have this exact title.
    func titleFrequency(_ titleKey: UInt64) -> Int { titleKeys.count(of: titleKey) }

    /// Adds to `counter` (by slot) the informative phrases and title pairs each story shares with the item.
    func countShared(
        informativeBody: [UInt64], title: [UInt64], informativeWords: [UInt64], titleFrequency: (UInt64) -> Int,
        into counter: CandidateCounter
    ) {
        counter.prepare(slots: stories.count)
        for phrase in informativeBody {
            bodyPostings.forEachSlot(of: phrase) { counter.addBody(slot: $0) }
        }
        for pair in title where titleFrequency(pair) <= Self.titleCandidateLimit {
            titlePostings.forEachSlot(of: pair) { counter.addTitle(slot: $0) }
        }
        for word in informativeWords {
            wordPostings.forEachSlot(of: word) { counter.addWord(slot: $0) }
        }
    }

    /// What a candidate shares with the item, counted from the inverted lists.
    struct Shared {
        var body: Int32 = 0
        var title: Int32 = 0
        var words: Int32 = 0
    }

    func titlePairFrequency(_ pair: UInt64) -> Int { titlePostings.count(of: pair) }
}

/// Scratch for counting what each story of an index shares with one item: a count per slot and the slots
/// touched, cleared after each item (no dictionary per item). Used under the store's lock only.
final class CandidateCounter {
    private var shared: [StoryIndex.Shared] = []
    /// Slots with a non-zero count, in the order first touched.
    private(set) var touched: [Int32] = []

    /// Makes room for `slots` stories.
    func prepare(slots: Int) {
        if shared.count < slots {
            shared.append(contentsOf: repeatElement(StoryIndex.Shared(), count: slots - shared.count))
        }
    }

    func addBody(slot: Int32) {
        touch(slot)
        shared[Int(slot)].body += 1
    }

    func addTitle(slot: Int32) {
        touch(slot)
        shared[Int(slot)].title += 1
    }

    func addWord(slot: Int32) {
        touch(slot)
        shared[Int(slot)].words += 1
    }

    private func touch(_ slot: Int32) {
        let counts = shared[Int(slot)]
        if counts.body == 0 && counts.title == 0 && counts.words == 0 { touched.append(slot) }
    }

    func shared(_ slot: Int32) -> StoryIndex.Shared { shared[Int(slot)] }

    /// Clears the counts of the touched slots.
    func reset() {
        for slot in touched { shared[Int(slot)] = StoryIndex.Shared() }
        touched.removeAll(keepingCapacity: true)
    }
}

/// Finds the story a new item copies, over the committed index and the plan's own new stories.
struct StoryFinder {
    let indexes: [StoryIndex]
    /// One per index, same order.
    let counters: [CandidateCounter]
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
    func bestMatch(for item: StoryFingerprint, at: Double, feedID: String) -> Match? {
        let informativeBody = item.body.filter { !isCommon($0) }
        let informativeLead = item.lead.filter { !isCommon($0) }
        let informativeWords = item.words.filter { !isCommonWord($0) }
        let titleFrequency = { (pair: UInt64) in self.indexes.reduce(0) { $0 + $1.titlePairFrequency(pair) } }
        let titleKeyFrequency = indexes.reduce(0) { $0 + $1.titleFrequency(item.titleKey) }
        var best: Match?
        for (number, index) in indexes.enumerated() {
            let counter = counters[number]
            index.countShared(
                informativeBody: informativeBody, title: item.title, informativeWords: informativeWords,
                titleFrequency: titleFrequency, into: counter)
            // Only stories that could pass a path of the decision (three phrases, six words or three title pairs),
            // the most alike first, at most `verifiedCandidates` of them.
            var candidates: [(slot: Int32, weight: Int32)] = []
            for slot in counter.touched {
                let shared = counter.shared(slot)
                if shared.body >= 3 || shared.words >= StoryEvidence.minimumSharedWords || shared.title >= 3 {
                    candidates.append((slot, 2 * shared.body + shared.words + shared.title))
                }
            }
            counter.reset()
            candidates.sort { ($0.weight, $1.slot) > ($1.weight, $0.slot) }
            for (slot, _) in candidates.prefix(Self.verifiedCandidates) {
                let story = index.stories[Int(slot)]
                guard abs(story.at - at) <= window else { continue }
                // The same title twice on one feed with different links, or on several stories: a recurring title.
                let sameTitle = story.fingerprint.titleKey == item.titleKey
                let recurring = sameTitle && (story.feedID == feedID || titleKeyFrequency >= 2)
                let evidence = StoryEvidence.compare(
                    item, informativeBody: informativeBody, informativeLead: informativeLead,
                    informativeWords: informativeWords, with: story.fingerprint, hoursApart: abs(story.at - at) / 3600,
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
