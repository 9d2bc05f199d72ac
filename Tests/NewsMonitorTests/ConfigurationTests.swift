import Foundation
import NewsModel
import NewsMonitor
import NewsTestSupport
import Testing

/// A feeds.conf with five different problems (unknown key, duplicate id, bad URL, rule syntax,
/// wrong type), and where each one is.
enum FiveErrorConfiguration {
    static let text = """
        [defaults]
        interval = "10m"

        [[feed]]
        id = "tagesschau"
        url = "https://www.tagesschau.de/xml/rss2/"
        colour = "blue"

        [[feed]]
        id = "tagesschau"
        url = "gopher://example.org/news"

        [[topic]]
        id = "council"
        title = "Council"
        rule = '''
          "nato russland rat" OR
          (nato AND russland
        '''

        [daemon]
        max_in_flight = "eight"
        """

    static let expected = [
        "feeds.conf:7:1: unknown key 'colour' in [[feed]]; known keys: backfill, enabled, id, interval, lang, max_bytes, timeout, tz, url",
        "feeds.conf:10:6: duplicate feed id \"tagesschau\"",
        "feeds.conf:11:7: 'url' must use http, https or file, not \"gopher\"",
        "feeds.conf:18:3: topic 'council': rule: unclosed '(': the rule ends before its ')'",
        "feeds.conf:22:17: 'max_in_flight' must be an integer, not a string",
    ]
}

struct ConfigurationTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try MonitorConfiguration.parse(text: text)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func reportsEveryProblemWithLineAndColumn() {
        #expect(problems(FiveErrorConfiguration.text) == FiveErrorConfiguration.expected)
    }

    @Test func shippedConfigurationIsClean() throws {
        let configuration = try MonitorConfiguration.load(path: RepositoryPaths.root.appendingPathComponent("feeds.conf").path)
        #expect(configuration.feeds.count >= 9)
        #expect(configuration.topics.map(\.id) == ["nato-russia-council", "ukraine-troop-buildup"])
        #expect(Set(configuration.feeds.compactMap(\.language).map { String($0.prefix(2)) }) == ["de", "en"])
        #expect(configuration.feeds.allSatisfy { $0.url.hasPrefix("https://") })
    }

    @Test func appliesDefaultsAndOverrides() throws {
        let configuration = try MonitorConfiguration.parse(text: """
            [defaults]
            interval = "15m"
            timeout = "30s"
            max_bytes = "512KB"
            backfill = "all"
            lang = "de"

            [[feed]]
            id = "a"
            url = "https://example.org/a.xml"

            [[feed]]
            id = "b"
            url = "file:///var/lib/feeds/b.xml"
            interval = "1h30m"
            max_bytes = 2048
            backfill = "0s"
            lang = "en-GB"
            tz = "Europe/London"
            enabled = false

            [daemon]
            max_per_host = 4
            retention = "30d"
            """)
        let a = configuration.feeds[0], b = configuration.feeds[1]
        #expect(a.interval == .seconds(900) && a.timeout == .seconds(30) && a.maxBytes == 512_000)
        #expect(a.backfill == .all && a.language == "de" && a.isEnabled)
        #expect(b.interval == .seconds(5400) && b.timeout == .seconds(30) && b.maxBytes == 2048)
        #expect(b.backfill == .window(.zero) && b.language == "en-GB" && b.timeZone == "Europe/London" && !b.isEnabled)
        #expect(configuration.daemon == DaemonSettings(maxInFlight: 8, maxPerHost: 4, retention: .seconds(30 * 86_400), storyWindow: .seconds(72 * 3600)))
    }

    @Test func documentedDefaultsHoldForAnEmptyFile() throws {
        let configuration = try MonitorConfiguration.parse(text: "")
        #expect(configuration.daemon == DaemonSettings())
        #expect(configuration.daemon.maxInFlight == 8 && configuration.daemon.maxPerHost == 2)
        #expect(configuration.daemon.retention == .seconds(90 * 86_400) && configuration.daemon.storyWindow == .seconds(72 * 3600))
        #expect(configuration.feeds.isEmpty && configuration.topics.isEmpty)
    }

    @Test(arguments: [
        ("[[feed]]\nid = \"a\"\nurl = \"https://x.org/\"\ninterval = 10\n", "feeds.conf:4:12: 'interval' must be a string, not an integer"),
        ("[[feed]]\nid = \"a\"\nurl = \"https://x.org/\"\ntimeout = \"0s\"\n", "feeds.conf:4:11: 'timeout' must be longer than zero"),
        ("[[feed]]\nid = \"a\"\nurl = \"https://x.org/\"\nmax_bytes = \"10 parsecs\"\n", "feeds.conf:4:13: 'max_bytes' is not a size: \"10 parsecs\" (write e.g. \"10MB\", \"512KB\" or a number of bytes)"),
        ("[[feed]]\nid = \"a\"\nurl = \"https://x.org/\"\nbackfill = \"forever\"\n", "feeds.conf:4:12: 'backfill' must be \"all\" or a duration such as \"24h\" or \"0s\", not \"forever\""),
        ("[[feed]]\nid = \"a\"\nurl = \"https://x.org/\"\ntz = \"Mars/Olympus\"\n", "feeds.conf:4:6: 'tz' is not a known time zone: \"Mars/Olympus\" (write an IANA name such as \"Europe/Berlin\")"),
        ("[[feed]]\nid = \"a\"\nurl = \"https://x.org/\"\nlang = \"german\"\n", "feeds.conf:4:8: 'lang' is not a language tag: \"german\" (write e.g. \"de\" or \"en-GB\")"),
        ("[[feed]]\nid = \"a\"\nurl = \"https:///path\"\n", "feeds.conf:3:7: 'url' has no host: \"https:///path\""),
        ("[[feed]]\nid = \"a\"\n", "feeds.conf:1:1: [[feed]] needs 'url'"),
        ("[[feed]]\nid = \"a b\"\nurl = \"https://x.org/\"\n", "feeds.conf:2:6: 'id' must be non-empty and use only letters, digits, '-', '_' and '.', not \"a b\""),
        ("[feed]\nid = \"a\"\n", "feeds.conf:1:1: 'feed' must be an array of tables: write [[feed]] for each one"),
        ("[feeds]\nx = 1\n", "feeds.conf:1:1: unknown section 'feeds': expected [defaults], [[feed]], [define], [[topic]] or [daemon]"),
        ("[[topic]]\nid = \"t\"\nrule = \"nato AND\"\n", "feeds.conf:3:17: topic 't': rule: rule ends where a term was expected"),
        ("[[topic]]\nid = \"t\"\nrule = \"   \"\n", "feeds.conf:3:9: topic 't': rule: empty rule"),
        ("[[topic]]\nid = \"t\"\nrule = \"\"\"\nnato\n  NEAR/500 russland\"\"\"\n", "feeds.conf:5:3: topic 't': rule: NEAR distance must be between 1 and 100, not 500"),
        ("[[topic]]\nid = \"t\"\nrule = 'nato or russland'\n", "feeds.conf:3:14: topic 't': rule: 'or' is not an operator: write OR for the operator, or \"or\" to match the word"),
        ("[[topic]]\nid = \"t\"\nrule = 7\n", "feeds.conf:3:8: 'rule' must be a string, not an integer"),
        ("[daemon]\nmax_per_host = 0\n", "feeds.conf:2:16: 'max_per_host' must be at least 1, not 0"),
    ])
    func reportsOneProblem(text: String, expected: String) {
        #expect(problems(text) == [expected])
    }

    /// Headers toml++ (inside TOMLKit) would abort on with an assertion: reported, never parsed.
    @Test(arguments: [
        ("[\n", "feeds.conf:1:2: TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"),
        ("a = 1\r\n[[}x\r\n", "feeds.conf:2:3: TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"),
        ("[[[feed]]]\n", "feeds.conf:1:3: TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"),
        ("[[ =\n", "feeds.conf:1:4: TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"),
        ("a = [}\n", "feeds.conf:1:6: TOML syntax: '}' where the array expects a value or its closing ']'"),
        ("a = [1,\n  # note\n  }\n", "feeds.conf:3:3: TOML syntax: '}' where the array expects a value or its closing ']'"),
        ("a = { b = [ }] }\n", "feeds.conf:1:13: TOML syntax: '}' where the array expects a value or its closing ']'"),
    ])
    func malformedHeadersAreReportedNotParsed(text: String, expected: String) {
        #expect(problems(text) == [expected])
    }

    /// A value-less key and CRLF line ends (a file edited on Windows) keep positions right.
    /// Brackets and braces inside strings, comments and rules are text, not structure.
    @Test func bracesInStringsAndCommentsAreText() throws {
        let text = "# a = [}\n[[topic]]\nid = \"t\"\nrule = \'\'\'\nnato # [, }\n\'\'\'\ntitle = \"[}\"\n"
        #expect(problems(text) == [])
        #expect(problems("x = [\"[}\", \'a, }\', [ # }\n 1]]\n") == [
            "feeds.conf:1:1: unknown section 'x': expected [defaults], [[feed]], [define], [[topic]] or [daemon]",
        ])
    }

    @Test func crlfFilesAndEmptyValues() {
        #expect(problems("=\n").count == 1)
        #expect(problems("[[feed]]\r\nid = \"a\"\r\nurl = \"https://x.org/\"\r\ninterval = 10\r\n")
            == ["feeds.conf:4:12: 'interval' must be a string, not an integer"])
        #expect(problems("[[topic]]\r\nid = \"t\"\r\nrule = \'\'\'\r\nnato\r\n  AND\r\n\'\'\'\r\n")
            == ["feeds.conf:6:1: topic 't': rule: rule ends where a term was expected"])
    }

    @Test func syntaxErrorsCarryTOMLPositions() {
        let found = problems("[defaults]\ninterval = \"10m\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("feeds.conf:2:") == true, "\(found)")
    }

    @Test func loadNamesTheFileAndReportsUnreadableFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("my.conf").path
        try "[daemon]\nbogus = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try MonitorConfiguration.load(path: path) }
        do {
            _ = try MonitorConfiguration.load(path: path)
        } catch {
            #expect(error.problems.map(\.description) == ["my.conf:2:1: unknown key 'bogus' in [daemon]; known keys: max_in_flight, max_per_host, retention, story_window"])
        }
        do {
            _ = try MonitorConfiguration.load(path: dir.url.appendingPathComponent("missing.conf").path)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.first?.description.hasSuffix("missing.conf:1:1: cannot read the file: no such file") == true)
        }
    }

    @Test func findsTheConfigurationByOneRule() {
        func location(_ explicit: String?, _ environment: [String: String], exists: @escaping (String) -> Bool) -> ConfigurationLocation {
            ConfigurationLocation(explicit: explicit, environment: environment, workingDirectory: "/srv/app", fileExists: exists)
        }
        #expect(location(nil, [:]) { $0 == "/srv/app/feeds.conf" }.path == "/srv/app/feeds.conf")
        let missing = location(nil, [:]) { _ in false }
        #expect(missing.path == "/etc/newsmon/feeds.conf")
        #expect(missing.missingFileMessage.contains("tried /srv/app/feeds.conf, /etc/newsmon/feeds.conf"))
        #expect(location(nil, ["NEWSMON_CONFIG": "/x.conf"]) { _ in true }.path == "/x.conf")
        #expect(location("/y.conf", ["NEWSMON_CONFIG": "/x.conf"]) { _ in true }.path == "/y.conf")
        #expect(location("/y.conf", [:]) { _ in false }.missingFileMessage == "/y.conf (from --config): no such file")
    }
}
