import Foundation
import NewsModel
import Testing

@testable import Spool

/// The text and JSON lines of `tail`, `once` and `run` on stdout.
@Suite struct StandardOutputSinkTests {
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

    @Test func aOneMegabyteTitleIsCutToTheTitleWidthWithAnEllipsis() {
        let alert = SampleAlerts.make(title: String(repeating: "Nachricht ", count: 100_000) + "\u{1B}]0;owned\u{07}")
        let line = StandardOutputSink.textLine(alert)
        #expect(line.count < 400)
        #expect(line.contains("Nachricht Nachricht"))
        #expect(line.contains("… <https://news.example.org/"))
        #expect(!line.contains("\u{1B}"))
    }

    @Test func jsonLinesEscapeEveryControlAndBidiOverride() throws {
        let alert = SampleAlerts.make(title: "a\u{1B}[2Jb\u{9B}c\u{202E}d\u{2066}e\u{85}f")
        let line = try #require(AlertCoding.encode(alert) as String?)
        #expect(line.contains(#"a\u001b[2Jb\u009bc\u202ed\u2066e\u0085f"#), "\(line)")
        #expect(line.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) })
        #expect(try AlertCoding.decode(Data(line.utf8)) == alert)
    }
}

final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    @Sendable func append(_ line: String) throws(SpoolError) { lock.withLock { stored.append(line) } }
}
