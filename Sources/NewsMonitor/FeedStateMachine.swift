public import Foundation
import Fetching

/// The scheduling life of one feed as a value type: idle → fetching → idle, backoff or gone.
///
/// The machine performs no I/O and reads no clock: callers pass `now` and a random number
/// generator, and perform the returned ``Action``. Tests drive it with a manual clock.
public struct FeedStateMachine: Sendable, Hashable {
    /// Where the feed is.
    public enum State: Sendable, Hashable {
        /// Waiting for its next regular poll.
        case idle(nextDue: Date)
        /// A poll is in flight; `goneSince` remembers a gone feed's first 404/410.
        case fetching(since: Date, goneSince: Date?)
        /// The last polls failed; the next attempt is at `until`.
        case backoff(until: Date)
        /// The server said 404/410; probed again, slowly, at `nextProbe`. Never given up for good.
        case gone(since: Date, nextProbe: Date)
    }

    /// How a poll ended.
    public enum Outcome: Sendable, Hashable {
        /// 200 or 304: the feed was read (even if it had nothing new).
        case fetched
        /// A network error, 5xx, 429 or an unparsable body.
        case failed(retryAfter: Duration?)
        /// 404 or 410.
        case gone
        /// The feed answered, but the daemon could not record the document (state store or spool,
        /// see ``DaemonProblem``): not the feed's fault, so no failure is counted and the next poll
        /// is at the regular interval.
        case deferred
    }

    /// What the owner must do.
    public enum Action: Sendable, Hashable {
        case none
        case startPoll
    }

    /// The current state.
    public private(set) var state: State
    /// Failed polls in a row (0 after a success).
    public private(set) var consecutiveFailures: Int
    /// The feed's poll interval (jitter is added).
    public var interval: Duration

    /// When the next poll is due after each outcome. The default is ``RetryPolicy/init(backoffBase:backoffCap:goneInterval:maxRetryAfter:jitter:)``.
    public var policy: RetryPolicy

    /// A machine restored from persisted state.
    ///
    /// - Parameters:
    ///   - interval: The poll interval.
    ///   - nextDue: The persisted next-due time; nil for a feed never polled.
    ///   - consecutiveFailures: The persisted error count.
    ///   - goneSince: When the feed started answering 404/410, if it does.
    ///   - now: The current time.
    ///   - startupSpread: New and overdue feeds are due at a random moment within this span from `now`.
    ///   - policy: The retry policy.
    public init<R: RandomNumberGenerator>(
        interval: Duration,
        nextDue: Date?,
        consecutiveFailures: Int = 0,
        goneSince: Date? = nil,
        now: Date,
        startupSpread: Duration,
        policy: RetryPolicy = RetryPolicy(),
        random: inout R
    ) {
        self.interval = interval
        self.policy = policy
        self.consecutiveFailures = consecutiveFailures
        var due = nextDue ?? now
        if due <= now {
            due = now.addingTimeInterval(RetryPolicy.seconds(startupSpread) * Double.random(in: 0...1, using: &random))
        }
        if let goneSince {
            state = .gone(since: goneSince, nextProbe: due)
        } else if consecutiveFailures > 0 {
            state = .backoff(until: due)
        } else {
            state = .idle(nextDue: due)
        }
    }

    /// When the machine next wants to poll; nil while a poll is in flight.
    public var wakeUp: Date? {
        switch state {
        case .idle(let due): due
        case .backoff(let until): until
        case .gone(_, let probe): probe
        case .fetching: nil
        }
    }

    /// The time ``wakeUp`` was, or will be, reached; alias used when persisting.
    public var nextDue: Date? { wakeUp }

    /// When the feed has answered 404/410 since, if it does.
    public var goneSince: Date? {
        if case .gone(let since, _) = state { return since }
        return nil
    }

    /// Starts a poll if the feed is due at `now` (or `force` is set) and none is in flight.
    public mutating func poll(now: Date, force: Bool = false) -> Action {
        guard let wakeUp else { return .none }
        guard force || wakeUp <= now else { return .none }
        state = .fetching(since: now, goneSince: goneSince)
        return .startPoll
    }

    /// Records how the poll ended and schedules the next one with ``policy``.
    ///
    /// - Returns: The next due time.
    @discardableResult
    public mutating func finished<R: RandomNumberGenerator>(_ outcome: Outcome, now: Date, random: inout R) -> Date {
        var wasGoneSince: Date?
        if case .fetching(_, let since) = state { wasGoneSince = since }
        switch outcome {
        case .fetched: consecutiveFailures = 0
        case .failed, .gone: consecutiveFailures += 1
        case .deferred: break
        }
        let delay = policy.delay(
            after: outcome, consecutiveFailures: consecutiveFailures, interval: interval, random: &random)
        let due = now.addingTimeInterval(RetryPolicy.seconds(delay))
        switch outcome {
        case .fetched, .deferred: state = .idle(nextDue: due)
        case .failed: state = .backoff(until: due)
        case .gone: state = .gone(since: wasGoneSince ?? now, nextProbe: due)
        }
        return due
    }

    static func seconds(_ d: Duration) -> Double { RetryPolicy.seconds(d) }
}
