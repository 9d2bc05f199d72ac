/// All patterns of all topics, found word by word: every word of the text is looked up once in a
/// ``WordTestIndex``; single-word patterns hit directly, phrases are confirmed from the tests of
/// the words that follow.
struct PatternIndex: Sendable {
    let words: WordTestIndex
    /// Test id → the single-word pattern that is exactly this test, or -1.
    let singlePattern: [Int32]
    /// Test id → phrases whose first word is this test: `phrases[phraseStart[t] ..< phraseStart[t + 1]]`.
    let phraseStart: [Int32]
    let phrases: [Int32]
    /// Pattern id → the tests of its words: `patternTests[patternTestStart[p] ..< patternTestStart[p + 1]]`.
    let patternTestStart: [Int32]
    let patternTests: [Int32]

    init(patterns: [TermPattern]) {
        var testID: [WordTestIndex.Test: Int32] = [:]
        var tests: [WordTestIndex.Test] = []
        var patternTestStart: [Int32] = [0]
        var patternTests: [Int32] = []
        for p in patterns {
            let n = p.words.count
            for (j, word) in p.words.enumerated() {
                let openStart = j == 0 && p.isOpenStart, openEnd = j == n - 1 && p.isOpenEnd
                let kind: WordTestIndex.Kind =
                    openStart ? (openEnd ? .infix : .suffix) : (openEnd ? .prefix : .exact)
                let test = WordTestIndex.Test(kind: kind, bytes: Array(word.utf8))
                if let known = testID[test] {
                    patternTests.append(known)
                } else {
                    testID[test] = Int32(tests.count)
                    patternTests.append(Int32(tests.count))
                    tests.append(test)
                }
            }
            patternTestStart.append(Int32(patternTests.count))
        }
        var single = [Int32](repeating: -1, count: tests.count)
        var phraseLists = [[Int32]](repeating: [], count: tests.count)
        for p in patterns.indices {
            let first = Int(patternTests[Int(patternTestStart[p])])
            if patternTestStart[p + 1] - patternTestStart[p] == 1 {
                single[first] = Int32(p)
            } else {
                phraseLists[first].append(Int32(p))
            }
        }
        var phraseStart: [Int32] = [0]
        var phrases: [Int32] = []
        for list in phraseLists {
            phrases += list
            phraseStart.append(Int32(phrases.count))
        }
        self.words = WordTestIndex(tests: tests)
        self.singlePattern = single
        self.phraseStart = phraseStart
        self.phrases = phrases
        self.patternTestStart = patternTestStart
        self.patternTests = patternTests
    }

    /// The number of distinct word tests.
    var testCount: Int { words.tests.count }
}
