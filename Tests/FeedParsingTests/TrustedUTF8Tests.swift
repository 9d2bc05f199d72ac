@testable import FeedParsing
import NewsModel
import NewsTestSupport
import Foundation
import Testing

/// Text libxml2 validated is turned into `String`s without a second check (`UTF8Text`); these cover
/// the places where its check is weaker, and the scans that decide which path a value takes.
@Suite("UTF-8 taken on trust")
struct TrustedUTF8Tests {
    /// Every string of `doc`, for checking that each one is well-formed.
    static func strings(_ doc: FeedDocument) -> [String] {
        var all = [doc.feed.title, doc.feed.link, doc.feed.subtitle].compactMap { $0 }
        for e in doc.entries {
            all += [e.title, e.link, e.id, e.summary, e.content, e.author].compactMap { $0 }
            all += e.categories + e.text.categories + [e.text.title, e.text.summary, e.text.content]
        }
        return all
    }

    static func isWellFormed(_ s: String) -> Bool {
        String(validating: Array(s.utf8), as: UTF8.self) != nil
    }

    @Test("overlong forms in CDATA (which libxml2's push parser accepts) are repaired, not trusted")
    func overlongCDATA() throws {
        // C1 BF: "?" in two bytes; E0 9F BF: U+07FF in three; F0 8F BF BD: U+FFFD in four.
        var bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Wetter</title><item><title><![CDATA[Sturm".utf8)
        bytes += [0xC1, 0xBF] + Array(" an der ".utf8) + [0xE0, 0x9F, 0xBF] + Array(" Küste ".utf8) + [0xF0, 0x8F, 0xBF, 0xBD]
        bytes += Array("]]></title><description><![CDATA[<p>Böen bis 120 km/h".utf8) + [0xC0, 0xAF]
        bytes += Array("</p>]]></description></item></channel></rss>".utf8)
        let doc = try FeedParser().parse(bytes)
        let entry = try #require(doc.entries.first)
        #expect(entry.title?.hasPrefix("Sturm\u{FFFD}") == true)
        #expect(entry.title?.contains("Küste") == true)
        #expect(entry.text.summary.hasPrefix("Böen bis 120 km/h\u{FFFD}"))
        for s in Self.strings(doc) { #expect(Self.isWellFormed(s), "\(s)") }
    }

    /// Fixtures with malformed UTF-8 (overlongs, surrogates, stray continuation and lead bytes, in
    /// CDATA and out of it) inserted at random places: every string that comes out is well-formed.
    /// (Debug builds also assert inside `UTF8Text` on every string taken on trust.)
    @Test("malformed UTF-8 anywhere never reaches a trusted string", arguments: [UInt64(1), 2, 3])
    func randomMalformedUTF8(seed: UInt64) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixture.directory.path).filter { $0.hasSuffix(".xml") }.sorted()
        try #require(!names.isEmpty)
        let insertions: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xBF],
            [0xFE], [0xFF], [0xC3], [0xE2, 0x82], Array("<![CDATA[".utf8) + [0xC0, 0xAE] + Array("]]>".utf8),
            Array("<![CDATA[x".utf8) + [0xE0, 0x80, 0xAF] + Array("]]>".utf8), [0xC3, 0xA4],
        ]
        var rng = SeededRandom(seed: seed)
        var parsed = 0
        for _ in 0..<100 {
            var bytes = try Fixture.bytes(names.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes.insert(contentsOf: insertions.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
            }
            guard let doc = try? FeedParser().parse(bytes) else { continue }
            parsed += 1
            for s in Self.strings(doc) { #expect(Self.isWellFormed(s), "seed \(seed): \(s)") }
        }
        #expect(parsed > 50)
    }

    @Test("the overlong scan agrees with a byte loop")
    func overlongScan() {
        var g: UInt64 = 0x2545_F491_4F6C_DD1D
        let alphabet: [UInt8] = [0x41, 0x20, 0xC0, 0xC1, 0xC3, 0xE0, 0xF0, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF]
        for length in 0..<70 {
            for _ in 0..<30 {
                let bytes: [UInt8] = (0..<length).map { _ in
                    g ^= g << 13; g ^= g >> 7; g ^= g << 17
                    return alphabet[Int(g % UInt64(alphabet.count))]
                }
                var expected = false
                for k in 0..<length {
                    let next: UInt8 = k + 1 < length ? bytes[k + 1] : 0xFF
                    if bytes[k] == 0xC0 || bytes[k] == 0xC1 || (bytes[k] == 0xE0 && next < 0xA0) || (bytes[k] == 0xF0 && next < 0x90) {
                        expected = true
                    }
                }
                #expect(bytes.withUnsafeBytes(HTMLText.hasOverlongUTF8) == expected, "\(bytes)")
            }
        }
    }

    @Test("escaping sixteen bytes at a time agrees with a byte loop")
    func escaping() {
        var g: UInt64 = 0x0123_4567_89AB_CDEF
        let alphabet: [UInt8] = [0x61, 0x20, 0x26, 0x3C, 0x3E, 0x22, 0xC3, 0xBC]
        for length in 0..<60 {
            for _ in 0..<20 {
                let bytes: [UInt8] = (0..<length).map { _ in
                    g ^= g << 13; g ^= g >> 7; g ^= g << 17
                    return alphabet[Int(g % UInt64(alphabet.count))]
                }
                for quote in [false, true] {
                    var expected: [UInt8] = []
                    for b in bytes {
                        switch b {
                        case 0x26: expected += Array("&amp;".utf8)
                        case 0x3C: expected += Array("&lt;".utf8)
                        case 0x3E: expected += Array("&gt;".utf8)
                        case 0x22 where quote: expected += Array("&quot;".utf8)
                        default: expected.append(b)
                        }
                    }
                    var out = TextBuffer(capacity: 8)
                    bytes.withUnsafeBufferPointer { HTMLText.appendEscaped($0, to: &out, quote: quote) }
                    #expect(Array(out.bytes) == expected, "\(bytes)")
                    out.deallocate()
                }
            }
        }
    }

    @Test("the one-pass value scan agrees with separate searches")
    func valueScan() {
        var g: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet: [UInt8] = [0x61, 0x20, 0x20, 0x26, 0x3C, 0x0A, 0x09, 0xC2, 0xA0, 0x85, 0xC3, 0xBC]
        for length in 1..<70 {
            for _ in 0..<30 {
                let bytes: [UInt8] = (0..<length).map { _ in
                    g ^= g << 13; g ^= g >> 7; g ^= g << 17
                    return alphabet[Int(g % UInt64(alphabet.count))]
                }
                let scan = HTMLText.Scan(bytes)
                #expect(scan.hasAmpersand == bytes.contains(0x26))
                #expect(scan.hasLessThan == bytes.contains(0x3C))
                var c1 = false, nbsp = false, double = false
                for k in 0..<(length - 1) {
                    if bytes[k] == 0xC2, bytes[k + 1] >= 0x80, bytes[k + 1] <= 0x9F { c1 = true }
                    if bytes[k] == 0xC2, bytes[k + 1] == 0xA0 { nbsp = true }
                    if bytes[k] == 0x20, bytes[k + 1] == 0x20 { double = true }
                }
                #expect(scan.hasC1 == c1)
                let collapse = nbsp || double || bytes.contains(0x0A) || bytes.contains(0x09) || bytes.first == 0x20
                    || bytes.last == 0x20
                #expect(scan.needsCollapse == collapse, "\(bytes)")
            }
        }
    }
}
