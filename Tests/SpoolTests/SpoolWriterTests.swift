import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Spool

@Suite struct SpoolWriterTests {
    private func files(_ dir: TemporaryDirectory, _ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path + "/" + folder).sorted()
    }

    @Test func publishesIntoNewWithMillisecondsAndIDInTheName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path, now: { Date(timeIntervalSince1970: 1_641_982_503.25) })
        let alert = SampleAlerts.make()
        #expect(try writer.write(alert) == .written(name: "1641982503250-\(alert.id).json"))
        #expect(try files(dir, "new") == ["1641982503250-\(alert.id).json"])
        #expect(try files(dir, "tmp") == [])
        let text = try String(contentsOfFile: dir.path + "/new/1641982503250-\(alert.id).json", encoding: .utf8)
        #expect(text == (try AlertCoding.encode(alert)) + "\n")
    }

    @Test func rewritingTheSameAlertIDIsIdempotentInNewAndCur() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        let alert = SampleAlerts.make()
        guard case .written(let name) = try writer.write(alert) else {
            Issue.record("first write did not write")
            return
        }
        #expect(try writer.write(alert) == .alreadyPresent(name: name))
        // A consumer moves it to cur/ and marks it seen, maildir style.
        try FileManager.default.moveItem(atPath: "\(dir.path)/new/\(name)", toPath: "\(dir.path)/cur/\(name):2,S")
        #expect(try writer.write(alert) == .alreadyPresent(name: "\(name):2,S"))
        #expect(try files(dir, "new") == [])
        // Another id is written.
        #expect(try writer.write(SampleAlerts.make(id: SampleAlerts.id(7))) != .alreadyPresent(name: name))
        #expect(try files(dir, "new").count == 1)
    }

    @Test func aWriteInterruptedBeforeTheRenameLeavesNothingInNew() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        struct Crash: Error {}
        var sawTemporaryFile = false
        #expect(throws: SpoolError.self) {
            try writer.write(SampleAlerts.make()) {
                // At this point the full file is fsynced in tmp/ and new/ is still empty.
                sawTemporaryFile = (try? files(dir, "tmp").count) == 1
                #expect((try? files(dir, "new")) == [])
                throw Crash()
            }
        }
        #expect(sawTemporaryFile)
        #expect(try files(dir, "new") == [])
        #expect(try SpoolReader(directory: dir.path).alerts().isEmpty)
        // The retry after the "crash" publishes it exactly once.
        _ = try writer.write(SampleAlerts.make())
        _ = try writer.write(SampleAlerts.make())
        #expect(try files(dir, "new").count == 1)
    }

    @Test func aStrayTemporaryFileIsNeverReadAsAnAlert() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try SpoolWriter(directory: dir.path)
        // What a crash in the middle of write(2) leaves behind: a truncated file in tmp/.
        try Data("{\"version\":1,\"id\":\"ab".utf8).write(to: dir.url.appendingPathComponent("tmp/1-abab.json"))
        #expect(try SpoolReader(directory: dir.path).entries().isEmpty)
    }

    @Test func rejectsAlertIDsThatAreNotSafeFileNames() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try SpoolWriter(directory: dir.path)
        for bad in ["", "../../etc/passwd", "a b", "id/1", String(repeating: "a", count: 200)] {
            #expect(throws: SpoolError.self) { try writer.write(SampleAlerts.make(id: bad)) }
        }
        #expect(try files(dir, "new") == [])
    }
}
