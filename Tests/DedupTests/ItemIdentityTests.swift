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
