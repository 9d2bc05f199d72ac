import Foundation
import NewsTestSupport
import Testing

/// A topic added to feeds.conf (then a restart) is matched once against the items still in the feed;
/// the alerts of the topics it had are not repeated.
@Suite(.serialized) struct NewTopicEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func aTopicAddedLaterAlertsOnItemsAlreadySeenAndTheOthersAreNotRepeated() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await TestHTTPServer.start()
        defer { server.stop() }
        try await server.setRoute(
            "/feed",
            [.init(body: TestFeeds.rss([TestFeeds.councilAndBuildup, TestFeeds.englishBuildup]), etag: "\"v1\"")])
        let both = try TestFeeds.configuration(feeds: [("wire", server.url("/feed").absoluteString)])
        // The same file without the buildup topic: its [[topic]] table is the last one.
        let councilOnly = String(both[..<both.range(of: "[[topic]]", options: .backwards)!.lowerBound])
        try councilOnly.write(toFile: dir.path + "/council.conf", atomically: true, encoding: .utf8)
        try both.write(toFile: dir.path + "/both.conf", atomically: true, encoding: .utf8)
        let state = dir.path + "/state"
        func once(_ config: String, _ name: String) async throws -> [[String: Any]] {
            let result = try await NewsmonProcess.run(
                ["once", "--config", dir.path + "/" + config, "--state", state, "--output", "json"], in: dir, name: name)
            #expect(result.status == 0, "\(result.stderr)")
            return AlertJSON.lines(result.stdout)
        }
        let first = try await once("council.conf", "first")
        #expect(first.compactMap { $0["topic"] as? String } == ["nato-russia-council"])
        let second = try await once("both.conf", "second")
        #expect(second.compactMap { $0["topic"] as? String } == ["ukraine-troop-buildup", "ukraine-troop-buildup"])
        let third = try await once("both.conf", "third")
        #expect(third.isEmpty, "matched once")
        let requests = try await server.requests()
        #expect(requests.count == 3)
        #expect(requests[1].header("If-None-Match") == nil, "the validators were dropped for the new topic")
        #expect(requests[2].header("If-None-Match") == "\"v1\"")
    }
}
