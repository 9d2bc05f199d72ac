import ArgumentParser
import FeedParsing
import Foundation
import NewsModel
import NewsMonitor
import TopicRules

/// `newsmon match`: Dry-run the topic rules over feed files (JSON Lines).
///
/// One line per entry, in feed order:
/// `{"feed":…,"id":…,"title":…,"topics":[…],"why":{"<topic>":[{"term":…,"field":…,"text":…}]}}`.
/// No state is read or written and nothing is fetched.
struct Match: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Dry-run the topic rules over feed files (JSON Lines).",
        discussion: "Prints one JSON object per entry with the topics it matches and why. Touches no state and no network."
    )

    @Option(name: .long, help: "The configuration file (default: ./feeds.conf, else /etc/newsmon/feeds.conf).")
    var config: String?

    @Argument(help: "RSS or Atom files to match.")
    var files: [String]

    func run() async throws {
        let path = config ?? MonitorConfiguration.defaultPath(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath
        )
        let rules: RuleSet
        do {
            let configuration = try MonitorConfiguration.load(path: path)
            rules = try RuleSet(topics: configuration.topics)
        } catch let error as ConfigurationError {
            Self.printError(error.description)
            throw ExitCode(1)
        }
        var failed = false
        for file in files {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                Self.printError("\(file): cannot read the file: \(error.localizedDescription)")
                failed = true
                continue
            }
            let document: FeedDocument
            do {
                document = try FeedParser().parse(bytes, url: URL(fileURLWithPath: file).absoluteString)
            } catch {
                Self.printError("\(file): \(error.message)\(error.line.map { " (line \($0))" } ?? "")")
                failed = true
                continue
            }
            var output = ""
            for entry in document.entries {
                output += Self.line(feed: name, entry: entry, matches: rules.match(entry.text))
                output += "\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        if failed { throw ExitCode(1) }
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// One JSON object, keys in the documented order.
    static func line(feed: String, entry: FeedEntry, matches: [TopicMatch]) -> String {
        var s = "{\"feed\":" + json(feed)
        s += ",\"id\":" + ((entry.id ?? entry.link).map(json) ?? "null")
        s += ",\"title\":" + json(entry.title ?? entry.text.title)
        s += ",\"topics\":[" + matches.map { json($0.topicID) }.joined(separator: ",") + "]"
        s += ",\"why\":{"
        s += matches.map { match in
            json(match.topicID) + ":[" + match.evidence.map { e in
                "{\"term\":\(json(e.term)),\"field\":\(json(e.field)),\"text\":\(json(e.text))}"
            }.joined(separator: ",") + "]"
        }.joined(separator: ",")
        return s + "}}"
    }

    /// A JSON string literal (see ``NewsModel/JSONText``).
    static func json(_ text: String) -> String { JSONText.quoted(text) }
}
