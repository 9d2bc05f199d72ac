import FeedParsing
import Foundation
import NewsModel
import NewsTestSupport
import Testing

/// Fixture and snapshot helpers for the parser tests.
enum Fixture {
    static let directory = RepositoryPaths.fixtures(of: "FeedParsingTests")
    static let snapshots = directory.deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func parse(_ name: String, charset: String? = nil, timeZone: String? = nil) throws -> FeedDocument {
        try FeedParser().parse(bytes(name), url: "https://fixtures.example/\(name)", charset: charset, timeZone: timeZone)
    }

    /// Compares `actual` with `Snapshots/<name>.json`; `RECORD_SNAPSHOTS=1` rewrites the file and fails.
    static func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = snapshots.appendingPathComponent(name + ".json")
        let text = actual + "\n"
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: snapshots, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            Issue.record("recorded snapshot \(name).json; run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(name).json (record with RECORD_SNAPSHOTS=1)", sourceLocation: sourceLocation)
            return
        }
        #expect(text == expected, "snapshot \(name).json differs", sourceLocation: sourceLocation)
    }
}

extension Optional where Wrapped == Date {
    /// ISO 8601 UTC rendering, for compact expectations.
    var iso: String? { map(FeedDocumentJSON.iso8601) }
}
