import Foundation
import NewsTestSupport
import Testing

@testable import Fetching

/// Credentials in feed URLs are sent as Basic auth to the feed's host only, and never appear in errors;
/// every host form `check` accepts is one the fetcher connects to.
extension HTTPTests {
@Suite
struct HTTPFeedFetcherCredentialsTests {
    private func fetch(_ url: URL) async -> FetchResult {
        await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
            await fetcher.fetch(FetchRequest(feedID: "private", url: url), logger: quietLogger)
        }
    }

    @Test func basicAuthGoesToTheFeedsHostAndNotAcrossARedirectToAnother() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/feed": [.init(body: sampleFeed())],
                "/moving": [.redirect(302, to: "http://localhost:\(server.port)/elsewhere")],
                "/elsewhere": [.init(body: sampleFeed())],
            ])
            let expected = "Basic " + Data("reader:pa55word".utf8).base64EncodedString()
            let direct = await fetch(URL(string: "http://reader:pa55word@127.0.0.1:\(server.port)/feed")!)
            #expect(direct.outcome.text == sampleFeed())
            let moved = await fetch(URL(string: "http://reader:pa55word@127.0.0.1:\(server.port)/moving")!)
            #expect(moved.outcome.text == sampleFeed())
            let requests = try await server.requests()
            #expect(requests.first { $0.path == "/feed" }?.header("Authorization") == expected)
            #expect(requests.first { $0.path == "/moving" }?.header("Authorization") == expected)
            let elsewhere = try #require(requests.first { $0.path == "/elsewhere" })
            #expect(elsewhere.header("Authorization") == nil)
        }
    }

    @Test func errorsNameTheURLWithoutItsUserInfo() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/broken", [.init(status: 500)])
            let result = await fetch(URL(string: "http://reader:pa55word@127.0.0.1:\(server.port)/broken")!)
            guard case .failed(let error) = result.outcome else {
                Issue.record("expected a failure, got \(result.outcome)")
                return
            }
            #expect(error.url == "http://127.0.0.1:\(server.port)/broken")
            #expect(!"\(error)".contains("pa55word") && !"\(error)".contains("reader"))
        }
    }

    @Test(arguments: ["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]"])
    func numericHostFormsAreFetched(host: String) async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute("/feed", [.init(body: sampleFeed())])
            let url = try #require(URL(string: "http://\(host):\(server.port)/feed"))
            #expect(HTTPFeedFetcher.hostProblem(host: host, port: server.port) == nil)
            #expect(await fetch(url).outcome.text == sampleFeed())
        }
    }

    @Test(arguments: [
        ("example.org", 443, nil), ("[::1]", 8080, nil), ("[fe80::1%lo]", nil, nil), ("0", nil, nil),
        ("news.1example", nil, nil), ("127.0.0.1", 99999, "port 99999 is outside 1–65535"),
        ("127.0.0.1", 0, "port 0 is outside 1–65535"),
        ("[v1.x]", nil, "host [v1.x] is not an IPv6 address in brackets"),
        ("4294967296", nil, "looks like an IPv4 address"), ("1.2.3.4.5", nil, "looks like an IPv4 address"),
        ("127.0.0.1.", nil, "looks like an IPv4 address"), ("256.1.1.1", nil, "looks like an IPv4 address"),
        ("0x1g", nil, nil),
    ] as [(String, Int?, String?)])
    func hostFormsTheFetcherCannotUseAreNamed(host: String, port: Int?, problem: String?) {
        let found = HTTPFeedFetcher.hostProblem(host: host, port: port)
        if let problem {
            #expect(found?.contains(problem) == true, "\(host): \(found ?? "nil")")
        } else {
            #expect(found == nil, "\(host): \(found ?? "")")
        }
    }
}
}
