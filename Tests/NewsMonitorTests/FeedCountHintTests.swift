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
}
