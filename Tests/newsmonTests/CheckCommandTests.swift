import Foundation
import NewsTestSupport
import Testing

/// `newsmon check` end to end: the built binary, a real file, exit status and stderr.
struct CheckCommandTests {
    static let threeErrors = """
        [[feed]]
        id = "tagesschau"
        url = "https://www.tagesschau.de/xml/rss2/"
        colour = "blue"

        [[feed]]
        id = "tagesschau"
        url = "gopher://example.org/news"

        [daemon]
        max_in_flight = "eight"
        """

    @Test func reportsEveryErrorAndExitsOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.threeErrors.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let outcome = try NewsmonProcess.runBlocking(["check", "--config", dir.path + "/feeds.conf"])
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr.split(separator: "\n").map(String.init) == [
                "feeds.conf:4:1: unknown key 'colour' in [[feed]]; known keys: backfill, enabled, id, interval, lang, max_bytes, timeout, tz, url",
                "feeds.conf:7:6: duplicate feed id \"tagesschau\"",
                "feeds.conf:8:7: 'url' must use http, https or file, not \"gopher\"",
                "feeds.conf:11:17: 'max_in_flight' must be an integer, not a string",
            ])
        #expect(outcome.stdout.isEmpty)
    }

    @Test func shippedConfigurationPassesFromTheRepositoryRoot() throws {
        // No --config: the default path is ./feeds.conf in the working directory.
        let outcome = try NewsmonProcess.runBlocking(["check"], in: RepositoryPaths.root)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.contains("2 topics"))
    }

    @Test func aMissingFileNamesEveryPathTried() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let outcome = try NewsmonProcess.runBlocking(["check"], in: dir.url)
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr
                == "newsmon check: no configuration file: tried \(dir.path)/feeds.conf, /etc/newsmon/feeds.conf "
                + "(pass --config FILE or set NEWSMON_CONFIG)\n")
        let named = try NewsmonProcess.runBlocking(["check"], environment: ["NEWSMON_CONFIG": dir.path + "/x.conf"])
        #expect(named.stderr == "newsmon check: \(dir.path)/x.conf (from $NEWSMON_CONFIG): no such file\n")
    }

    @Test func newsmonConfigIsHonouredByEveryCommandThatReadsFeedsConf() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = dir.path + "/elsewhere.conf"
        for command in [["check"], ["match", "-"], ["once", "--state", dir.path + "/s"], ["run", "--state", dir.path + "/s"]] {
            let outcome = try NewsmonProcess.runBlocking(command, environment: ["NEWSMON_CONFIG": missing])
            #expect(outcome.status == 1, "\(command)")
            #expect(outcome.stderr.contains("\(missing) (from $NEWSMON_CONFIG): no such file"), "\(command): \(outcome.stderr)")
        }
    }

    @Test func anUnterminatedStringIsReportedWhereItOpens() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cases = [
            ("[[topic]]\nid = \"t\"\nrule = '''\n  nato\n\n[[feed]]\nid = \"a\"\nurl = \"https://a.example/\"\n",
             "feeds.conf:3:8: TOML syntax: unterminated string: the ''' opened here has no closing ''' before the end of the file"),
            ("[[feed]]\nid = \"a\nurl = \"https://a.example/\"\n",
             "feeds.conf:2:6: TOML syntax: unterminated string: the \" opened here has no closing \" before the end of the line"),
        ]
        for (text, expected) in cases {
            try text.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
            let outcome = try NewsmonProcess.runBlocking(["check", "--config", dir.path + "/feeds.conf"])
            #expect(outcome.status == 1)
            #expect(outcome.stderr == expected + "\n")
        }
    }

    @Test func duplicateFeedURLsAreWarnedAboutWithoutFailing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = """
            [[feed]]
            id = "a"
            url = "https://News.example/rss?utm_source=x"

            [[feed]]
            id = "b"
            url = "https://news.example/rss"
            """
        try text.write(toFile: dir.path + "/feeds.conf", atomically: true, encoding: .utf8)
        let outcome = try NewsmonProcess.runBlocking(["check", "--config", dir.path + "/feeds.conf"])
        #expect(outcome.status == 0)
        #expect(
            outcome.stderr
                == "feeds.conf:7:7: warning: feed 'b' has the same URL as feed 'a' (line 3); it would be polled twice\n")
        #expect(outcome.stdout.hasSuffix("ok, 2 feeds, 0 topics, 1 warning\n"))
    }
}
