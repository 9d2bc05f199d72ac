import Foundation
import NewsMonitor
import NewsTestSupport
import Testing

/// feeds.conf inputs that `scripts/fuzz.sh config` found to crash or leak, each kept as `Fixtures/fuzz-*.conf`
/// and read through ``NewsMonitor/MonitorConfiguration/load(path:)`` as `check`, the daemon and a reload read it.
enum TOMLMessages {
    static let header = "TOML syntax: a table header needs a name after '[' or '[[' (like [defaults] or [[feed]])"
}

@Suite("feeds.conf inputs found by fuzzing")
struct ConfigurationFuzzRegressionTests {
    static func fixture(_ name: String) -> String {
        RepositoryPaths.fixtures(of: "NewsMonitorTests").appendingPathComponent(name).path
    }

    @Test("a NUL character is an error at its position, not the silent end of the file")
    func nulCharacterIsAnError() {
        #expect(throws: ConfigurationError.self) { try MonitorConfiguration.load(path: Self.fixture("fuzz-nul-ends-the-file.conf")) }
        #expect(Self.problems("fuzz-nul-ends-the-file.conf") == [
            "fuzz-nul-ends-the-file.conf:6:1: TOML syntax: a NUL character (U+0000) is not allowed"
        ])
        #expect(Self.problems("fuzz-escaped-nul-cuts-a-value.conf") == [
            "fuzz-escaped-nul-cuts-a-value.conf:3:8: TOML syntax: an escaped NUL character (\\u0000) is not allowed in feeds.conf"
        ])
    }

    @Test("a date and time with no time after its T is an error, not an abort of the process")
    func dateTimeWithoutTimeIsAnError() async {
        // In a child process: before the guard, toml++ aborted the process on this file.
        // Variants: in an array, an inline table, lower-case t, a sign or Z before the colon.
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            var lines = ConfigurationFuzzRegressionTests.problems("fuzz-abort-date-time-without-time.conf")
            for text in ["a = [1979-05-27t+:]", "a = {b = 2000-01-01Tz:}", "a = [1, 2024-02-29T.:1]"] {
                do {
                    _ = try MonitorConfiguration.parse(text: text)
                } catch let error as ConfigurationError {
                    lines += error.problems.map(\.description)
                } catch {}
            }
            print(lines.joined(separator: "\n"))
        }
        let message = "TOML syntax: a date and time needs a time after its 'T' (like 1979-05-27T07:32:00)"
        #expect(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self) == """
            fuzz-abort-date-time-without-time.conf:4:23: \(message)
            feeds.conf:1:17: \(message)
            feeds.conf:1:21: \(message)
            feeds.conf:1:20: \(message)

            """)
    }

    @Test("a table header with no name right after a byte-order mark is an error, not an abort of the process")
    func bomThenBracketIsAnError() async {
        // The fixture is a byte-order mark, `[` and a line break. Reading a file drops the mark (Foundation's
        // UTF-8 decoding), so only text given to parse(text:) with its mark reached toml++ like this.
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let path = ConfigurationFuzzRegressionTests.fixture("fuzz-abort-bom-then-bracket.conf")
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            #expect(text.unicodeScalars.first == "\u{FEFF}")
            do {
                _ = try MonitorConfiguration.parse(text: text)
            } catch let error as ConfigurationError {
                print(error.problems.map(\.description).joined(separator: "\n"))
            }
            _ = try MonitorConfiguration.parse(text: "\u{FEFF}[defaults]\ninterval = \"5m\"\n")  // a mark alone is fine
        }
        #expect(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self) == """
            feeds.conf:1:2: \(TOMLMessages.header)

            """)
        #expect(Self.problems("fuzz-abort-bom-then-bracket.conf") == ["fuzz-abort-bom-then-bracket.conf:1:2: \(TOMLMessages.header)"])
    }

    @Test("an error at the end of the file points into the file, not past its last line's end")
    func endOfFileErrorPointsIntoTheFile() {
        // `y=[` and a line break: toml++ said 1:5, one past the line break; the end of the file is 2:1.
        #expect(Self.problems("fuzz-end-of-file-past-the-line.conf") == [
            "fuzz-end-of-file-past-the-line.conf:2:1: TOML syntax: Error while parsing array: encountered end-of-file"
        ])
        #expect(throws: ConfigurationError.self) { try MonitorConfiguration.parse(text: "y=[") }
        do {
            _ = try MonitorConfiguration.parse(text: "a = 1\r\ny=[\r\n")
        } catch {
            #expect(error.problems.map { [$0.line, $0.column] } == [[3, 1]])
        }
    }

    @Test("a rule error in a basic string with escapes points at its place in the file")
    func ruleErrorsInEscapedStringsPointIntoTheFile() {
        // `"\n("` ends after `(`, at the closing quote (4:9), not on line 5 (there is none); `"\tnato AND"`
        // ends at its closing quote too (7:19), not on the `D` (7:18).
        #expect(Self.problems("fuzz-rule-escapes-shift-positions.conf") == [
            "fuzz-rule-escapes-shift-positions.conf:4:9: [define] 'o': rule ends where a term was expected",
            "fuzz-rule-escapes-shift-positions.conf:7:19: topic 't': rule: rule ends where a term was expected",
        ])
        // A line-ending backslash in a multi-line basic string, and \u escapes, are walked over too.
        let text = "[[topic]]\nid = \"t\"\nrule = \"\"\"\nnato \\\n    \\u00e4 AND\"\"\"\n"
        do {
            _ = try MonitorConfiguration.parse(text: text)
            Issue.record("no error")
        } catch {
            #expect(error.problems.map(\.description) == ["feeds.conf:5:15: topic 't': rule: rule ends where a term was expected"])
        }
    }

    static func problems(_ name: String) -> [String] {
        do {
            _ = try MonitorConfiguration.load(path: fixture(name))
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("a read frees its parsed document: 300 reads in a child process grow it by < 12 MB")
    func readFreesTheParsedDocument() async throws {
        let configuration = try MonitorConfiguration.load(path: Self.fixture("fuzz-leak-parsed-document.conf"))
        #expect(configuration.feeds.count == 60)
        // TOMLKit 0.6.0 never frees a parsed document (TOMLTable has no deinit): the reader empties it.
        // Measured here: 26 MB over 300 reads before, 7 MB after; what remains is what TOMLKit leaks
        // per value read (docs/security.md, "Fuzzing").
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let path = ConfigurationFuzzRegressionTests.fixture("fuzz-leak-parsed-document.conf")
            print(try ResidentMemory.growth(warmUp: 20, repeats: 300) { _ = try MonitorConfiguration.load(path: path) })
        }
        let growth = Int(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self).filter { $0 != "\n" })
        #expect(try #require(growth) < 12 << 20, "resident memory grew by \(growth ?? 0) bytes over 300 reads")
    }
}
