import Foundation
import NewsTestSupport
import Testing

/// A state store written by the schema-v2 release (fixtures/state-v2: `newsmon once` on the demo
/// configuration at 8aaa3e1) migrates by name, and nothing it had seen alerts again.
@Suite(.serialized) struct UpgradeEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func aStoreWrittenBeforeMigratesAndNothingSeenAlertsAgain() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = dir.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: RepositoryPaths.fixtures.appendingPathComponent("state-v2/state.sqlite").path,
            toPath: state + "/state.sqlite")
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let once = try await NewsmonProcess.run(["once", "--config", config, "--state", state, "--output", "json"], in: dir)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.isEmpty, "the three demo alerts were raised before the upgrade")
        let explain = try await NewsmonProcess.run(
            ["explain", "--state", state, "demo-en", "demo-world-2201"], in: dir, name: "explain")
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("ukraine-troop-buildup"), "\(explain.stdout)")
        #expect(explain.stdout.contains("recorded before newsmon kept this"), "\(explain.stdout)")
        let missing = try await NewsmonProcess.run(["explain", "--state", state, "demo-en", "no-such-item"], in: dir, name: "missing")
        #expect(missing.status == 1 && missing.stderr.contains("has no item"))
    }

    /// A store written by schema v6 (fixtures/state-v6: `newsmon once` on the demo configuration at 26634e3)
    /// migrates to v7 (story key digests, `story_seen`) and nothing it had seen alerts again.
    @Test(.timeLimit(.minutes(2)))
    func aStoreWrittenByV6MigratesAndNothingSeenAlertsAgain() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = dir.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: RepositoryPaths.fixtures.appendingPathComponent("state-v6/state.sqlite").path,
            toPath: state + "/state.sqlite")
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let once = try await NewsmonProcess.run(["once", "--config", config, "--state", state, "--output", "json"], in: dir)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.isEmpty, "the three demo alerts were raised before the upgrade")
        let explain = try await NewsmonProcess.run(
            ["explain", "--state", state, "demo-en", "demo-world-2201"], in: dir, name: "explain")
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("ukraine-troop-buildup"), "\(explain.stdout)")
    }
}
