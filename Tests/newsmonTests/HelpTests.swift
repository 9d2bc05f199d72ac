import Foundation
import NewsTestSupport
import Testing

/// `--help` says what the commands do: every listed value is accepted, and README's command table
/// lists every option.
@Suite struct HelpTests {
    /// The subcommands `newsmon --help` lists.
    static func subcommands() throws -> [String] {
        let help = try NewsmonProcess.runBlocking(["--help"]).stdout
        let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        return section.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("  "), !line.hasPrefix("    "), let name = trimmed.split(separator: " ").first else { return nil }
            return String(name)
        }.filter { $0 != "help" && !$0.hasPrefix("See") }
    }

    /// Each option of `newsmon COMMAND --help` with the values it lists (`(values: a, b)`), if any.
    static func options(of command: String) throws -> [(names: [String], values: [String])] {
        let help = try NewsmonProcess.runBlocking([command, "--help"]).stdout
        let section = help.components(separatedBy: "OPTIONS:").last ?? ""
        var result: [(names: [String], values: [String])] = []
        var blocks: [String] = []
        for line in section.split(separator: "\n") {
            if line.hasPrefix("  -") { blocks.append("") }
            if !blocks.isEmpty { blocks[blocks.count - 1] += " " + line }
        }
        for rawBlock in blocks {
            let words = rawBlock.split(separator: " ").map(String.init)
            let block = words.joined(separator: " ")
            let names = words.prefix { $0.hasPrefix("-") || $0.hasPrefix("<") }.filter { $0.hasPrefix("-") }
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            guard !names.isEmpty, !names.contains("--help"), !names.contains("--version") else { continue }
            var values: [String] = []
            if let range = block.range(of: "(values: ") {
                let rest = block[range.upperBound...].prefix { $0 != ")" }
                values = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            result.append((names, values))
        }
        return result
    }

    /// Arguments that make each command stop right after parsing, with exit status 1.
    static let failFast: [String: [String]] = [
        "run": ["--config", "/nonexistent/feeds.conf"], "once": ["--config", "/nonexistent/feeds.conf"],
        "tail": ["--state", "/nonexistent"],
    ]

    @Test func everyValueTheHelpListsIsAccepted() throws {
        var checked = 0
        for command in try Self.subcommands() {
            for option in try Self.options(of: command) where !option.values.isEmpty {
                let stop = try #require(Self.failFast[command], "add \(command) to failFast")
                for value in option.values {
                    let outcome = try NewsmonProcess.runBlocking([command, option.names.last!, value] + stop)
                    #expect(outcome.status == 1, "\(command) \(option.names.last!) \(value): \(outcome.stderr)")
                    #expect(!outcome.stderr.contains("Error:"), "\(command) \(option.names.last!) \(value): \(outcome.stderr)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 8)  // run/once --output (3 each), tail --output (2)
    }

    @Test func startupSpreadIsAnOptionOfRunOnly() throws {
        #expect(try Self.options(of: "run").contains { $0.names.contains("--startup-spread") })
        #expect(try !Self.options(of: "once").contains { $0.names.contains("--startup-spread") })
    }

    @Test func readmesCommandTableListsEveryOption() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let table = readme.components(separatedBy: "## Commands").dropFirst().first?.components(separatedBy: "\n\n").dropFirst().first ?? ""
        for command in try Self.subcommands() {
            let row = try #require(
                table.split(separator: "\n").first { $0.hasPrefix("| `newsmon \(command) ") || $0.hasPrefix("| `newsmon \(command)`") },
                "README has no row for \(command)")
            for option in try Self.options(of: command) {
                #expect(option.names.contains { row.contains($0) }, "README's row for \(command) lacks \(option.names)")
            }
        }
    }
}
