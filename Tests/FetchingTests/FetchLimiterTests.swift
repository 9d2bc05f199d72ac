import Synchronization
import Testing

@testable import Fetching

/// The keyed semaphore on its own, with several hosts (no network needed).
@Suite(.timeLimit(.minutes(1)))
struct FetchLimiterTests {
    final class Peaks: Sendable {
        struct Counts {
            var global = 0
            var byHost: [String: Int] = [:]
            var maxGlobal = 0
            var maxByHost: [String: Int] = [:]
        }
        let counts = Mutex(Counts())

        func enter(_ host: String) {
            counts.withLock {
                $0.global += 1
                $0.byHost[host, default: 0] += 1
                $0.maxGlobal = max($0.maxGlobal, $0.global)
                $0.maxByHost[host] = max($0.maxByHost[host] ?? 0, $0.byHost[host]!)
            }
        }

        func leave(_ host: String) {
            counts.withLock {
                $0.global -= 1
                $0.byHost[host]! -= 1
            }
        }
    }

    @Test func limitsHoldAcrossHostsAndAFullHostDoesNotBlockOthers() async throws {
        let limiter = FetchLimiter(globalLimit: 4, perHostLimit: 2)
        let peaks = Peaks()
        let hosts = ["a.example", "b.example", "c.example"]
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                let host = hosts[index % hosts.count]
                group.addTask {
                    try? await limiter.acquire(host: host)
                    peaks.enter(host)
                    try? await Task.sleep(for: .milliseconds(15))
                    peaks.leave(host)
                    await limiter.release(host: host)
                }
            }
        }
        let counts = peaks.counts.withLock { $0 }
        #expect(counts.maxGlobal == 4)
        for host in hosts { #expect(counts.maxByHost[host] == 2) }
        #expect(await limiter.usage(host: "a.example") == (0, 0))
    }

    @Test func waiterForAFullHostLetsOtherHostsPass() async throws {
        let limiter = FetchLimiter(globalLimit: 3, perHostLimit: 1)
        try await limiter.acquire(host: "busy")
        let blocked = Task { try await limiter.acquire(host: "busy") }
        try await Task.sleep(for: .milliseconds(50))
        // The queued "busy" waiter must not hold up another host.
        try await limiter.acquire(host: "free")
        #expect(await limiter.usage(host: "free") == (2, 1))
        await limiter.release(host: "busy")
        try await blocked.value
        #expect(await limiter.usage(host: "busy") == (2, 1))
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let limiter = FetchLimiter(globalLimit: 1, perHostLimit: 1)
        try await limiter.acquire(host: nil)
        let waiter = Task { try await limiter.acquire(host: "h") }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await limiter.release(host: nil)
        #expect(await limiter.usage(host: "h") == (0, 0))  // the cancelled waiter never got the permit
    }
}
