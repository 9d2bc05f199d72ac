import NewsTestSupport
import Testing

@testable import Fetching

/// A generator that always returns the same word: 0 gives the low end of a range, .max the high end.
struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

struct FetchBackoffTests {
    private static let minute = Duration.seconds(60)
    private static let cap = Duration.seconds(6 * 3600)

    /// The table in the doc comment of `FetchBackoff.backoff`.
    @Test(arguments: [
        (0, Duration.zero, Duration.zero),
        (1, minute, minute * 2), (2, minute, minute * 4), (3, minute, minute * 8), (4, minute, minute * 16),
        (5, minute, minute * 32), (6, minute, minute * 64), (7, minute, minute * 128), (8, minute, minute * 256),
        (9, minute, cap), (20, minute, cap), (1_000_000, minute, cap), (Int.max, minute, cap),
    ])
    func backoffRangeMatchesTheDocumentedTable(failures: Int, low: Duration, high: Duration) {
        let range = FetchBackoff.range(consecutiveFailures: failures, base: Self.minute, cap: Self.cap)
        #expect(range == low...high)
        var lowest = FixedGenerator(value: 0)
        var highest = FixedGenerator(value: .max)
        let atLow = FetchBackoff.backoff(consecutiveFailures: failures, random: &lowest)
        let atHigh = FetchBackoff.backoff(consecutiveFailures: failures, random: &highest)
        #expect(atLow == low)
        #expect(abs(seconds(atHigh) - seconds(high)) < 0.001)
    }

    @Test func jitterStaysInBoundsAndSpreadsOut() {
        for seed in UInt64(0)..<20 {
            var generator = SeededRandom(state: seed)
            for failures in 1...12 {
                let range = FetchBackoff.range(consecutiveFailures: failures, base: Self.minute, cap: Self.cap)
                var seen: [Double] = []
                for _ in 0..<50 {
                    let delay = FetchBackoff.backoff(consecutiveFailures: failures, random: &generator)
                    #expect(range.contains(delay), "failures \(failures): \(delay) outside \(range)")
                    seen.append(seconds(delay))
                }
                // Full jitter: draws spread over the range rather than clustering at one end.
                let width = seconds(range.upperBound) - seconds(range.lowerBound)
                #expect(seen.max()! - seen.min()! > width * 0.5)
            }
        }
    }

    @Test func sameSeedGivesTheSameDelays() {
        var first = SeededRandom(state: 42)
        var second = SeededRandom(state: 42)
        let a = (1...10).map { FetchBackoff.backoff(consecutiveFailures: $0, random: &first) }
        let b = (1...10).map { FetchBackoff.backoff(consecutiveFailures: $0, random: &second) }
        #expect(a == b)
    }

    @Test func customBaseAndCap() {
        let range = FetchBackoff.range(consecutiveFailures: 3, base: .seconds(10), cap: .seconds(50))
        #expect(range == .seconds(10) ... .seconds(50))
        #expect(FetchBackoff.backoff(consecutiveFailures: 0) == .zero)
        #expect(FetchBackoff.backoff(consecutiveFailures: -3) == .zero)
    }

    @Test func delayAfterEachOutcome() {
        let interval = Duration.seconds(600)
        let configuration = FetchConfiguration()
        var random = FixedGenerator(value: .max)
        func delay(_ outcome: FetchOutcome, failures: Int = 1) -> Duration {
            FetchBackoff.delay(
                after: outcome, consecutiveFailures: failures, interval: interval, configuration: configuration,
                random: &random)
        }
        let failure = FetchOutcome.failed(FetchError(code: .network, message: "down", feedID: "f"))
        #expect(delay(.content(body: [], charset: nil, etag: nil, lastModified: nil)) == interval)
        #expect(delay(.notModified) == interval)
        #expect(delay(.gone(status: 410)) == .seconds(24 * 3600))
        #expect(delay(.rateLimited(status: 429, retryAfter: .seconds(7200))) == .seconds(7200))
        #expect(delay(.rateLimited(status: 429, retryAfter: .seconds(30))) == interval)  // never sooner
        #expect(delay(.rateLimited(status: 429, retryAfter: .seconds(999_999))) == .seconds(24 * 3600))
        #expect(delay(failure, failures: 1) == interval)  // 2 min backoff < 10 min interval
        #expect(abs(seconds(delay(failure, failures: 5)) - 32 * 60) < 0.01)
        #expect(abs(seconds(delay(failure, failures: 50)) - 6 * 3600) < 0.01)
        #expect(abs(seconds(delay(.rateLimited(status: 429, retryAfter: nil), failures: 6)) - 64 * 60) < 0.01)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
