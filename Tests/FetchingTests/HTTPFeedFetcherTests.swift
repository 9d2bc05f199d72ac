import Foundation
import Logging
import NewsModel
import NewsTestSupport
import Synchronization
import Testing

@testable import Fetching

/// Plain fetches against the loopback server: content, conditional GET, encodings, headers, logging.
extension HTTPTests {
@Suite
struct HTTPFeedFetcherTests {
    @Test func okResponseReturnsBodyCharsetAndValidators() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/feed.xml",
                [
                    .init(
                        body: sampleFeed(), etag: "\"v1\"", lastModified: "Wed, 12 Jan 2022 10:15:03 GMT")
                ])
            let result = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                await fetcher.fetch(FetchRequest(feedID: "ok", url: server.url("/feed.xml")), logger: quietLogger)
            }
            guard case .content(let body, let charset, let etag, let lastModified) = result.outcome else {
                Issue.record("expected content, got \(result.outcome)")
                return
            }
            #expect(String(decoding: body, as: UTF8.self) == sampleFeed())
            #expect(charset == "utf-8")
            #expect(etag == "\"v1\"")
            #expect(lastModified == "Wed, 12 Jan 2022 10:15:03 GMT")
            #expect(result.status == 200)
            #expect(result.bytesReceived == body.count)
            #expect(result.finalURL == server.url("/feed.xml"))
            #expect(result.permanentRedirect == nil)
        }
    }

    @Test func sendsUserAgentAndNoCookies() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/cookies", [.init(headers: ["Set-Cookie": "session=abc; Path=/"], body: sampleFeed())])
            await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                for _ in 0..<2 {
                    let request = FetchRequest(feedID: "ua", url: server.url("/cookies"))
                    _ = await fetcher.fetch(request, logger: quietLogger)
                }
            }
            let requests = try await server.requests()
            #expect(requests.count == 2)
            for request in requests {
                #expect(request.header("User-Agent") == "newsmon/9.9.9-test (+https://github.com/newsmon/newsmon)")
                #expect(request.header("Cookie") == nil)
            }
        }
    }

    @Test func conditionalGetSendsValidatorsAndReports304() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/cond.xml",
                [.init(body: sampleFeed(), etag: "\"abc\"", lastModified: "Wed, 12 Jan 2022 10:15:03 GMT")])
            let (first, second) = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                let url = server.url("/cond.xml")
                let first = await fetcher.fetch(FetchRequest(feedID: "cond", url: url), logger: quietLogger)
                guard case .content(_, _, let etag, let lastModified) = first.outcome else { return (first, first) }
                let request = FetchRequest(feedID: "cond", url: url, etag: etag, lastModified: lastModified)
                return (first, await fetcher.fetch(request, logger: quietLogger))
            }
            #expect(first.outcome.text == sampleFeed())
            guard case .notModified = second.outcome else {
                Issue.record("expected notModified, got \(second.outcome)")
                return
            }
            #expect(second.status == 304)
            #expect(second.bytesReceived == 0)
            let requests = try await server.requests()
            #expect(requests.count == 2)
            #expect(requests[0].header("If-None-Match") == nil)
            #expect(requests[1].header("If-None-Match") == "\"abc\"")
            #expect(requests[1].header("If-Modified-Since") == "Wed, 12 Jan 2022 10:15:03 GMT")
        }
    }

    @Test func staticFilesAnswer304ToTheirOwnValidators() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data(sampleFeed(items: 5).utf8).write(to: directory.url.appendingPathComponent("a.xml"))
        try await TestHTTPServer.withServer(root: directory.url) { server in
            let outcomes = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                let plain = FetchRequest(feedID: "static", url: server.url("/a.xml"))
                let first = await fetcher.fetch(plain, logger: quietLogger)
                guard case .content(_, _, let etag, let lastModified) = first.outcome else { return [first.outcome] }
                #expect(etag != nil && lastModified != nil)
                let byETag = FetchRequest(feedID: "static", url: server.url("/a.xml"), etag: etag)
                let byDate = FetchRequest(feedID: "static", url: server.url("/a.xml"), lastModified: lastModified)
                return [
                    first.outcome, await fetcher.fetch(byETag, logger: quietLogger).outcome,
                    await fetcher.fetch(byDate, logger: quietLogger).outcome,
                ]
            }
            #expect(outcomes.count == 3)
            #expect(outcomes.first?.text == sampleFeed(items: 5))
            for outcome in outcomes.dropFirst() {
                guard case .notModified = outcome else {
                    Issue.record("expected notModified, got \(outcome)")
                    continue
                }
            }
        }
    }

    @Test(arguments: ["gzip", "deflate"])
    func compressedBodiesAreDecoded(encoding: String) async throws {
        let feed = sampleFeed(items: 40)
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/z.xml", [.init(body: feed, gzip: encoding == "gzip", deflate: encoding == "deflate")])
            let result = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                await fetcher.fetch(FetchRequest(feedID: "zip", url: server.url("/z.xml")), logger: quietLogger)
            }
            #expect(result.outcome.text == feed)
            #expect(result.bytesReceived == feed.utf8.count)
            let request = try #require(try await server.requests().first)
            #expect(request.header("Accept-Encoding")?.contains(encoding) == true)
        }
    }

    @Test func wrongCharsetHeaderIsPassedThroughUntouched() async throws {
        let feed = sampleFeed(title: "Grüße aus Köln")
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/latin.xml",
                [.init(headers: ["Content-Type": "text/xml; Charset=\"ISO-8859-1\""], body: feed)])
            let result = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                await fetcher.fetch(FetchRequest(feedID: "charset", url: server.url("/latin.xml")), logger: quietLogger)
            }
            guard case .content(let body, let charset, _, _) = result.outcome else {
                Issue.record("expected content, got \(result.outcome)")
                return
            }
            #expect(charset == "ISO-8859-1")  // the header is wrong (the bytes are UTF-8): the parser decides
            #expect(body == Array(feed.utf8))  // bytes untouched
        }
    }

    @Test func everyLogLineNamesTheFeed() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/moved": [.redirect(301, to: "/feed")], "/feed": [.init(body: sampleFeed())],
                "/broken": [.init(status: 500)],
            ])
            let store = CollectingLogHandler.Store()
            let logger = Logger(label: "test", factory: { _ in CollectingLogHandler(store: store) })
            await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                _ = await fetcher.fetch(FetchRequest(feedID: "moved-feed", url: server.url("/moved")), logger: logger)
                _ = await fetcher.fetch(FetchRequest(feedID: "broken-feed", url: server.url("/broken")), logger: logger)
            }
            let records = store.records.withLock { $0 }
            #expect(records.count >= 4)
            for record in records {
                let id = record.metadata["feed.id"].map { "\($0)" }
                #expect(id == "moved-feed" || id == "broken-feed", "log line without feed.id: \(record.message)")
                #expect(!record.message.contains("moved-feed") && !record.message.contains("broken-feed"))
            }
            #expect(records.contains { $0.message == "feed moved permanently" })
        }
    }

    @Test func fileURLsAreReadWithTheSameTypedResult() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("local feed.xml")
        try Data(sampleFeed().utf8).write(to: file)
        await withHTTPFeedFetcher(configuration: testConfiguration(maxBytes: 100)) { small in
            let result = await small.fetch(FetchRequest(feedID: "file-big", url: file), logger: quietLogger)
            #expect(result.outcome.error?.code == .bodyTooLarge)
            #expect(result.bytesReceived == 0)
        }
        await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
            let first = await fetcher.fetch(FetchRequest(feedID: "file", url: file), logger: quietLogger)
            #expect(first.outcome.text == sampleFeed())
            guard case .content(_, _, let etag, _) = first.outcome else { return }
            let again = await fetcher.fetch(FetchRequest(feedID: "file", url: file, etag: etag), logger: quietLogger)
            guard case .notModified = again.outcome else {
                Issue.record("unchanged file: expected notModified, got \(again.outcome)")
                return
            }
            let missing = directory.url.appendingPathComponent("missing.xml")
            let failure = await fetcher.fetch(FetchRequest(feedID: "file-missing", url: missing), logger: quietLogger)
            #expect(failure.outcome.error?.code == .fileUnreadable)
            #expect(failure.outcome.error?.description.contains("file-missing") == true)
        }
    }

    @Test func unsupportedSchemesAreRefusedWithoutIO() async {
        await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
            let url = URL(string: "ftp://example.invalid/feed.xml")!
            let result = await fetcher.fetch(FetchRequest(feedID: "ftp", url: url), logger: quietLogger)
            #expect(result.outcome.error?.code == .invalidURL)
        }
    }
}
}

extension HTTPTests.HTTPFeedFetcherTests {
    @Test func contentThatChangesBetweenPollsReplacesTheValidators() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoute(
                "/live.xml",
                [
                    .init(body: sampleFeed(items: 1), etag: "\"v1\""),
                    .init(body: sampleFeed(items: 3), etag: "\"v2\""),
                ])
            let outcomes = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                let url = server.url("/live.xml")
                let first = await fetcher.fetch(FetchRequest(feedID: "live", url: url), logger: quietLogger)
                let withV1 = FetchRequest(feedID: "live", url: url, etag: "\"v1\"")
                let second = await fetcher.fetch(withV1, logger: quietLogger)
                let withV2 = FetchRequest(feedID: "live", url: url, etag: "\"v2\"")
                let third = await fetcher.fetch(withV2, logger: quietLogger)
                return [first.outcome, second.outcome, third.outcome]
            }
            guard case .content(_, _, "\"v1\"", _) = outcomes[0], case .content(_, _, "\"v2\"", _) = outcomes[1],
                case .notModified = outcomes[2]
            else {
                Issue.record("expected v1, v2, not modified; got \(outcomes)")
                return
            }
            #expect(outcomes[1].text == sampleFeed(items: 3))
        }
    }

    @Test func requestFromAConfiguredFeedCarriesItsLimits() throws {
        let source = FeedSource(
            id: "conf", url: "https://news.example/feed.xml", timeout: .seconds(7), maxBytes: 1234)
        let request = try #require(FetchRequest(source: source, etag: "\"e\""))
        #expect(request.feedID == "conf")
        #expect(request.url.absoluteString == "https://news.example/feed.xml")
        #expect(request.timeout == .seconds(7))
        #expect(request.maxBytes == 1234)
        #expect(request.etag == "\"e\"")
        let moved = URL(string: "https://news.example/new.xml")!
        #expect(FetchRequest(source: source, url: moved)?.url == moved)
        #expect(FetchRequest(source: FeedSource(id: "bad", url: "")) == nil)
    }
}
