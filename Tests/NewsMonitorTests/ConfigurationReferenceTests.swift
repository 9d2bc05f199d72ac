import Foundation
import NewsMonitor
import NewsTestSupport
import Testing

/// docs/config.md cannot drift from the reader: its tables list exactly the reader's keys, its examples
/// parse, and every default it writes as a value changes nothing when set.
struct ConfigurationReferenceTests {
    struct Row {
        var key: String
        var defaultValue: String
        var example: String
    }

    /// Rows per section (`defaults`, `feed`, `topic`, `daemon`), from the `## \`[name]\`` tables.
    static func reference() throws -> [String: [Row]] {
        let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/config.md"), encoding: .utf8)
        var sections: [String: [Row]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                current = line.hasPrefix("## `[") ? line.trimmingCharacters(in: CharacterSet(charactersIn: "#` []")) : nil
                if let current { sections[current] = [] }
                continue
            }
            guard let section = current, line.hasPrefix("| `") else { continue }
            let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            guard cells.count == 5 else {
                Issue.record("a row of [\(section)] needs 5 cells: \(line)")
                continue
            }
            func unquoted(_ cell: String) -> String { cell.hasPrefix("`") && cell.hasSuffix("`") ? String(cell.dropFirst().dropLast()) : cell }
            sections[section, default: []].append(Row(key: unquoted(cells[0]), defaultValue: cells[2], example: unquoted(cells[3])))
        }
        return sections
    }

    /// A minimal file with `line` in `section`, plus the section's required keys that `line` does not set.
    static func file(section: String, line: String) -> String {
        let key = String(line.prefix { $0 != " " && $0 != "=" })
        let required: [(String, String)] = switch section {
        case "feed": [("id", "id = \"x\""), ("url", "url = \"https://x.example/feed\"")]
        case "topic": [("id", "id = \"t\""), ("rule", "rule = \"nato\"")]
        default: []
        }
        let header = section == "feed" || section == "topic" ? "[[\(section)]]" : "[\(section)]"
        return ([header] + required.filter { $0.0 != key }.map(\.1) + [line]).joined(separator: "\n") + "\n"
    }

    @Test func everySectionAndKeyOfTheReaderIsDocumentedAndNothingElse() throws {
        let reference = try Self.reference()
        #expect(Set(reference.keys) == Set(ConfigurationKeys.sections.keys))
        for (section, keys) in ConfigurationKeys.sections {
            #expect(Set(reference[section]?.map(\.key) ?? []) == keys, "[\(section)]")
        }
    }

    @Test func everyExampleParses() throws {
        for (section, rows) in try Self.reference() {
            for row in rows {
                #expect(row.example.hasPrefix(row.key + " = "), "[\(section)] \(row.key): example \(row.example)")
                let text = Self.file(section: section, line: row.example)
                #expect(throws: Never.self, "[\(section)] \(row.key): \(text)") { try MonitorConfiguration.parse(text: text) }
            }
        }
    }

    @Test func everyDefaultWrittenAsAValueIsTheReadersDefault() throws {
        var checked = 0
        for section in ["defaults", "daemon"] {
            for row in try Self.reference()[section] ?? [] where row.defaultValue.hasPrefix("`") {
                let value = String(row.defaultValue.dropFirst().dropLast())
                let explicit = try MonitorConfiguration.parse(text: "[\(section)]\n\(row.key) = \(value)\n")
                #expect(explicit == MonitorConfiguration(), "[\(section)] \(row.key) = \(value)")
                checked += 1
            }
        }
        #expect(checked >= 9)
    }
}
