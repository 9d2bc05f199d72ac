import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Spool

/// `write(batch:)`: files staged in tmp/, synced together, renamed into new/ in order.
@Suite struct SpoolWriterBatchTests {
    private func files(_ dir: TemporaryDirectory, _ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path + "/" + folder).sorted()
    }

    @Test func aBatchPublishesEachNewAlertOnceAndLeavesNothingInTmp() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path, now: { Date(timeIntervalSince1970: 1_641_982_503.25) })
        let (a, b, c, d) = (
            SampleAlerts.make(id: SampleAlerts.id(1)), SampleAlerts.make(id: SampleAlerts.id(2)),
            SampleAlerts.make(id: SampleAlerts.id(3)), SampleAlerts.make(id: SampleAlerts.id(4))
        )
        // c was delivered before and taken by a consumer; d has a truncated file in new/, no proof of delivery.
        guard case .written(let cName) = try writer.write(c) else { throw SpoolError(code: .io, message: "c not written") }
        try FileManager.default.moveItem(atPath: "\(dir.path)/new/\(cName)", toPath: "\(dir.path)/cur/\(cName):2,S")
        try Data("{\"version\":1".utf8).write(to: dir.url.appendingPathComponent("new/1-\(d.id).json"))

        let (outcomes, failure) = writer.write(batch: [a, b, a, c, d])
        #expect(failure == nil)
        let name = { (alert: Alert) in "1641982503250-\(alert.id).json" }
        #expect(outcomes.count == 5)
        #expect(outcomes[0] == .written(name: name(a)))
        #expect(outcomes[1] == .written(name: name(b)))
        #expect(outcomes[2] == .alreadyPresent(name: name(a)))
        #expect(outcomes[3] == .alreadyPresent(name: "\(cName):2,S"))
        #expect(outcomes[4].publishedName == name(d))
        #expect(try files(dir, "new") == [name(a), name(b), name(d)].sorted())
        #expect(try files(dir, "tmp") == [])
        for alert in [a, b, d] {
            let text = try String(contentsOfFile: dir.path + "/new/" + name(alert), encoding: .utf8)
            #expect(text == (try AlertCoding.encode(alert)) + "\n")
        }
        // Written again: nothing new.
        #expect(writer.write(batch: [a, b, d]).outcomes.allSatisfy { $0.publishedName == nil })
    }

    @Test func aFailureInTheMiddlePublishesTheAlertsBeforeItOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        let (a, b) = (SampleAlerts.make(id: SampleAlerts.id(1)), SampleAlerts.make(id: SampleAlerts.id(2)))
        let (outcomes, failure) = writer.write(batch: [a, b, SampleAlerts.make(id: "../x"), SampleAlerts.make(id: SampleAlerts.id(3))])
        #expect(failure?.code == .invalidAlertID)
        #expect(outcomes.count == 2)
        #expect(try files(dir, "new").count == 2)
        #expect(try files(dir, "tmp") == [])
        #expect(try SpoolReader(directory: dir.path).alerts().map(\.id).sorted() == [a.id, b.id].sorted())
    }
}
