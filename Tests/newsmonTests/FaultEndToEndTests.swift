#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// Faults that must never turn into repeated alerts, with the built binary: a second process on the
/// same state directory, a spool that cannot be written.
@Suite(.serialized) struct FaultEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func aSecondRunOrOnceOnTheSameStateDirectoryIsRefusedWhileStatusAndTailWork() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.englishBuildup]).write(toFile: dir.path + "/one.xml", atomically: true, encoding: .utf8)
        let config = dir.path + "/feeds.conf"
        try TestFeeds.configuration(feeds: [("one", "file://\(dir.path)/one.xml")], interval: "1h")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try DaemonEndToEndTests.Daemon(config: config, in: dir)
        #expect(await daemon.notify.waitFor { $0 == "READY=1" })
        #expect(await daemon.waitForSpool(count: 1))

        let state = ["--config", config, "--state", daemon.state]
        let once = try await NewsmonProcess.run(["once"] + state, in: dir, name: "once")
        #expect(once.status == 1)
        #expect(once.stderr.contains("newsmon once: \(daemon.state): the state directory is in use by another newsmon"), "\(once.stderr)")
        #expect(once.stderr.contains("(pid \(daemon.process.pid))"))
        #expect(once.stdout.isEmpty)
        let run = try await NewsmonProcess.run(["run", "--startup-spread", "0"] + state, in: dir, name: "run", timeout: 20)
        #expect(run.status == 1)
        #expect(run.stderr.contains("newsmon run: \(daemon.state): the state directory is in use"))
        let status = try await NewsmonProcess.run(["status"] + state, in: dir, name: "status")
        #expect(status.status == 0 && status.stdout.contains("one"))
        let tail = try await NewsmonProcess.run(["tail", "--state", daemon.state, "--output", "json"], in: dir, name: "tail")
        #expect(tail.status == 0 && AlertJSON.lines(tail.stdout).count == 1)

        let (stopped, _) = await daemon.stop()
        #expect(stopped == 0)
        #expect(daemon.spool.count == 1 && AlertJSON.lines(daemon.process.stdout).count == 1)
        // The lock goes with the process.
        let after = try await NewsmonProcess.run(["once"] + state, in: dir, name: "after")
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.isEmpty)
    }

    @Test(.timeLimit(.minutes(2)))
    func onceWithASpoolThatCannotBeWrittenSaysSoAndTheNextOnceAlertsExactlyOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.englishBuildup]).write(toFile: dir.path + "/one.xml", atomically: true, encoding: .utf8)
        let config = dir.path + "/feeds.conf"
        try TestFeeds.configuration(feeds: [("one", "file://\(dir.path)/one.xml")]).write(toFile: config, atomically: true, encoding: .utf8)
        let state = dir.path + "/state"
        // `spool/new` is a file, not a directory: every publication fails (root ignores permissions).
        try FileManager.default.createDirectory(atPath: state + "/spool", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: state + "/spool/new", contents: Data())
        let args = ["once", "--config", config, "--state", state, "--output", "json"]

        let broken = try await NewsmonProcess.run(args, in: dir)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("newsmon once: cannot record alerts and seen items: spool: "), "\(broken.stderr)")
        #expect(broken.stderr.contains("0 alerts printed; 1 of 1 feeds fetched but not recorded"))
        #expect(!broken.stderr.contains("feeds failed"))
        #expect(broken.stdout.isEmpty)
        let status = try await NewsmonProcess.run(["status", "--config", config, "--state", state], in: dir, name: "status")
        #expect(status.stdout.hasPrefix("DAEMON PROBLEM since "), "\(status.stdout)")
        let json = try await NewsmonProcess.run(["status", "--config", config, "--state", state, "--json"], in: dir, name: "json")
        #expect(AlertJSON.lines(json.stdout).first?["consecutive_errors"] as? Int == 0)  // not the feed's fault
        #expect(json.stderr.contains("daemon problem since "))

        try FileManager.default.removeItem(atPath: state + "/spool/new")
        let fixed = try await NewsmonProcess.run(args, in: dir, name: "fixed")
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(AlertJSON.lines(fixed.stdout).count == 1)
        let again = try await NewsmonProcess.run(args, in: dir, name: "again")
        #expect(again.status == 0 && again.stdout.isEmpty)
        #expect(AlertJSON.spool(state + "/spool").count == 1)
        let healthy = try await NewsmonProcess.run(["status", "--config", config, "--state", state], in: dir, name: "healthy")
        #expect(!healthy.stdout.contains("DAEMON PROBLEM"))
    }

    @Test(.timeLimit(.minutes(2)))
    func theDaemonReportsASpoolFaultInStatusWithoutBackoffAndResumesWhenTheDiskDoes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.councilAndBuildup]).write(toFile: dir.path + "/de.xml", atomically: true, encoding: .utf8)
        let config = dir.path + "/feeds.conf"
        try TestFeeds.configuration(feeds: [("de", "file://\(dir.path)/de.xml")]).write(toFile: config, atomically: true, encoding: .utf8)
        let state = dir.path + "/state"
        try FileManager.default.createDirectory(atPath: state + "/spool", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: state + "/spool/new", contents: Data())

        let daemon = try DaemonEndToEndTests.Daemon(config: config, in: dir)
        #expect(await daemon.notify.waitFor { $0.hasPrefix("STATUS=") && $0.contains("; not recording: spool: ") })
        let status = try await NewsmonProcess.run(["status", "--config", config, "--state", state, "--json"], in: dir, name: "status")
        #expect(status.stderr.contains("daemon problem since "))
        #expect(AlertJSON.lines(status.stdout).first?["consecutive_errors"] as? Int == 0)

        try FileManager.default.removeItem(atPath: state + "/spool/new")
        try FileManager.default.createDirectory(atPath: state + "/spool/new", withIntermediateDirectories: false)
        #expect(await daemon.waitForSpool(count: 2))
        #expect(await daemon.notify.waitFor { $0 == "STATUS=1 feeds, 2 alerts, 0 failing" })
        try await Task.sleep(for: .seconds(2))
        let (stopped, _) = await daemon.stop()
        #expect(stopped == 0)
        #expect(daemon.spool.count == 2)
        #expect(AlertJSON.ids(daemon.printed).count == 2)
        #expect(!FileManager.default.fileExists(atPath: state + "/problem"))
        #expect(!daemon.process.stderr.contains("feed poll failed"))
    }
}
