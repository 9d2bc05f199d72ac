/// Every word-level test of all patterns, looked up once per word of the text.
///
/// A pattern is one or more words; each word is tested on its own: equal to a word (`nato`), starting
/// with (`truppen*`, the last word of `"nato russland rat*"`), ending with (`*aufmarsch`, the first
/// word of `"*x y"`) or containing (`*aufmarsch*`). Distinct tests are numbered once for all topics.
///
/// Per word of the text the index costs one hash probe for the exact tests, one for the prefix and
/// one for the suffix tests, and one per byte position for the infix tests, each first checked
/// against a small bit filter (8 KiB, cache resident), so the cost does not grow with the number of
/// topics the way a large automaton's table walk does. Candidates are verified byte by byte.
struct WordTestIndex: Sendable {
    enum Kind: UInt8, Sendable {
        case exact, prefix, suffix, infix
    }

    struct Test: Sendable, Hashable {
        var kind: Kind
        var bytes: [UInt8]
    }

    /// The distinct tests; a test id indexes it.
    let tests: [Test]
    /// All tests' bytes, flat: test t is `testBytes[testStart[t] ..< testStart[t + 1]]`.
    private let testBytes: [UInt8]
    private let testStart: [Int32]

    /// Exact tests, open addressing on the word's hash: `exactHash[slot]`, test id or -1.
    private let exactHash: [UInt64]
    private let exactTest: [Int32]
    private let exactMask: Int

    /// Prefix, suffix and infix tests keyed by kind and their first (suffix: last) ≤ 4 bytes.
    /// Open addressing: `gramKey[slot]` (0 = empty); candidates `gramTests[gramStart[slot] ..< gramEnd[slot]]`.
    private let gramKey: [UInt64]
    private let gramStart: [Int32]
    private let gramEnd: [Int32]
    private let gramTests: [Int32]
    private let gramMask: Int
    /// Bit filter over exact hashes and gram keys; a clear bit means "certainly no test".
    private let filter: [UInt64]
    /// Per kind (prefix 0, suffix 1, infix 2), 65,536 bits indexed by two adjacent bytes of the word
    /// (0x20 standing in past its ends): a clear bit rules out every test of that kind there.
    private let pairs: [UInt64]
    /// Bit k set: some test of that kind has a key of k bytes (1...4).
    private let prefixKeyLengths: UInt8
    private let suffixKeyLengths: UInt8
    private let infixKeyLengths: UInt8

    static let filterBits = 16

    init(tests: [Test]) {
        self.tests = tests
        var bytes: [UInt8] = []
        var start: [Int32] = [0]
        for t in tests {
            bytes += t.bytes
            start.append(Int32(bytes.count))
        }
        testBytes = bytes
        testStart = start

        var filter = [UInt64](repeating: 0, count: (1 << Self.filterBits) / 64)
        func setFilter(_ h: UInt64) {
            let bit = Int(truncatingIfNeeded: h >> UInt64(64 - Self.filterBits))
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }

        // Exact tests.
        let exact = tests.indices.filter { tests[$0].kind == .exact }
        var capacity = 16
        while capacity < exact.count * 2 { capacity <<= 1 }
        var exactHash = [UInt64](repeating: 0, count: capacity)
        var exactTest = [Int32](repeating: -1, count: capacity)
        for t in exact {
            let h = tests[t].bytes.withUnsafeBufferPointer { Self.wordHash($0.baseAddress!, $0.count) }
            setFilter(h)
            var slot = Int(truncatingIfNeeded: h) & (capacity - 1)
            while exactTest[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            exactHash[slot] = h
            exactTest[slot] = Int32(t)
        }
        self.exactHash = exactHash
        self.exactTest = exactTest
        exactMask = capacity - 1

        // Gram tests.
        var groups: [UInt64: [Int32]] = [:]
        var keyLengths: [Kind: UInt8] = [:]
        for (t, test) in tests.enumerated() where test.kind != .exact {
            let n = min(4, test.bytes.count)
            let keyBytes = test.kind == .suffix ? Array(test.bytes.suffix(n)) : Array(test.bytes.prefix(n))
            var value: UInt32 = 0
            for (k, b) in keyBytes.enumerated() { value |= UInt32(b) << UInt32(8 * k) }
            groups[Self.gramKey(test.kind, n, value), default: []].append(Int32(t))
            keyLengths[test.kind, default: 0] |= 1 << UInt8(n)
        }
        capacity = 16
        while capacity < groups.count * 2 { capacity <<= 1 }
        var gramKey = [UInt64](repeating: 0, count: capacity)
        var gramStart = [Int32](repeating: 0, count: capacity)
        var gramEnd = [Int32](repeating: 0, count: capacity)
        var gramTests: [Int32] = []
        for (key, ids) in groups.sorted(by: { $0.key < $1.key }) {
            let h = Self.mix(key)
            setFilter(h)
            var slot = Int(truncatingIfNeeded: h) & (capacity - 1)
            while gramKey[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            gramKey[slot] = key
            gramStart[slot] = Int32(gramTests.count)
            gramTests += ids
            gramEnd[slot] = Int32(gramTests.count)
        }
        self.gramKey = gramKey
        self.gramStart = gramStart
        self.gramEnd = gramEnd
        self.gramTests = gramTests
        gramMask = capacity - 1
        self.filter = filter
        var pairs = [UInt64](repeating: 0, count: 3 * 1024)
        func setPair(_ kind: Kind, _ a: UInt8, _ b: UInt8) {
            let bit = (Int(kind.rawValue) - 1) << 16 | Int(a) << 8 | Int(b)
            pairs[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        for test in tests where test.kind != .exact {
            let b = test.bytes
            if b.count >= 2 {
                if test.kind == .suffix { setPair(test.kind, b[b.count - 2], b[b.count - 1]) } else { setPair(test.kind, b[0], b[1]) }
            } else {
                for x in 0...255 {
                    if test.kind == .suffix { setPair(test.kind, UInt8(x), b[0]) } else { setPair(test.kind, b[0], UInt8(x)) }
                }
            }
        }
        self.pairs = pairs
        prefixKeyLengths = keyLengths[.prefix] ?? 0
        suffixKeyLengths = keyLengths[.suffix] ?? 0
        infixKeyLengths = keyLengths[.infix] ?? 0
    }

    /// A gram key: never 0 (the kind and length bits are set).
    @inline(__always)
    static func gramKey(_ kind: Kind, _ length: Int, _ value: UInt32) -> UInt64 {
        (UInt64(kind.rawValue) << 40) | (UInt64(length) << 32) | UInt64(value)
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 29
        return z &* 0xBF58_476D_1CE4_E5B9
    }

    /// The hash of a whole word (also used for the exact tests' table).
    @inline(__always)
    static func wordHash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = mix(h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail)
        }
        return h
    }

    @inline(__always)
    private func mayContain(_ filter: UnsafeBufferPointer<UInt64>, _ h: UInt64) -> Bool {
        let bit = Int(truncatingIfNeeded: h >> UInt64(64 - Self.filterBits))
        return filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    @inline(__always)
    private func equal(_ t: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let s = Int(testStart[Int(t)]), e = Int(testStart[Int(t) + 1])
        guard e - s == n else { return false }
        return testBytes.withUnsafeBufferPointer { memcmpEqual($0.baseAddress! + s, p, n) }
    }

    /// Appends the id of every test the word `p[0 ..< n]` passes, each once.
    func tests(ofWord p: UnsafePointer<UInt8>, count n: Int, into out: inout [Int32]) {
        let mark = out.count
        filter.withUnsafeBufferPointer { filter in
            // Exact.
            let h = Self.wordHash(p, n)
            if mayContain(filter, h) {
                var slot = Int(truncatingIfNeeded: h) & exactMask
                while exactTest[slot] >= 0 {
                    if exactHash[slot] == h, equal(exactTest[slot], p, n) {
                        out.append(exactTest[slot])
                        break
                    }
                    slot = (slot + 1) & exactMask
                }
            }
            // Prefix, suffix, infix: two adjacent bytes first, against a direct bit table.
            pairs.withUnsafeBufferPointer { pairs in
                @inline(__always) func pair(_ kind: Int, _ i: Int) -> Bool {
                    let a = i >= 0 ? p[i] : 0x20, b = i + 1 < n ? p[i + 1] : 0x20
                    let bit = kind << 16 | Int(a) << 8 | Int(b)
                    return pairs[bit >> 6] & (1 << UInt64(bit & 63)) != 0
                }
                if prefixKeyLengths != 0, pair(0, 0) {
                    for k in 1...4 where prefixKeyLengths & (1 << UInt8(k)) != 0 && k <= n {
                        probe(.prefix, k, p, n, at: 0, filter: filter, mark: mark, into: &out)
                    }
                }
                if suffixKeyLengths != 0, pair(1, n - 2) {
                    for k in 1...4 where suffixKeyLengths & (1 << UInt8(k)) != 0 && k <= n {
                        probe(.suffix, k, p, n, at: n - k, filter: filter, mark: mark, into: &out)
                    }
                }
                if infixKeyLengths != 0 {
                    for i in 0..<n where pair(2, i) {
                        for k in 1...4 where infixKeyLengths & (1 << UInt8(k)) != 0 && i + k <= n {
                            probe(.infix, k, p, n, at: i, filter: filter, mark: mark, into: &out)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func probe(
        _ kind: Kind, _ k: Int, _ p: UnsafePointer<UInt8>, _ n: Int, at position: Int,
        filter: UnsafeBufferPointer<UInt64>, mark: Int, into out: inout [Int32]
    ) {
        var value: UInt32 = 0
        for j in 0..<k { value |= UInt32(p[position + j]) << UInt32(8 * j) }
        let key = Self.gramKey(kind, k, value)
        let h = Self.mix(key)
        guard mayContain(filter, h) else { return }
        var slot = Int(truncatingIfNeeded: h) & gramMask
        while true {
            let stored = gramKey[slot]
            if stored == 0 { return }
            if stored == key { break }
            slot = (slot + 1) & gramMask
        }
        for c in Int(gramStart[slot])..<Int(gramEnd[slot]) {
            let t = gramTests[c]
            let s = Int(testStart[Int(t)]), length = Int(testStart[Int(t) + 1]) - s
            guard length <= n else { continue }
            let at: Int
            switch kind {
            case .prefix: at = 0
            case .suffix: at = n - length
            default:
                at = position
                guard position + length <= n else { continue }
            }
            let same = testBytes.withUnsafeBufferPointer { memcmpEqual($0.baseAddress! + s, p + at, length) }
            guard same else { continue }
            if kind == .infix, out[mark...].contains(t) { continue }
            out.append(t)
        }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
