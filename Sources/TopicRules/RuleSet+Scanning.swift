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
        /// The hit of the same pattern before this one, or -1 (set when the hits are linked).
        var previous: Int32 = -1
    }

    /// The largest number of words a pattern may span (the scanner remembers this many words).
    static let maximumPatternWords = 32
    private static let ringSize = 64

    /// Normalizes `text` and runs the automaton over it in one pass, appending every hit.
    ///
    /// Normalized bytes go straight into the automaton (` word word ` with single spaces, the
    /// form ``TermPattern/automatonBytes`` expects); nothing is buffered except the source
    /// offsets of the last 64 words, kept for explanations.
    ///
    /// - Complexity: O(n) in the UTF-8 length of `text`, plus O(1) per hit.
    func scan(_ text: String, field: UInt8, instance: Int32, tables: PatternAutomaton.Tables, ring: UnsafeMutablePointer<Int32>, into hits: inout [Hit]) {
        var text = text
        let extraWords = patternExtraWords
        text.withUTF8 { src in
            let ringStarts = ring
            let ringEnds = ring + Self.ringSize
            let mask = Self.ringSize - 1
            let firstHit = hits.count
            var state = 0
            var word = -1
            /// Feeds one normalized byte; `inWord`: the byte belongs to a word whose end is not known yet.
            @inline(__always) func step(_ byte: UInt8, inWord: Bool) {
                state = tables.step(state, byte)
                if tables.hasOutput(state) { report(inWord: inWord) }
            }
            func report(inWord: Bool) {
                for k in Int(tables.outputStart[state])..<Int(tables.outputStart[state + 1]) {
                    let pattern = tables.outputs[k]
                    let first = word - Int(extraWords[Int(pattern)])
                    guard first >= 0 else { continue }
                    hits.append(Hit(
                        pattern: pattern, field: field, instance: instance,
                        first: Int32(first), last: Int32(word),
                        sourceStart: ringStarts[first & mask], sourceEnd: inWord ? -1 : ringEnds[word & mask]
                    ))
                }
            }
            @inline(__always) func beginWord(_ offset: Int) {
                word += 1
                ringStarts[word & mask] = Int32(offset)
            }
            func endWord(_ offset: Int) {
                ringEnds[word & mask] = Int32(offset)
                // Hits that ended inside this word learn where it ends.
                var h = hits.count - 1
                while h >= firstHit, hits[h].last == word, hits[h].sourceEnd < 0 {
                    hits[h].sourceEnd = Int32(offset)
                    h -= 1
                }
                step(0x20, inWord: false)
            }

            step(0x20, inWord: false)
            WordSegmenter.segment(src, begin: beginWord, byte: { step($0, inWord: true) }, end: endWord)
        }
    }
}
