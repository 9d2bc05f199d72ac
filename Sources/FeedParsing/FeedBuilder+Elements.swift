#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NewsModel

extension FeedBuilder {
    /// Classifies a start tag outside any captured field.
    /// `local` is the lower-cased local name: element names match case-insensitively, as in feed readers.
    mutating func handleStart(local: ElementName, namespace ns: Namespace, attributes: Attributes) {
        if local == .other { return }
        func attr(_ name: StaticString) -> String? {
            attributes.value(name)
        }
        let core = ns == .rss || ns == .atom

        // Containers.
        if core {
            switch local {
            case .channel, .feed:
                return
            case .item, .entry:
                if entries.count >= configuration.maxEntries {
                    if entries.count == configuration.maxEntries {
                        diagnostics.append(FeedDiagnostic(message: "more than \(configuration.maxEntries) entries; the rest were dropped"))
                    }
                    ignoredDepth = depth
                    return
                }
                entryState.reset(depth: depth)
                entryState.rdfAbout = attributes.value("about", in: .rdf)
                inEntry = true
                return
            case .image, .textinput, .source, .contributor:
                ignoredDepth = depth
                return
            case .author where ns == .atom || format == .atom10 || format == .atom03:
                person = PersonState(depth: depth)
                return
            default:
                break
            }
        }
        if ns == .itunes && local == .owner {
            ignoredDepth = depth
            return
        }
        if person != nil {
            switch local {
            case .name: begin(.personName, .html)
            case .email: begin(.personEmail, .html)
            default: break
            }
            return
        }
        if inEntry {
            handleEntryStart(local: local, ns: ns, attributes: attributes, attr: attr)
        } else {
            handleFeedStart(local: local, ns: ns, attributes: attributes, attr: attr)
        }
    }

    private mutating func handleFeedStart(local: ElementName, ns: Namespace, attributes: Attributes, attr: (StaticString) -> String?) {
        switch (ns, local) {
        case (.rss, .title), (.atom, .title), (.dc, .title):
            if feed.title == nil { begin(.feedTitle, textMode(ns, attributes)) }
        case (.rss, .link), (.atom, .link):
            if let href = attr("href") {
                let rel = attr("rel")?.trimmingSpaces.lowercased() ?? "alternate"
                if rel == "alternate", feed.link == nil { feed.link = resolve(href.trimmingSpaces) }
            } else if feed.link == nil, (attr("rel")?.trimmingSpaces.lowercased() ?? "alternate") == "alternate" {
                begin(.feedLink, .uri)
            }
        case (.rss, .description), (.atom, .subtitle), (.atom, .tagline), (.rss, .subtitle), (.rss, .tagline),
            (.dc, .description):
            if feed.subtitle == nil { begin(.feedSubtitle, textMode(ns, attributes)) }
        case (.itunes, .subtitle), (.itunes, .summary):
            if feed.subtitle == nil, feedSubtitleFallback == nil { begin(.feedSubtitleFallback, .html) }
        case (.rss, .language), (.dc, .language):
            if feed.language == nil { begin(.feedLanguage, .uri) }
        case (.rss, .lastbuilddate), (.atom, .updated), (.atom, .modified), (.rss, .updated), (.rss, .modified),
            (.dc, .date), (.dcterms, .modified):
            if feed.updated == nil { begin(.feedUpdated, .uri) }
        default:
            break
        }
    }

    private mutating func handleEntryStart(local: ElementName, ns: Namespace, attributes: Attributes, attr: (StaticString) -> String?) {
        guard inEntry else { return }
        switch (ns, local) {
        case (.rss, .title), (.atom, .title), (.dc, .title):
            if current.title == nil { begin(.title, textMode(ns, attributes)) }
        case (.rss, .link), (.atom, .link):
            if let href = attr("href") {
                let url = resolve(href.trimmingSpaces) ?? href
                if attributes.value("rel", is: "alternate") ?? true {
                    if current.link == nil { current.link = url }
                } else if attributes.value("rel", is: "enclosure") == true {
                    current.enclosures.append(Enclosure(url: url, type: attr("type"), length: attr("length")))
                }
            } else if current.link == nil, attributes.value("rel", is: "alternate") ?? true {
                begin(.link, .uri)
            }
        case (.rss, .guid):
            if entryState.guid == nil {
                let isFalse = attributes.value("isPermaLink", is: "false") ?? attributes.value("ispermalink", is: "false")
                entryState.isPermaLinkGUID = isFalse != true
                begin(.id, .uri)
            }
        case (.atom, .id), (.rss, .id):
            if current.id == nil { begin(.id, .uri) }
        case (.rss, .pubdate), (.atom, .published), (.atom, .issued), (.rss, .published), (.rss, .issued),
            (.dcterms, .issued):
            if current.published == nil { begin(.published, .uri) }
        case (.atom, .updated), (.atom, .modified), (.rss, .updated), (.rss, .modified), (.dc, .date),
            (.dcterms, .modified):
            if current.updated == nil { begin(.updated, .uri) }
        case (.rss, .description), (.atom, .summary), (.rss, .summary), (.dc, .description):
            if current.summary == nil { begin(.summary, textMode(ns, attributes)) }
        case (.itunes, .summary), (.media, .description):
            if current.summary == nil, entryState.summaryFallback == nil { begin(.summaryFallback, .html) }
        case (.content, .encoded), (.atom, .content), (.rss, .content), (.xhtml, .body):
            if current.content == nil {
                if ns == .xhtml {
                    begin(.content, .xhtml)
                } else if ns == .atom || ns == .rss, local == .content {
                    if attr("src") == nil { begin(.content, textMode(ns, attributes, isContent: true)) }
                } else {
                    begin(.content, .html)
                }
            }
        case (.rss, .author), (.dc, .creator), (.itunes, .author), (.dc, .author):
            if current.author == nil { begin(.author, .html) }
        case (.rss, .category), (.atom, .category), (.dc, .subject):
            if let term = attr("term") {
                let t = term.trimmingSpaces
                if !t.isEmpty { appendCategory(t, plain: t) }
            } else {
                begin(.category, .html)
            }
        case (.media, .title):
            if current.title == nil, entryState.titleFallback == nil { begin(.titleFallback, .html) }
        case (.media, .category):
            begin(.category, .html)
        case (.itunes, .category):
            if let text = attr("text")?.trimmingSpaces, !text.isEmpty { appendCategory(text, plain: text) }
        case (.rss, .enclosure):
            if let url = attr("url")?.trimmingSpaces, !url.isEmpty {
                current.enclosures.append(Enclosure(url: resolve(url) ?? url, type: attr("type"), length: attr("length")))
            }
        default:
            break
        }
    }

    /// The capture mode of an element that may be an Atom text construct.
    func textMode(_ ns: Namespace, _ attributes: Attributes, isContent: Bool = false) -> Mode {
        guard ns == .atom || format == .atom10 || format == .atom03 else { return .html }
        // The common cases without making strings: no attributes, or just type="html".
        if attributes.isEmpty { return .plain }
        if !attributes.has("mode"), attributes.value("type", is: "html") == true { return .html }
        let type = attributes.value("type")?.trimmingSpaces.lowercased()
        let mode = attributes.value("mode")?.trimmingSpaces.lowercased()
        switch mode {
        case "base64": return .base64
        case "escaped": return .html
        case "xml": return .xhtml
        default: break
        }
        switch type {
        case nil, "", "text", "text/plain":
            return .plain
        case "html", "text/html":
            return .html
        case "xhtml":
            return .xhtmlWrapped
        case "application/xhtml+xml":
            return .xhtml
        case let t?:
            if t.hasSuffix("+xml") || t.hasSuffix("/xml") { return .xhtml }
            if t.hasPrefix("text/") { return .plain }
            return .base64
        }
    }

    mutating func begin(_ target: Target, _ mode: Mode) {
        text.removeAll()
        capture = Capture(target: target, mode: mode, depth: depth)
        capturing = true
    }

    /// Turns a finished capture into a value and stores it.
    mutating func finish(target: Target, mode: Mode) {
        // The collected bytes stay in the reused buffer (no copy); they are only read here.
        let bytes = text.bytes
        // A truncated field may end inside a character; base64 payloads are arbitrary bytes; CDATA may
        // hold overlong forms.
        let trusted = trustUTF8 && !capture.isTruncated && !capture.hasOverlongUTF8
        switch mode {
        case .uri:
            let trimmed = Self.trimmed(bytes)
            switch target {
            case .feedUpdated, .published, .updated:
                let date = trimmed.isEmpty ? nil : FeedDateParser.parse(utf8: trimmed, defaultTimeZone: timeZone)
                switch target {
                case .feedUpdated: feed.updated = date
                case .published: if inEntry { current.published = date }
                default: if inEntry { current.updated = date }
                }
            default:
                store(target, UTF8Text.string(trimmed, trusted: trusted), plain: nil)
            }
        case .base64:
            let decoded = Base64.decode(Array(bytes)) ?? Array(bytes)
            decoded.withUnsafeBufferPointer { finishText(target: target, bytes: $0, trusted: false) }
        case .html, .plain, .xhtml, .xhtmlWrapped:
            finishText(target: target, bytes: bytes, trusted: trusted)
        }
    }

    /// `bytes` with ASCII whitespace trimmed at both ends.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, isSpaceByte(bytes[start]) { start += 1 }
        while end > start, isSpaceByte(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// A text value: entity-decoded once, C1 characters repaired, trimmed, and its plain text.
    private mutating func finishText(target: Target, bytes: UnsafeBufferPointer<UInt8>, trusted: Bool) {
        let trimmed = Self.trimmed(bytes)
        var scan = HTMLText.Scan(UnsafeRawBufferPointer(trimmed))
        let needsDecoding = scan.hasAmpersand && HTMLText.hasReference(trimmed)
        guard needsDecoding || scan.hasC1 else {
            store(target, trimmed, scan: scan, trusted: trusted)
            return
        }
        // The rarer paths work on a copy (decoding never grows text; trimming first changes nothing).
        var owned = Array(trimmed)
        if needsDecoding {
            owned = HTMLText.decodeEntities(owned)
            scan = HTMLText.Scan(owned)
        }
        if scan.hasC1 { owned = HTMLText.repairC1(owned) }
        owned.withUnsafeBufferPointer { p in
            let again = Self.trimmed(p)
            store(target, again, scan: HTMLText.Scan(UnsafeRawBufferPointer(again)), trusted: trusted)
        }
    }

    /// Creates the value of trimmed, decoded `bytes` (and its plain text for the text fields) and stores it.
    private mutating func store(_ target: Target, _ trimmed: UnsafeBufferPointer<UInt8>, scan: HTMLText.Scan, trusted: Bool) {
        let value = UTF8Text.string(trimmed, trusted: trusted, isASCII: scan.isASCII)
        var plain: String?
        switch target {
        case .title, .titleFallback, .summary, .summaryFallback, .content, .category:
            if scan.hasLessThan || scan.hasAmpersand {
                plain = HTMLText.plainText(of: value, scan: scan)
            } else if scan.needsCollapse {
                plain = UTF8Text.string(HTMLText.collapseWhitespace(Array(trimmed)), trusted: trusted)
            } else {
                plain = value
            }
        default:
            break
        }
        store(target, value, plain: plain)
    }

    private mutating func store(_ target: Target, _ value: String, plain: String?) {
        switch target {
        case .feedTitle: feed.title = value
        case .feedLink: if !value.isEmpty { feed.link = resolve(value) ?? value }
        case .feedSubtitle: feed.subtitle = value
        case .feedSubtitleFallback: feedSubtitleFallback = value
        case .feedLanguage: if !value.isEmpty { feed.language = value }
        case .feedUpdated: feed.updated = parseDate(value)
        case .personName: person?.name = value
        case .personEmail: person?.email = value
        default:
            guard inEntry else { return }
            switch target {
            case .title:
                current.title = value
                current.text.title = plain ?? ""
            case .link: if !value.isEmpty { current.link = resolve(value) ?? value }
            case .id:
                if entryState.guid == nil, current.id == nil, !value.isEmpty {
                    current.id = value
                    entryState.guid = value
                }
            case .published: current.published = parseDate(value)
            case .updated: current.updated = parseDate(value)
            case .summary:
                current.summary = value
                current.text.summary = plain ?? ""
            case .summaryFallback: entryState.summaryFallback = (value, plain ?? "")
            case .titleFallback: entryState.titleFallback = (value, plain ?? "")
            case .content:
                current.content = value
                current.text.content = plain ?? ""
            case .author: if !value.isEmpty { current.author = value }
            case .category:
                if !value.isEmpty { appendCategory(value, plain: plain ?? value) }
            default: break
            }
        }
    }

    /// Appends a category and its plain text. While every plain text is its value, only `categories`
    /// is filled and `text.categories` shares its storage when the entry ends (one array, not two).
    mutating func appendCategory(_ value: String, plain: String) {
        if !entryState.categoryTextDiffers {
            if plain == value {
                if current.categories.isEmpty { current.categories = [value] } else { current.categories.append(value) }
                return
            }
            entryState.categoryTextDiffers = true
            current.text.categories = current.categories
        }
        current.categories.append(value)
        current.text.categories.append(plain)
    }

    func parseDate(_ value: String) -> Date? {
        guard !value.isEmpty else { return nil }
        return FeedDateParser.parse(value, defaultTimeZone: timeZone)
    }

    mutating func finishPerson(_ p: PersonState) {
        guard inEntry, current.author == nil else { return }
        switch (p.name, p.email) {
        case let (name?, _) where !name.isEmpty: current.author = name
        case let (_, email?) where !email.isEmpty: current.author = email
        default: break
        }
    }

    /// Completes the current entry in place and appends it.
    mutating func finishEntry() {
        guard inEntry else { return }
        if current.id == nil, let about = entryState.rdfAbout?.trimmingSpaces, !about.isEmpty { current.id = about }
        if current.link == nil, entryState.isPermaLinkGUID, let guid = entryState.guid,
            guid.utf8.contains(UInt8(ascii: ":")) || guid.utf8.first == UInt8(ascii: "/")
        {
            current.link = resolve(guid) ?? guid
        }
        if current.summary == nil, let (value, plain) = entryState.summaryFallback {
            (current.summary, current.text.summary) = (value, plain)
        }
        if current.title == nil, let (value, plain) = entryState.titleFallback {
            (current.title, current.text.title) = (value, plain)
        }
        if !entryState.categoryTextDiffers { current.text.categories = current.categories }
        if current.text.categories.count != current.categories.count {
            current.text.categories = current.categories.map { HTMLText.plainText(Array($0.utf8)[...]) }
        }
        inEntry = false
        var done = emptyEntry
        swap(&done, &current)
        entries.append(done)
    }
}
