public import NewsModel

/// Parses RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents with libxml2.
///
/// One synchronous call: bytes in, a ``NewsModel/FeedDocument`` out. Safe for untrusted input.
public struct FeedParser: Sendable {
    public var configuration: FeedParserConfiguration

    public init(configuration: FeedParserConfiguration = FeedParserConfiguration()) {
        self.configuration = configuration
    }

    /// Parses one document.
    ///
    /// - Parameters:
    ///   - bytes: The raw document, in any encoding.
    ///   - url: The document's URL: relative links resolve against it; it names the document in errors.
    ///   - charset: The charset the transport declared (HTTP `Content-Type`), if any.
    ///   - timeZone: IANA zone for dates without a zone (the feed's `tz`); UTC when nil.
    /// - Throws: ``FeedParserError`` when nothing usable could be recovered.
    public func parse(
        _ bytes: [UInt8],
        url: String? = nil,
        charset: String? = nil,
        timeZone: String? = nil
    ) throws(FeedParserError) -> FeedDocument {
        throw FeedParserError(message: "not implemented yet", document: url)
    }
}

/// Limits and options for ``FeedParser``.
public struct FeedParserConfiguration: Sendable, Hashable {
    public init() {}
}

/// Why a document could not be parsed, with its position where known.
public struct FeedParserError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var document: String?
    public var line: Int?
    public var column: Int?

    public init(message: String, document: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.document = document
        self.line = line
        self.column = column
    }

    public var description: String {
        var s = document ?? "<input>"
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
