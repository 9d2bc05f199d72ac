import Foundation
import Synchronization
import NewsModel
import NewsTestSupport
import Testing

@testable import Spool

@Suite struct SpoolReaderTests {
    @Test func readsNewAndCurInPublicationOrderWithFiltersAndLimit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for n in 0..<6 {
            let writer = try SpoolWriter(directory: dir.path, now: { base.addingTimeInterval(Double(n)) })
            let topic = n.isMultiple(of: 2) ? "nato-russia-council" : "ukraine-troop-buildup"
            try writer.write(SampleAlerts.make(id: SampleAlerts.id(n), topic: topic, detectedAt: base.addingTimeInterval(Double(n))))
        }
        // Move the third alert to cur/: order is by time, not by folder.
        let reader = SpoolReader(directory: dir.path)
        let third = try reader.entries()[2]
        try FileManager.default.moveItem(atPath: "\(dir.path)/new/\(third.name)", toPath: "\(dir.path)/cur/\(third.name):2,")
        try Data("not json".utf8).write(to: dir.url.appendingPathComponent("new/5-\(SampleAlerts.id(99)).json"))
        try Data("x".utf8).write(to: dir.url.appendingPathComponent("new/README"))

        var unreadable: [String] = []
        #expect(try reader.alerts(unreadable: { unreadable.append($0.description) }).map(\.id) == (0..<6).map(SampleAlerts.id))
        // The broken alert file is named; the README (not an alert file name) is not an entry at all.
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.contains("new/5-\(SampleAlerts.id(99)).json: not an alert") == true, "\(unreadable)")
        #expect(try reader.alerts(limit: 2).map(\.id) == [4, 5].map(SampleAlerts.id))
        #expect(try reader.alerts(filter: AlertFilter(topic: "ukraine-troop-buildup")).map(\.id) == [1, 3, 5].map(SampleAlerts.id))
        #expect(try reader.alerts(filter: AlertFilter(since: base.addingTimeInterval(4))).map(\.id) == [4, 5].map(SampleAlerts.id))
    }

    @Test func aMissingSpoolReadsAsEmpty() throws {
        #expect(try SpoolReader(directory: "/nonexistent/newsmon-spool").alerts().isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func followYieldsAlertsPublishedAfterItStartedOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(1)))
        let watcher = SpoolWatcher(directory: dir.path)
        let known = Set(try watcher.reader.entries().map(\.alertID))
        let stream = try watcher.follow(filter: AlertFilter(topic: "nato-russia-council"), skipping: known)
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(2), topic: "other"))
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(3)))
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(3)))
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(4)))
        var got: [String] = []
        for await alert in stream {
            got.append(alert.id)
            if got.count == 2 { break }
        }
        #expect(got == [SampleAlerts.id(3), SampleAlerts.id(4)])
    }
}

@Suite struct SpoolFollowerTests {
    @Test(.timeLimit(.minutes(1)))
    func anInotifyOverflowRescansAndYieldsWhatWasMissedOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(1)))
        let reader = SpoolReader(directory: dir.path)
        let (events, feed) = AsyncStream.makeStream(of: InotifyStream.Event.self)
        let stream = SpoolWatcher.follow(
            reader: reader, events: events, filter: AlertFilter(), skipping: [SampleAlerts.id(1)])
        // Three alerts arrive but their events are lost; one of them is announced normally.
        for n in 2...4 { try writer.write(SampleAlerts.make(id: SampleAlerts.id(n))) }
        let third = try #require(try reader.entries().first { $0.alertID == SampleAlerts.id(3) })
        feed.yield(.file(folder: "new", name: third.name))
        feed.yield(.overflow)
        feed.yield(.overflow)
        feed.finish()
        var got: [String] = []
        for await alert in stream { got.append(alert.id) }
        #expect(got == [SampleAlerts.id(3), SampleAlerts.id(2), SampleAlerts.id(4)])
    }

    /// A file that is not an alert is reported once and skipped; one that moved on is not reported.
    @Test(.timeLimit(.minutes(1)))
    func brokenFilesAreReportedOnceAndSkipped() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        let reader = SpoolReader(directory: dir.path)
        let broken = "1700000000000-\(SampleAlerts.id(7)).json"
        try Data("{\"version\": 1, \"id\":".utf8).write(to: dir.url.appendingPathComponent("new/" + broken))
        try writer.write(SampleAlerts.make(id: SampleAlerts.id(8)))
        let good = try #require(try reader.entries().first { $0.alertID == SampleAlerts.id(8) })
        let reports = LockedStrings()
        let (events, feed) = AsyncStream.makeStream(of: InotifyStream.Event.self)
        let stream = SpoolWatcher.follow(reader: reader, events: events, filter: AlertFilter(), skipping: [], unreadable: { reports.append($0.description) })
        feed.yield(.file(folder: "new", name: broken))
        feed.yield(.file(folder: "new", name: broken))
        feed.yield(.file(folder: "new", name: "1700000000001-\(SampleAlerts.id(9)).json"))  // already gone
        feed.yield(.file(folder: "new", name: good.name))
        feed.finish()
        var got: [String] = []
        for await alert in stream { got.append(alert.id) }
        #expect(got == [SampleAlerts.id(8)])
        #expect(reports.values.count == 1 && reports.values[0].contains(broken), "\(reports.values)")
    }
}

/// Strings collected from a `@Sendable` callback.
final class LockedStrings: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ s: String) { storage.withLock { $0.append(s) } }
    var values: [String] { storage.withLock { $0 } }
}
