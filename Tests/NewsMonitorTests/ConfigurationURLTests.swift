import NewsMonitor
import Testing

/// `check` refuses feed URLs the fetcher cannot use, and never repeats a password.
@Suite struct ConfigurationURLTests {
    @Test(arguments: [
        "http://2130706433:8080/feed", "http://0x7f000001/feed", "http://[::1]:8080/feed", "http://127.1/feed",
        "https://user:secret@example.org/feed", "file:///srv/feed.xml",
    ])
    func usableURLsPass(url: String) {
        #expect(MonitorConfiguration.feedURLProblem(url) == nil)
    }

    @Test(arguments: [
        ("http://[v1.x]/feed", "'url' cannot be fetched: host [v1.x] is not an IPv6 address in brackets"),
        ("http://127.0.0.1:99999/feed", "'url' cannot be fetched: port 99999 is outside 1–65535"),
        ("http://4294967296/feed", "'url' cannot be fetched: host 4294967296 looks like an IPv4 address"),
        ("http://u:hunter2@1.2.3.4.5/feed", "\"http://1.2.3.4.5/feed\""),
        ("gopher://u:hunter2@example.org/", "'url' must use http, https or file"),
    ])
    func unusableURLsAreNamed(url: String, problem: String) {
        let found = MonitorConfiguration.feedURLProblem(url)
        #expect(found?.contains(problem) == true, "\(found ?? "nil")")
        #expect(found?.contains("hunter2") != true)
    }
}
