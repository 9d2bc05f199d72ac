#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NewsModel
import NewsTestSupport
import Testing

@testable import Spool

/// `SpoolWriter(isShared: true)`: the writer's group may read alerts and take them, whatever the umask.
@Suite(.serialized) struct SpoolSharingTests {
    private func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    @Test func aSharedSpoolIsGroupReadableAndItsNewAndCurGroupWritable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let previous = umask(0o077)
        defer { umask(previous) }
        let writer = try SpoolWriter(directory: dir.path + "/spool", isShared: true)
        guard case .written(let name) = try writer.write(SampleAlerts.make()) else {
            Issue.record("not written")
            return
        }
        #expect(mode(dir.path + "/spool") == 0o2750)
        #expect(mode(dir.path + "/spool/tmp") == 0o2750)
        #expect(mode(dir.path + "/spool/new") == 0o2770)
        #expect(mode(dir.path + "/spool/cur") == 0o2770)
        #expect(mode(dir.path + "/spool/new/" + name) == 0o640)
    }

    @Test func aPrivateSpoolFollowsTheUmask() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let previous = umask(0o077)
        defer { umask(previous) }
        let writer = try SpoolWriter(directory: dir.path + "/spool")
        guard case .written(let name) = try writer.write(SampleAlerts.make()) else {
            Issue.record("not written")
            return
        }
        #expect(mode(dir.path + "/spool/new") == 0o700)
        #expect(mode(dir.path + "/spool/new/" + name) == 0o600)
    }
}
