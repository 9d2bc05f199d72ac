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

    @OptionGroup var configuration: ConfigurationOption

    @Argument(help: "RSS or Atom files to match; - reads standard input.")
    var files: [String]

    func run() async throws {
        let topics = try configuration.loadConfiguration(command: "match").configuration.topics
        let rules: RuleSet
        do {
            rules = try RuleSet(topics: topics)
        } catch {
            throw StandardError.failure("match", "\(error)")  // loading checked every rule: not expected
        }
        var failed = false
        for file in files {
            let name = file == "-" ? "<stdin>" : URL(fileURLWithPath: file).lastPathComponent
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(file)
            } catch {
                StandardError.print("\(InputFile.displayName(file)): cannot read the file: \(error.message)")
                failed = true
                continue
            }
            let document: FeedDocument
            do {
                let url = file == "-" ? "stdin:" : URL(fileURLWithPath: file).absoluteString
                document = try FeedParser().parse(bytes, url: url)
            } catch {
                StandardError.print("\(InputFile.displayName(file)): \(error.message)\(error.line.map { " (line \($0))" } ?? "")")
                failed = true
                continue
            }
            var output = ""
            for entry in document.entries {
                output += Self.line(feed: name, entry: entry, matches: rules.match(entry.text)) + "\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        if failed { throw ExitCode(1) }
    }

    /// One JSON object, keys in the documented order.
    static func line(feed: String, entry: FeedEntry, matches: [TopicMatch]) -> String {
        var o = JSONObjectWriter()
        o.field("feed", feed)
        o.field("id", entry.id ?? entry.link)
        o.field("title", entry.title ?? entry.text.title)
        o.field("topics", matches.map(\.topicID))
        var why = JSONObjectWriter()
        for match in matches {
            why.raw(match.topicID, MatchEvidence.jsonArray(match.evidence))
        }
        o.raw("why", why.finish())
        return o.finish()
    }
}
