/// Pure time math for retrying feeds: exponential backoff with jitter, and the delay after each outcome.
public enum FetchBackoff {
    /// The wait after `consecutiveFailures` failures in a row: exponential, full jitter, capped, never "give up".
    ///
    /// The upper bound doubles per failure, `min(cap, base × 2^failures)`; the result is drawn uniformly
    /// between `base` and that bound (full jitter, with a floor of one `base` so a failing host is never
    /// hammered). With the defaults (base 1 min, cap 6 h):
    ///
    /// | consecutive failures | delay drawn from |
    /// |---|---|
    /// | 0 | 0 (no failure, no backoff) |
    /// | 1 | 1 min … 2 min |
    /// | 2 | 1 min … 4 min |
    /// | 3 | 1 min … 8 min |
    /// | 4 | 1 min … 16 min |
    /// | 5 | 1 min … 32 min |
    /// | 6 | 1 min … 64 min |
    /// | 7 | 1 min … 128 min |
    /// | 8 | 1 min … 256 min |
    /// | 9 and more | 1 min … 6 h |
    ///
    /// A feed is never disabled: at worst it is retried within every `cap`.
    /// - Parameters:
    ///   - consecutiveFailures: Failures in a row, counting the one just seen; 0 or less gives `.zero`.
    ///   - base: The floor and first step. The default is 1 minute.
    ///   - cap: The largest upper bound. The default is 6 hours.
    ///   - random: The source of jitter (inject a seeded generator in tests).
    /// - Returns: A duration in `base ... min(cap, base × 2^consecutiveFailures)`.
    public static func backoff(
        consecutiveFailures: Int,
        base: Duration = .seconds(60),
        cap: Duration = .seconds(6 * 3600),
        random: inout some RandomNumberGenerator
    ) -> Duration {
        guard consecutiveFailures > 0 else { return .zero }
        let bounds = range(consecutiveFailures: consecutiveFailures, base: base, cap: cap)
        let low = seconds(bounds.lowerBound)
        let high = seconds(bounds.upperBound)
        guard high > low else { return bounds.lowerBound }
        // Our own uniform fraction in [0, 1) from the top 53 bits: no rejection loop, so any generator
        // (even a constant one in tests) terminates.
        let fraction = Double(random.next() >> 11) * 0x1p-53
        return .seconds(low + fraction * (high - low))
    }

    /// ``backoff(consecutiveFailures:base:cap:random:)`` with the system's random generator.
    public static func backoff(
        consecutiveFailures: Int,
        base: Duration = .seconds(60),
        cap: Duration = .seconds(6 * 3600)
    ) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return backoff(consecutiveFailures: consecutiveFailures, base: base, cap: cap, random: &generator)
    }

    /// The range ``backoff(consecutiveFailures:base:cap:random:)`` draws from (the table's right column).
    public static func range(consecutiveFailures: Int, base: Duration, cap: Duration) -> ClosedRange<Duration> {
        guard consecutiveFailures > 0 else { return .zero ... .zero }
        let floor = min(base, cap)
        let exponent = Double(min(consecutiveFailures, 60))
        let upper = min(seconds(cap), seconds(base) * pow2(exponent))
        return floor ... max(floor, .seconds(upper))
    }

    /// How long to wait before the next fetch of a feed, given the outcome of the last one.
    ///
    /// Failures never make polling more frequent than the feed's interval:
    ///
    /// | outcome | next fetch after |
    /// |---|---|
    /// | content, not modified | `interval` |
    /// | gone (404/410) | `max(interval, goneRetryInterval)` |
    /// | rate limited with `Retry-After` | `max(interval, min(retryAfter, maxRetryAfter))` |
    /// | rate limited without it, failed | `max(interval, backoff(consecutiveFailures))` |
    ///
    /// - Parameters:
    ///   - outcome: The last fetch's outcome.
    ///   - consecutiveFailures: Failures in a row including this one (ignored for successes).
    ///   - interval: The feed's poll interval (before the scheduler's own jitter).
    ///   - configuration: Backoff base and cap, gone interval, `Retry-After` limit.
    ///   - random: The source of jitter.
    public static func delay(
        after outcome: FetchOutcome,
        consecutiveFailures: Int,
        interval: Duration,
        configuration: FetchConfiguration = FetchConfiguration(),
        random: inout some RandomNumberGenerator
    ) -> Duration {
        switch outcome {
        case .content, .notModified:
            return interval
        case .gone:
            return max(interval, configuration.goneRetryInterval)
        case .rateLimited(_, let retryAfter?):
            return max(interval, min(retryAfter, configuration.maxRetryAfter))
        case .rateLimited(_, nil), .failed:
            let wait = backoff(
                consecutiveFailures: max(1, consecutiveFailures), base: configuration.backoffBase,
                cap: configuration.backoffCap, random: &random
            )
            return max(interval, wait)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private static func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}
