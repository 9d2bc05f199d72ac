import Foundation
import NewsModel
import Testing

@testable import Spool

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("plain title", "plain title"),
        ("\u{1B}[31mred\u{1B}[0m alert", "red alert"),
        ("\u{1B}]0;owned title\u{07}Nachricht", "Nachricht"),
        ("\u{1B}]8;;https://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\ text", "link text"),
        ("\u{9B}2Jcleared", "cleared"),
        ("line one\nline two\r\n\tend", "line one line two end"),
        ("bell\u{07} and nul\u{00} and del\u{7F}", "bell and nul and del"),
        ("abc\u{202E}fdp.exe", "abcfdp.exe"),
        ("  Nato-Russland-Rat:  Treffen   in Brüssel ", "Nato-Russland-Rat: Treffen in Brüssel"),
        ("\u{1B}7saved\u{1B}8", "saved"),
    ])
    func removesControlCharactersAndEscapeSequences(input: String, expected: String) {
        #expect(TerminalText.sanitize(input) == expected)
    }

    @Test func textLineHasTimeTopicFeedTitleAndLink() {
        var alert = SampleAlerts.make(title: "Rat\u{1B}[2J tagt\nheute")
        alert.feed = "demo\u{1B}[1m"
        #expect(
            StandardOutputSink.textLine(alert)
                == "2022-01-12T10:15:03Z [nato-russia-council] demo: Rat tagt heute <https://news.example.org/ausland/nrr-101.html>"
        )
    }

    @Test func sinkPrintsOneLinePerAlertInEachFormat() throws {
        let lines = LineCollector()
        for format in AlertOutputFormat.allCases {
            try StandardOutputSink(format: format, writeLine: lines.append).deliver(SampleAlerts.make())
        }
        let got = lines.lines
        #expect(got.count == 2)
        #expect(got[0].hasPrefix("2022-01-12T10:15:03Z [nato-russia-council] demo: "))
        #expect(got[1].hasPrefix("{") && got[1].hasSuffix("}\n"))
        #expect(try AlertCoding.decode(Data(got[1].utf8)) == SampleAlerts.make())
    }
}

final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    @Sendable func append(_ line: String) throws(SpoolError) { lock.withLock { stored.append(line) } }
}
