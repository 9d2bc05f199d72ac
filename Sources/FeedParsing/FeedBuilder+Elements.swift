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
        func attr(_ name: String) -> String? {
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
                var e = EntryState(depth: depth)
                e.rdfAbout = attributes.value("about", in: .rdf)
                entry = e
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
        if entry != nil {
            handleEntryStart(local: local, ns: ns, attributes: attributes, attr: attr)
        } else {
            handleFeedStart(local: local, ns: ns, attributes: attributes, attr: attr)
        }
    }

    private mutating func handleFeedStart(local: ElementName, ns: Namespace, attributes: Attributes, attr: (String) -> String?) {
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

    private mutating func handleEntryStart(local: ElementName, ns: Namespace, attributes: Attributes, attr: (String) -> String?) {
        guard entry != nil else { return }
        switch (ns, local) {
        case (.rss, .title), (.atom, .title), (.dc, .title):
            if entry!.entry.title == nil { begin(.title, textMode(ns, attributes)) }
        case (.rss, .link), (.atom, .link):
            if let href = attr("href") {
                let rel = attr("rel")?.trimmingSpaces.lowercased() ?? "alternate"
                let url = resolve(href.trimmingSpaces) ?? href
                if rel == "alternate" {
                    if entry!.entry.link == nil { entry!.entry.link = url }
                } else if rel == "enclosure" {
                    entry!.entry.enclosures.append(Enclosure(url: url, type: attr("type"), length: attr("length")))
                }
            } else if entry!.entry.link == nil, (attr("rel")?.trimmingSpaces.lowercased() ?? "alternate") == "alternate" {
                begin(.link, .uri)
            }
        case (.rss, .guid):
            if entry!.guid == nil {
                entry!.isPermaLinkGUID = (attr("isPermaLink") ?? attr("ispermalink"))?.trimmingSpaces.lowercased() != "false"
                begin(.id, .uri)
            }
        case (.atom, .id), (.rss, .id):
            if entry!.entry.id == nil { begin(.id, .uri) }
        case (.rss, .pubdate), (.atom, .published), (.atom, .issued), (.rss, .published), (.rss, .issued),
            (.dcterms, .issued):
            if entry!.entry.published == nil { begin(.published, .uri) }
        case (.atom, .updated), (.atom, .modified), (.rss, .updated), (.rss, .modified), (.dc, .date),
            (.dcterms, .modified):
            if entry!.entry.updated == nil { begin(.updated, .uri) }
        case (.rss, .description), (.atom, .summary), (.rss, .summary), (.dc, .description):
            if entry!.entry.summary == nil { begin(.summary, textMode(ns, attributes)) }
        case (.itunes, .summary), (.media, .description):
            if entry!.entry.summary == nil, entry!.summaryFallback == nil { begin(.summaryFallback, .html) }
        case (.content, .encoded), (.atom, .content), (.rss, .content), (.xhtml, .body):
            if entry!.entry.content == nil {
                if ns == .xhtml {
                    begin(.content, .xhtml)
                } else if ns == .atom || ns == .rss, local == .content {
                    if attr("src") == nil { begin(.content, textMode(ns, attributes, isContent: true)) }
                } else {
                    begin(.content, .html)
                }
            }
        case (.rss, .author), (.dc, .creator), (.itunes, .author), (.dc, .author):
            if entry!.entry.author == nil { begin(.author, .html) }
        case (.rss, .category), (.atom, .category), (.dc, .subject):
            if let term = attr("term") {
                let t = term.trimmingSpaces
                if !t.isEmpty { entry!.entry.categories.append(t); entry!.entry.text.categories.append(t) }
            } else {
                begin(.category, .html)
            }
        case (.media, .title):
            if entry!.entry.title == nil, entry!.titleFallback == nil { begin(.titleFallback, .html) }
        case (.media, .category):
            begin(.category, .html)
        case (.itunes, .category):
            if let text = attr("text")?.trimmingSpaces, !text.isEmpty { entry!.entry.categories.append(text); entry!.entry.text.categories.append(text) }
        case (.rss, .enclosure):
            if let url = attr("url")?.trimmingSpaces, !url.isEmpty {
                entry!.entry.enclosures.append(Enclosure(url: resolve(url) ?? url, type: attr("type"), length: attr("length")))
            }
        default:
            break
        }
    }

    /// The capture mode of an element that may be an Atom text construct.
    func textMode(_ ns: Namespace, _ attributes: Attributes, isContent: Bool = false) -> Mode {
        guard ns == .atom || format == .atom10 || format == .atom03 else { return .html }
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
        text.removeAll(keepingCapacity: true)
        capture = Capture(target: target, mode: mode, depth: depth, base: currentBase)
    }

    /// Turns a finished capture into a value and stores it.
    mutating func finish(_ c: Capture) {
        var bytes = text
        switch c.mode {
        case .uri:
            store(c.target, String(decoding: trimmedBytes(bytes), as: UTF8.self), plain: nil)
            return
        case .base64:
            bytes = Base64.decode(bytes) ?? bytes
        case .html, .plain, .xhtml, .xhtmlWrapped:
            break
        }
        var scan = HTMLText.Scan(bytes)
        if scan.hasAmpersand {
            bytes = HTMLText.decodeEntities(bytes)
            scan = HTMLText.Scan(bytes)
        }
        if scan.hasC1 {
            bytes = HTMLText.repairC1(bytes)
            scan = HTMLText.Scan(bytes)
        }
        let trimmed = trimmedBytes(bytes)
        let value = String(decoding: trimmed, as: UTF8.self)
        var plain: String?
        switch c.target {
        case .title, .titleFallback, .summary, .summaryFallback, .content, .category:
            if scan.hasLessThan || scan.hasAmpersand {
                plain = HTMLText.plainText(trimmed)
            } else if scan.needsCollapse {
                plain = String(decoding: HTMLText.collapseWhitespace(Array(trimmed)), as: UTF8.self)
            } else {
                plain = value
            }
        default:
            break
        }
        store(c.target, value, plain: plain)
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
            guard entry != nil else { return }
            switch target {
            case .title:
                entry!.entry.title = value
                entry!.entry.text.title = plain ?? ""
            case .link: if !value.isEmpty { entry!.entry.link = resolve(value) ?? value }
            case .id:
                if entry!.guid == nil, entry!.entry.id == nil, !value.isEmpty {
                    entry!.entry.id = value
                    entry!.guid = value
                }
            case .published: entry!.entry.published = parseDate(value)
            case .updated: entry!.entry.updated = parseDate(value)
            case .summary:
                entry!.entry.summary = value
                entry!.entry.text.summary = plain ?? ""
            case .summaryFallback: entry!.summaryFallback = (value, plain ?? "")
            case .titleFallback: entry!.titleFallback = (value, plain ?? "")
            case .content:
                entry!.entry.content = value
                entry!.entry.text.content = plain ?? ""
            case .author: if !value.isEmpty { entry!.entry.author = value }
            case .category:
                if !value.isEmpty {
                    entry!.entry.categories.append(value)
                    entry!.entry.text.categories.append(plain ?? value)
                }
            default: break
            }
        }
    }

    func parseDate(_ value: String) -> Date? {
        guard !value.isEmpty else { return nil }
        return FeedDateParser.parse(value, defaultTimeZone: timeZone)
    }

    mutating func finishPerson(_ p: PersonState) {
        guard entry != nil, entry!.entry.author == nil else { return }
        switch (p.name, p.email) {
        case let (name?, _) where !name.isEmpty: entry!.entry.author = name
        case let (_, email?) where !email.isEmpty: entry!.entry.author = email
        default: break
        }
    }

    /// Completes the current entry in place and appends it.
    mutating func finishEntry() {
        guard entry != nil else { return }
        if entry!.entry.id == nil, let about = entry!.rdfAbout?.trimmingSpaces, !about.isEmpty { entry!.entry.id = about }
        if entry!.entry.link == nil, entry!.isPermaLinkGUID, let guid = entry!.guid,
            guid.utf8.contains(UInt8(ascii: ":")) || guid.utf8.first == UInt8(ascii: "/")
        {
            entry!.entry.link = resolve(guid) ?? guid
        }
        if entry!.entry.summary == nil, let (value, plain) = entry!.summaryFallback {
            (entry!.entry.summary, entry!.entry.text.summary) = (value, plain)
        }
        if entry!.entry.title == nil, let (value, plain) = entry!.titleFallback {
            (entry!.entry.title, entry!.entry.text.title) = (value, plain)
        }
        if entry!.entry.text.categories.count != entry!.entry.categories.count {
            entry!.entry.text.categories = entry!.entry.categories.map { HTMLText.plainText(Array($0.utf8)[...]) }
        }
        entries.append(entry.take()!.entry)
    }
}
