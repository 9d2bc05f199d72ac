import Foundation
import NewsTestSupport
import Synchronization
import Testing

@testable import Fetching

/// Deadlines, idle timeouts, the byte cap and the concurrency limits.
extension HTTPTests {
@Suite
struct HTTPFeedFetcherLimitsTests {
    @Test func hangingServerIsCutAtTheDeadline() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/hang", [.init(body: sampleFeed(), delay: 30)])
            let clock = ContinuousClock()
            let start = clock.now
            let configuration = testConfiguration(deadline: .seconds(1), idleTimeout: .seconds(20))
            let result = await withHTTPFeedFetcher(configuration: configuration) {
                await $0.fetch(FetchRequest(feedID: "hang", url: server.url("/hang")), logger: quietLogger)
            }
            let elapsed = clock.now - start
            // The server would answer after 30 s and the idle timeout is 20 s: only the deadline ends this.
            // The upper bound leaves room for a busy machine (the whole suite runs in parallel on 2 cores).
            #expect(result.outcome.error?.code == .timedOut)
            #expect(elapsed >= .milliseconds(950) && elapsed < .seconds(5), "took \(elapsed)")
        }
    }

    @Test func perRequestTimeoutOverridesTheConfiguration() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/hang", [.init(body: sampleFeed(), delay: 30)])
            let clock = ContinuousClock()
            let start = clock.now
            let configuration = testConfiguration(deadline: .seconds(20), idleTimeout: .seconds(20))
            let result = await withHTTPFeedFetcher(configuration: configuration) {
                let request = FetchRequest(feedID: "hang", url: server.url("/hang"), timeout: .milliseconds(500))
                return await $0.fetch(request, logger: quietLogger)
            }
            let elapsed = clock.now - start
            #expect(result.outcome.error?.code == .timedOut)
            #expect(elapsed >= .milliseconds(450) && elapsed < .milliseconds(4500), "took \(elapsed)")
        }
    }

    @Test func slowDripIsCutByTheTotalDeadlineNotTheIdleTimeout() async throws {
        try await TestHTTPServer.withServer { server in
            // 2 000 bytes, 20 every 100 ms: 10 s in all, never idle for the 1 s idle timeout.
            try await server.setRoute(
                "/drip", [.init(bodySize: 2_000, drip: .init(bytes: 20, interval: 0.1))])
            let configuration = testConfiguration(deadline: .milliseconds(1500), idleTimeout: .seconds(1))
            let clock = ContinuousClock()
            let start = clock.now
            let result = await withHTTPFeedFetcher(configuration: configuration) {
                await $0.fetch(FetchRequest(feedID: "drip", url: server.url("/drip")), logger: quietLogger)
            }
            let elapsed = clock.now - start
            #expect(result.outcome.error?.code == .timedOut)
            #expect(result.bytesReceived > 0)  // bytes were flowing: the idle timeout alone would never fire
            #expect(elapsed >= .milliseconds(1400) && elapsed < .milliseconds(5500), "took \(elapsed)")  // drip: 10 s
        }
    }

    @Test func silentServerTripsTheIdleTimeout() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/silent", [.init(body: sampleFeed(), delay: 30)])
            let configuration = testConfiguration(deadline: .seconds(10), idleTimeout: .seconds(1))
            let clock = ContinuousClock()
            let start = clock.now
            let result = await withHTTPFeedFetcher(configuration: configuration) {
                await $0.fetch(FetchRequest(feedID: "silent", url: server.url("/silent")), logger: quietLogger)
            }
            #expect(result.outcome.error?.code == .idleTimeout, "\(result.outcome)")
            #expect(clock.now - start < .seconds(8))  // the deadline (10 s) did not end it
        }
    }

    @Test(arguments: [false, true])
    func bodyOverTheCapKeepsNothingPastIt(chunked: Bool) async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/big", [.init(bodySize: 5_000_000, chunked: chunked)])
            let cap = 100_000
            let result = await withHTTPFeedFetcher(configuration: testConfiguration(maxBytes: cap)) {
                await $0.fetch(FetchRequest(feedID: "big", url: server.url("/big")), logger: quietLogger)
            }
            let error = try #require(result.outcome.error)
            #expect(error.code == .bodyTooLarge)
            #expect(error.description.contains("big"))
            #expect(result.bytesReceived <= cap)
        }
    }

    @Test func gzipBombIsCappedOnDecodedBytes() async throws {
        try await TestHTTPServer.withServer { server in
            // 3 MB of one letter compresses to a few KB; the cap counts decoded bytes.
            try await server.setRoute("/bomb", [.init(bodySize: 3_000_000, gzip: true)])
            let result = await withHTTPFeedFetcher(configuration: testConfiguration(maxBytes: 50_000)) {
                await $0.fetch(FetchRequest(feedID: "bomb", url: server.url("/bomb")), logger: quietLogger)
            }
            #expect(result.outcome.error?.code == .bodyTooLarge)
            #expect(result.bytesReceived <= 50_000)
        }
    }

    @Test func bodyExactlyAtTheCapIsKept() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/exact", [.init(bodySize: 4_096)])
            let result = await withHTTPFeedFetcher(configuration: testConfiguration(maxBytes: 4_096)) {
                await $0.fetch(FetchRequest(feedID: "exact", url: server.url("/exact")), logger: quietLogger)
            }
            guard case .content(let body, _, _, _) = result.outcome else {
                Issue.record("expected content, got \(result.outcome)")
                return
            }
            #expect(body.count == 4_096)
        }
    }

    @Test func globalLimitHoldsOnTheWire() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/slow", [.init(body: sampleFeed(), delay: 0.3)])
            let configuration = testConfiguration(global: 2, perHost: 8)
            await withHTTPFeedFetcher(configuration: configuration) { fetcher in
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<8 {
                        group.addTask {
                            let request = FetchRequest(feedID: "slow-\(index)", url: server.url("/slow"))
                            _ = await fetcher.fetch(request, logger: quietLogger)
                        }
                    }
                }
            }
            let stats = try await server.stats()
            #expect(stats.count == 8)
            #expect(stats.maxInFlight == 2)
        }
    }

    @Test func perHostLimitHoldsOnTheWire() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/slow", [.init(body: sampleFeed(), delay: 0.3)])
            let configuration = testConfiguration(global: 10, perHost: 3)
            await withHTTPFeedFetcher(configuration: configuration) { fetcher in
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<9 {
                        group.addTask {
                            let request = FetchRequest(feedID: "slow-\(index)", url: server.url("/slow"))
                            _ = await fetcher.fetch(request, logger: quietLogger)
                        }
                    }
                }
            }
            let stats = try await server.stats()
            #expect(stats.count == 9)
            #expect(stats.maxInFlight == 3)
        }
    }

    @Test func cancellingTheCallerEndsTheFetchPromptly() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/hang", [.init(body: sampleFeed(), delay: 30)])
            let clock = ContinuousClock()
            let start = clock.now
            let configuration = testConfiguration(deadline: .seconds(20))
            let result = await withHTTPFeedFetcher(configuration: configuration) { fetcher in
                let task = Task {
                    await fetcher.fetch(FetchRequest(feedID: "cancel", url: server.url("/hang")), logger: quietLogger)
                }
                try? await Task.sleep(for: .milliseconds(300))
                task.cancel()
                return await task.value
            }
            #expect(result.outcome.error?.code == .cancelled)
            #expect(clock.now - start < .seconds(10))  // the server hangs 30 s, the deadline is 20 s
        }
    }
}
}
