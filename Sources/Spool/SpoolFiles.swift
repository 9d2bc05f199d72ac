#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// The system calls behind the spool: directory listing, synced writes, directory fsync.
enum SpoolFiles {
    static func makeDirectory(_ path: String) throws(SpoolError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SpoolError.system("mkdir", path: path, errno: errno)
        }
    }

    /// Sets a directory's or file's permission bits (not subject to the umask).
    static func setMode(_ mode: mode_t, of path: String) throws(SpoolError) {
        if chmod(path, mode) != 0 { throw SpoolError.system("chmod", path: path, errno: errno) }
    }

    /// File names in a directory (no dot files), unsorted.
    static func names(in path: String) throws(SpoolError) -> [String] {
        guard let dir = opendir(path) else { throw SpoolError.system("opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { result.append(name) }
        }
        return result
    }

    /// Creates `path` exclusively, writes all bytes, fsyncs and closes it; `mode` (when given)
    /// replaces the permission bits the umask left.
    static func writeSynced(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws(SpoolError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpoolError.system("open", path: path, errno: errno) }
        var written = 0
        var failure: Int32?
        if let mode, fchmod(fd, mode) != 0 { failure = errno }
        bytes.withUnsafeBytes { buffer in
            while failure == nil, written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure {
            unlink(path)
            throw SpoolError.system("write", path: path, errno: failure)
        }
    }

    /// fsyncs a directory so that a rename into it is durable.
    static func syncDirectory(_ path: String) throws(SpoolError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SpoolError.system("open", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SpoolError.system("fsync", path: path, errno: errno) }
    }

    /// Removes leftovers of interrupted writes.
    static func removeStaleTemporaryFiles(in path: String, olderThan seconds: Double) {
        guard let names = try? names(in: path) else { return }
        let limit = Date().timeIntervalSince1970 - seconds
        for name in names {
            var info = stat()
            let file = path + "/" + name
            if stat(file, &info) == 0, Double(info.st_mtim.tv_sec) < limit { unlink(file) }
        }
    }
}

extension SpoolError {
    static func system(_ call: String, path: String, errno code: Int32) -> SpoolError {
        SpoolError(code: .io, message: "\(call) failed: \(String(cString: strerror(code)))", path: path, errno: code)
    }
}
