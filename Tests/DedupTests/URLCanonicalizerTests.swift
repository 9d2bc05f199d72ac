@testable import Dedup
import Testing

struct URLCanonicalizerTests {
    @Test(arguments: [
        // Scheme and host case, default ports, fragment, empty path.
        ("HTTPS://WWW.Example.ORG/Path/Page.html#top", "https://www.example.org/Path/Page.html"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org./a", "https://example.org/a"),
        ("  https://example.org/a \n", "https://example.org/a"),
        // Tracking parameters dropped, the rest sorted.
        ("https://example.org/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.org/a"),
        ("https://example.org/a?id=7&fbclid=IwAR0abc&gclid=xyz", "https://example.org/a?id=7"),
        ("https://example.org/a?mc_cid=1&mc_eid=2&at_medium=rss&at_campaign=c&wt_mc=rss.x", "https://example.org/a"),
        ("https://example.org/a?UTM_Source=rss&b=2&a=1", "https://example.org/a?a=1&b=2"),
        ("https://example.org/a?b=2&a=3&a=1", "https://example.org/a?a=1&a=3&b=2"),
        // Redirectors carrying the target in url= (and Google's /url?q=).
        (
            "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fnews.example.de%2Fartikel%3Fid%3D5%26utm_source%3Dalerts&ct=ga",
            "https://news.example.de/artikel?id=5"
        ),
        ("https://www.google.de/url?q=https://news.example.de/a&sa=U", "https://news.example.de/a"),
        ("https://out.example.net/redirect?url=http%3A%2F%2FExample.org%2Fx%23frag", "http://example.org/x"),
        // url= that is not an http(s) URL is an ordinary parameter.
        ("https://example.org/share?url=relative/path", "https://example.org/share?url=relative/path"),
        // Not http(s): trimmed and kept.
        ("file:///srv/feeds/local.xml", "file:///srv/feeds/local.xml"),
        ("not a url", "not a url"),
    ])
    func canonicalizes(input: String, expected: String) {
        #expect(URLCanonicalizer.canonicalize(input) == expected)
    }

    @Test func emptyLinksHaveNoCanonicalForm() {
        #expect(URLCanonicalizer.canonicalize("") == nil)
        #expect(URLCanonicalizer.canonicalize("   ") == nil)
    }

    @Test func identityIgnoresSchemeAndWWW() {
        let a = URLCanonicalizer.identity("http://www.example.org/a?utm_source=x")
        let b = URLCanonicalizer.identity("https://example.org/a#comments")
        #expect(a == "example.org/a")
        #expect(a == b)
        #expect(URLCanonicalizer.identity("https://example.org/b") != b)
    }

    @Test(arguments: ["utm_source", "utm_whatever", "fbclid", "GCLID", "mc_cid", "mc_eid", "at_medium", "at_campaign", "wt_mc"])
    func recognizesTrackingParameters(name: String) {
        #expect(URLCanonicalizer.isTrackingParameter(name))
    }

    @Test(arguments: ["id", "page", "q", "url", "article", "v"])
    func keepsContentParameters(name: String) {
        #expect(!URLCanonicalizer.isTrackingParameter(name))
    }

    @Test(arguments: [
        "https://www.tagesschau.de/ausland/europa/nato-russland-rat-101.html", "http://example.org",
        "https://example.org/a/b-c_d.e~f/%C3%A4.html", "https://news.example.org/2022/01/12/artikel",
        "https://example.org/path;param", "https://x.example/(a)/b!c*d'e,f+g=h&i$j@k:l",
    ])
    func plainLinksTakeTheFastPathWithTheSameResult(link: String) {
        #expect(URLCanonicalizer.plainCanonical(link) != nil)
        #expect(URLCanonicalizer.plainCanonical(link) == URLCanonicalizer.parsedCanonical(link))
    }

    @Test(arguments: [
        "https://Example.org/a", "https://example.org./a", "https://example.org:443/a", "https://example.org/a?x=1",
        "https://example.org/a#top", "HTTPS://example.org/a", " https://example.org/a", "https://user@example.org/a",
        "https://example.org/a b", "ftp://example.org/a", "https://exämple.org/a",
    ])
    func otherLinksAreParsed(link: String) {
        #expect(URLCanonicalizer.plainCanonical(link) == nil)
    }
}
