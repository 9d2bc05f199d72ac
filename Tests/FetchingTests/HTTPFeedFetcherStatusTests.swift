import Foundation
import NewsTestSupport
import Testing

@testable import Fetching

/// HTTP status handling: gone, rate limiting with Retry-After, server errors.
extension HTTPTests {
@Suite
struct HTTPFeedFetcherStatusTests {
    private func fetch(_ response: TestHTTPServer.Response) async throws -> FetchResult {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/s", [response])
            return await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                await fetcher.fetch(FetchRequest(feedID: "status-feed", url: server.url("/s")), logger: quietLogger)
            }
        }
    }

    @Test(arguments: [404, 410])
    func missingFeedsAreGone(status: Int) async throws {
        let result = try await fetch(.init(status: status, body: "not here"))
        guard case .gone(let reported) = result.outcome else {
            Issue.record("expected gone, got \(result.outcome)")
            return
        }
        #expect(reported == status)
        #expect(result.status == status)
    }

    @Test func tooManyRequestsWithDelaySeconds() async throws {
        let result = try await fetch(.init(status: 429, headers: ["Retry-After": "120"]))
        guard case .rateLimited(let status, let retryAfter) = result.outcome else {
            Issue.record("expected rateLimited, got \(result.outcome)")
            return
        }
        #expect(status == 429)
        #expect(retryAfter == .seconds(120))
    }

    @Test func tooManyRequestsWithHTTPDate() async throws {
        let sent = Date()
        let inOneHour = HTTPHeaderValues.httpDate(sent.addingTimeInterval(3600))
        let result = try await fetch(.init(status: 429, headers: ["Retry-After": inOneHour]))
        let slack = Duration.seconds(Date().timeIntervalSince(sent) + 1)  // the machine may be busy
        guard case .rateLimited(_, let retryAfter?) = result.outcome else {
            Issue.record("expected rateLimited with a delay, got \(result.outcome)")
            return
        }
        #expect(retryAfter >= .seconds(3600) - slack && retryAfter <= .seconds(3600), "\(retryAfter) from \(inOneHour)")
    }

    @Test func tooManyRequestsWithoutRetryAfter() async throws {
        let result = try await fetch(.init(status: 429))
        guard case .rateLimited(429, nil) = result.outcome else {
            Issue.record("expected rateLimited without a delay, got \(result.outcome)")
            return
        }
    }

    @Test func unavailableWithRetryAfterIsRateLimiting() async throws {
        let result = try await fetch(.init(status: 503, headers: ["Retry-After": "30"]))
        guard case .rateLimited(503, .seconds(30)?) = result.outcome else {
            Issue.record("expected rateLimited(503, 30 s), got \(result.outcome)")
            return
        }
    }

    @Test(arguments: [500, 502, 503, 403])
    func otherErrorsFailWithTheStatus(status: Int) async throws {
        let result = try await fetch(.init(status: status, body: "oops"))
        let error = try #require(result.outcome.error)
        #expect(error.code == .httpStatus)
        #expect(error.status == status)
        #expect(error.description.contains("status-feed"))
        #expect(error.description.contains("HTTP \(status)"))
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        let server = try await TestHTTPServer.start()
        let port = server.port
        await server.stopAndWait()  // the port is closed now
        let url = URL(string: "http://127.0.0.1:\(port)/gone-server")!
        let result = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
            await fetcher.fetch(FetchRequest(feedID: "no-server", url: url), logger: quietLogger)
        }
        let error = try #require(result.outcome.error)
        #expect(error.code == .network)
        #expect(error.cause != nil)
        #expect(error.description.hasPrefix("feed 'no-server'"))
    }
}
}
