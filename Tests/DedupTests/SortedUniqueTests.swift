import NewsTestSupport
import Testing

@testable import Dedup

/// Every list of a fingerprint is sorted and unique (`StoryFingerprint.sortedUnique`, its own quicksort): lists
/// of every length from empty to several hundred, few or many repeats, ascending, descending and equal runs.
@Suite struct SortedUniqueTests {
    @Test func sortsAndDropsRepeatsLikeTheStandardLibrary() {
        var random = SeededRandom(seed: 13)
        for count in Array(0...70) + [99, 100, 127, 128, 129, 255, 600] {
            for spread in [UInt64(3), 50, UInt64.max] {
                let values = (0..<count).map { _ in UInt64.random(in: 0...spread, using: &random) }
                #expect(StoryFingerprint.sortedUnique(values) == Array(Set(values)).sorted(), "\(count) values up to \(spread)")
            }
            let ascending = (0..<UInt64(count)).map { $0 * 7 }
            #expect(StoryFingerprint.sortedUnique(ascending) == ascending)
            #expect(StoryFingerprint.sortedUnique(ascending.reversed()) == ascending)
            #expect(StoryFingerprint.sortedUnique(Array(repeating: 5, count: count)) == (count == 0 ? [] : [5]))
        }
    }
}
