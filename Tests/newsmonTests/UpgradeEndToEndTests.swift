import Foundation
import NewsTestSupport
import Testing

/// A state store written by the schema-v2 release (fixtures/state-v2: `newsmon once` on the demo
/// configuration at 8aaa3e1) migrates by name, and nothing it had seen alerts again.
@Suite(.serialized) struct UpgradeEndToEndTests {
    /// Copies the fixture store `name` into a fresh state directory, runs `newsmon once` on the demo configuration
    /// (nothing may alert again) and returns `newsmon explain` of an item the store had seen.
    func upgradedOnce(_ name: String, in dir: TemporaryDirectory) async throws -> (state: String, explain: String) {
        let state = dir.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: RepositoryPaths.fixtures.appendingPathComponent("\(name)/state.sqlite").path,
            toPath: state + "/state.sqlite")
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let once = try await NewsmonProcess.run(["once", "--config", config, "--state", state, "--output", "json"], in: dir)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.isEmpty, "the three demo alerts were raised before the upgrade")
        let explain = try await NewsmonProcess.run(
            ["explain", "--state", state, "demo-en", "demo-world-2201"], in: dir, name: "explain")
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("ukraine-troop-buildup"), "\(explain.stdout)")
        return (state, explain.stdout)
    }

    @Test(.timeLimit(.minutes(2)))
    func aStoreWrittenBeforeMigratesAndNothingSeenAlertsAgain() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (state, explain) = try await upgradedOnce("state-v2", in: dir)
        #expect(explain.contains("recorded before newsmon kept this"), "\(explain)")
        let missing = try await NewsmonProcess.run(["explain", "--state", state, "demo-en", "no-such-item"], in: dir, name: "missing")
        #expect(missing.status == 1 && missing.stderr.contains("has no item"))
    }

    /// A store written by schema v6 (fixtures/state-v6: `newsmon once` on the demo configuration at 26634e3)
    /// migrates to v7 (story key digests, `story_seen`) and nothing it had seen alerts again.
    @Test(.timeLimit(.minutes(2)))
    func aStoreWrittenByV6MigratesAndNothingSeenAlertsAgain() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try await upgradedOnce("state-v6", in: dir)
    }
}
