#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// The documented way another user reads and takes alerts (docs/spool-format.md "Access for other
/// users"): the daemon runs with `--shared-spool` under `UMask=0027`, the consumer is in its group.
/// Needs root, to run the consumer as another user (`setpriv`).
@Suite(.serialized, .enabled(if: getuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0))
struct SpoolAccessTests {
    /// Runs `arguments` as user 65534 (nobody) in group `gid` and nothing else.
    private func asConsumer(_ arguments: [String], gid: gid_t) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=\(gid)", "--clear-groups", "--"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.timeLimit(.minutes(2)))
    func aMemberOfTheDaemonsGroupReadsAndTakesAlerts() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        chmod(dir.path, 0o755)
        let state = dir.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        chmod(state, 0o750)  // StateDirectoryMode=0750
        let config = RepositoryPaths.fixtures.appendingPathComponent("demo/feeds.conf").path
        let previous = umask(0o027)  // the unit's UMask=0027, inherited by the child
        let once = try await NewsmonProcess.run(
            ["once", "--config", config, "--state", state, "--output", "none", "--shared-spool"], in: dir)
        umask(previous)
        #expect(once.status == 0, "\(once.stderr)")

        let newsmon = RepositoryPaths.newsmonBinary.path
        let group = getgid()
        let read = try asConsumer([newsmon, "tail", "--state", state, "--output", "json", "-n", "100"], gid: group)
        #expect(read.status == 0)
        #expect(AlertJSON.lines(read.stdout).count == 3)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/spool/new").sorted().first)
        let take = try asConsumer(["/bin/mv", state + "/spool/new/" + name, state + "/spool/cur/" + name + ":2,S"], gid: group)
        #expect(take.status == 0)
        #expect(FileManager.default.fileExists(atPath: state + "/spool/cur/" + name + ":2,S"))

        // Outside the group: nothing.
        let stranger = try asConsumer([newsmon, "tail", "--state", state, "--output", "json"], gid: 65534)
        #expect(stranger.status != 0)
        #expect(stranger.stdout.isEmpty)
    }
}
