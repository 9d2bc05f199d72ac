/// The link digests of `story_urls` in memory, so that a link no story carries (nearly every link of a cold poll)
/// is known to be new without a look-up.
///
/// Loaded by the first plan, when the table holds at most ``limit`` links (else the plans ask SQLite, as before),
/// and kept complete by the commits: every link a commit inserts is added. It may also hold links pruned since,
/// which only costs their look-up. Writers other than the commit (pruning, recovery, bulk loads) drop it, and the
/// next plan reads the table again.
///
/// What it saves is a look-up per new item: worth its memory while a young store takes many (a first poll of many
/// feeds), not in a daemon's steady state, where nearly every item is known by its key. So it is retired for good
/// when the story index is first reloaded for a later horizon (half a story window after the process's first
/// plan), and never holds more than ``limit`` links.
struct LinkDigests: Sendable {
    /// The most links held: about 12 bytes each in a `Set`, at most 3 MB.
    static let limit = 1 << 18

    /// The statement that reads the table: a scan of at most ``limit`` + 1 rows, made once per load, never per entry.
    static let loadingSQL = "SELECT url_digest FROM story_urls LIMIT \(limit + 1)"

    private enum Contents: Sendable {
        /// Not read since the last writer other than a commit: the next plan reads the table.
        case unknown
        /// More than ``limit`` links, or retired: every link is looked up.
        case off
        case loaded(Set<Int64>)
    }

    private var contents = Contents.unknown

    /// Whether a story may carry the link: false only when the link is known not to be in `story_urls`.
    func mayHaveStory(_ digest: Int64) -> Bool {
        guard case .loaded(let digests) = contents else { return true }
        return digests.contains(digest)
    }

    /// Reads the table when it is not known yet.
    mutating func loadIfUnknown(_ db: SQLiteConnection) throws(DedupError) {
        guard case .unknown = contents else { return }
        // One scan, stopped past the limit (no count first: counting a large table is a scan of its own).
        var digests = Set<Int64>()
        let statement = try db.statement(Self.loadingSQL)
        defer { statement.reset() }
        while try statement.step() { digests.insert(statement.int64(0)) }
        contents = digests.count <= Self.limit ? .loaded(digests) : .off
    }

    /// Records links a commit inserted.
    mutating func insert(_ inserted: [Int64]) {
        guard case .loaded(var digests) = contents, !inserted.isEmpty else { return }
        contents = .unknown  // the set is moved out, not copied, while it grows
        digests.formUnion(inserted)
        contents = digests.count <= Self.limit ? .loaded(digests) : .off
    }

    /// Drops what is held (a writer other than a commit changed the table): the next plan reads it again, unless
    /// retired.
    mutating func forget() {
        if case .off = contents { return }
        contents = .unknown
    }

    /// Drops what is held for good: every link is looked up from now on.
    mutating func retire() {
        contents = .off
    }
}
