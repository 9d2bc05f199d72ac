/// When a feed is polled next, after each kind of poll: newsmon's one retry policy.
///
/// Pure time math: no clock, no I/O; the jitter comes from the generator passed in. With the
/// defaults (docs/daemon.md, "Scheduling", is the one description for users):
///
/// | after | next poll |
/// |---|---|
/// | success (200, 304), or a poll the daemon could not record | `interval` + 0–10 % |
/// | the n-th failure in a row | `max(min(interval, 6 h), d, min(Retry-After, 24 h))`, `d` uniform in 1 min … `min(6 h, 1 min · 2ⁿ)` |
/// | 404/410 | `max(interval, 6 h)` + 0–10 %, for ever |
///
/// A `Retry-After` is honoured up to ``maxRetryAfter`` and never beyond; nothing is given up for good.
public struct RetryPolicy: Sendable, Hashable {
    /// The floor and first step of the error backoff. The default is 1 minute.
    public var backoffBase: Duration
    /// The largest error backoff: a failing feed is retried at least this often. The default is 6 hours.
    public var backoffCap: Duration
    /// The probe period of a feed answering 404/410 (or its interval, if longer). The default is 6 hours.
    public var goneInterval: Duration
    /// The longest `Retry-After` honoured; longer ones are cut to this. The default is 24 hours.
    public var maxRetryAfter: Duration
    /// The largest jitter added to regular polls and gone probes, as a fraction of the wait. The default is 0.1.
    public var jitter: Double

    public init(
        backoffBase: Duration = .seconds(60),
        backoffCap: Duration = .seconds(6 * 3600),
        goneInterval: Duration = .seconds(6 * 3600),
        maxRetryAfter: Duration = .seconds(24 * 3600),
        jitter: Double = 0.1
    ) {
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.goneInterval = goneInterval
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// The wait before the next poll of a feed polled every `interval`, after `outcome`.
    ///
    /// - Parameters:
    ///   - outcome: How the poll ended.
    ///   - consecutiveFailures: Failures in a row, counting this one (read for `.failed` only).
    ///   - interval: The feed's poll interval.
    ///   - random: The source of jitter (a seeded generator in tests).
    public func delay(
        after outcome: FeedStateMachine.Outcome, consecutiveFailures: Int, interval: Duration,
        random: inout some RandomNumberGenerator
    ) -> Duration {
        switch outcome {
        case .fetched, .deferred:
            return jittered(interval, random: &random)
        case .gone:
            return jittered(max(interval, goneInterval), random: &random)
        case .failed(let retryAfter):
            let drawn = backoff(consecutiveFailures: max(consecutiveFailures, 1), random: &random)
            let floor = min(interval, backoffCap)
            return max(drawn, floor, honoured(retryAfter: retryAfter) ?? .zero)
        }
    }

    /// A server's `Retry-After` as the scheduler honours it: cut to ``maxRetryAfter``, never negative.
    public func honoured(retryAfter: Duration?) -> Duration? {
        retryAfter.map { max(.zero, min($0, maxRetryAfter)) }
    }

    /// The error backoff after `consecutiveFailures` failures in a row: exponential with full jitter.
    ///
    /// Drawn uniformly from ``backoffRange(consecutiveFailures:)``. With the defaults:
    ///
    /// | failures | drawn from |
    /// |---|---|
    /// | 0 | 0 |
    /// | 1 | 1 … 2 min |
    /// | 2 | 1 … 4 min |
    /// | 5 | 1 … 32 min |
    /// | 8 | 1 … 256 min |
    /// | 9 and more | 1 min … 6 h |
    public func backoff(consecutiveFailures: Int, random: inout some RandomNumberGenerator) -> Duration {
        guard consecutiveFailures > 0 else { return .zero }
        let bounds = backoffRange(consecutiveFailures: consecutiveFailures)
        let low = Self.seconds(bounds.lowerBound)
        let high = Self.seconds(bounds.upperBound)
        guard high > low else { return bounds.lowerBound }
        return .seconds(low + Self.fraction(&random) * (high - low))
    }

    /// The range ``backoff(consecutiveFailures:random:)`` draws from: `base … min(cap, base · 2ⁿ)`.
    public func backoffRange(consecutiveFailures: Int) -> ClosedRange<Duration> {
        guard consecutiveFailures > 0 else { return .zero ... .zero }
        let floor = min(backoffBase, backoffCap)
        var upper = Self.seconds(backoffBase)
        for _ in 0..<min(consecutiveFailures, 62) where upper < Self.seconds(backoffCap) { upper *= 2 }
        return floor ... max(floor, .seconds(min(upper, Self.seconds(backoffCap))))
    }

    /// `wait` plus up to ``jitter`` of it.
    private func jittered(_ wait: Duration, random: inout some RandomNumberGenerator) -> Duration {
        .seconds(Self.seconds(wait) * (1 + jitter * Self.fraction(&random)))
    }

    /// A uniform fraction in [0, 1) from the top 53 bits: no rejection loop, so any generator
    /// (even a constant one in tests) terminates, and the ends of each range can be pinned.
    private static func fraction(_ random: inout some RandomNumberGenerator) -> Double {
        Double(random.next() >> 11) * 0x1p-53
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
