import Foundation
import NewsTestSupport
import Testing

/// `newsmon eval` end to end: scores per topic, each miss and false alarm with the parts of the rule.
struct EvalCommandTests {
    static let config = """
        [define]
        russia = "russland OR russia OR moskau"
        troops = "truppen* OR troops"

        [[topic]]
        id = "buildup"
        rule = '''
        @russia AND @troops
        AND NOT nato        # NATO's own troops
        '''
        """

    static let items = """
        {"id": "hit", "title": "Russland verlegt Truppen", "labels": ["buildup"]}
        {"id": "miss", "title": "Moskau schickt Soldaten", "summary": "", "labels": ["buildup"]}
        {"id": "nato", "title": "Nato troops near Russia", "labels": ["buildup"]}

        {"id": "alarm", "title": "Russia: troops parade", "topics": []}
        {"title": "Wetter", "content": "Sonne", "labels": []}
        """

    func run(_ arguments: [String]) throws -> (outcome: NewsmonProcess.Result, dir: TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        try Self.config.write(to: dir.url.appendingPathComponent("feeds.conf"), atomically: true, encoding: .utf8)
        try Self.items.write(to: dir.url.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
        let outcome = try NewsmonProcess.runBlocking(
            ["eval", "--config", dir.url.appendingPathComponent("feeds.conf").path] + arguments
                + [dir.url.appendingPathComponent("items.jsonl").path]
        )
        return (outcome, dir)
    }

    @Test func scoresEachTopicAndExplainsEveryError() throws {
        let (outcome, dir) = try run([])
        defer { dir.remove() }
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "buildup: precision 0.500, recall 0.333, F1 0.400 (1 matched of 3 labelled, 1 false alarms, 5 items)")
        #expect(outcome.stdout.contains("  miss miss: Moskau schickt Soldaten\n    ✓ @russia  ← \"Moskau\" (moskau, title)\n    ✗ @troops  (no word hit)\n"))
        #expect(outcome.stdout.contains("  miss nato: Nato troops near Russia\n"))
        #expect(outcome.stdout.contains("    ✗ NOT nato  ← \"Nato\" (nato, title)\n"))
        #expect(outcome.stdout.contains("  false alarm alarm: Russia: troops parade\n    matched by: \"Russia\" (russia, title), \"troops\" (troops, title)\n"))
    }

    @Test func exitsOneBelowTheMinimumF1() throws {
        let (low, dir) = try run(["--min-f1", "0.5", "--quiet"])
        defer { dir.remove() }
        #expect(low.status == 1)
        #expect(low.stdout.split(separator: "\n").count == 1)
        #expect(low.stderr.contains("buildup: F1 0.400 is below --min-f1 0.5"))
        let (ok, dir2) = try run(["--min-f1", "0.4", "--json", "--quiet"])
        defer { dir2.remove() }
        #expect(ok.status == 0)
        #expect(ok.stdout == "{\"topic\":\"buildup\",\"precision\":0.500,\"recall\":0.333,\"f1\":0.400,\"tp\":1,\"fp\":1,\"fn\":2}\n")
    }

    @Test func unreadableItemsExitTwo() throws {
        let (outcome, dir) = try run(["--topic", "nope"])
        defer { dir.remove() }
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("no topic 'nope'"))
        let bad = try NewsmonProcess.runBlocking(["eval", "--config", RepositoryPaths.root.appendingPathComponent("feeds.conf").path, "/nonexistent.jsonl"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("/nonexistent.jsonl"))
    }
}
