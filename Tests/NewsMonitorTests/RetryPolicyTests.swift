import Foundation
import NewsMonitor
import NewsTestSupport
import Testing

/// A generator that always returns the same word: 0 gives the low end of a range, .max the high end.
struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

/// The one retry policy: the tables in `RetryPolicy`'s doc comments and docs/daemon.md.
struct RetryPolicyTests {
    private static let minute = Duration.seconds(60)
    private static let sixHours = Duration.seconds(6 * 3600)
    private static let day = Duration.seconds(24 * 3600)
    private let policy = RetryPolicy()

    @Test(arguments: [
        (0, Duration.zero, Duration.zero),
        (1, minute, minute * 2), (2, minute, minute * 4), (3, minute, minute * 8), (4, minute, minute * 16),
        (5, minute, minute * 32), (6, minute, minute * 64), (7, minute, minute * 128), (8, minute, minute * 256),
        (9, minute, sixHours), (20, minute, sixHours), (1_000_000, minute, sixHours), (Int.max, minute, sixHours),
    ])
    func backoffRangeMatchesTheDocumentedTable(failures: Int, low: Duration, high: Duration) {
        #expect(policy.backoffRange(consecutiveFailures: failures) == low...high)
        var lowest = FixedGenerator(value: 0)
        var highest = FixedGenerator(value: .max)
        #expect(policy.backoff(consecutiveFailures: failures, random: &lowest) == low)
        #expect(abs(seconds(policy.backoff(consecutiveFailures: failures, random: &highest)) - seconds(high)) < 0.001)
    }

    @Test func jitterStaysInBoundsAndSpreadsOut() {
        for seed in UInt64(0)..<20 {
            var generator = SeededRandom(state: seed)
            for failures in 1...12 {
                let range = policy.backoffRange(consecutiveFailures: failures)
                var seen: [Double] = []
                for _ in 0..<50 {
                    let delay = policy.backoff(consecutiveFailures: failures, random: &generator)
                    #expect(range.contains(delay), "failures \(failures): \(delay) outside \(range)")
                    seen.append(seconds(delay))
                }
                let width = seconds(range.upperBound) - seconds(range.lowerBound)
                #expect(seen.max()! - seen.min()! > width * 0.5)  // full jitter, not clustered at one end
            }
        }
    }

    @Test func delayAfterEachOutcome() {
        let interval = Duration.seconds(600)
        var low = FixedGenerator(value: 0)
        var high = FixedGenerator(value: .max)
        func delay(_ outcome: FeedStateMachine.Outcome, failures: Int = 1, high useHigh: Bool = true) -> Double {
            seconds(
                useHigh
                    ? policy.delay(after: outcome, consecutiveFailures: failures, interval: interval, random: &high)
                    : policy.delay(after: outcome, consecutiveFailures: failures, interval: interval, random: &low))
        }
        #expect(delay(.fetched, high: false) == 600)
        #expect(abs(delay(.fetched) - 660) < 0.01)  // interval + at most 10 %
        #expect(delay(.deferred, high: false) == 600)
        #expect(delay(.gone, high: false) == 6 * 3600)
        #expect(abs(delay(.gone) - 6 * 3600 * 1.1) < 0.01)
        #expect(delay(.failed(retryAfter: nil), failures: 1) == 600)  // 2 min backoff < 10 min interval
        #expect(abs(delay(.failed(retryAfter: nil), failures: 5) - 32 * 60) < 0.01)
        #expect(abs(delay(.failed(retryAfter: nil), failures: 50) - 6 * 3600) < 0.01)
        #expect(delay(.failed(retryAfter: .seconds(7200)), high: false) == 7200)  // a longer Retry-After wins
        #expect(delay(.failed(retryAfter: .seconds(30)), high: false) == 600)  // never sooner than the interval
    }

    /// The bug of issue 11: `Retry-After: 999999999` on a 503 put the next poll in 2058.
    @Test(arguments: [Duration.seconds(999_999_999), .seconds(Int64.max), .seconds(86_401)])
    func retryAfterIsHonouredUpToADayAndNeverBeyond(retryAfter: Duration) {
        var random = FixedGenerator(value: .max)
        let delay = policy.delay(
            after: .failed(retryAfter: retryAfter), consecutiveFailures: 1, interval: .seconds(600), random: &random)
        #expect(delay == Self.day)
        #expect(policy.honoured(retryAfter: retryAfter) == Self.day)
        #expect(policy.honoured(retryAfter: .seconds(-5)) == .zero)
        #expect(policy.honoured(retryAfter: .seconds(3600)) == .seconds(3600))
    }

    @Test func theStateMachineSchedulesWithThePolicy() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var random = SeededRandom(state: 7)
        var machine = FeedStateMachine(
            interval: .seconds(600), nextDue: start, now: start, startupSpread: .zero, random: &random)
        #expect(machine.poll(now: start) == .startPoll)
        let due = machine.finished(.failed(retryAfter: .seconds(999_999_999)), now: start, random: &random)
        #expect(due == start.addingTimeInterval(24 * 3600))
        #expect(machine.state == .backoff(until: due))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
