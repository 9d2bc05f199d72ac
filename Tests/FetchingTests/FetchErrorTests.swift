import Foundation
import Testing

@testable import Fetching

struct FetchErrorTests {
    @Test func aTransportErrorIsSummarizedInOneSentenceNamingTheFeed() {
        let cause = NSError(
            domain: NSURLErrorDomain, code: NSURLErrorCannotFindHost,
            userInfo: [
                NSLocalizedDescriptionKey: "Could not resolve host: www.example.org",
                NSURLErrorFailingURLErrorKey: URL(string: "https://www.example.org/rss")!,
            ])
        let error = FetchError(
            code: .network, message: "transfer failed", feedID: "demo", url: "https://www.example.org/rss", cause: cause)
        #expect(
            error.description
                == "feed 'demo': transfer failed (https://www.example.org/rss): Could not resolve host: www.example.org")
    }

    @Test func anErrorWithoutASentenceIsDescribedAsItIs() {
        struct Odd: Error, CustomStringConvertible, Sendable { var description: String { "odd failure" } }
        let error = FetchError(code: .network, message: "transfer failed", feedID: "demo", cause: Odd())
        #expect(error.description == "feed 'demo': transfer failed: odd failure")
    }
}
