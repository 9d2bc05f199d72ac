import NewsModel
import Testing

@Suite struct URLCredentialsTests {
    @Test(arguments: [
        ("https://user:secret@host.example/feed", "https://host.example/feed"),
        ("https://TOKEN@host.example:8443/feed?x=1", "https://host.example:8443/feed?x=1"),
        ("http://u:p%40ss@[::1]:8080/", "http://[::1]:8080/"),
        ("http://a:b@c@host/feed", "http://host/feed"),
        ("https://host.example/feed?mail=a@b.example", "https://host.example/feed?mail=a@b.example"),
        ("https://host.example/@user#x@y", "https://host.example/@user#x@y"),
        ("file:///srv/feeds/a.xml", "file:///srv/feeds/a.xml"),
        ("not a url @ all", "not a url @ all"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("", ""),
    ])
    func userInfoIsRemoved(url: String, expected: String) {
        #expect(URLCredentials.stripped(url) == expected)
        #expect(URLCredentials.hasUserInfo(url) == (url != expected))
    }
}
