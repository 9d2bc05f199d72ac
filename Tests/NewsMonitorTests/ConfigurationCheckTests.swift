import Foundation
import NewsModel
import NewsMonitor
import NewsTestSupport
import Testing

/// A reload reads feeds.conf in a child `newsmon check --emit-json` (``ConfigurationCheck``): the JSON
/// it writes must carry every field of the configuration, and the daemon must report a bad file as the
/// in-process load does.
struct ConfigurationCheckTests {
    static func roundTrip(_ check: ConfigurationCheck) throws -> ConfigurationCheck {
        try ConfigurationCheck(json: check.json())
    }

    static func write(_ text: String, in dir: TemporaryDirectory) throws -> String {
        let path = dir.path + "/feeds.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A file that sets every key of docs/config.md to its example (each differs from the default), with a
    /// `[define]` part and a second feed that takes everything from `[defaults]`.
    static func everyKeyFile() throws -> String {
        let reference = try ConfigurationReferenceTests.reference()
        func examples(_ section: String) -> [String] { (reference[section] ?? []).map(\.example) }
        return (["[defaults]"] + examples("defaults") + ["", "[daemon]"] + examples("daemon")
            + ["", "[define]", "russia = '''russia OR russland'''", "", "[[feed]]"] + examples("feed")
            + ["", "[[feed]]", "id = \"second\"", "url = \"file:second.xml\"", "", "[[topic]]"] + examples("topic"))
            .joined(separator: "\n") + "\n"
    }

    @Test func theShippedFeedsConfTravelsWhole() throws {
        let path = RepositoryPaths.root.appendingPathComponent("feeds.conf").path
        var warnings: [ConfigurationProblem] = []
        let direct = try MonitorConfiguration.load(path: path, warnings: &warnings)
        let decoded = try Self.roundTrip(ConfigurationCheck(path: path))
        #expect(decoded.problems.isEmpty)
        #expect(decoded.warnings == warnings)
        #expect(decoded.configuration == direct)
        #expect(try MonitorRuntime.load(decoded, path: path).configuration == MonitorRuntime.load(path: path).configuration)
    }

    @Test func everyKeyOfDocsConfigTravelsWhole() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.write(Self.everyKeyFile(), in: dir)
        let direct = try MonitorConfiguration.load(path: path)
        let decoded = try Self.roundTrip(ConfigurationCheck(path: path))
        #expect(decoded.problems.isEmpty)
        #expect(decoded.configuration == direct)
        // Relative `file:` URLs are resolved by the daemon after decoding, as by the in-process load.
        let runtime = try MonitorRuntime.load(decoded, path: path)
        #expect(try runtime.configuration == MonitorRuntime.load(path: path).configuration)
        #expect(runtime.configuration.feeds.last?.url == URL(fileURLWithPath: dir.path + "/second.xml").absoluteString)
    }

    /// A field added to the configuration without a key in docs/config.md (and so in the file above) fails
    /// here: then the round trip above would not show whether the JSON carries it.
    @Test func theEveryKeyFileSetsEveryFieldOfTheConfiguration() throws {
        let configuration = try MonitorConfiguration.parse(text: Self.everyKeyFile())
        let topic = try #require(configuration.topics.first)
        let blankFeed = FeedSource(id: "", url: "")
        Self.expectEveryField(of: configuration, differsFrom: MonitorConfiguration(), "MonitorConfiguration")
        Self.expectEveryField(of: configuration.daemon, differsFrom: DaemonSettings(), "DaemonSettings")
        Self.expectEveryField(of: configuration.defaults, differsFrom: blankFeed, except: ["id", "url"], "defaults")
        Self.expectEveryField(of: try #require(configuration.feeds.first), differsFrom: blankFeed, "feed")
        #expect(configuration.defaults.backfill != configuration.feeds.first?.backfill)  // both enum cases
        Self.expectEveryField(of: topic, differsFrom: TopicDefinition(id: "", title: "", rule: ""), "topic")
        Self.expectEveryField(
            of: try #require(topic.definitions.first), differsFrom: RuleDefinition(name: "", rule: ""), "[define] part")
    }

    static func expectEveryField<T>(
        of value: T, differsFrom blank: T, except: Set<String> = [], _ name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let blankFields = Dictionary(
            Mirror(reflecting: blank).children.compactMap { child in child.label.map { ($0, child.value) } }, uniquingKeysWith: { a, _ in a })
        var fields = 0
        for child in Mirror(reflecting: value).children {
            guard let label = child.label, !except.contains(label) else { continue }
            fields += 1
            let set = child.value as? AnyHashable
            let unset = blankFields[label] as? AnyHashable
            #expect(set != nil && set != unset, "\(name).\(label) is not set by the every-key file", sourceLocation: sourceLocation)
        }
        #expect(fields > 0, sourceLocation: sourceLocation)
    }

    @Test func warningsTravel() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.write(
            """
            [[feed]]
            id = "a"
            url = "https://x.example/feed"

            [[feed]]
            id = "b"
            url = "https://x.example/feed"
            """, in: dir)
        let decoded = try Self.roundTrip(ConfigurationCheck(path: path))
        #expect(decoded.warnings.count == 1)
        #expect(decoded.warnings.first?.description.hasPrefix("feeds.conf:7:7: warning: feed 'b'") == true)
        #expect(decoded.configuration?.feeds.count == 2)
    }

    /// The reload reports a bad file with the same lines as the in-process load: TOML syntax, values,
    /// rules, a missing file.
    @Test(arguments: [
        "[defaults]\ninterval = \"often\"\n\n[[feed]]\nid = \"b\"\nurl = \"https://x.example/b\"\ncolour = \"red\"\n",
        "[[feed]]\nid = \"a\"\nurl = \"https://x.example/a\nx = 1\n",
        "[[topic]]\nid = \"t\"\nrule = '''\n  nato AND (russia\n'''\n",
        "[[[x]]]\n",
        "",
    ])
    func problemsTravelWithTheirPositions(text: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = text.isEmpty ? dir.path + "/missing.conf" : try Self.write(text, in: dir)
        let decoded = try Self.roundTrip(ConfigurationCheck(path: path))
        #expect(decoded.configuration == nil)
        #expect(!decoded.problems.isEmpty)
        let direct = #expect(throws: MonitorError.self) { try MonitorRuntime.load(path: path) }
        let viaJSON = #expect(throws: MonitorError.self) { try MonitorRuntime.load(decoded, path: path) }
        #expect(viaJSON?.message == direct?.message)
        #expect(viaJSON?.problems == direct?.problems)
        #expect(viaJSON?.problems.allSatisfy { $0.contains(".conf:") } == true)
    }
}
