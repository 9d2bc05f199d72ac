import ArgumentParser
import FeedParsing
import NewsModel
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `newsmon parse FILE`: print a parsed feed as one JSON object (the schema of the conformance corpus).
///
/// `-` reads standard input. Failure: one line `file:line:col: message` on stderr, exit 1. A recovered
/// (not well-formed) document: the JSON plus one warning line on stderr, exit 0.
/// `http://` and `https://` arguments are fetched first (see `Parse+URL.swift`); the charset HTTP
/// declared is used unless `--charset` is given.
struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Print a parsed feed as one JSON object.")

    @Argument(help: "A feed file, an http(s) URL, or - for standard input.")
    var file: String

    @Option(help: "Charset to assume, as an HTTP Content-Type would declare it.")
    var charset: String?

    @Option(name: .customLong("tz"), help: "IANA time zone for dates without a zone (default UTC).")
    var timeZone: String?

    @Option(help: "Largest document accepted, in bytes.")
    var maxBytes: Int = FeedParserConfiguration().maxTotalBytes

    func run() async throws {
        var configuration = FeedParserConfiguration()
        configuration.maxTotalBytes = maxBytes
        let name = file == "-" ? "<stdin>" : file
        var bytes: [UInt8]
        var documentURL = name
        var transportCharset: String?
        do throws(FeedInput.ReadError) {
            if FeedInput.isRemote(file) {
                let fetched = try await FeedInput.fetch(file, limit: maxBytes)
                (bytes, documentURL, transportCharset) = (fetched.bytes, fetched.finalURL, fetched.charset)
            } else {
                bytes = try FeedInput.read(file, limit: maxBytes)
            }
        } catch {
            FeedInput.printError("\(name): \(error.message)")
            throw ExitCode(1)
        }
        do {
            let document = try FeedParser(configuration: configuration).parse(
                bytes, url: documentURL, charset: charset ?? transportCharset, timeZone: timeZone)
            print(FeedDocumentJSON.render(document))
            if document.isRecovered, let first = document.diagnostics.first {
                var where_ = name
                if let line = first.line { where_ += ":\(line)" }
                if let column = first.column { where_ += ":\(column)" }
                FeedInput.printError("\(where_): warning: \(first.message)")
            }
        } catch {
            FeedInput.printError(error.description)
            throw ExitCode(1)
        }
    }
}

/// Reads the input of `newsmon parse`, never more than `limit` + 1 bytes.
enum FeedInput {
    struct ReadError: Error {
        var message: String
    }

    static func read(_ path: String, limit: Int) throws(ReadError) -> [UInt8] {
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            throw ReadError(message: "fetching URLs is not supported yet; save the feed to a file")
        }
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw ReadError(message: String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        var expected = limit + 1
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            guard Int(info.st_size) <= limit else { throw ReadError(message: "document is larger than \(limit) bytes") }
            expected = Int(info.st_size)
        }
        var bytes = [UInt8]()
        // Reserved once: pages are only touched as data arrives, and the array never reallocates.
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

    static func printError(_ line: String) {
        var text = line
        text.removeAll { $0 == "\n" }
        fputs(text + "\n", stderr)
    }
}
