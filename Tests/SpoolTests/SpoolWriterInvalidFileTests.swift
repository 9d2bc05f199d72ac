import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Spool

/// A file named for an alert id is proof of delivery only when it holds a valid alert with that id.
@Suite struct SpoolWriterInvalidFileTests {
    private func names(_ dir: TemporaryDirectory, _ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path + "/" + folder).sorted()
    }

    @Test(arguments: ["truncated", "empty", "otherID"])
    func aFileWithThePlannedNameThatIsNoValidAlertWithThatIDIsReplaced(kind: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path, now: { Date(timeIntervalSince1970: 1_641_982_600) })
        let alert = SampleAlerts.make()
        let bytes: Data =
            switch kind {
            case "truncated": Data("{\"version\":1,\"id\":\"ab".utf8)
            case "empty": Data()
            default: Data((try AlertCoding.encode(SampleAlerts.make(id: SampleAlerts.id(9))) + "\n").utf8)
            }
        let stale = "1641982503000-\(alert.id).json"
        try bytes.write(to: dir.url.appendingPathComponent("cur/\(stale):2,S"))

        let outcome = try writer.write(alert)
        guard case .replaced(let name, let invalid) = outcome else {
            Issue.record("expected a replacement, got \(outcome)")
            return
        }
        #expect(name == "1641982600000-\(alert.id).json")
        #expect(invalid.count == 1 && invalid[0].hasPrefix("cur/\(stale):2,S: "))
        #expect(outcome.publishedName == name)
        #expect(try names(dir, "cur") == [])
        #expect(try names(dir, "new") == [name])
        #expect(try SpoolReader(directory: dir.path).alerts().map(\.id) == [alert.id])
        // Now the spool does hold it: the next write is a no-op.
        #expect(try writer.write(alert) == .alreadyPresent(name: name))
    }

    @Test func aValidFileNextToAnInvalidOneIsProofOfDelivery() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        let alert = SampleAlerts.make()
        // What a crash between publishing the replacement and removing the invalid file leaves.
        try Data().write(to: dir.url.appendingPathComponent("new/1-\(alert.id).json"))
        let valid = "2-\(alert.id).json"
        try Data((try AlertCoding.encode(alert) + "\n").utf8).write(to: dir.url.appendingPathComponent("new/\(valid)"))
        #expect(try writer.write(alert) == .alreadyPresent(name: valid))
        #expect(try names(dir, "new").count == 2)
    }
}
