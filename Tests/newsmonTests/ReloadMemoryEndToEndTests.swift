#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// A SIGHUP reload keeps nothing in the daemon: feeds.conf is parsed in a child `newsmon check
/// --emit-json` (TOMLKit frees nothing a parse allocates, docs/performance.md "Memory over time").
@Suite(.serialized) struct ReloadMemoryEndToEndTests {
    static func residentBytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }

    /// A topic title of 512 KiB: each in-process TOML parse would keep it at least twice (the table and
    /// TOMLKit's `strdup` of the string), over 1 MiB a reload; read in a child, the old copy is freed.
    @Test(.timeLimit(.minutes(3)))
    func twentyReloadsOfAFileWithAHalfMegabyteStringKeepNoneOfIt() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestFeeds.rss([TestFeeds.neutral]).write(toFile: dir.path + "/local.xml", atomically: true, encoding: .utf8)
        let title = String(repeating: "Nato-Russland-Rat ", count: 512 * 1024 / 18)
        let config = dir.path + "/feeds.conf"
        try """
            [defaults]
            interval = "1h"
            backfill = "0s"

            [[feed]]
            id = "local"
            url = "file:local.xml"

            [[topic]]
            id = "big"
            title = "\(title)"
            rule = "nato"
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let daemon = try DaemonEndToEndTests.Daemon(config: config, in: dir)
        #expect(await daemon.notify.waitFor { $0.hasPrefix("STATUS=1 feeds") })
        func reload(_ n: Int) async -> Bool {
            daemon.process.send(SIGHUP)
            return await daemon.notify.waitFor(timeout: 30) { _ in
                daemon.notify.messages.filter { $0 == "READY=1" }.count > n
            }
        }
        // Warm-up: the allocator's arenas and caches reach their working size.
        for n in 1...5 { #expect(await reload(n)) }
        let before = try #require(Self.residentBytes(of: daemon.process.pid))
        for n in 6...25 { #expect(await reload(n)) }
        let after = try #require(Self.residentBytes(of: daemon.process.pid))
        let (status, _) = await daemon.stop()
        #expect(status == 0)
        #expect(daemon.process.stderr.components(separatedBy: "configuration reloaded").count - 1 == 25)
        #expect(!daemon.process.stderr.contains("reload failed"))
        // Kept per reload before the fix: over 1 MiB, 20 MiB in all. Allow a few MiB of allocator noise.
        #expect(after - before < 6 * 1024 * 1024, "RSS \(before / 1024) KiB -> \(after / 1024) KiB over 20 reloads")
    }

    /// The reload's child reports problems in JSON, with their positions, for the daemon to log.
    @Test func checkEmitJSONCarriesTheConfigurationOrItsProblems() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "[[feed]]\nid = \"a\"\nurl = \"gopher://x.example/\"\n".write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let bad = try NewsmonProcess.runBlocking(["check", "--emit-json", "--config", dir.path + "/feeds.conf"])
        #expect(bad.status == 0)
        #expect(bad.stderr.isEmpty)
        let problems = try #require(JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])["problems"]
        let first = try #require((problems as? [[String: Any]])?.first)
        #expect(first["line"] as? Int == 3 && first["column"] as? Int == 7)
        #expect((first["message"] as? String)?.contains("gopher") == true)

        let good = try NewsmonProcess.runBlocking(["check", "--emit-json", "--config", RepositoryPaths.root.path + "/feeds.conf"])
        #expect(good.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        let configuration = try #require(object["configuration"] as? [String: Any])
        #expect((configuration["topics"] as? [Any])?.count == 2)
        #expect((object["problems"] as? [Any])?.isEmpty == true)
    }
}
