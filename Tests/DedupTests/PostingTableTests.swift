import NewsTestSupport
import Testing

@testable import Dedup

/// The inverted lists of the story index (`PostingTable`): each term's list moves to a chunk twice as large at the end of
/// the slot array whenever it fills, while other terms' lists grow between its moves; every list must read back whole
/// and in order, counts must stay exact past the list limit, and a term over the limit keeps no list.
@Suite struct PostingTableTests {
    /// What the table should hold, kept beside it: term → slots in the order added.
    private func model(_ table: PostingTable, _ expected: [UInt64: [Int32]], limit: Int32) {
        for (term, slots) in expected {
            let entry = table.entry(of: term)
            #expect(Int(entry.count) == slots.count, "count of term \(term)")
            #expect(table.count(of: term) == slots.count)
            var read: [Int32] = []
            table.forEachSlot(of: entry) { read.append($0) }
            #expect(read == (slots.count <= Int(limit) ? slots : []), "list of term \(term) with \(slots.count) stories")
        }
    }

    @Test func listsSurviveEveryMoveWhileOtherListsGrow() {
        let limit: Int32 = 300
        var table = PostingTable(listLimit: limit)
        var expected: [UInt64: [Int32]] = [:]
        var random = SeededRandom(seed: 7)
        // Terms of very different frequencies, added in a random interleaving: lists from one story to most of the
        // 2,000, so that chunks of 2, 4 … 256 slots fill and move while the array grows under them, and some lists pass
        // the limit (and are dropped).
        let terms = (0..<600).map { _ in UInt64.random(in: 1...UInt64.max, using: &random) }
        for slot in Int32(0)..<2_000 {
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                // A skewed choice (the fifth power of a uniform draw): a few terms in most stories, most in few.
                let draw = Double.random(in: 0..<1, using: &random)
                let term = terms[Int(600 * draw * draw * draw * draw * draw)]
                guard expected[term]?.last != slot else { continue }  // once per story and term
                table.add(term, slot: slot)
                expected[term, default: []].append(slot)
            }
        }
        #expect(table.termCount == expected.count)
        #expect(expected.values.contains { $0.count > Int(limit) }, "some list passes the limit")
        #expect(expected.values.contains { $0.count > 128 && $0.count <= Int(limit) }, "some list moved many times")
        model(table, expected, limit: limit)
        #expect(table.count(of: 0x5eed) == 0)
        #expect(table.entry(of: 0x5eed).head == -1)
    }

    @Test func countsOnlyTableKeepsNoLists() {
        var table = PostingTable(listLimit: 0)
        for slot in Int32(0)..<40 { table.add(42, slot: slot) }
        table.add(43, slot: 3)
        #expect(table.count(of: 42) == 40)
        #expect(table.count(of: 43) == 1)
        var read: [Int32] = []
        table.forEachSlot(of: table.entry(of: 42)) { read.append($0) }
        #expect(read.isEmpty)
    }
}
