#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where the polls' time went, summed over feeds: fetch wall time (it waits on the network), and the CPU
/// time of parse, match, plan (dedup decisions), spool (writing and printing alerts) and commit (the state
/// store). CPU times are the calling thread's, measured around synchronous sections only.
public final class PollTimings: Sendable {
    /// The sums, in seconds.
    public struct Totals: Sendable, Hashable {
        public var fetchWall = 0.0
        public var parse = 0.0
        public var match = 0.0
        /// What dedup derives from each entry alone (identity, fingerprint), in the concurrent half.
        public var dedupPrepare = 0.0
        public var plan = 0.0
        public var spool = 0.0
        public var commit = 0.0
        public var items = 0

        /// Dedup's share: prepare, plan and commit.
        public var dedup: Double { dedupPrepare + plan + commit }

        /// "fetch 1.234 s wall; CPU: parse 0.101 s, match 0.050 s, dedup 0.250 s (prepare 0.040, plan 0.150, commit
        /// 0.060), spool …".
        public var description: String {
            func f(_ x: Double) -> String {
                let millis = Int((x * 1000).rounded())
                let fraction = String(millis % 1000)
                return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
            }
            return "\(items) items; fetch \(f(fetchWall)) s wall; CPU: parse \(f(parse)) s, match \(f(match)) s, "
                + "dedup \(f(dedup)) s (prepare \(f(dedupPrepare)), plan \(f(plan)), commit \(f(commit))), spool \(f(spool)) s"
        }
    }

    private let totals = Mutex(Totals())

    public init() {}

    /// The sums so far.
    public var current: Totals { totals.withLock { $0 } }

    func add(_ body: (inout Totals) -> Void) {
        totals.withLock { body(&$0) }
    }

    /// Runs `body`, adding its thread CPU time to the total `keyPath` names.
    func measure<T>(_ keyPath: WritableKeyPath<Totals, Double>, _ body: () throws -> T) rethrows -> T {
        let start = Self.threadCPU()
        defer {
            let spent = Self.threadCPU() - start
            totals.withLock { $0[keyPath: keyPath] += spent }
        }
        return try body()
    }

    /// The calling thread's CPU time in seconds.
    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
