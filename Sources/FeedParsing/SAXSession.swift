internal import CLibXML2

/// One libxml2 SAX push-parser run over a UTF-8 document, feeding a ``FeedBuilder``.
///
/// Installs only its own callbacks on a zeroed handler: no DTD loading, no external entities, no
/// network. Declared entities follow the configured ``FeedParserConfiguration/EntityPolicy``; HTML
/// named entities resolve through libxml2's HTML table without recursion.
final class SAXSession {
    struct Failure {
        var code: FeedParserError.Code
        var message: String
        var line: Int?
        var column: Int?
    }

    /// The builder lives behind a pointer: callbacks mutate it without dynamic exclusivity checks.
    let builderStorage: UnsafeMutablePointer<FeedBuilder>
    var builder: FeedBuilder { builderStorage.pointee }
    let configuration: FeedParserConfiguration
    var ctxt: xmlParserCtxtPtr?
    /// Why the parse was stopped by a limit (depth, entities), if it was.
    var stopReason: Failure?
    /// The first error libxml2 reported.
    var firstError: Failure?
    var errorCount = 0
    /// Holds the synthetic entities returned by `getEntity`; freed with the session.
    var entityDocument: xmlDocPtr?
    var entityCache: [String: xmlEntityPtr] = [:]
    /// Holds the entities returned inside attribute values (see ``resolveEntity(_:)``); freed with the session.
    var referenceDocument: xmlDocPtr?
    var referenceCache: [String: xmlEntityPtr] = [:]
    var declaredEntities: [String: String] = [:]
    var expandedBytes = 0
    var namespaceCache: [UnsafeRawPointer: Namespace] = [:]
    /// Element and attribute names are interned in the parser's dictionary: one String per pointer.
    var nameCache: [UnsafeRawPointer: (String, ElementName)] = [:]
    /// A direct-mapped front for ``nameCache`` and ``namespaceCache``: one pointer compare per hit.
    let nameSlots: UnsafeMutablePointer<NameSlot>
    let namespaceSlots: UnsafeMutablePointer<NamespaceSlot>
    static let slotCount = 256

    struct NameSlot {
        var key: UnsafeRawPointer?
        var name: String
        var element: ElementName
    }

    struct NamespaceSlot {
        var key: UnsafeRawPointer?
        var namespace: Namespace
    }

    @inline(__always) static func slot(_ p: UnsafeRawPointer) -> Int {
        let a = UInt64(UInt(bitPattern: p))
        return Int(truncatingIfNeeded: (a &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    init(builder: FeedBuilder, configuration: FeedParserConfiguration) {
        builderStorage = .allocate(capacity: 1)
        builderStorage.initialize(to: builder)
        nameSlots = .allocate(capacity: Self.slotCount)
        nameSlots.initialize(repeating: NameSlot(key: nil, name: "", element: .other), count: Self.slotCount)
        namespaceSlots = .allocate(capacity: Self.slotCount)
        namespaceSlots.initialize(repeating: NamespaceSlot(key: nil, namespace: .other), count: Self.slotCount)
        self.configuration = configuration
    }

    deinit {
        builderStorage.pointee.text.deallocate()
        builderStorage.deinitialize(count: 1)
        builderStorage.deallocate()
        nameSlots.deinitialize(count: Self.slotCount)
        nameSlots.deallocate()
        namespaceSlots.deinitialize(count: Self.slotCount)
        namespaceSlots.deallocate()
        if let entityDocument { xmlFreeDoc(entityDocument) }
        if let referenceDocument { xmlFreeDoc(referenceDocument) }
    }

    /// Parses `bytes`; returns whether the document was well-formed (and not stopped).
    func run(_ bytes: [UInt8], name: String, recover: Bool) -> Bool {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = saxStartElement
        handler.endElementNs = saxEndElement
        handler.characters = saxCharacters
        handler.cdataBlock = saxCDATA
        handler.ignorableWhitespace = saxCharacters
        handler.getEntity = saxGetEntity
        handler.entityDecl = saxEntityDecl
        handler.serror = saxError

        builderStorage.pointee.trustUTF8 = !recover
        newsmon_xml_silence_generic_errors()
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&handler, me, nil, 0, name) else { return false }
        self.ctxt = ctxt
        defer {
            // Even in SAX mode libxml2 builds a document for an internal subset's entity declarations
            // ("expat compatibility"); the context does not own it (found by scripts/fuzz.sh feed).
            if let document = ctxt.pointee.myDoc {
                xmlFreeDoc(document)
                ctxt.pointee.myDoc = nil
            }
            xmlFreeParserCtxt(ctxt)
            self.ctxt = nil
        }
        // No XML_PARSE_NOCDATA: it clears `cdataBlock`, and CDATA must reach `saxCDATA` (see UTF8Text).
        var options = XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue
        if recover { options |= XML_PARSE_RECOVER.rawValue }
        _ = xmlCtxtUseOptions(ctxt, Int32(options))
        _ = xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)

        let chunk = 1 << 20
        withExtendedLifetime(self) {
            bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count, stopReason == nil {
                    let n = min(chunk, buffer.count - offset)
                    let p = UnsafeRawPointer(buffer.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                    let rc = xmlParseChunk(ctxt, p, Int32(n), 0)
                    offset += n
                    if rc != 0 && !recover && ctxt.pointee.disableSAX != 0 { break }
                    if ctxt.pointee.instate == XML_PARSER_EOF { break }
                }
                if stopReason == nil { _ = xmlParseChunk(ctxt, nil, 0, 1) }
            }
        }
        return ctxt.pointee.wellFormed != 0 && stopReason == nil && firstError == nil
    }

    func stop(_ code: FeedParserError.Code, _ message: String) {
        guard stopReason == nil else { return }
        var line: Int?, column: Int?
        if let ctxt, let input = ctxt.pointee.input {
            line = Int(input.pointee.line)
            column = Int(input.pointee.col)
        }
        stopReason = Failure(code: code, message: message, line: line, column: column)
        if let ctxt { xmlStopParser(ctxt) }
    }

    func name(_ p: UnsafePointer<xmlChar>) -> (String, ElementName) {
        let key = UnsafeRawPointer(p)
        let slot = nameSlots + Self.slot(key)
        if slot.pointee.key == key { return (slot.pointee.name, slot.pointee.element) }
        let entry: (String, ElementName)
        if let cached = nameCache[key] {
            entry = cached
        } else {
            let name = String(cString: p)
            entry = (name, ElementName(lowercased: name.lowercased()))
            nameCache[key] = entry
        }
        slot.pointee = NameSlot(key: key, name: entry.0, element: entry.1)
        return entry
    }

    func namespace(_ uri: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?) -> Namespace {
        guard let uri else { return .rss }
        let key = UnsafeRawPointer(uri)
        let slot = namespaceSlots + Self.slot(key)
        if slot.pointee.key == key { return slot.pointee.namespace }
        let ns: Namespace
        if let cached = namespaceCache[key] {
            ns = cached
        } else {
            ns = Namespace.classify(uri: String(cString: uri), prefix: prefix.map { String(cString: $0) })
            namespaceCache[key] = ns
        }
        slot.pointee = NamespaceSlot(key: key, namespace: ns)
        return ns
    }

    /// Overrides the namespace of `uri` (a feed root in an unknown namespace).
    func setNamespace(_ ns: Namespace, for uri: UnsafePointer<xmlChar>) {
        let key = UnsafeRawPointer(uri)
        namespaceCache[key] = ns
        namespaceSlots[Self.slot(key)] = NamespaceSlot(key: key, namespace: ns)
    }

    /// An entity whose content libxml2 emits verbatim (tagged predefined, so never re-parsed).
    func literalEntity(name: String, content: String) -> xmlEntityPtr? {
        if let cached = entityCache[name] { return cached }
        if entityDocument == nil {
            entityDocument = xmlNewDoc("1.0")
            _ = xmlCreateIntSubset(entityDocument, "entities", nil, nil)
        }
        guard let ent = xmlAddDocEntity(entityDocument, name, Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue), nil, nil, content)
        else { return nil }
        ent.pointee.etype = XML_INTERNAL_PREDEFINED_ENTITY
        entityCache[name] = ent
        return ent
    }

    /// An entity that libxml2 keeps as its reference, `&name;`, in an attribute value (a general entity,
    /// not substituted without `XML_PARSE_NOENT`); ``FeedBuilder/Attributes`` decodes it.
    func referenceEntity(name: String) -> xmlEntityPtr? {
        if let cached = referenceCache[name] { return cached }
        if referenceDocument == nil {
            referenceDocument = xmlNewDoc("1.0")
            _ = xmlCreateIntSubset(referenceDocument, "references", nil, nil)
        }
        guard let ent = xmlAddDocEntity(referenceDocument, name, Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue), nil, nil, "")
        else { return nil }
        referenceCache[name] = ent
        return ent
    }

    /// The entity for `&name;`: a declared one's text, an HTML character, or the reference as written.
    ///
    /// In an attribute value libxml2 copies only the first byte of a predefined entity's text (it expects
    /// `&lt;` and its like), which cut `&nbsp;` to half a UTF-8 sequence and a declared `&site;` to its first
    /// letter (found by `scripts/fuzz.sh feed` in a debug build); there the reference is kept instead, and
    /// ``FeedBuilder/Attributes`` expands it with ``expandingDeclaredEntities(_:)`` and the HTML table.
    func resolveEntity(_ name: String) -> xmlEntityPtr? {
        let inAttribute = ctxt?.pointee.instate == XML_PARSER_ATTRIBUTE_VALUE
        if let declared = declaredEntities[name] {
            expandedBytes += declared.utf8.count
            if expandedBytes > configuration.maxEntityExpansionBytes {
                stop(.entityRefused, "entity expansion exceeds \(configuration.maxEntityExpansionBytes) bytes")
                return nil
            }
            return inAttribute ? referenceEntity(name: name) : literalEntity(name: name, content: declared)
        }
        if inAttribute { return referenceEntity(name: name) }
        if let value = HTMLText.namedEntity(ArraySlice(name.utf8)), let scalar = Unicode.Scalar(value) {
            return literalEntity(name: name, content: String(Character(scalar)))
        }
        // Unknown entity: keep the reference as written.
        return literalEntity(name: name, content: "&\(name);")
    }
}

extension SAXSession {
    /// `bytes` with every `&name;` of a declared entity replaced by its text (references kept in attribute
    /// values, see ``resolveEntity(_:)``). The text holds no `&` (``FeedParserConfiguration/EntityPolicy``),
    /// so nothing it brings is decoded again.
    func expandingDeclaredEntities(_ bytes: [UInt8]) -> [UInt8] {
        guard !declaredEntities.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "&"), let end = bytes[(i + 1)...].prefix(64).firstIndex(of: UInt8(ascii: ";")),
                let text = declaredEntities[String(decoding: bytes[(i + 1)..<end], as: UTF8.self)]
            {
                out += text.utf8
                i = end + 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}

@inline(__always) private func session(_ ctx: UnsafeMutableRawPointer?) -> SAXSession {
    Unmanaged<SAXSession>.fromOpaque(ctx!).takeUnretainedValue()
}

private let saxStartElement: startElementNsSAX2Func = { ctx, localname, prefix, uri, _, _, nbAttributes, _, attributes in
    Unmanaged<SAXSession>.fromOpaque(ctx!)._withUnsafeGuaranteedRef { s in
        if s.builderStorage.pointee.depth + 1 > s.configuration.maxDepth {
            s.stop(.tooDeep, "elements nest deeper than \(s.configuration.maxDepth)")
            return
        }
        guard let localname else { return }
        let (local, elementName) = s.name(localname)
        var ns = s.namespace(uri, prefix)
        if !s.builderStorage.pointee.sawRoot, ns == .other, let uri, ["feed", "rss", "channel", "RDF"].contains(local) {
            // A feed root in an unknown namespace: read that namespace as the feed vocabulary.
            ns = local == "feed" ? .atom : .rss
            s.setNamespace(ns, for: uri)
        }
        let attrs = FeedBuilder.Attributes(raw: attributes, count: Int(nbAttributes), session: s)
        s.builderStorage.pointee.startElement(local: local, name: elementName, namespace: ns, attributes: attrs)
    }
}

private let saxEndElement: endElementNsSAX2Func = { ctx, _, _, _ in
    Unmanaged<SAXSession>.fromOpaque(ctx!)._withUnsafeGuaranteedRef { $0.builderStorage.pointee.endElement() }
}

private let saxCharacters: charactersSAXFunc = { ctx, ch, len in
    guard let ch, len > 0 else { return }
    let text = UnsafeBufferPointer(start: UnsafeRawPointer(ch).assumingMemoryBound(to: UInt8.self), count: Int(len))
    Unmanaged<SAXSession>.fromOpaque(ctx!)._withUnsafeGuaranteedRef { $0.builderStorage.pointee.characters(text) }
}

private let saxCDATA: cdataBlockSAXFunc = { ctx, ch, len in
    guard let ch, len > 0 else { return }
    let text = UnsafeBufferPointer(start: UnsafeRawPointer(ch).assumingMemoryBound(to: UInt8.self), count: Int(len))
    Unmanaged<SAXSession>.fromOpaque(ctx!)._withUnsafeGuaranteedRef { $0.builderStorage.pointee.cdata(text) }
}

private let saxGetEntity: getEntitySAXFunc = { ctx, name in
    guard let name else { return nil }
    return session(ctx).resolveEntity(String(cString: name))
}

private let saxEntityDecl: entityDeclSAXFunc = { ctx, name, type, _, _, content in
    let s = session(ctx)
    switch s.configuration.entityPolicy {
    case .refuse:
        s.stop(.entityRefused, "entity declarations are refused")
    case .ignore:
        break
    case .expandSimple:
        guard let name, let content, type == Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue) else { return }
        let value = String(cString: content)
        let utf8 = value.utf8
        guard utf8.count <= 1024, !utf8.contains(UInt8(ascii: "&")), !utf8.contains(UInt8(ascii: "%")),
            !utf8.contains(UInt8(ascii: "<")), s.declaredEntities.count < 256
        else { return }
        let key = String(cString: name)
        if s.declaredEntities[key] == nil { s.declaredEntities[key] = value }
    }
}

private let saxError: xmlStructuredErrorFunc = { ctx, error in
    guard let ctx, let error else { return }
    let s = session(ctx)
    guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    s.errorCount += 1
    if s.firstError == nil {
        var message = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        s.firstError = SAXSession.Failure(
            code: .malformed, message: message, line: error.pointee.line > 0 ? Int(error.pointee.line) : nil,
            column: error.pointee.int2 > 0 ? Int(error.pointee.int2) : nil)
    }
}
