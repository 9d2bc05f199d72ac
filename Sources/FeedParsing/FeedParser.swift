public import NewsModel
internal import CLibXML2

/// Parses RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents with libxml2.
///
/// One synchronous call: bytes in, a ``NewsModel/FeedDocument`` out. Safe for untrusted input: no
/// network, no external entities, no DTD loading, bounded depth, field and document size.
///
/// A document that is not well-formed is parsed again after a repair pre-pass (bare `&`, control
/// characters) and, failing that, with libxml2's recovery mode; the result is then marked
/// ``NewsModel/FeedDocument/isRecovered`` and carries a diagnostic naming the first error.
public struct FeedParser: Sendable {
    /// The limits and policies in force.
    public var configuration: FeedParserConfiguration

    /// Creates a parser.
    public init(configuration: FeedParserConfiguration = FeedParserConfiguration()) {
        self.configuration = configuration
    }

    /// Parses one document.
    ///
    /// - Parameters:
    ///   - bytes: The raw document, in any encoding.
    ///   - url: The document's URL: relative links resolve against it (when it has a scheme); it names the document in errors.
    ///   - charset: The charset the transport declared (HTTP `Content-Type`), if any.
    ///   - timeZone: IANA zone for dates without a zone (the feed's `tz`); UTC when nil.
    /// - Returns: The feed's metadata and entries.
    /// - Throws: ``FeedParserError`` when nothing usable could be recovered or a limit was hit.
    public func parse(
        _ bytes: [UInt8],
        url: String? = nil,
        charset: String? = nil,
        timeZone: String? = nil
    ) throws(FeedParserError) -> FeedDocument {
        let name = url ?? "<input>"
        guard bytes.count <= configuration.maxTotalBytes else {
            throw FeedParserError(
                code: .tooLarge, message: "document is larger than \(configuration.maxTotalBytes) bytes", document: url)
        }
        var decoded = InputDecoder.decode(bytes, charset: charset)
        guard decoded.utf8.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0 }) else {
            throw FeedParserError(code: .empty, message: "document is empty", document: url, line: 1, column: 1)
        }
        let base = url.flatMap { URLResolver.hasScheme($0) ? $0 : nil }
        Self.initialize()

        // Pass 1: strict.
        let (first, firstOK, firstSession) = runPass(decoded.utf8, name: name, base: base, timeZone: timeZone, recover: false)
        if let stop = firstSession.stopReason {
            throw FeedParserError(code: stop.code, message: stop.message, document: url, line: stop.line, column: stop.column)
        }
        if firstOK, first.sawRoot {
            return try finish(first, decoded: decoded, recoveredFrom: nil, url: url)
        }
        let failure = firstSession.firstError

        // Pass 1b: UTF-8 that libxml2 rejected, read again as repaired UTF-8 or as windows-1252.
        if !decoded.isValidated {
            let checked = decoded.validated()
            if checked.utf8 != decoded.utf8 {
                decoded = checked
                let (again, ok, session) = runPass(decoded.utf8, name: name, base: base, timeZone: timeZone, recover: false)
                if let stop = session.stopReason {
                    throw FeedParserError(code: stop.code, message: stop.message, document: url, line: stop.line, column: stop.column)
                }
                if ok, again.sawRoot { return try finish(again, decoded: decoded, recoveredFrom: nil, url: url) }
            }
        }

        // Pass 2: repaired bytes, strict; pass 3: libxml2's recovery on the (repaired) bytes.
        // A failed strict pass's text was taken on trust up to the error: checked again if it is used.
        var best = first
        var bestIsStrict = true
        let repaired = MarkupRepair.repair(decoded.utf8)
        if let repaired {
            let (second, secondOK, secondSession) = runPass(repaired, name: name, base: base, timeZone: timeZone, recover: false)
            if secondOK, second.sawRoot, secondSession.stopReason == nil {
                return try finish(second, decoded: decoded, recoveredFrom: failure, url: url)
            }
            if second.entries.count > best.entries.count || (!best.sawRoot && second.sawRoot) { best = second; bestIsStrict = true }
        }
        let (third, _, thirdSession) = runPass(repaired ?? decoded.utf8, name: name, base: base, timeZone: timeZone, recover: true)
        if thirdSession.stopReason == nil, third.sawRoot, third.entries.count >= best.entries.count || !best.sawRoot {
            best = third
            bestIsStrict = false
        }
        guard best.sawRoot, best.format != .unknown else {
            if best.sawRoot {
                throw FeedParserError(
                    code: .notAFeed, message: "not an RSS or Atom feed (root element <\(best.rootName)>)", document: url)
            }
            let f = failure ?? SAXSession.Failure(code: .malformed, message: "no root element", line: nil, column: nil)
            throw FeedParserError(code: f.code, message: f.message, document: url, line: f.line, column: f.column)
        }
        return try finish(best, decoded: decoded, recoveredFrom: failure ?? SAXSession.Failure(
            code: .malformed, message: "document is not well-formed", line: nil, column: nil), url: url,
            revalidate: bestIsStrict)
    }

    private func runPass(
        _ bytes: [UInt8], name: String, base: String?, timeZone: String?, recover: Bool
    ) -> (FeedBuilder, Bool, SAXSession) {
        let builder = FeedBuilder(configuration: configuration, documentBase: base, timeZone: timeZone)
        let session = SAXSession(builder: builder, configuration: configuration)
        let ok = session.run(bytes, name: name, recover: recover)
        return (session.builder, ok, session)
    }

    private func finish(
        _ builder: FeedBuilder, decoded: InputDecoder.Output, recoveredFrom failure: SAXSession.Failure?, url: String?,
        revalidate: Bool = false
    ) throws(FeedParserError) -> FeedDocument {
        if builder.format == .unknown {
            throw FeedParserError(
                code: .notAFeed, message: "not an RSS or Atom feed (root element <\(builder.rootName)>)", document: url)
        }
        var document = builder.makeDocument(isRecovered: failure != nil)
        if revalidate { document = document.revalidated() }
        document.diagnostics.insert(contentsOf: decoded.diagnostics, at: 0)
        if let failure {
            document.diagnostics.insert(
                FeedDiagnostic(line: failure.line, column: failure.column, message: "not well-formed, recovered: \(failure.message)"),
                at: 0)
        }
        return document
    }

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private static func initialize() { _ = initialized }
}
