#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// How many feeds a feeds.conf lists, counted before it is read: a size for what must be decided before
/// the first thread starts (the malloc arenas of `newsmon once`, docs/performance.md), not a validation.
///
/// It counts the lines that are a `[[feed]]` table header (spaces and a comment allowed, the name bare or
/// quoted), so a header inside a multi-line string counts too, and a file that does not parse still has a
/// count: the full read (``MonitorConfiguration/load(path:)``) reports what is wrong with it.
public enum FeedCountHint {
    /// The count for the file at `path`; nil when it is no regular file (a pipe, `--config <(…)`, can be read
    /// once only, and that read is the configuration's) or cannot be read.
    public static func count(path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { count($0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// The count for feeds.conf `bytes` (UTF-8).
    public static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: true).count { isFeedHeader($0) }
    }

    /// The count for feeds.conf `text`.
    public static func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count($0) }
    }

    /// `[[feed]]`, `[[ feed ]]`, `[["feed"]]` or `[['feed']]`, with spaces or tabs around and an optional comment.
    static func isFeedHeader(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var rest = line
        func skipBlanks() { while let first = rest.first, first == 0x20 || first == 0x09 || first == 0x0D { rest.removeFirst() } }
        func take(_ text: String) -> Bool {
            guard rest.starts(with: text.utf8) else { return false }
            rest.removeFirst(text.utf8.count)
            return true
        }
        skipBlanks()
        guard take("[[") else { return false }
        skipBlanks()
        guard take("feed") || take("\"feed\"") || take("'feed'") else { return false }
        skipBlanks()
        guard take("]]") else { return false }
        skipBlanks()
        return rest.isEmpty || rest.first == UInt8(ascii: "#")
    }
}
