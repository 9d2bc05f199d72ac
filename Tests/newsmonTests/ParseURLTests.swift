import Foundation
import NewsTestSupport
import Testing

/// `newsmon parse URL`: the built binary fetches from a loopback server, then parses.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ParseURLTests {
    private func newsmon(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        return try await NewsmonProcess.run(arguments, in: dir)
    }

    private static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Loopback-Nachrichten</title><link>https://loop.example/</link>
        <item><title>Nato-Russland-Rat tagt erneut</title><link>/artikel/1</link><guid>loop-1</guid></item>
        </channel></rss>
        """

    @Test func fetchesFollowsRedirectsAndParses() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes([
                "/old.xml": [.redirect(301, to: "/news/feed.xml")],
                "/news/feed.xml": [.init(body: Self.feed, gzip: true)],
            ])
            let run = try await newsmon(["parse", server.url("/old.xml").absoluteString])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let channel = try #require(json["feed"] as? [String: Any])
            #expect(channel["title"] as? String == "Loopback-Nachrichten")
            let entries = try #require(json["entries"] as? [[String: Any]])
            #expect(entries.first?["title"] as? String == "Nato-Russland-Rat tagt erneut")
            // Relative links resolve against the URL that answered, after the redirect.
            #expect(entries.first?["link"] as? String == server.url("/artikel/1").absoluteString)
            let request = try #require(try await server.requests().first)
            #expect(request.header("User-Agent")?.hasPrefix("newsmon/") == true)
        }
    }

    @Test func httpErrorsExitOneNamingTheURL() async throws {
        try await TestHTTPServer.withServer { server in
            try await server.setRoutes(["/missing.xml": [.init(status: 404)], "/boom.xml": [.init(status: 500)]])
            for (path, text) in [("/missing.xml", "HTTP 404"), ("/boom.xml", "HTTP 500")] {
                let url = server.url(path).absoluteString
                let run = try await newsmon(["parse", url])
                #expect(run.status == 1)
                #expect(run.stdout.isEmpty)
                #expect(run.stderr.hasPrefix(url + ": "), "stderr: \(run.stderr)")
                #expect(run.stderr.contains(text))
            }
        }
    }
}
