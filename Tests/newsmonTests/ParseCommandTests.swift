import Foundation
import NewsTestSupport
import Testing

/// `newsmon parse` as users and the conformance runner see it: the real binary, its stdout,
/// stderr and exit status.
@Suite("newsmon parse")
struct ParseCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("prints the schema's JSON object and exits 0")
    func success() throws {
        let path = RepositoryPaths.fixtures(of: "FeedParsingTests").appendingPathComponent("rss20-de.xml").path
        let r = try NewsmonProcess.runParse([path])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let doc = try json(r.stdout)
        #expect(Set(doc.keys) == ["feed", "entries"])
        let feed = try #require(doc["feed"] as? [String: Any])
        #expect(Set(feed.keys) == ["title", "link", "subtitle", "language", "updated"])
        #expect(feed["updated"] as? String == "2022-01-12T10:05:00Z")
        let entries = try #require(doc["entries"] as? [[String: Any]])
        #expect(entries.count == 3)
        #expect(Set(entries[0].keys) == [
            "title", "link", "id", "published", "updated", "summary", "content", "author", "categories", "enclosures",
        ])
        #expect(entries[0]["published"] as? String == "2022-01-12T09:15:00Z")
        #expect((entries[0]["enclosures"] as? [[String: Any]])?.first?["length"] as? String == "1234567")
    }

    @Test("a recovered document: JSON on stdout, one warning line with line:column on stderr, exit 0")
    func recovered() throws {
        let path = RepositoryPaths.fixtures(of: "FeedParsingTests").appendingPathComponent("illformed-de.xml").path
        let r = try NewsmonProcess.runParse([path])
        #expect(r.status == 0)
        #expect(try (json(r.stdout)["entries"] as? [Any])?.count == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("\(path):6:") == true)
        #expect(r.stderr.contains("warning:"))
    }

    @Test("a failure: nothing on stdout, one line file:line:col: message on stderr, exit 1")
    func failure() throws {
        let dir = try TemporaryDirectory(prefix: "newsmon-parse")
        defer { dir.remove() }
        let html = dir.url.appendingPathComponent("seite.html")
        try Data("<html><body><p>Keine Nachrichten</p></body></html>".utf8).write(to: html)
        let notFeed = try NewsmonProcess.runParse([html.path])
        #expect(notFeed.status == 1)
        #expect(notFeed.stdout.isEmpty)
        #expect(notFeed.stderr == "\(html.path): not an RSS or Atom feed (root element <html>)\n")
        let missing = try NewsmonProcess.runParse([dir.url.appendingPathComponent("fehlt.xml").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("fehlt.xml: No such file or directory"))
        let empty = dir.url.appendingPathComponent("leer.xml")
        try Data().write(to: empty)
        let r = try NewsmonProcess.runParse([empty.path])
        #expect(r.status == 1)
        #expect(r.stderr == "\(empty.path):1:1: document is empty\n")
    }

    @Test("reads standard input with -")
    func standardInput() throws {
        let r = try NewsmonProcess.runParse(["-"]) { fd in
            let doc = Array("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Von stdin</title></feed>".utf8)
            doc.withUnsafeBytes { _ = NewsmonProcess.writeAll(fd, $0) }
        }
        #expect(r.status == 0)
        #expect(try (json(r.stdout)["feed"] as? [String: Any])?["title"] as? String == "Von stdin")
    }
}
