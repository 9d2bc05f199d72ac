import CLibXML2

/// One feed found in an OPML subscription list.
public struct OPMLFeed: Sendable, Hashable {
    /// The outline's `title`, else its `text`, else the URL.
    public var title: String
    /// The feed URL (`xmlUrl`).
    public var url: String
    /// The site URL (`htmlUrl`), if given.
    public var siteURL: String?
    /// Titles of the enclosing folder outlines, outermost first.
    public var folders: [String]

    public init(title: String, url: String, siteURL: String? = nil, folders: [String] = []) {
        self.title = title
        self.url = url
        self.siteURL = siteURL
        self.folders = folders
    }
}

/// Reads OPML 1.0/2.0 subscription lists (the export format of feed readers) with libxml2.
///
/// No network, no entity expansion, no DTD loading. Every `<outline>` with an `xmlUrl`
/// becomes an ``OPMLFeed``, at any depth, in document order.
public enum OPMLReader {
    /// Parses an OPML document.
    ///
    /// - Parameters:
    ///   - bytes: The document.
    ///   - fileName: Names the document in errors.
    /// - Throws: ``FeedParserError`` with line and column when the XML is malformed or the root is not `<opml>`.
    public static func read(_ bytes: [UInt8], fileName: String) throws(FeedParserError) -> [OPMLFeed] {
        guard let context = xmlNewParserCtxt() else {
            throw FeedParserError(message: "cannot create an XML parser", document: fileName)
        }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NOCDATA.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlCtxtReadMemory(context, $0, Int32(buffer.count), fileName, nil, options)
            }
        }
        guard let document, context.pointee.wellFormed != 0 else {
            if let document { xmlFreeDoc(document) }
            let error = context.pointee.lastError
            let message = error.message.map { String(cString: $0) } ?? "not well-formed XML"
            throw FeedParserError(
                message: trimmed(message), document: fileName,
                line: error.line > 0 ? Int(error.line) : nil, column: error.int2 > 0 ? Int(error.int2) : nil)
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), name(of: root) == "opml" else {
            throw FeedParserError(message: "the root element is not <opml>", document: fileName, line: 1, column: 1)
        }
        var feeds: [OPMLFeed] = []
        collect(root, folders: [], into: &feeds)
        return feeds
    }

    private static func collect(_ node: xmlNodePtr, folders: [String], into feeds: inout [OPMLFeed]) {
        var child = node.pointee.children
        while let current = child {
            defer { child = current.pointee.next }
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            let element = name(of: current)
            if element == "head" { continue }
            guard element == "outline" else {
                collect(current, folders: folders, into: &feeds)
                continue
            }
            let title = attribute(current, "title") ?? attribute(current, "text")
            if let url = attribute(current, "xmlUrl") ?? attribute(current, "xmlurl"), !url.isEmpty {
                feeds.append(
                    OPMLFeed(title: title ?? url, url: url, siteURL: attribute(current, "htmlUrl"), folders: folders))
            }
            collect(current, folders: title.map { folders + [$0] } ?? folders, into: &feeds)
        }
    }

    private static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { newsmon_xml_free(value) }
        let text = trimmed(String(cString: value))
        return text.isEmpty ? nil : text
    }
}

/// `text` without leading and trailing white space.
private func trimmed(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    return String(scalars[first...last])
}
