import Foundation
import Logging
import NewsMonitor
import Testing

/// Log lines carry server-chosen text (a refused `Location`, an error, a title): it is made safe first.
@Suite struct LogLineSafetyTests {
    @Test func messagesAndValuesLoseControlsAndAreCut() {
        let line = NewsmonLogHandler.format(
            level: .warning, label: "newsmon", message: "feed poll failed\u{1B}[2J",
            metadata: [
                "error": "redirect refused (file:///etc/passwd\u{1B}]0;owned\u{07}\u{9B}31m\u{202E}X)",
                "item.title": "\(String(repeating: "a", count: 5000))",
                "feed.id": "x\ny",
            ], timestamp: nil)
        #expect(line.hasPrefix("warning newsmon: feed poll failed error=\"redirect refused (file:///etc/passwdX)\""))
        #expect(line.contains("feed.id=\"x y\""))
        #expect(line.contains(String(repeating: "a", count: 999) + "…"))
        #expect(!line.contains(String(repeating: "a", count: 1000)))
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
    }
}
