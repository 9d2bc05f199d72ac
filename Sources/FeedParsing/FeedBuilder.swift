import NewsModel

/// Builds a ``FeedDocument`` from SAX events. One value per parse pass, held by its ``SAXSession``
/// (a struct, so a whole callback is one access to it).
struct FeedBuilder {
    /// One attribute of a start tag, decoded.
    struct Attribute {
        var name: String
        var namespace: Namespace
        var value: String
    }

    /// Where text that is being captured goes.
    enum Target {
        case feedTitle, feedLink, feedSubtitle, feedLanguage, feedUpdated
        case feedSubtitleFallback
        case title, titleFallback, link, id, published, updated, summary, summaryFallback, content, author, category
        case personName, personEmail
    }

    /// How captured text becomes a value.
    enum Mode {
        /// HTML-ish text: child elements serialised, the result entity-decoded once.
        case html
        /// Plain text (Atom `type="text"`): kept as written.
        case plain
        /// Atom xhtml / Atom 0.3 `mode="xml"`: the serialised children of the element.
        case xhtml
        /// Atom 1.0 `type="xhtml"`: as ``xhtml``, without the wrapping `<div>` the format requires.
        case xhtmlWrapped
        /// Base64-encoded content.
        case base64
        /// A URI or identifier: trimmed, never entity-decoded.
        case uri
    }

    struct Capture {
        var target: Target
        var mode: Mode
        var depth: Int
        /// Element nesting inside the captured element (serialised markup).
        var innerDepth = 0
        var isTruncated = false
        /// CDATA text may hold overlong UTF-8 forms, which libxml2 lets through there (see ``UTF8Text``).
        var hasOverlongUTF8 = false
        var wrapperDepth: Int?
        var openTags: [String] = []
    }

    /// What an entry needs besides its ``FeedBuilder/current`` value; reset in place per entry.
    struct EntryState {
        var isPermaLinkGUID = false
        var guid: String?
        var rdfAbout: String?
        var summaryFallback: (String, String)?
        var titleFallback: (String, String)?
        /// Some category's plain text differs from its value (see ``FeedBuilder/appendCategory(_:plain:)``).
        var categoryTextDiffers = false
        var depth: Int

        mutating func reset(depth: Int) {
            isPermaLinkGUID = false
            categoryTextDiffers = false
            if guid != nil { guid = nil }
            if rdfAbout != nil { rdfAbout = nil }
            if summaryFallback != nil { summaryFallback = nil }
            if titleFallback != nil { titleFallback = nil }
            self.depth = depth
        }
    }

    struct PersonState {
        var depth: Int
        var name: String?
        var email: String?
    }

    let configuration: FeedParserConfiguration
    let documentBase: String?
    let timeZone: String?

    var format: FeedFormat = .unknown
    var sawRoot = false
    var rootName = ""
    var feed = FeedMetadata()
    var rootLanguage: String?
    var feedSubtitleFallback: String?
    var entries: [FeedEntry] = []
    var diagnostics: [FeedDiagnostic] = []
    /// The entry being read; meaningful only while ``inEntry`` (kept non-optional: no copies on access).
    var entryState = EntryState(depth: -1)
    /// The entry being built (while ``inEntry``); moved into ``entries`` when it ends.
    var current = FeedEntry()
    /// A blank entry to copy from (cheaper than `FeedEntry()`, an opaque call into NewsModel).
    let emptyEntry = FeedEntry()
    var inEntry = false
    var person: PersonState?
    /// The field being captured; meaningful only while ``capturing`` (non-optional: no copies on access).
    var capture = Capture(target: .title, mode: .html, depth: -1)
    var capturing = false
    var depth = 0
    /// Depth of an element whose whole subtree is skipped (image, textinput, source …).
    var ignoredDepth: Int?
    /// xml:base values in scope, innermost last, with the depth that set them.
    var bases: [(depth: Int, base: String)] = []
    var truncationReported = false
    /// The text of the field being captured; one buffer reused for every field (freed by the session).
    var text = TextBuffer()
    /// Whether delivered text is known to be valid UTF-8 (a strict pass: libxml2 checked it), so
    /// values are created without validating again (``UTF8Text``).
    var trustUTF8 = false

    init(configuration: FeedParserConfiguration, documentBase: String?, timeZone: String?) {
        self.configuration = configuration
        self.documentBase = documentBase
        self.timeZone = timeZone
    }

    var currentBase: String? { bases.last?.base ?? documentBase }

    func makeDocument(isRecovered: Bool) -> FeedDocument {
        var feed = self.feed
        if feed.language == nil { feed.language = rootLanguage }
        if feed.subtitle == nil { feed.subtitle = feedSubtitleFallback }
        return FeedDocument(format: format, feed: feed, entries: entries, isRecovered: isRecovered, diagnostics: diagnostics)
    }

    // MARK: - Events

    mutating func startElement(local: String, name: ElementName, namespace ns: Namespace, attributes: Attributes) {
        depth += 1
        if ignoredDepth != nil { return }
        if capturing {
            capture.innerDepth += 1
            if capture.mode == .xhtmlWrapped, capture.innerDepth == 1, capture.wrapperDepth == nil, local == "div",
                isBlank(text.bytes)
            {
                capture.wrapperDepth = depth
            } else if capture.mode != .uri && capture.mode != .base64 {
                appendStartTag(local, attributes.all)
            }
            return
        }
        if attributes.hasNamespacedAttribute {
            if let base = attributes.value("base", in: .xml) {
                bases.append((depth, resolve(base.trimmingSpaces) ?? base))
            }
            if depth <= 2, rootLanguage == nil, let lang = attributes.value("lang", in: .xml), !lang.isEmpty {
                rootLanguage = lang
            }
        }
        if !sawRoot {
            sawRoot = true
            rootName = local
            format = Self.format(root: local, namespace: ns, attributes: attributes)
            return
        }
        if format == .unknown { return }
        handleStart(local: name, namespace: ns, attributes: attributes)
    }

    mutating func endElement() {
        defer {
            if !bases.isEmpty, bases[bases.count - 1].depth == depth { bases.removeLast() }
            depth -= 1
        }
        if let ig = ignoredDepth {
            if ig == depth { ignoredDepth = nil }
            return
        }
        if capturing {
            let captureDepth = capture.depth
            if captureDepth == depth {
                let (target, mode) = (capture.target, capture.mode)
                capturing = false
                finish(target: target, mode: mode)
                return
            }
            if capture.wrapperDepth == depth {
                capture.wrapperDepth = -1
            } else if capture.mode != .uri && capture.mode != .base64 {
                appendEndTag()
            }
            capture.innerDepth -= 1
            return
        }
        if person?.depth == depth {
            finishPerson(person.take()!)
            return
        }
        if inEntry, entryState.depth == depth {
            finishEntry()
        }
    }

    /// A CDATA block: libxml2 checks its UTF-8 more loosely than other text (overlong forms pass).
    mutating func cdata(_ p: UnsafeBufferPointer<UInt8>) {
        guard ignoredDepth == nil, capturing else { return }
        if !capture.hasOverlongUTF8, HTMLText.hasOverlongUTF8(UnsafeRawBufferPointer(p)) { capture.hasOverlongUTF8 = true }
        characters(p)
    }

    mutating func characters(_ p: UnsafeBufferPointer<UInt8>) {
        guard ignoredDepth == nil, capturing else { return }
        let limit = configuration.maxFieldBytes
        if text.count + p.count > limit {
            if !capture.isTruncated {
                capture.isTruncated = true
                let room = max(0, limit - text.count)
                text.append(contentsOf: UnsafeBufferPointer(rebasing: p[..<room]))
                if !truncationReported {
                    truncationReported = true
                    diagnostics.append(FeedDiagnostic(message: "a field longer than \(limit) bytes was truncated"))
                }
            }
            return
        }
        let escape = capture.innerDepth > 0 || capture.mode == .plain || capture.mode == .xhtml || capture.mode == .xhtmlWrapped
        if escape {
            HTMLText.appendEscaped(p, to: &text)
        } else {
            text.append(contentsOf: p)
        }
    }

    // MARK: - Helpers

    static func format(root: String, namespace: Namespace, attributes: Attributes) -> FeedFormat {
        let version = attributes.value("version")?.trimmingSpaces
        switch (namespace, root) {
        case (_, "rss"):
            switch version {
            case "0.90": return .rss090
            case "0.91": return .rss091
            case "0.92": return .rss092
            case "0.93": return .rss093
            case "0.94": return .rss094
            default: return .rss20
            }
        case (.rdf, "RDF"), (_, "RDF"), (_, "rdf"):
            return .rss10
        case (.atom, "feed"), (.rss, "feed"):
            if version == "0.3" { return .atom03 }
            return version == nil || version == "1.0" ? .atom10 : .atom03
        case (_, "channel"):
            return .rss091
        default:
            return .unknown
        }
    }

    func resolve(_ reference: String) -> String? {
        guard let base = currentBase else { return reference }
        return URLResolver.resolve(reference, against: base)
    }

    func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
    }

    mutating func appendStartTag(_ name: String, _ attributes: [Attribute]) {
        text.append(UInt8(ascii: "<"))
        text.append(contentsOf: name.utf8)
        for a in attributes {
            text.append(UInt8(ascii: " "))
            if a.namespace == .xml { text.append(contentsOf: "xml:".utf8) }
            text.append(contentsOf: a.name.utf8)
            text.append(contentsOf: "=\"".utf8)
            var value = a.value
            if (a.name == "href" || a.name == "src") && a.namespace != .xml, let r = resolve(value) { value = r }
            Array(value.utf8).withUnsafeBufferPointer { HTMLText.appendEscaped($0, to: &text, quote: true) }
            text.append(UInt8(ascii: "\""))
        }
        if Self.voidElements.contains(name) {
            text.append(contentsOf: " /".utf8)
        }
        text.append(UInt8(ascii: ">"))
        if capturing { capture.openTags.append(name) }
    }

    mutating func appendEndTag() {
        guard capturing, let name = capture.openTags.popLast() else { return }
        if Self.voidElements.contains(name) { return }
        text.append(contentsOf: "</".utf8)
        text.append(contentsOf: name.utf8)
        text.append(UInt8(ascii: ">"))
    }

    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]
}
