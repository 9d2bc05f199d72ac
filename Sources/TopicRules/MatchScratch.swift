import Synchronization

/// Working memory of one ``RuleSet/match(_:)`` call, reused by later calls.
///
/// Every per-pattern and per-topic slot carries the generation that last wrote it, so starting a
/// new item costs O(1) (one increment) rather than clearing tables as large as the rule set.
///
/// `@unchecked Sendable` only so that ``MatchScratchPool`` can hand it from one thread to another:
/// it has one user at a time (taken out of the pool under its lock, put back after the call), and
/// the compiler cannot see that the call has let go of it when it goes back into the pool.
final class MatchScratch: @unchecked Sendable {
    /// What one item did to one pattern: valid only when `generation` is the current one.
    struct PatternSlot {
        var generation: UInt32 = 0
        /// The fields (``FieldMask`` bits) the pattern hit in.
        var fields: UInt8 = 0
        /// The last hit of the pattern in ``MatchScratch/hits``; earlier ones follow ``RuleSet/Hit/previous``.
        var last: Int32 = -1
    }

    /// The current item's stamp.
    var generation: UInt32 = 0
    var hits: [RuleSet.Hit] = []
    var slots: [PatternSlot]
    var topicGeneration: [UInt32]
    /// The patterns with hits in the current item, each once.
    var hitPatterns: [Int32] = []
    var candidates: [Int32] = []

    init(patternCount: Int, topicCount: Int) {
        slots = [PatternSlot](repeating: PatternSlot(), count: patternCount)
        topicGeneration = [UInt32](repeating: 0, count: topicCount)
        hits.reserveCapacity(256)
    }

    /// Starts a new item: forgets every slot in O(1).
    func begin() {
        hits.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
        hitPatterns.removeAll(keepingCapacity: true)
        if generation == .max {
            // Once in 4 billion items: clear for real, so old stamps cannot be mistaken for new ones.
            for i in slots.indices { slots[i] = PatternSlot() }
            for i in topicGeneration.indices { topicGeneration[i] = 0 }
            generation = 0
        }
        generation += 1
    }
}

/// A lock-protected stack of scratch spaces: one per concurrent ``RuleSet/match(_:)`` call.
final class MatchScratchPool: Sendable {
    private let free = Mutex<[MatchScratch]>([])
    private let patternCount: Int
    private let topicCount: Int

    init(patternCount: Int, topicCount: Int) {
        self.patternCount = patternCount
        self.topicCount = topicCount
    }

    /// Runs `body` with a scratch space no other call uses meanwhile.
    func withScratch<R>(_ body: (MatchScratch) -> R) -> R {
        let scratch = free.withLock { $0.popLast() } ?? MatchScratch(patternCount: patternCount, topicCount: topicCount)
        defer {
            // Keep a few for reuse; a burst of concurrency must not pin memory forever.
            free.withLock { if $0.count < 16 { $0.append(scratch) } }
        }
        return body(scratch)
    }
}
