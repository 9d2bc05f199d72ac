import Foundation
import NewsTestSupport
import Testing

/// `newsmon match` end to end: the built binary parses a feed file and explains every decision.
struct MatchCommandTests {
    struct Line: Decodable {
        struct Evidence: Decodable, Equatable {
            var term: String
            var field: String
            var text: String
        }
        var feed: String
        var id: String?
        var title: String
        var topics: [String]
        var why: [String: [Evidence]]
    }

    @Test func printsOneExplainedLinePerEntryInFeedOrder() throws {
        let feed = RepositoryPaths.fixtures(of: "TopicRulesTests").appendingPathComponent("match-sample.xml")
        let config = RepositoryPaths.root.appendingPathComponent("feeds.conf")
        let outcome = try NewsmonProcess.runBlocking(["match", "--config", config.path, feed.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try outcome.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        try #require(lines.count == 3)
        #expect(lines.map(\.feed) == Array(repeating: "match-sample.xml", count: 3))
        #expect(lines.map(\.id) == ["example-0001", "https://news.example.org/2022/01/radweg", "https://news.example.org/2022/01/buildup"])
        #expect(lines[0].topics == ["nato-russia-council", "ukraine-troop-buildup"])
        #expect(lines[0].why["nato-russia-council"]?.contains(.init(term: "nato russland rat*", field: "title", text: "Nato-Russland-Rat")) == true)
        #expect(lines[0].why["ukraine-troop-buildup"]?.contains(.init(term: "*aufmarsch*", field: "summary", text: "Truppenaufmarsches")) == true)
        #expect(lines[1].topics.isEmpty && lines[1].why.isEmpty)
        #expect(lines[2].title == "Russia masses troops near Ukraine's border & Belarus")
        #expect(lines[2].topics == ["ukraine-troop-buildup"])
        #expect(Set(lines[2].why.keys) == ["ukraine-troop-buildup"])

        let fromStandardInput = try NewsmonProcess.runBlocking(["match", "--config", config.path, "-"]) { fd in
            let bytes = (try? Data(contentsOf: feed)) ?? Data()
            bytes.withUnsafeBytes { _ = NewsmonProcess.writeAll(fd, $0) }
        }
        #expect(fromStandardInput.status == 0, "\(fromStandardInput.stderr)")
        #expect(fromStandardInput.stdout == outcome.stdout.replacingOccurrences(of: "match-sample.xml", with: "<stdin>"))
    }

    @Test func badFilesAreNamedAndExitOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let config = RepositoryPaths.root.appendingPathComponent("feeds.conf")
        let missing = dir.url.appendingPathComponent("nope.xml").path
        let outcome = try NewsmonProcess.runBlocking(["match", "--config", config.path, missing])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("nope.xml"))

        let badConfig = dir.url.appendingPathComponent("feeds.conf")
        try "[[topic]]\nid = \"t\"\nrule = \"(x\"\n".write(to: badConfig, atomically: true, encoding: .utf8)
        let feed = RepositoryPaths.fixtures(of: "TopicRulesTests").appendingPathComponent("match-sample.xml")
        let configOutcome = try NewsmonProcess.runBlocking(["match", "--config", badConfig.path, feed.path])
        #expect(configOutcome.status == 1)
        #expect(configOutcome.stderr == "feeds.conf:3:9: topic 't': rule: unclosed '(': the rule ends before its ')'\n")
        #expect(configOutcome.stdout.isEmpty)
    }
}
