import ArgumentParser
import Foundation
import NewsModel
import NewsMonitor
import TopicRules

/// `newsmon eval`: Score the topic rules on labelled items.
///
/// Reads JSON Lines, one item per line: `{"id":…,"title":…,"summary":…,"content":…,"categories":[…],
/// "labels":[topic ids]}` (`topics` is accepted for `labels`; every key but the labels is optional).
/// Prints, per topic, precision, recall and F1, then each miss and false alarm with how each
/// top-level part of the rule fared on it. Touches no state and no network.
///
/// Exit status: 0; 1 when a topic's F1 is below `--min-f1`; 2 when the configuration or an input
/// file cannot be read.
struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the topic rules on labelled items (JSON Lines): precision, recall, F1, each miss and false alarm.",
        discussion: """
            Each input line is a JSON object with "title", "summary", "content", "categories" (all optional) and \
            "labels" (or "topics"): the ids of the topics the item is about, [] for none. Every miss and false alarm \
            is listed with the parts of the rule: ✓ held, ✗ did not, and the words that hit. \
            Exits 1 when a topic's F1 is below --min-f1, 2 when a file cannot be read.
            """
    )

    @Option(name: .long, help: "feeds.conf to read (default: $NEWSMON_CONFIG, else ./feeds.conf, else /etc/newsmon/feeds.conf).")
    var config: String?

    @Option(name: .long, help: "Score only this topic (repeat for more; default: every topic).")
    var topic: [String] = []

    @Option(name: .customLong("min-f1"), help: "Exit 1 when a topic's F1 is below this (0 to 1).")
    var minF1: Double?

    @Flag(name: .long, help: "Print only the scores, not each miss and false alarm.")
    var quiet = false

    @Flag(name: .long, help: "Print one JSON object per topic instead of text.")
    var json = false

    @Argument(help: "JSON Lines files of labelled items.")
    var files: [String]

    func validate() throws {
        if let minF1, !(0...1).contains(minF1) { throw ValidationError("--min-f1 must be between 0 and 1, not \(minF1)") }
    }

    func run() async throws {
        let path = ConfigurationLocation(explicit: config).path
        let rules: RuleSet
        do {
            rules = try RuleSet(topics: try MonitorConfiguration.load(path: path).topics)
        } catch let error as ConfigurationError {
            StandardError.print(error.description)
            throw ExitCode(2)
        }
        for id in topic where !rules.topicIDs.contains(id) {
            StandardError.print("\(path): no topic '\(id)'; topics: \(rules.topicIDs.joined(separator: ", "))")
            throw ExitCode(2)
        }
        var items: [LabelledItem] = []
        for file in files {
            do {
                items += try Self.read(file)
            } catch {
                StandardError.print(error.message)
                throw ExitCode(2)
            }
        }
        let known = Set(rules.topicIDs)
        for label in Set(items.flatMap(\.topics)).subtracting(known).sorted() {
            StandardError.print("warning: label '\(label)' is not a topic of \(path)")
        }
        let scores = rules.evaluate(items, topicIDs: topic.isEmpty ? nil : topic)
        var output = ""
        for score in scores {
            output += json ? Self.jsonLine(score, quiet: quiet) : Self.text(score, items: items.count, quiet: quiet)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if let minF1, let low = scores.first(where: { $0.f1 < minF1 }) {
            StandardError.print("\(low.topicID): F1 \(Self.figure(low.f1)) is below --min-f1 \(minF1)")
            throw ExitCode(1)
        }
    }

    struct InputError: Error {
        var message: String
    }

    private struct Line: Decodable {
        var id: String?
        var title: String?
        var summary: String?
        var content: String?
        var categories: [String]?
        var labels: [String]?
        var topics: [String]?
    }

    /// The items of one JSON Lines file; blank lines are skipped.
    static func read(_ file: String) throws(InputError) -> [LabelledItem] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw InputError(message: "\(file): cannot read the file: \(error.localizedDescription)")
        }
        var items: [LabelledItem] = []
        for (n, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            let decoded: Line
            do {
                decoded = try JSONDecoder().decode(Line.self, from: Data(line))
            } catch {
                throw InputError(message: "\(file):\(n + 1): not a JSON object of an item: \(error.localizedDescription)")
            }
            guard let labels = decoded.labels ?? decoded.topics else {
                throw InputError(message: "\(file):\(n + 1): the item has no \"labels\" (write [] for an item no topic should match)")
            }
            let text = ItemText(
                title: decoded.title ?? "", summary: decoded.summary ?? "", content: decoded.content ?? "",
                categories: decoded.categories ?? []
            )
            items.append(LabelledItem(id: decoded.id ?? "\(file):\(n + 1)", text: text, topics: Set(labels)))
        }
        return items
    }

    static func figure(_ x: Double) -> String {
        let thousandths = Int((x * 1000).rounded())
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - String(thousandths % 1000).count))\(thousandths % 1000)"
    }

    /// The score line, then each miss and false alarm with the parts of the rule.
    static func text(_ score: TopicScore, items: Int, quiet: Bool) -> String {
        var s = "\(score.topicID): precision \(figure(score.precision)), recall \(figure(score.recall)), F1 \(figure(score.f1))"
        s += " (\(score.truePositives) matched of \(score.truePositives + score.falseNegatives) labelled,"
        s += " \(score.falsePositives) false alarms, \(items) items)\n"
        guard !quiet else { return s }
        for (kind, errors) in [("miss", score.misses), ("false alarm", score.falseAlarms)] {
            for error in errors {
                s += "  \(kind) \(error.item.id): \(error.item.text.title.isEmpty ? error.item.text.summary : error.item.text.title)\n"
                if !error.evidence.isEmpty { s += "    matched by: \(words(error.evidence))\n" }
                for part in error.parts {
                    s += "    \(part.holds ? "✓" : "✗") \(part.label)"
                    s += part.evidence.isEmpty ? (part.holds ? "\n" : "  (no word hit)\n") : "  ← \(words(part.evidence))\n"
                }
            }
        }
        return s
    }

    /// `"Truppenaufmarsch" (*aufmarsch*, title), …`
    static func words(_ evidence: [MatchEvidence]) -> String {
        evidence.prefix(8).map { "\"\($0.text)\" (\($0.term), \($0.field))" }.joined(separator: ", ")
            + (evidence.count > 8 ? ", …" : "")
    }

    /// `{"topic":…,"precision":…,"recall":…,"f1":…,"tp":…,"fp":…,"fn":…,"misses":[…],"false_alarms":[…]}`
    static func jsonLine(_ score: TopicScore, quiet: Bool) -> String {
        let evidence = MatchEvidence.jsonArray
        func errors(_ list: [TopicScore.WrongDecision]) -> String {
            JSONObjectWriter.array(
                list.map { wrong in
                    var object = JSONObjectWriter()
                    object.field("id", wrong.item.id)
                    object.field("title", wrong.item.text.title)
                    object.raw("why", evidence(wrong.evidence))
                    object.raw(
                        "parts",
                        JSONObjectWriter.array(
                            wrong.parts.map { part in
                                var entry = JSONObjectWriter()
                                entry.field("part", part.label)
                                entry.field("holds", part.holds)
                                entry.raw("why", evidence(part.evidence))
                                return entry.finish()
                            }))
                    return object.finish()
                })
        }
        var object = JSONObjectWriter()
        object.field("topic", score.topicID)
        object.raw("precision", figure(score.precision))
        object.raw("recall", figure(score.recall))
        object.raw("f1", figure(score.f1))
        object.field("tp", score.truePositives)
        object.field("fp", score.falsePositives)
        object.field("fn", score.falseNegatives)
        if !quiet {
            object.raw("misses", errors(score.misses))
            object.raw("false_alarms", errors(score.falseAlarms))
        }
        return object.finish() + "\n"
    }
}
