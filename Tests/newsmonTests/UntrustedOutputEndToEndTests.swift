import Foundation
import NewsTestSupport
import Testing

/// Issue 11 with the built binary against hostile servers: controls never reach a log line, the once
/// summary, `status` or `tail`; long titles are cut; passwords in feed URLs are sent but never written;
/// a `Retry-After` is honoured up to 24 h; a recovered document is logged and shown by `status`.
@Suite(.serialized) struct UntrustedOutputEndToEndTests {
    static let controls: [Character] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{2066}"]

    static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains { s in
            (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                || (0x2066...0x2069).contains(s.value)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func hostileServersReachNoOutputAndNoPasswordIsWritten() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var long = TestFeeds.councilAndBuildup
        long.guid = "long-title"
        long.title += " " + String(repeating: "Panzer ", count: 150_000) + "\u{9B}31m"
        let truncated = String(TestFeeds.rss([TestFeeds.neutral]).dropLast(40))
        let server = try await TestHTTPServer.start(routes: [
            "/private": [.init(status: 200, body: TestFeeds.rss([TestFeeds.englishBuildup]))],
            "/long": [.init(status: 200, body: TestFeeds.rss([long]))],
            // Python sends header values as Latin-1: ESC, BEL and the C1 CSI (0x9B), no BiDi here.
            "/moved": [.redirect(302, to: "file:///etc/passwd\u{1B}]0;owned\u{07}\u{1B}[2J\u{9B}31mX")],
            "/limited": [.init(status: 503, headers: ["Retry-After": "999999999"])],
            "/truncated": [.init(status: 200, body: truncated)],
        ])
        defer { server.stop() }
        let port = server.port
        let config = dir.path + "/feeds.conf"
        try TestFeeds.configuration(feeds: [
            ("private", "http://user:s3cr3t-pw@127.0.0.1:\(port)/private"), ("long", "http://127.0.0.1:\(port)/long"),
            ("moved", "http://127.0.0.1:\(port)/moved"),
            ("limited", "http://127.0.0.1:\(port)/limited"), ("truncated", "http://127.0.0.1:\(port)/truncated"),
        ]).write(toFile: config, atomically: true, encoding: .utf8)
        let state = dir.path + "/state"
        let started = Date()

        let once = try await NewsmonProcess.run(
            ["once", "--config", config, "--state", state, "--output", "text", "--log-level", "trace"], in: dir)
        #expect(once.status == 1, "\(once.stderr)")
        #expect(Self.isClean(once.stdout) && Self.isClean(once.stderr), "\(once.stderr.debugDescription)")
        #expect(!once.stdout.contains("s3cr3t") && !once.stderr.contains("s3cr3t"))
        // The refused redirect reaches the warning log and the summary, without its controls.
        #expect(once.stderr.contains("warning newsmon: feed poll failed") && once.stderr.contains("redirect"))
        #expect(once.stderr.contains("  moved: redirect to a scheme other than http or https refused (file:///etc/passwd"))
        // A 1 MB title is cut to the title width.
        let longLine = try #require(once.stdout.split(separator: "\n").first { $0.contains("Panzer") })
        #expect(longLine.count < 400 && longLine.contains("Panzer Panzer"), "\(longLine)")
        #expect(longLine.hasSuffix("… <https://news.example.org/long-title.html>"), "\(longLine)")
        // The truncated document is recovered, and says where.
        let recovered = try #require(once.stderr.split(separator: "\n").first { $0.contains("feed document recovered") })
        #expect(recovered.contains("feed.id=truncated") && recovered.contains(#/feed.recovered="\d+:\d+: /#))

        // Basic auth was sent to the feed's host.
        let requests = try await server.requests().filter { $0.path == "/private" }
        #expect(requests.first?.header("Authorization") == "Basic " + Data("user:s3cr3t-pw".utf8).base64EncodedString())

        // Alerts (stdout JSON, spool) carry the URL without its user info.
        let spool = AlertJSON.spool(state + "/spool")
        #expect(spool.count >= 2)
        #expect(spool.contains { $0["feed_url"] as? String == "http://127.0.0.1:\(port)/private" })
        let spoolText = try FileManager.default.subpathsOfDirectory(atPath: state + "/spool").compactMap {
            try? String(contentsOfFile: state + "/spool/" + $0, encoding: .utf8)
        }.joined()
        #expect(!spoolText.contains("s3cr3t"))

        let status = try await NewsmonProcess.run(["status", "--config", config, "--state", state], in: dir, name: "status")
        #expect(status.status == 0)
        #expect(Self.isClean(status.stdout) && !status.stdout.contains("s3cr3t"), "\(status.stdout.debugDescription)")
        let truncatedRow = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("truncated ") })
        #expect(truncatedRow.contains("not well-formed, recovered"))
        // The RECOVERED column (after ERRORS) counts it.
        let header = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("FEED ") })
        let column = header.distance(from: header.startIndex, to: try #require(header.range(of: "RECOVERED")).lowerBound)
        #expect(truncatedRow.dropFirst(column).hasPrefix("1 "), "\(header)\n\(truncatedRow)")
        let movedRow = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("moved ") })
        #expect(movedRow.contains("file:///etc/passwd"))
        #expect(movedRow.hasSuffix("X)"), "\(movedRow)")  // the sequences are gone, what follows them stays

        let json = try await NewsmonProcess.run(
            ["status", "--json", "--config", config, "--state", state], in: dir, name: "status-json")
        #expect(!json.stdout.contains("s3cr3t") && Self.isClean(json.stdout))
        let limited = try #require(AlertJSON.lines(json.stdout).first { $0["id"] as? String == "limited" })
        #expect(limited["recovered_documents"] as? Int == 0)
        #expect(AlertJSON.lines(json.stdout).first { $0["id"] as? String == "truncated" }?["recovered_documents"] as? Int == 1)
        let nextDue = try #require((limited["next_due"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        // Retry-After: 999999999 → 24 h from the poll, not 2058.
        #expect(nextDue <= Date().addingTimeInterval(24 * 3600 + 5))
        #expect(nextDue >= started.addingTimeInterval(24 * 3600 - 5))

        let tail = try await NewsmonProcess.run(["tail", "--state", state, "--output", "text"], in: dir, name: "tail")
        #expect(tail.status == 0 && Self.isClean(tail.stdout))
        let tailLong = try #require(tail.stdout.split(separator: "\n").first { $0.contains("Panzer") })
        #expect(tailLong.count < 400 && tailLong.contains("…"))
    }
}
