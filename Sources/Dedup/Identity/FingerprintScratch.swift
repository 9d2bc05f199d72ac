import Synchronization
import TextNormalization

/// The working lists of one ``StoryFingerprint`` being made, kept from item to item: a fingerprint is made for every
/// item of a poll, and its tokenizer and six growing lists cost about thirty allocations an item when made afresh, on
/// threads that share one malloc arena (docs/performance.md, session 13). Only the fingerprint's one `terms` array is
/// allocated per item.
///
/// A value, lent to one call at a time (moved out of the pool under its lock, moved back after the call) and worked on
/// as that call's `inout` local: the lists of a class would be checked for exclusive access at run time on every word
/// and phrase appended (about 2 % of a cold poll's CPU with the checks turned off, session 15).
struct FingerprintScratch: Sendable {
    var tokens = WordTokenizer()
    /// One title word and its space, as the teaser's words are spelled.
    var spelled: [UInt8] = []
    var title: [UInt64] = []
    var lead: [UInt64] = []
    var body: [UInt64] = []
    var words: [UInt64] = []
    var figures: [UInt64] = []
    var sentenceEnds: [Int] = []

    /// Scratches not in use. A poll uses about as many as it has threads making fingerprints at once.
    private static let free = Mutex<[FingerprintScratch]>([])
    /// Lists grown past this many elements (a long teaser) are let go, not kept for the next item.
    private static let keptCapacity = 1 << 12

    /// Runs `body` with a scratch no other call uses meanwhile, emptied first.
    static func with<R>(_ body: (inout FingerprintScratch) -> R) -> R {
        var scratch = free.withLock { $0.popLast() } ?? FingerprintScratch()
        scratch.clear()
        let result = body(&scratch)
        free.withLock { $0.append(scratch) }
        return result
    }

    private mutating func clear() {
        if tokens.bytes.capacity > 16 * Self.keptCapacity { tokens = WordTokenizer() }
        Self.empty(&spelled)
        Self.empty(&title)
        Self.empty(&lead)
        Self.empty(&body)
        Self.empty(&words)
        Self.empty(&figures)
        Self.empty(&sentenceEnds)
    }

    private static func empty<Element>(_ list: inout [Element]) {
        list.removeAll(keepingCapacity: list.capacity <= keptCapacity)
    }
}
