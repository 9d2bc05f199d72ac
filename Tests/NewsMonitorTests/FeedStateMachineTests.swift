import NewsTestSupport
import Foundation
import Testing

@testable import NewsMonitor

@Suite struct FeedStateMachineTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func aNewFeedIsDueWithinTheStartupSpreadThenEveryIntervalPlusJitter() {
        var clock = ManualClock(now: start)
        var random = SeededRandom(state: 1)
        var machine = FeedStateMachine(
            interval: .seconds(600), nextDue: nil, now: clock.now, startupSpread: .seconds(30), random: &random)
        let first = machine.wakeUp!
        #expect(first >= start && first <= start.addingTimeInterval(30))
        #expect(first == start || machine.poll(now: clock.now) == .none)
        clock.now = first
        #expect(machine.poll(now: clock.now) == .startPoll)
        #expect(machine.wakeUp == nil)
        #expect(machine.poll(now: clock.now) == .none)  // never two polls of one feed at once
        clock.advance(by: 2)
        let due = machine.finished(.fetched, now: clock.now, random: &random)
        #expect(due.timeIntervalSince(clock.now) >= 600 && due.timeIntervalSince(clock.now) <= 660)
        #expect(machine.state == .idle(nextDue: due))
        clock.advance(by: 599)
        #expect(machine.poll(now: clock.now) == .none)
        clock.now = due
        #expect(machine.poll(now: clock.now) == .startPoll)
    }

    @Test func aRestartKeepsAPersistedDueTimeInTheFuture() {
        var random = SeededRandom(state: 2)
        let persisted = start.addingTimeInterval(420)
        let machine = FeedStateMachine(
            interval: .seconds(600), nextDue: persisted, now: start, startupSpread: .seconds(30), random: &random)
        #expect(machine.wakeUp == persisted)
    }

    @Test func failuresBackOffExponentiallyFromTheIntervalUpToSixHoursAndRecover() {
        var clock = ManualClock(now: start)
        var random = SeededRandom(state: 3)
        var machine = FeedStateMachine(
            interval: .seconds(60), nextDue: start, now: start, startupSpread: .zero, random: &random)
        var delays: [Double] = []
        for _ in 0..<12 {
            clock.now = machine.wakeUp!
            #expect(machine.poll(now: clock.now) == .startPoll)
            let due = machine.finished(.failed(retryAfter: nil), now: clock.now, random: &random)
            delays.append(due.timeIntervalSince(clock.now))
            #expect(machine.state == .backoff(until: due))
        }
        #expect(machine.consecutiveFailures == 12)
        // Full jitter: the k-th failure waits 1 min … min(6 h, 1 min × 2^k), never less than the interval.
        for (index, delay) in delays.enumerated() {
            let upper = min(21600, 60 * pow(2, Double(index + 1)))
            #expect(delay >= 60 && delay <= upper)
        }
        #expect(delays.max()! > 3600)  // the bound grows: a failing feed is not retried every minute
        clock.now = machine.wakeUp!
        _ = machine.poll(now: clock.now)
        let due = machine.finished(.fetched, now: clock.now, random: &random)
        #expect(machine.consecutiveFailures == 0)
        #expect(due.timeIntervalSince(clock.now) <= 66)
    }

    @Test func retryAfterLongerThanTheBackoffWins() {
        var random = SeededRandom(state: 4)
        var machine = FeedStateMachine(
            interval: .seconds(600), nextDue: start, now: start, startupSpread: .zero, random: &random)
        _ = machine.poll(now: start)
        let due = machine.finished(.failed(retryAfter: .seconds(7200)), now: start, random: &random)
        #expect(due.timeIntervalSince(start) == 7200)
    }

    @Test func aGoneFeedIsProbedEverySixHoursAndRemembersSince() {
        var clock = ManualClock(now: start)
        var random = SeededRandom(state: 5)
        var machine = FeedStateMachine(
            interval: .seconds(600), nextDue: start, now: start, startupSpread: .zero, random: &random)
        _ = machine.poll(now: clock.now)
        let probe = machine.finished(.gone, now: clock.now, random: &random)
        #expect(probe.timeIntervalSince(clock.now) >= 21600 && probe.timeIntervalSince(clock.now) <= 23760)
        #expect(machine.goneSince == start)
        clock.now = probe
        _ = machine.poll(now: clock.now)
        _ = machine.finished(.gone, now: clock.now, random: &random)
        #expect(machine.goneSince == start)
        clock.now = machine.wakeUp!
        _ = machine.poll(now: clock.now)
        _ = machine.finished(.fetched, now: clock.now, random: &random)
        #expect(machine.goneSince == nil)
        #expect(machine.consecutiveFailures == 0)
    }

    @Test func aRestoredFailingFeedStaysInBackoffAndAGoneOneStaysGone() {
        var random = SeededRandom(state: 6)
        let later = start.addingTimeInterval(900)
        let failing = FeedStateMachine(
            interval: .seconds(600), nextDue: later, consecutiveFailures: 3, now: start, startupSpread: .zero,
            random: &random)
        #expect(failing.state == .backoff(until: later))
        let gone = FeedStateMachine(
            interval: .seconds(600), nextDue: later, consecutiveFailures: 1, goneSince: start, now: start,
            startupSpread: .zero, random: &random)
        #expect(gone.state == .gone(since: start, nextProbe: later))
    }
}
