import Foundation
import NewsTestSupport
import Testing

/// Wrong paths and ids are errors naming the path or id, never an empty answer with exit 0.
@Suite(.serialized) struct LoudErrorTests {
    @Test func tailStatusAndExplainNameAMissingStateDirectory() throws {
        for command in [["tail"], ["status"], ["explain", "feed", "item"]] {
            let outcome = try NewsmonProcess.runBlocking(command + ["--state", "/nonexistent/state"])
            #expect(outcome.status == 1, "\(command)")
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr == "newsmon \(command[0]): no state directory at /nonexistent/state\n", "\(command)")
        }
    }

    @Test func aMissingSpoolOrStateStoreIsNamed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let tail = try NewsmonProcess.runBlocking(["tail", "--state", dir.path])
        #expect(tail.status == 1)
        #expect(tail.stderr == "newsmon tail: no spool folder at \(dir.path)/spool/new\n")
        let spool = try NewsmonProcess.runBlocking(["tail", "--spool", dir.path + "/elsewhere"])
        #expect(spool.stderr == "newsmon tail: no spool folder at \(dir.path)/elsewhere/new\n")
        let status = try NewsmonProcess.runBlocking(["status", "--state", dir.path])
        #expect(status.status == 1)
        #expect(status.stderr.hasPrefix("newsmon status: no state store \(dir.path)/state.sqlite"))
    }

    @Test func theDefaultStateDirectoryUnderSudoSaysWhoseItIs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let outcome = try NewsmonProcess.runBlocking(["tail"], environment: ["HOME": dir.path, "SUDO_USER": "alice"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no state directory at \(dir.path)/.local/state/newsmon (the default; pass --state DIR)"))
        #expect(outcome.stderr.contains("under sudo the default state directory is root's, not alice's"))
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnknownTopicIsNamedWithTheKnownOnes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let state = dir.path + "/state"
        let once = try await NewsmonProcess.run(["once", "--config", config, "--state", state, "--output", "none"], in: dir)
        #expect(once.status == 0)
        let typo = try await NewsmonProcess.run(["tail", "--state", state, "--topic", "nato-russia-concil"], in: dir, name: "typo")
        #expect(typo.status == 1)
        #expect(
            typo.stderr == "newsmon tail: unknown topic 'nato-russia-concil' "
                + "(topics in feeds.conf and the spool: nato-russia-council, ukraine-troop-buildup)\n")
        let known = try await NewsmonProcess.run(
            ["tail", "--state", state, "--topic", "ukraine-troop-buildup", "--output", "json"], in: dir, name: "known")
        #expect(known.status == 0)
        #expect(AlertJSON.lines(known.stdout).count == 2)
    }
}
