import Foundation
import NewsTestSupport
import Testing

@testable import Fetching

/// Redirects: permanent moves remembered, temporary ones not, bad targets and loops refused.
extension HTTPTests {
@Suite
struct HTTPFeedFetcherRedirectTests {
    private func fetch(_ server: TestHTTPServer, _ path: String, maxRedirects: Int = 5) async -> FetchResult {
        var configuration = testConfiguration()
        configuration.maxRedirects = maxRedirects
        return await withHTTPFeedFetcher(configuration: configuration) { fetcher in
            await fetcher.fetch(FetchRequest(feedID: "redirected", url: server.url(path)), logger: quietLogger)
        }
    }

    @Test func chainOfPermanentRedirectsIsRemembered() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/old": [.redirect(301, to: "/older")],
                "/older": [.redirect(308, to: "/new")],
                "/new": [.init(body: sampleFeed())],
            ])
            let result = await fetch(server, "/old")
            #expect(result.outcome.text == sampleFeed())
            #expect(result.permanentRedirect == server.url("/new"))
            #expect(result.finalURL == server.url("/new"))
        }
    }

    @Test func temporaryRedirectsAreFollowedButNotRemembered() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/a": [.redirect(302, to: "/b")],
                "/b": [.redirect(307, to: "/c")],
                "/c": [.init(body: sampleFeed())],
            ])
            let result = await fetch(server, "/a")
            #expect(result.outcome.text == sampleFeed())
            #expect(result.permanentRedirect == nil)
            #expect(result.finalURL == server.url("/c"))
        }
    }

    @Test func permanentMoveStopsAtTheFirstTemporaryHop() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/p1": [.redirect(301, to: "/t1")],
                "/t1": [.redirect(302, to: "/p2")],
                "/p2": [.redirect(301, to: "/end")],
                "/end": [.init(body: sampleFeed())],
            ])
            let result = await fetch(server, "/p1")
            #expect(result.outcome.text == sampleFeed())
            #expect(result.permanentRedirect == server.url("/t1"))
        }
    }

    @Test func permanentMoveIsReportedWithA304Too() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/moved": [.redirect(301, to: "/here")],
                "/here": [.init(body: sampleFeed(), etag: "\"e1\"")],
            ])
            let result = await withHTTPFeedFetcher(configuration: testConfiguration()) { fetcher in
                let request = FetchRequest(feedID: "moved", url: server.url("/moved"), etag: "\"e1\"")
                return await fetcher.fetch(request, logger: quietLogger)
            }
            guard case .notModified = result.outcome else {
                Issue.record("expected notModified, got \(result.outcome)")
                return
            }
            #expect(result.permanentRedirect == server.url("/here"))
        }
    }

    @Test func redirectToFileSchemeIsRefused() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/evil": [.redirect(302, to: "file:///etc/passwd")],
                "/evil-permanent": [.redirect(301, to: "file:///etc/passwd")],
            ])
            for path in ["/evil", "/evil-permanent"] {
                let result = await fetch(server, path)
                let error = try #require(result.outcome.error)
                #expect(error.code == .redirectRefused)
                #expect(error.url == "file:///etc/passwd")
                #expect(result.bytesReceived == 0)
                #expect(result.permanentRedirect == nil)
                #expect(error.description.contains("redirected"))
            }
            // Nothing followed the refused redirect, not even a rewrite to a path on the same server.
            let paths = try await server.requests().map(\.path)
            #expect(paths == ["/evil", "/evil-permanent"])
        }
    }

    @Test func moreThanFiveRedirectsFail() async throws {
        try await TestHTTPServer.withServer { server in
            var routes: [String: [TestHTTPServer.Response]] = [:]
            for hop in 0..<6 { routes["/hop\(hop)"] = [.redirect(302, to: "/hop\(hop + 1)")] }
            routes["/hop6"] = [.init(body: sampleFeed())]
            routes["/loop"] = [.redirect(301, to: "/loop")]
            try await server.setRoutes(routes)

            let sixHops = await fetch(server, "/hop0")
            #expect(sixHops.outcome.error?.code == .tooManyRedirects)
            let fiveHops = await fetch(server, "/hop1")
            #expect(fiveHops.outcome.text == sampleFeed())
            let loop = await fetch(server, "/loop")
            #expect(loop.outcome.error?.code == .tooManyRedirects)
            let requests = try await server.requests()
            #expect(requests.filter { $0.path == "/loop" }.count == 6)  // the first request + 5 redirects
        }
    }
}
}
