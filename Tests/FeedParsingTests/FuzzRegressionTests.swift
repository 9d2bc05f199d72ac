import FeedParsing
import Foundation
import NewsModel
import NewsTestSupport
import Testing

/// Inputs that `scripts/fuzz.sh feed` found to crash, leak or hang, each kept as `Fixtures/fuzz-*.xml`
/// and fed through ``FeedParser/parse(_:url:charset:timeZone:)`` as the pipeline calls it.
@Suite("FeedParser inputs found by fuzzing")
struct FuzzRegressionTests {
    @Test("an entity declaration leaks no document: 3,000 parses in a child process grow it by < 8 MB")
    func entityDeclarationLeaksNothing() async throws {
        let document = try Fixture.parse("fuzz-leak-entity-declaration.xml")
        #expect(document.entries.first?.id == "tag:example.com,2006-05-04:/blog/")
        // libxml2 builds a document for an internal subset's entity declarations even in SAX mode
        // ("expat compatibility"), which its parser context does not free: 14 KB per parse, 40 MB here.
        // Measured alone, in a child process (an exit test), so that no other test's memory counts.
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let bytes = try Fixture.bytes("fuzz-leak-entity-declaration.xml")
            print(try ResidentMemory.growth(warmUp: 100, repeats: 3_000) { _ = try FeedParser().parse(bytes) })
        }
        let growth = Int(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self).filter { $0 != "\n" })
        #expect(try #require(growth) < 8 << 20, "resident memory grew by \(growth ?? 0) bytes over 3,000 parses")
    }

    @Test("entities in attribute values are decoded whole: HTML names, declared entities, unknown names kept")
    func entitiesInAttributeValues() async throws {
        // In a child: before the fix a debug build stopped on the assertion that trusted text is UTF-8.
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let document = try Fixture.parse("fuzz-entities-in-attributes.xml")
            let entry = document.entries.first
            print([
                "\(document.isRecovered)", entry?.title ?? "-", entry?.link ?? "-",
                entry?.categories.joined(separator: "|") ?? "-",
            ].joined(separator: "\n"))
        }
        #expect(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self) == """
            false
            Café
            https://example.org/news?a=1&b=2&c=&bogus;
            Café & Bar

            """)
    }
}
