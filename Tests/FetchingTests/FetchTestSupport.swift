import Foundation
import Logging
import Synchronization

@testable import Fetching

/// A log handler that keeps every record, to assert on log output without bootstrapping logging.
///
/// A struct (metadata is per logger copy, as swift-log expects) sharing one record store.
struct CollectingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Store: Sendable {
        let records = Mutex<[Record]>([])
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) {
        self.store = store
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        event.metadata?.forEach { merged[$0.key] = $0.value }
        let record = Record(level: event.level, message: "\(event.message)", metadata: merged)
        store.records.withLock { $0.append(record) }
    }
}

/// Fetch settings with short timeouts so failing cases stay fast.
func testConfiguration(
    deadline: Duration = .seconds(3),
    idleTimeout: Duration = .seconds(3),
    maxBytes: Int = 1_000_000,
    global: Int = 8,
    perHost: Int = 4
) -> FetchConfiguration {
    FetchConfiguration(
        userAgent: FetchConfiguration.userAgent(version: "9.9.9-test"),
        idleTimeout: idleTimeout, deadline: deadline, maxBytes: maxBytes,
        maxConcurrentFetches: global, maxConcurrentFetchesPerHost: perHost)
}

let quietLogger = Logger(label: "newsmon.tests.fetching", factory: { _ in SwiftLogNoOpLogHandler() })

extension FetchOutcome {
    /// The body of a `.content` outcome, as text.
    var text: String? {
        if case .content(let body, _, _, _) = self { return String(decoding: body, as: UTF8.self) }
        return nil
    }
}

/// A small RSS document for fixtures.
func sampleFeed(title: String = "Nachrichten vom Tage", items: Int = 2) -> String {
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>\(title)</title>\n"
    for index in 0..<items {
        xml += "<item><title>Meldung \(index): Gespräche über Truppen an der Grenze</title>"
        xml += "<link>https://example.org/artikel/\(index)</link><guid>urn:test:\(index)</guid></item>\n"
    }
    return xml + "</channel></rss>\n"
}
