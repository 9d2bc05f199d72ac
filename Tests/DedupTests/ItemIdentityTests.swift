import Dedup
import Foundation
import NewsModel
import Testing

struct ItemIdentityTests {
    @Test func guidWinsOverLink() {
        let identity = ItemIdentity(entry: entry(id: "  urn:uuid:1234  ", link: "https://a.example/x", title: "T"))
        #expect(identity.key == "guid:urn:uuid:1234")
        #expect(identity.canonicalURL == "https://a.example/x")
    }

    @Test func canonicalLinkWhenThereIsNoGUID() {
        let identity = ItemIdentity(entry: entry(id: "", link: "HTTPS://A.example/x?utm_source=rss", title: "T"))
        #expect(identity.key == "url:https://a.example/x")
        #expect(identity.urlIdentity == "a.example/x")
    }

    @Test func digestOfNormalizedTitleAndDateAsLastResort() {
        let date = testNow
        let a = ItemIdentity(entry: entry(title: "Nato-Russland-Rat TAGT", published: date))
        let b = ItemIdentity(entry: entry(title: "nato russland rat tagt", published: date))
        let c = ItemIdentity(entry: entry(title: "nato russland rat tagt", published: date.addingTimeInterval(60)))
        #expect(a.key.hasPrefix("digest:") && a.key.count == "digest:".count + 64)
        #expect(a.key == b.key)
        #expect(a.key != c.key)
    }

    @Test func titleDigestFollowsTheNormalizedTitle() {
        let a = ItemIdentity(entry: entry(id: "1", title: "Straße gesperrt"))
        let b = ItemIdentity(entry: entry(id: "1", title: "STRASSE gesperrt"))
        let c = ItemIdentity(entry: entry(id: "1", title: "Straße wieder frei"))
        #expect(a.titleDigest == b.titleDigest)
        #expect(a.titleDigest != c.titleDigest)
    }
}

struct FrontPageLinkTests {
    @Test(arguments: [
        ("https://example.org/", true), ("http://www.example.org/", true), ("https://example.org/a", false),
        ("https://example.org/?id=4", false), ("file:///srv/a.xml", false), ("https://example.org", true),
        ("https://bücher.example/", true), ("https://bücher.example/ä", false), ("https://example.org//", false),
    ])
    func recognizesFrontPages(canonical: String, isRoot: Bool) {
        #expect(URLCanonicalizer.isSiteRoot(canonical) == isRoot)
    }

    @Test func frontPageLinksIdentifyNeitherItemsNorStories() throws {
        try withStore { store, _ in
            let f = feed("ticker-without-ids")
            let first = try store.ingest(f, [
                entry(link: "https://ticker.example/", title: "Russland verlegt Truppen nach Belarus", published: testNow),
                entry(link: "https://ticker.example/?utm_source=rss", title: "Nato-Russland-Rat tagt in Brüssel", published: testNow),
            ])
            #expect(first.items.map(\.disposition) == [.new, .new])
            #expect(first.items[0].identity.key.hasPrefix("digest:"))
            #expect(first.items[0].identity.urlIdentity == nil)
            #expect(first.items[0].storyKey != first.items[1].storyKey)
            #expect(first.alerts.count == 2)
            let later = try store.ingest(f, [
                entry(link: "https://ticker.example/", title: "Außenminister beraten über Sanktionen", published: testNow.addingTimeInterval(600)),
            ], now: testNow.addingTimeInterval(600))
            #expect(later.items[0].disposition == .new)
            #expect(later.alerts.count == 1)
        }
    }
}
