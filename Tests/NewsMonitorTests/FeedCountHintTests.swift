#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NewsMonitor
import NewsTestSupport
import Testing

/// The feed count `newsmon once` sizes its malloc arenas by, before feeds.conf is read in full.
@Suite struct FeedCountHintTests {
    @Test func theShippedFeedsConfCountsWhatItsReadFinds() throws {
        let path = RepositoryPaths.root.appendingPathComponent("feeds.conf").path
        let configuration = try MonitorConfiguration.load(path: path)
        #expect(FeedCountHint.count(path: path) == configuration.feeds.count)
    }

    @Test func headersWithSpacesQuotesCommentsAndCRLFCount() throws {
        let text = [
            "[defaults]", "[[feed]]", "id = \"a\"", "url = \"https://example.org/a\"",
            "  [[ feed ]]  # the second", "id = \"b\"", "url = \"https://example.org/b\"",
            "[[\"feed\"]]\r", "id = \"c\"\r", "url = \"https://example.org/c\"\r",
            "\t[['feed']]", "id = \"d\"", "url = \"https://example.org/d\"",
            "[[topic]]", "id = \"t\"", "rule = 'nato'",
        ].joined(separator: "\n")
        let configuration = try MonitorConfiguration.parse(text: text)
        #expect(configuration.feeds.count == 4)
        #expect(FeedCountHint.count(text) == 4)
        #expect(FeedCountHint.count(text + "\n[[feed]]") == 5)  // the last line has no newline
    }

    @Test func linesThatOnlyLookLikeAFeedHeaderDoNotCount() {
        for line in ["# [[feed]]", "[feed]", "[[feeds]]", "[[feed]] x", "[[feed.extra]]", "title = \"[[feed]]\"", "[[feed]"] {
            #expect(FeedCountHint.count(line) == 0, "\(line)")
        }
    }

    @Test func anUnreadableFileHasNoCount() {
        #expect(FeedCountHint.count(path: "/nonexistent/feeds.conf") == nil)
    }

    /// `newsmon once --config <(…)`: the hint must not take what the configuration's read is to get.
    @Test func aPipeIsNotRead() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let text = "[[feed]]\nid = \"a\"\n"
        _ = text.withCString { write(ends[1], $0, strlen($0)) }
        close(ends[1])
        #expect(FeedCountHint.count(path: "/proc/self/fd/\(ends[0])") == nil)
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(read(ends[0], &buffer, buffer.count) == text.utf8.count)
    }

    /// A symbolic link to feeds.conf (an /etc link to a managed file) is followed.
    @Test func aLinkToTheFileIsFollowed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("feeds.conf")
        try Data("[[feed]]\n[[feed]]\n".utf8).write(to: file)
        let link = directory.url.appendingPathComponent("link.conf")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        #expect(FeedCountHint.count(path: link.path) == 2)
    }
}
