#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Reads a command's input file, or standard input for `-`, never more than `limit` + 1 bytes.
enum InputFile {
    struct ReadError: Error {
        var message: String
    }

    /// The name to use in messages: `<stdin>` for `-`.
    static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    static func read(_ path: String, limit: Int = Int.max - (1 << 17)) throws(ReadError) -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(message: String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        var expected = 1 << 16
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw ReadError(message: "is a directory") }
            if (info.st_mode & S_IFMT) == S_IFREG {
                guard Int(info.st_size) <= limit else { throw ReadError(message: "document is larger than \(limit) bytes") }
                expected = Int(info.st_size)
            }
        }
        var bytes = [UInt8]()
        // Reserved once: pages are only touched as data arrives, and the array rarely reallocates.
        bytes.reserveCapacity(expected + (1 << 16))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            if bytes.count + n > limit {
                throw ReadError(message: "document is larger than \(limit) bytes")
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
