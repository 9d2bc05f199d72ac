/// Inverted lists from 64-bit term hashes to story slots, in two flat arrays.
///
/// An open-addressing table (linear probing) of buckets `(term, count, last posting)` and one array of
/// postings `(slot, previous posting of the same term)`: a term's list is a chain through the postings,
/// newest first. Per story and term 8 bytes, per distinct term about 21 bytes, and no allocation per term:
/// a `[UInt64: [Int32]]` costs about 90 bytes per distinct term (a dictionary entry and an array object each)
/// and a hash of the key on every look-up. The terms are already well-mixed hashes (``StoryFingerprint``'s
/// splitmix finalizer), so their low bits pick the bucket.
///
/// A term's list is kept only while the term is rare enough to be read (its count at most the list limit):
/// the lists of common phrases and words, most of the postings, are never stored.
///
/// - Complexity: ``add(_:slot:)``, ``count(of:)`` and ``entry(of:)`` O(1) on average; ``forEachSlot(from:_:)`` O(list length).
struct PostingTable: Sendable {
    private struct Bucket: Sendable {
        var term: UInt64
        /// Stories carrying the term; 0 marks an empty bucket.
        var count: Int32
        /// The term's newest posting.
        var head: Int32
    }

    private struct Posting: Sendable {
        var slot: Int32
        /// The term's previous posting, -1 at the end of the list.
        var next: Int32
    }

    private var buckets: [Bucket]
    private var postings: [Posting] = []
    private var occupied = 0
    /// A term's list is kept while at most this many stories carry it: beyond, the term is common and its
    /// list is never read (only its count), so it is dropped and no longer extended.
    private let listLimit: Int32

    /// - Parameter listLimit: The most stories a term's list is kept for; 0 keeps counts only.
    init(listLimit: Int32) {
        self.listLimit = listLimit
        buckets = Array(repeating: Bucket(term: 0, count: 0, head: -1), count: 64)
    }

    /// Distinct terms held.
    var termCount: Int { occupied }

    /// Records that the story in `slot` carries `term` (once per story and term).
    mutating func add(_ term: UInt64, slot: Int32) {
        if 4 * (occupied + 1) > 3 * buckets.count { grow() }
        let index = position(of: term)
        let isNew = buckets[index].count == 0
        if isNew {
            buckets[index] = Bucket(term: term, count: 0, head: -1)
            occupied += 1
        }
        buckets[index].count += 1
        if buckets[index].count <= listLimit {
            postings.append(Posting(slot: slot, next: buckets[index].head))
            buckets[index].head = Int32(postings.count - 1)
        } else {
            buckets[index].head = -1
        }
    }

    /// A term's story count and the start of its list (-1 when it has none kept).
    struct Entry {
        var count: Int32
        var head: Int32
    }

    /// The count and list of `term` in one look-up.
    func entry(of term: UInt64) -> Entry {
        guard let index = bucket(of: term) else { return Entry(count: 0, head: -1) }
        return Entry(count: buckets[index].count, head: buckets[index].head)
    }

    /// Calls `body` with each slot of the list that starts at `head` (from ``entry(of:)``).
    func forEachSlot(from head: Int32, _ body: (Int32) -> Void) {
        var posting = head
        postings.withUnsafeBufferPointer { postings in
            while posting >= 0 {
                body(postings[Int(posting)].slot)
                posting = postings[Int(posting)].next
            }
        }
    }

    /// How many stories carry `term`.
    func count(of term: UInt64) -> Int {
        guard let index = bucket(of: term) else { return 0 }
        return Int(buckets[index].count)
    }

    private func bucket(of term: UInt64) -> Int? {
        let index = position(of: term)
        return buckets[index].count != 0 ? index : nil
    }

    /// The bucket holding `term`, else the empty bucket where it would go.
    private func position(of term: UInt64) -> Int {
        buckets.withUnsafeBufferPointer { buckets in
            let mask = buckets.count - 1
            var index = Int(truncatingIfNeeded: term) & mask
            while buckets[index].count != 0 && buckets[index].term != term { index = (index + 1) & mask }
            return index
        }
    }

    private mutating func grow() {
        let old = buckets
        buckets = Array(repeating: Bucket(term: 0, count: 0, head: -1), count: 2 * old.count)
        let mask = buckets.count - 1
        buckets.withUnsafeMutableBufferPointer { buckets in
            for bucket in old where bucket.count != 0 {
                var index = Int(truncatingIfNeeded: bucket.term) & mask
                while buckets[index].count != 0 { index = (index + 1) & mask }
                buckets[index] = bucket
            }
        }
    }
}
