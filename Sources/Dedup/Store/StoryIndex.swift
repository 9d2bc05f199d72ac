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
    /// Headline figures → how many stories carry them (no lists).
    private var figureKeys = PostingTable(listLimit: 0)
    /// The slots of the stories whose first report is a breaking-news placeholder not yet followed by its report
    /// (``StoryFingerprint/isPlaceholder``): few, so a candidate is checked here, not by reading its story.
    private(set) var placeholderSlots: Set<Int32> = []
    /// Stories dated before this are not held.
    let horizon: Double
    /// What ``PostingTable/touch(_:)`` read, summed: never used, kept so that the reads are made.
    private(set) var touched: UInt64 = 0

    init(horizon: Double) {
        self.horizon = horizon
    }

    var count: Int { stories.count }

    mutating func add(_ story: Story) {
        // The buckets first, all at once (``PostingTable/touch(_:)``); kept in `touched` so the reads stay.
        touched &+= bodyPostings.touch(story.fingerprint.body) &+ titlePostings.touch(story.fingerprint.title)
            &+ wordPostings.touch(story.fingerprint.words)
        let slot = Int32(stories.count)
        stories.append(story)
        for phrase in story.fingerprint.body { bodyPostings.add(phrase, slot: slot) }
        for pair in story.fingerprint.title { titlePostings.add(pair, slot: slot) }
        titleKeys.add(story.fingerprint.titleKey, slot: slot)
        for word in story.fingerprint.words { wordPostings.add(word, slot: slot) }
        for figure in story.fingerprint.numbers { figureKeys.add(figure, slot: slot) }
        if story.fingerprint.isPlaceholder { placeholderSlots.insert(slot) }
    }

    /// Gives the placeholder story at `slot` the fingerprint it has once its report joined it
    /// (``StoryFingerprint/followed(by:)``): the report's terms it did not carry are added to the lists, its title
    /// key too. The placeholder's own terms stay on them (lists only grow) until the index is read anew from the
    /// store, which holds the report's: for the hours until then they count one story more, which a placeholder's
    /// one sentence would have counted anyway had its report founded a story of its own, as before.
    mutating func absorb(slot: Int32, fingerprint: StoryFingerprint) {
        let old = stories[Int(slot)].fingerprint
        StoryEvidence.forEachUnknown(fingerprint.body, known: old.body) { bodyPostings.add($0, slot: slot) }
        StoryEvidence.forEachUnknown(fingerprint.title, known: old.title) { titlePostings.add($0, slot: slot) }
        StoryEvidence.forEachUnknown(fingerprint.words, known: old.words) { wordPostings.add($0, slot: slot) }
        StoryEvidence.forEachUnknown(fingerprint.numbers, known: old.numbers) { figureKeys.add($0, slot: slot) }
        if fingerprint.titleKey != old.titleKey { titleKeys.add(fingerprint.titleKey, slot: slot) }
        stories[Int(slot)].fingerprint = fingerprint
        placeholderSlots.remove(slot)
    }

    /// The slot of the story with this id. Slots are nearly always in the order of ids (stories are read by id and
    /// committed in the order of their new ids; a story recovered from the spool gets its first report later, under
    /// its older id): a binary search, else a scan from the end. Called only for a placeholder's report.
    func slot(ofID id: Int64) -> Int32? {
        var low = 0, high = stories.count
        while low < high {
            let middle = (low + high) / 2
            if stories[middle].id < id { low = middle + 1 } else { high = middle }
        }
        if low < stories.count && stories[low].id == id { return Int32(low) }
        return stories.lastIndex { $0.id == id }.map(Int32.init)
    }

    /// How many stories carry `word` (a content word) in title or teaser.
    func wordFrequency(_ word: UInt64) -> Int { wordPostings.count(of: word) }

    /// How many stories carry `figure` in their title.
    func figureFrequency(_ figure: UInt64) -> Int { figureKeys.count(of: figure) }

    /// How many stories carry `phrase` in their teaser.
    func storyFrequency(_ phrase: UInt64) -> Int { bodyPostings.count(of: phrase) }

    /// How many stories have this exact title.
    func titleFrequency(_ titleKey: UInt64) -> Int { titleKeys.count(of: titleKey) }

    /// The count and list of a teaser phrase, a title pair, a content word.
    func bodyEntry(_ phrase: UInt64) -> PostingTable.Entry { bodyPostings.entry(of: phrase) }
    func titleEntry(_ pair: UInt64) -> PostingTable.Entry { titlePostings.entry(of: pair) }
    func wordEntry(_ word: UInt64) -> PostingTable.Entry { wordPostings.entry(of: word) }

    /// Reads the buckets of teaser phrases, title pairs, content words ahead of their look-ups
    /// (``PostingTable/touch(_:)``).
    func touchBody(_ phrases: ArraySlice<UInt64>) -> UInt64 { bodyPostings.touch(phrases) }
    func touchTitle(_ pairs: ArraySlice<UInt64>) -> UInt64 { titlePostings.touch(pairs) }
    func touchWords(_ words: ArraySlice<UInt64>) -> UInt64 { wordPostings.touch(words) }

    /// Adds to `counter` (by slot) the stories on the lists of the item's informative phrases, title pairs and
    /// informative words (their entries from ``bodyEntry(_:)``, ``titleEntry(_:)``, ``wordEntry(_:)``).
    func countShared(
        body: [PostingTable.Entry], title: [PostingTable.Entry], words: [PostingTable.Entry],
        into tally: inout CandidateCounter.Tally
    ) {
        for entry in body { bodyPostings.forEachSlot(of: entry) { tally.addBody($0) } }
        for entry in title { titlePostings.forEachSlot(of: entry) { tally.addTitle($0) } }
        for entry in words { wordPostings.forEachSlot(of: entry) { tally.addWord($0) } }
    }

    /// What a candidate shares with the item, counted from the inverted lists.
    struct Shared {
        var body: Int32 = 0
        var title: Int32 = 0
        var words: Int32 = 0
    }
}

/// Scratch for counting what each story of an index shares with one item: a count per slot and the slots
/// touched, cleared after each item (no dictionary per item). Used under the store's lock only.
final class CandidateCounter {
    private var counts: [StoryIndex.Shared] = []
    private var touched: [Int32] = []
    /// What ``collect(slots:_:)`` returns, its buffer kept from item to item.
    private var counted: [(slot: Int32, shared: StoryIndex.Shared)] = []
    /// What the finder's ``PostingTable/touch(_:)`` read, summed: never used, kept so that the reads are made.
    var touchedBuckets: UInt64 = 0
    /// The lists of the item being searched, kept from item to item (the first index's counter's are used).
    let lists = SearchLists()

    /// Counts per slot through a ``Tally`` filled by `fill`, then returns every slot counted with its counts
    /// (in the order first counted) and clears them.
    func collect(slots: Int, _ fill: (inout Tally) -> Void) -> [(slot: Int32, shared: StoryIndex.Shared)] {
        if counts.count < slots {
            counts.append(contentsOf: repeatElement(StoryIndex.Shared(), count: slots - counts.count))
        }
        var touched = self.touched
        self.touched = []
        let result = counts.withUnsafeMutableBufferPointer { counts in
            var tally = Tally(counts: counts, touched: touched)
            fill(&tally)
            touched = tally.touched
            var result = self.counted
            self.counted = []
            result.removeAll(keepingCapacity: true)
            for slot in touched {
                result.append((slot, counts[Int(slot)]))
                counts[Int(slot)] = StoryIndex.Shared()
            }
            return result
        }
        touched.removeAll(keepingCapacity: true)
        self.touched = touched
        counted = result
        return result
    }

    /// The counts of one item, by slot.
    struct Tally {
        let counts: UnsafeMutableBufferPointer<StoryIndex.Shared>
        var touched: [Int32]

        mutating func addBody(_ slot: Int32) {
            touch(slot)
            counts[Int(slot)].body += 1
        }

        mutating func addTitle(_ slot: Int32) {
            touch(slot)
            counts[Int(slot)].title += 1
        }

        mutating func addWord(_ slot: Int32) {
            touch(slot)
            counts[Int(slot)].words += 1
        }

        private mutating func touch(_ slot: Int32) {
            let shared = counts[Int(slot)]
            if shared.body == 0 && shared.title == 0 && shared.words == 0 { touched.append(slot) }
        }
    }
}

/// The lists ``StoryFinder`` works out for one item and its candidates: a search allocated a dozen arrays an item when
/// it made them afresh (docs/performance.md, session 13). Used under the store's lock only, by one search at a time.
final class SearchLists {
    var body: [UInt64] = []
    var lead: [UInt64] = []
    var words: [UInt64] = []
    var title: [UInt64] = []
    /// Per index searched (at most two), the lists of the item's informative phrases, title pairs and words.
    var bodyLists: [[PostingTable.Entry]] = [[], []]
    var titleLists: [[PostingTable.Entry]] = [[], []]
    var wordLists: [[PostingTable.Entry]] = [[], []]
    var candidates: [(slot: Int32, weight: Int32)] = []
    /// A candidate's terms the item does not carry, and those of them that are common (``StoryFinder/informativeCounts``).
    var unknownBody: [UInt64] = []
    var unknownWords: [UInt64] = []
    var common: [UInt64] = []
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
        var slot: Int32
        var story: StoryIndex.Story
        var evidence: StoryEvidence
    }

    /// Whether the indexes together give `term` at least `limit` stories (counted by `frequency`, stopping early).
    private func reaches(_ limit: Int, _ term: UInt64, _ frequency: (StoryIndex, UInt64) -> Int) -> Bool {
        var total = 0
        for index in indexes {
            total += frequency(index, term)
            if total >= limit { return true }
        }
        return false
    }

    func isCommon(_ phrase: UInt64) -> Bool {
        reaches(StoryIndex.commonPhraseStories, phrase) { $0.storyFrequency($1) }
    }

    /// A headline figure carried by ``StoryIndex/commonPhraseStories`` or more stories ("100.000 Soldaten",
    /// "1000") identifies nothing.
    func isCommonFigure(_ figure: UInt64) -> Bool {
        reaches(StoryIndex.commonPhraseStories, figure) { $0.figureFrequency($1) }
    }

    func isCommonWord(_ word: UInt64) -> Bool {
        reaches(StoryIndex.commonWordStories, word) { $0.wordFrequency($1) }
    }

    /// How many of a story's teaser phrases, lead phrases and content words are not common.
    ///
    /// `knownBody` and `knownWords` (sorted) are the item's informative phrases and words: terms found not common
    /// over the same indexes, so the story's terms among them (most of a copy's) need no look-up.
    func informativeCounts(
        of story: StoryFingerprint, knownBody: [UInt64] = [], knownWords: [UInt64] = []
    ) -> StoryEvidence.InformativeCounts {
        let lists = counters[0].lists
        Self.unknown(story.body, known: knownBody[...], into: &lists.unknownBody)
        Self.unknown(story.words, known: knownWords[...], into: &lists.unknownWords)
        // Their buckets first, all at once (``PostingTable/touch(_:)``).
        var touched: UInt64 = 0
        for index in indexes {
            touched &+= index.touchBody(lists.unknownBody[...]) &+ index.touchWords(lists.unknownWords[...])
        }
        counters[0].touchedBuckets &+= touched
        common(lists.unknownBody, into: &lists.common)
        let commonWords = lists.unknownWords.count { isCommonWord($0) }
        // The lead is part of the body.
        return StoryEvidence.InformativeCounts(
            body: story.body.count - lists.common.count,
            lead: story.leadPhraseCount - story.leadShared(with: lists.common), words: story.words.count - commonWords)
    }

    /// The `terms` not among the sorted `known`, into `list` (emptied first). A list of the search's ``SearchLists`` is
    /// filled as one `inout` argument, not appended to term by term: each access to a class's property is checked for
    /// exclusivity at run time.
    private static func unknown(_ terms: ArraySlice<UInt64>, known: ArraySlice<UInt64>, into list: inout [UInt64]) {
        list.removeAll(keepingCapacity: true)
        StoryEvidence.forEachUnknown(terms, known: known) { list.append($0) }
    }

    /// The lead phrases among the sorted `terms`, into `list` (emptied first).
    private static func shared(
        _ lead: LazyMapCollection<Range<Int>, UInt64>, _ terms: [UInt64], into list: inout [UInt64]
    ) {
        list.removeAll(keepingCapacity: true)
        StoryEvidence.forEachShared(lead, terms) { list.append($0) }
    }

    /// The common teaser phrases among `phrases`, into `list` (emptied first).
    private func common(_ phrases: [UInt64], into list: inout [UInt64]) {
        list.removeAll(keepingCapacity: true)
        for phrase in phrases where isCommon(phrase) { list.append(phrase) }
    }

    /// The terms carried by fewer than `limit` stories over all indexes (into `kept`), and per index the lists of those
    /// terms (into `lists`), both emptied first.
    private func informative(
        _ terms: ArraySlice<UInt64>, below limit: Int, _ entry: (StoryIndex, UInt64) -> PostingTable.Entry,
        touch: (StoryIndex, ArraySlice<UInt64>) -> UInt64, kept: inout [UInt64], lists: inout [[PostingTable.Entry]]
    ) {
        precondition(indexes.count <= 2, "a finder searches the committed and the pending index")
        // Every bucket the loop below may read, read first, all at once (``PostingTable/touch(_:)``).
        var touched: UInt64 = 0
        for index in indexes { touched &+= touch(index, terms) }
        counters[0].touchedBuckets &+= touched
        kept.removeAll(keepingCapacity: true)
        lists[0].removeAll(keepingCapacity: true)
        lists[1].removeAll(keepingCapacity: true)
        let none = PostingTable.Entry(count: 0, head: -1)
        for term in terms {
            var total = 0
            var found: (PostingTable.Entry, PostingTable.Entry) = (none, none)
            for number in indexes.indices {
                let entry = entry(indexes[number], term)
                total += Int(entry.count)
                if total >= limit { break }
                if number == 0 { found.0 = entry } else { found.1 = entry }
            }
            guard total < limit else { continue }
            kept.append(term)
            if found.0.head >= 0 { lists[0].append(found.0) }
            if found.1.head >= 0 { lists[1].append(found.1) }
        }
    }

    /// The best story dated within the window of `at` that the item is the same report as, if any. Ties go
    /// to the earlier story (committed before pending, lower id first), so the answer does not depend on
    /// dictionary order. `hasBoilerplateTeaser`: the item's teaser is its feed's boilerplate (``BoilerplateTeasers``).
    /// With no such story, the breaking-news placeholder of its outlet the item follows, if any
    /// (``StoryEvidence/isPlaceholderFollowUp(_:of:sharedWords:storyWords:hoursAfter:)``), but none whose key is in
    /// `followedPlaceholders` (their reports are planned already).
    func bestMatch(
        for item: StoryFingerprint, headline: @autoclosure () -> [UInt64] = [], figures: [UInt64] = [], at: Double,
        feedID: String, hasBoilerplateTeaser: Bool = false, followedPlaceholders: Set<String> = []
    ) -> Match? {
        // One look-up per term and index gives both its story frequency and its list.
        let lists = counters[0].lists
        informative(
            item.body, below: StoryIndex.commonPhraseStories, { $0.bodyEntry($1) }, touch: { $0.touchBody($1) },
            kept: &lists.body, lists: &lists.bodyLists)
        let informativeBody = lists.body
        // Every lead phrase is a body phrase: the informative lead is the lead within the informative body.
        Self.shared(item.leadPhrases, informativeBody, into: &lists.lead)
        let informativeLead = lists.lead
        informative(
            item.words, below: StoryIndex.commonWordStories, { $0.wordEntry($1) }, touch: { $0.touchWords($1) },
            kept: &lists.words, lists: &lists.wordLists)
        let informativeWords = lists.words
        // Title pairs carried by more than `titleCandidateLimit` stories find no candidates.
        informative(
            item.title, below: StoryIndex.titleCandidateLimit + 1, { $0.titleEntry($1) }, touch: { $0.touchTitle($1) },
            kept: &lists.title, lists: &lists.titleLists)
        let (bodyLists, wordLists, titleLists) = (lists.bodyLists, lists.wordLists, lists.titleLists)
        let informativeFigures = figures.filter { !isCommonFigure($0) }
        // Judged by its headline only when it has no teaser to compare.
        let informativeHeadline = informativeBody.count < StoryEvidence.minimumBodyPhrases
            ? headline().filter { !isCommonWord($0) } : []
        let titleKeyFrequency = indexes.reduce(0) { $0 + $1.titleFrequency(item.titleKey) }
        var best: Match?
        var placeholders: [(number: Int, slot: Int32)] = []
        let mayFollow = !item.isPlaceholder && item.outlet != 0
        for (number, index) in indexes.enumerated() {
            let counted = counters[number].collect(slots: index.count) { tally in
                index.countShared(body: bodyLists[number], title: titleLists[number], words: wordLists[number], into: &tally)
            }
            if mayFollow, !index.placeholderSlots.isEmpty {
                for (slot, shared) in counted
                where shared.words >= StoryEvidence.minimumPlaceholderWords && index.placeholderSlots.contains(slot) {
                    placeholders.append((number, slot))
                }
            }
            // Only stories that could pass a path of the decision (three phrases, six words or three title pairs),
            // the most alike first, at most `verifiedCandidates` of them.
            lists.candidates.removeAll(keepingCapacity: true)
            for (slot, shared) in counted
            where shared.body >= 3 || shared.words >= StoryEvidence.minimumSharedWords || shared.title >= 3
                || (!informativeHeadline.isEmpty && shared.words >= StoryEvidence.minimumHeadlineWords)
            {
                lists.candidates.append((slot, 2 * shared.body + shared.words + shared.title))
            }
            lists.candidates.sort { ($0.weight, $1.slot) > ($1.weight, $0.slot) }
            for (slot, _) in lists.candidates.prefix(Self.verifiedCandidates) {
                let story = index.stories[Int(slot)]
                guard abs(story.at - at) <= window else { continue }
                // The same title twice on one feed with different links, or on several stories: a recurring title.
                let sameTitle = story.fingerprint.titleKey == item.titleKey
                let recurring = sameTitle && (story.feedID == feedID || titleKeyFrequency >= 2)
                // Most candidates fail on what needs no index (a conflict, too little shared): no look-ups for them.
                guard
                    StoryEvidence.mayBeSameReport(
                        item, informativeBody: informativeBody, informativeLead: informativeLead,
                        informativeWords: informativeWords, informativeHeadline: informativeHeadline,
                        informativeFigures: informativeFigures, with: story.fingerprint, hoursApart: abs(story.at - at) / 3600,
                        isRecurringTitle: recurring)
                else { continue }
                let evidence = StoryEvidence.compare(
                    item, informativeBody: informativeBody, informativeLead: informativeLead,
                    informativeWords: informativeWords, informativeHeadline: informativeHeadline,
                    informativeFigures: informativeFigures, with: story.fingerprint,
                    informative: informativeCounts(
                        of: story.fingerprint, knownBody: informativeBody, knownWords: informativeWords), hoursApart: abs(story.at - at) / 3600,
                    isRecurringTitle: recurring, hasBoilerplateTeaser: hasBoilerplateTeaser,
                    isSameFeed: story.feedID == feedID)
                guard evidence.isSameReport else { continue }
                if let current = best {
                    let better = evidence.score > current.evidence.score
                        || (evidence.score == current.evidence.score
                            && (number, story.id) < (current.index, current.story.id))
                    if !better { continue }
                }
                best = Match(index: number, slot: slot, story: story, evidence: evidence)
            }
        }
        if best == nil, !placeholders.isEmpty {
            best = followedPlaceholder(
                item, among: placeholders, at: at, informativeBody: informativeBody, informativeLead: informativeLead,
                informativeWords: informativeWords, excluding: followedPlaceholders)
        }
        return best
    }

    /// The placeholder among `candidates` (index, slot) that the item follows, sharing the most words with it (ties:
    /// the earlier story).
    private func followedPlaceholder(
        _ item: StoryFingerprint, among candidates: [(number: Int, slot: Int32)], at: Double, informativeBody: [UInt64],
        informativeLead: [UInt64], informativeWords: [UInt64], excluding followed: Set<String>
    ) -> Match? {
        var best: (match: Match, shared: Int)?
        for (number, slot) in candidates {
            let story = indexes[number].stories[Int(slot)]
            guard !followed.contains(story.key) else { continue }
            let shared = StoryEvidence.sharedCount(informativeWords, story.fingerprint.words)
            let counts = informativeCounts(of: story.fingerprint, knownBody: informativeBody, knownWords: informativeWords)
            let hoursAfter = (at - story.at) / 3600
            guard
                StoryEvidence.isPlaceholderFollowUp(
                    item, of: story.fingerprint, sharedWords: shared, storyWords: counts.words, hoursAfter: hoursAfter)
            else { continue }
            if let current = best, (shared, current.match.index, current.match.story.id) <= (current.shared, number, story.id) {
                continue
            }
            var evidence = StoryEvidence.compare(
                item, informativeBody: informativeBody, informativeLead: informativeLead, informativeWords: informativeWords,
                with: story.fingerprint, informative: counts, hoursApart: hoursAfter, isRecurringTitle: false)
            evidence.followsPlaceholder = true
            best = (Match(index: number, slot: slot, story: story, evidence: evidence), shared)
        }
        return best?.match
    }
}
