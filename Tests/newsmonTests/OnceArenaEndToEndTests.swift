#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsTestSupport
import Testing

/// `newsmon once` takes a second malloc arena from 1,000 feeds on (docs/performance.md, session 14), set by `main`
/// before any thread exists. glibc reserves each arena but the first as a 64 MiB mapping (`HEAP_MAX_SIZE`) that it
/// makes usable as it grows, so the process shows it as an anonymous, inaccessible region of tens of MB.
@Suite struct OnceArenaEndToEndTests {
    @Test(.timeLimit(.minutes(1)))
    func aThousandFeedsTakeASecondArenaAndOneFewerDoNot() async throws {
        #expect(try await reservedArenas(feeds: 1_000) == 1)
        #expect(try await reservedArenas(feeds: 999) == 0)
    }

    /// The arenas reserved beside the main one while `newsmon once` on `feeds` feeds (all but one disabled) waits for
    /// the one enabled feed, whose server does not answer.
    private func reservedArenas(feeds: Int) async throws -> Int {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await TestHTTPServer.start(routes: ["/hang.xml": [TestHTTPServer.Response(body: "late", delay: 30)]])
        defer { server.stop() }
        var config = try TestFeeds.configuration(feeds: [("hang", server.url("/hang.xml").absoluteString)], interval: "10m")
        for number in 1..<feeds {
            config += "\n[[feed]]\nid = \"off-\(number)\"\nurl = \"file:/nonexistent/off-\(number).xml\"\nenabled = false\n"
        }
        try config.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let once = try NewsmonProcess(
            ["once", "--config", dir.path + "/feeds.conf", "--state", dir.path + "/state", "--spool", dir.path + "/spool",
             "--output", "none"], in: dir)
        defer {
            once.send(SIGKILL)
            once.process.waitUntilExit()
        }
        // The fetch is under way: the threads that fetch, and those that prepared it, have allocated.
        let deadline = Date().addingTimeInterval(20)
        while ((try? await server.requests()) ?? []).isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(((try? await server.requests()) ?? []).count == 1, "the feed was fetched")
        let maps = try #require(Self.wholeFile("/proc/\(once.pid)/maps"))
        return maps.split(separator: "\n").count { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 5, fields[1] == "---p" else { return false }  // anonymous: no path
            let bounds = fields[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
            return bounds.count == 2 && bounds[1] - bounds[0] >= 32 << 20
        }
    }

    /// A /proc file read to its end: it reports a size of 0, and `String(contentsOfFile:)` reads one page of it.
    static func wholeFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
            bytes += chunk[..<count]
        }
    }
}
