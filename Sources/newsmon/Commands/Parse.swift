import ArgumentParser
import FeedParsing
import NewsModel

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
        let name = InputFile.displayName(file)
        var bytes: [UInt8]
        var documentURL = name
        var transportCharset: String?
        do throws(InputFile.ReadError) {
            if RemoteFeed.isRemote(file) {
                let fetched = try await RemoteFeed.fetch(file, limit: maxBytes)
                (bytes, documentURL, transportCharset) = (fetched.bytes, fetched.finalURL, fetched.charset)
            } else {
                bytes = try InputFile.read(file, limit: maxBytes)
            }
        } catch {
            StandardError.print("\(name): \(Self.oneLine(error.message))")
            throw ExitCode(1)
        }
        do {
            let document = try FeedParser(configuration: configuration).parse(
                bytes, url: documentURL, charset: charset ?? transportCharset, timeZone: timeZone)
            print(FeedDocumentJSON.render(document))
            if document.isRecovered, let first = document.diagnostics.first {
                var place = name
                if let line = first.line { place += ":\(line)" }
                if let column = first.column { place += ":\(column)" }
                StandardError.print("\(place): warning: \(Self.oneLine(first.message))")
            }
        } catch {
            StandardError.print(Self.oneLine(error.description))
            throw ExitCode(1)
        }
    }

    private static func oneLine(_ text: String) -> String {
        TerminalText.sanitize(text, maxLength: TerminalText.valueWidth)
    }
}
