/// Inverted lists from 64-bit term hashes to story slots, in two flat arrays.
///
/// An open-addressing table (linear probing) of buckets `(term, count, list start)` and one array of slots
/// in which each term's list is contiguous: a list lives in a chunk of 2, 4, 8 … slots and moves to the end
/// of the array, into a chunk twice as large, when it fills (the old chunk is left behind, at most as much as
/// the list). Reading a list is a sequential scan, not a pointer chase through memory; a story's term costs
/// 4 to 8 bytes, a distinct term about 21, and no allocation: a `[UInt64: [Int32]]` costs about 90 bytes per
/// distinct term (a dictionary entry and an array object each) and a hash of the key on every look-up. The
/// terms are already well-mixed hashes (``StoryFingerprint``'s splitmix finalizer), so their low bits pick the
/// bucket.
///
/// A term's list is kept only while the term is rare enough to be read (its count at most the list limit):
/// the lists of common phrases and words, most of the postings, are never stored.
///
/// - Complexity: ``add(_:slot:)``, ``count(of:)`` and ``entry(of:)`` O(1) on average (amortized for `add`);
///   ``forEachSlot(of:_:)`` O(list length).
struct PostingTable: Sendable {
    private struct Bucket: Sendable {
        var term: UInt64
        /// Stories carrying the term; 0 marks an empty bucket.
        var count: Int32
        /// Where the term's list starts in `slots`; -1 when it has none (dropped, or counts only).
        var head: Int32
    }

    private var buckets: [Bucket]
    private var slots: [Int32] = []
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
        if buckets[index].count == 0 {
            buckets[index] = Bucket(term: term, count: 0, head: -1)
            occupied += 1
        }
        let stored = buckets[index].count
        buckets[index].count += 1
        guard stored < listLimit else {
            buckets[index].head = -1
            return
        }
        var head = buckets[index].head
        if stored == 0 {
            head = Int32(slots.count)
            slots.append(contentsOf: repeatElement(-1, count: 2))
        } else if stored >= 2 && stored & (stored - 1) == 0 {
            // The chunk is full (its size is the count, a power of two): twice the size at the end.
            // Appended, then copied in place: `reserveCapacity` grows an array to exactly the size asked, so once the
            // array was full each move copied it whole (megabytes in a large store), where appending doubles it
            // (2,000 feeds: a fifth fewer page faults).
            let old = Int(head)
            head = Int32(slots.count)
            slots.append(contentsOf: repeatElement(-1, count: 2 * Int(stored)))
            slots.withUnsafeMutableBufferPointer { slots in
                for offset in 0..<Int(stored) { slots[Int(head) + offset] = slots[old + offset] }
            }
        }
        slots[Int(head) + Int(stored)] = slot
        buckets[index].head = head
    }

    /// A term's story count and where its list starts (-1 when it has none kept).
    struct Entry {
        var count: Int32
        var head: Int32
    }

    /// The count and list of `term` in one look-up.
    func entry(of term: UInt64) -> Entry {
        guard let index = bucket(of: term) else { return Entry(count: 0, head: -1) }
        return Entry(count: buckets[index].count, head: buckets[index].head)
    }

    /// Reads the home bucket of each term and returns a sum of what it read (to be kept, so that the reads are
    /// made). The buckets are spread over tens of megabytes, a cache miss each: read in one loop without
    /// branches the misses overlap, where the probes that follow, one term at a time, would wait for each in
    /// turn; those then find the buckets in the cache.
    func touch<Terms: Collection<UInt64>>(_ terms: Terms) -> UInt64 {
        buckets.withUnsafeBufferPointer { buckets in
            let mask = buckets.count - 1
            var sum: UInt64 = 0
            for term in terms { sum &+= buckets[Int(truncatingIfNeeded: term) & mask].term }
            return sum
        }
    }

    /// Calls `body` with each slot of the list of an entry (from ``entry(of:)``), oldest first; nothing when the
    /// entry has no list.
    func forEachSlot(of entry: Entry, _ body: (Int32) -> Void) {
        guard entry.head >= 0 else { return }
        slots.withUnsafeBufferPointer { slots in
            for offset in Int(entry.head)..<(Int(entry.head) + Int(entry.count)) { body(slots[offset]) }
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
        buckets = HugePages.array(repeating: Bucket(term: 0, count: 0, head: -1), count: 2 * old.count)
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
