import TextNormalization

extension RuleSet {
    /// One occurrence of a pattern in one field of an item.
    struct Hit {
        var pattern: Int32
        var field: UInt8
        /// Which field of ``fields(of:)``: title 0, summary 1, content 2, categories 3...
        var instance: Int32
        /// Word indices (inclusive) inside the field.
        var first: Int32
        var last: Int32
        /// UTF-8 offsets of the surface text in the field.
        var sourceStart: Int32
        var sourceEnd: Int32
    }

    /// The largest number of words a pattern may span.
    static let maximumPatternWords = 32

    /// Bytes of one normalized word kept in the scratch buffer; longer words spill into an array.
    static let wordCapacity = 256

    /// Reusable buffers of one ``match(_:)`` call.
    struct ScanBuffers {
        /// The tests each word passes: `tests[testStart[w] ..< testStart[w + 1]]`.
        var tests: [Int32] = []
        var testStart: [Int32] = []
        /// UTF-8 offsets of each word in the field.
        var sourceStarts: [Int32] = []
        var sourceEnds: [Int32] = []
        /// The bytes of a word longer than ``RuleSet/wordCapacity``.
        var overflow: [UInt8] = []
    }

    /// Normalizes `text` into words in one pass over its UTF-8 bytes, looks every word up once in
    /// the pattern index, and appends every pattern hit (phrases confirmed from the following
    /// words' tests).
    ///
    /// - Parameter word: Scratch space of ``RuleSet/wordCapacity`` bytes.
    /// - Complexity: O(n) in the UTF-8 length of `text` plus O(1) per word test passed and per hit;
    ///   independent of the number of patterns that do not occur.
    func scan(
        _ text: String, field: UInt8, instance: Int32, word: UnsafeMutablePointer<UInt8>,
        buffers: inout ScanBuffers, into hits: inout [Hit]
    ) {
        buffers.tests.removeAll(keepingCapacity: true)
        buffers.testStart.removeAll(keepingCapacity: true)
        buffers.sourceStarts.removeAll(keepingCapacity: true)
        buffers.sourceEnds.removeAll(keepingCapacity: true)
        let index = patternIndex.words
        var text = text
        text.withUTF8 { src in
            var length = 0
            var inWord = false
            var lastByte: UInt8 = 0

            @inline(__always) func put(_ c: UInt8, at offset: Int) {
                if !inWord {
                    inWord = true
                    buffers.sourceStarts.append(Int32(offset))
                }
                if length < Self.wordCapacity {
                    word[length] = c
                } else {
                    if length == Self.wordCapacity {
                        buffers.overflow = Array(UnsafeBufferPointer(start: word, count: length))
                    }
                    buffers.overflow.append(c)
                }
                length += 1
                lastByte = c
            }
            func endWord(_ offset: Int) {
                inWord = false
                buffers.sourceEnds.append(Int32(offset))
                buffers.testStart.append(Int32(buffers.tests.count))
                if length <= Self.wordCapacity {
                    index.tests(ofWord: word, count: length, into: &buffers.tests)
                } else {
                    let spilled = buffers.overflow
                    spilled.withUnsafeBufferPointer { index.tests(ofWord: $0.baseAddress!, count: $0.count, into: &buffers.tests) }
                }
                length = 0
            }

            var i = 0
            let n = src.count
            while i < n {
                let b = src[i]
                if b < 0x80 {
                    var c = b
                    if b &- 0x41 < 26 { c = b | 0x20 }
                    if c &- 0x61 < 26 || b &- 0x30 < 10 {
                        put(c, at: i)
                    } else if inWord {
                        endWord(i)
                    }
                    i += 1
                    continue
                }
                var value: UInt32
                var count: Int
                if b & 0xE0 == 0xC0 { value = UInt32(b & 0x1F); count = 2 }
                else if b & 0xF0 == 0xE0 { value = UInt32(b & 0x0F); count = 3 }
                else { value = UInt32(b & 0x07); count = 4 }
                count = min(count, n - i)
                for k in 1..<max(count, 1) { value = (value << 6) | UInt32(src[i + k] & 0x3F) }
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                for f in TextNormalizer.foldedBytes(of: scalar, previous: inWord ? lastByte : nil) {
                    if f == 0x20 {
                        if inWord { endWord(i) }
                    } else {
                        put(f, at: i)
                    }
                }
                i += max(count, 1)
            }
            if inWord { endWord(n) }
        }
        buffers.testStart.append(Int32(buffers.tests.count))
        guard !buffers.tests.isEmpty else { return }
        collectHits(field: field, instance: instance, buffers: buffers, into: &hits)
    }

    /// Turns the tests passed by each word into pattern hits.
    private func collectHits(field: UInt8, instance: Int32, buffers: ScanBuffers, into hits: inout [Hit]) {
        let index = patternIndex
        let count = buffers.sourceStarts.count
        let tests = buffers.tests, testStart = buffers.testStart
        func passes(_ w: Int, _ test: Int32) -> Bool {
            for k in Int(testStart[w])..<Int(testStart[w + 1]) where tests[k] == test { return true }
            return false
        }
        for w in 0..<count {
            for k in Int(testStart[w])..<Int(testStart[w + 1]) {
                let t = Int(tests[k])
                let single = index.singlePattern[t]
                if single >= 0 {
                    hits.append(Hit(
                        pattern: single, field: field, instance: instance, first: Int32(w), last: Int32(w),
                        sourceStart: buffers.sourceStarts[w], sourceEnd: buffers.sourceEnds[w]
                    ))
                }
                for q in Int(index.phraseStart[t])..<Int(index.phraseStart[t + 1]) {
                    let p = Int(index.phrases[q])
                    let from = Int(index.patternTestStart[p]), to = Int(index.patternTestStart[p + 1])
                    let last = w + (to - from) - 1
                    guard last < count else { continue }
                    var ok = true
                    for j in (from + 1)..<to where !passes(w + j - from, index.patternTests[j]) {
                        ok = false
                        break
                    }
                    guard ok else { continue }
                    hits.append(Hit(
                        pattern: Int32(p), field: field, instance: instance, first: Int32(w), last: Int32(last),
                        sourceStart: buffers.sourceStarts[w], sourceEnd: buffers.sourceEnds[last]
                    ))
                }
            }
        }
    }
}
