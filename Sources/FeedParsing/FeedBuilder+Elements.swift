#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NewsModel

extension FeedBuilder {
    /// Classifies a start tag outside any captured field.
    func handleStart(local original: String, namespace ns: Namespace, attributes: [Attribute]) {
        // Element names are matched case-insensitively, as feed readers do.
        let local = original.lowercased()
        func attr(_ name: String) -> String? {
            attributes.first { $0.name == name && $0.namespace != .xml }?.value
        }
        let core = ns == .rss || ns == .atom

        // Containers.
        if core {
            switch local {
            case "channel", "feed":
                return
            case "item", "entry":
                if entries.count >= configuration.maxEntries {
                    if entries.count == configuration.maxEntries {
                        diagnostics.append(FeedDiagnostic(message: "more than \(configuration.maxEntries) entries; the rest were dropped"))
                    }
                    ignoredDepth = depth
                    return
                }
                var e = EntryState(depth: depth)
                e.rdfAbout = attributes.first { $0.name == "about" && $0.namespace == .rdf }?.value
                entry = e
                return
            case "image", "textinput", "textinput_", "source", "contributor":
                ignoredDepth = depth
                return
            case "author" where ns == .atom || format == .atom10 || format == .atom03:
                person = PersonState(depth: depth)
                return
            default:
                break
            }
        }
        if ns == .itunes && local == "owner" {
            ignoredDepth = depth
            return
        }
        if person != nil {
            switch local {
            case "name": begin(.personName, .html)
            case "email": begin(.personEmail, .html)
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

    private func handleFeedStart(local: String, ns: Namespace, attributes: [Attribute], attr: (String) -> String?) {
        switch (ns, local) {
        case (.rss, "title"), (.atom, "title"), (.dc, "title"):
            if feed.title == nil { begin(.feedTitle, textMode(ns, attributes)) }
        case (.rss, "link"), (.atom, "link"):
            if let href = attr("href") {
                let rel = attr("rel")?.trimmingSpaces.lowercased() ?? "alternate"
                if rel == "alternate", feed.link == nil { feed.link = resolve(href.trimmingSpaces) }
            } else if feed.link == nil, (attr("rel")?.trimmingSpaces.lowercased() ?? "alternate") == "alternate" {
                begin(.feedLink, .uri)
            }
        case (.rss, "description"), (.atom, "subtitle"), (.atom, "tagline"), (.rss, "subtitle"), (.rss, "tagline"),
            (.dc, "description"):
            if feed.subtitle == nil { begin(.feedSubtitle, textMode(ns, attributes)) }
        case (.itunes, "subtitle"), (.itunes, "summary"):
            if feed.subtitle == nil, feedSubtitleFallback == nil { begin(.feedSubtitleFallback, .html) }
        case (.rss, "language"), (.dc, "language"):
            if feed.language == nil { begin(.feedLanguage, .uri) }
        case (.rss, "lastbuilddate"), (.atom, "updated"), (.atom, "modified"), (.rss, "updated"), (.rss, "modified"),
            (.dc, "date"), (.dcterms, "modified"):
            if feed.updated == nil { begin(.feedUpdated, .uri) }
        default:
            break
        }
    }

    private func handleEntryStart(local: String, ns: Namespace, attributes: [Attribute], attr: (String) -> String?) {
        guard let e = entry?.entry else { return }
        switch (ns, local) {
        case (.rss, "title"), (.atom, "title"), (.dc, "title"):
            if e.title == nil { begin(.title, textMode(ns, attributes)) }
        case (.rss, "link"), (.atom, "link"):
            if let href = attr("href") {
                let rel = attr("rel")?.trimmingSpaces.lowercased() ?? "alternate"
                let url = resolve(href.trimmingSpaces) ?? href
                if rel == "alternate" {
                    if e.link == nil { entry!.entry.link = url }
                } else if rel == "enclosure" {
                    entry!.entry.enclosures.append(Enclosure(url: url, type: attr("type"), length: attr("length")))
                }
            } else if e.link == nil, (attr("rel")?.trimmingSpaces.lowercased() ?? "alternate") == "alternate" {
                begin(.link, .uri)
            }
        case (.rss, "guid"):
            if entry!.guid == nil {
                entry!.isPermaLinkGUID = (attr("isPermaLink") ?? attr("ispermalink"))?.trimmingSpaces.lowercased() != "false"
                begin(.id, .uri)
            }
        case (.atom, "id"), (.rss, "id"):
            if e.id == nil { begin(.id, .uri) }
        case (.rss, "pubdate"), (.atom, "published"), (.atom, "issued"), (.rss, "published"), (.rss, "issued"),
            (.dcterms, "issued"):
            if e.published == nil { begin(.published, .uri) }
        case (.atom, "updated"), (.atom, "modified"), (.rss, "updated"), (.rss, "modified"), (.dc, "date"),
            (.dcterms, "modified"):
            if e.updated == nil { begin(.updated, .uri) }
        case (.rss, "description"), (.atom, "summary"), (.rss, "summary"), (.dc, "description"):
            if e.summary == nil { begin(.summary, textMode(ns, attributes)) }
        case (.itunes, "summary"), (.media, "description"):
            if e.summary == nil, entry!.summaryFallback == nil { begin(.summaryFallback, .html) }
        case (.content, "encoded"), (.atom, "content"), (.rss, "content"), (.xhtml, "body"):
            if e.content == nil {
                if ns == .xhtml {
                    begin(.content, .xhtml)
                } else if ns == .atom || ns == .rss, local == "content" {
                    if attr("src") == nil { begin(.content, textMode(ns, attributes, isContent: true)) }
                } else {
                    begin(.content, .html)
                }
            }
        case (.rss, "author"), (.dc, "creator"), (.itunes, "author"), (.dc, "author"):
            if e.author == nil { begin(.author, .html) }
        case (.rss, "category"), (.atom, "category"), (.dc, "subject"):
            if let term = attr("term") {
                let t = term.trimmingSpaces
                if !t.isEmpty { entry!.entry.categories.append(t) }
            } else {
                begin(.category, .html)
            }
        case (.media, "title"):
            if e.title == nil, entry!.titleFallback == nil { begin(.titleFallback, .html) }
        case (.media, "category"):
            begin(.category, .html)
        case (.itunes, "category"):
            if let text = attr("text")?.trimmingSpaces, !text.isEmpty { entry!.entry.categories.append(text) }
        case (.rss, "enclosure"):
            if let url = attr("url")?.trimmingSpaces, !url.isEmpty {
                entry!.entry.enclosures.append(Enclosure(url: resolve(url) ?? url, type: attr("type"), length: attr("length")))
            }
        default:
            break
        }
    }

    /// The capture mode of an element that may be an Atom text construct.
    func textMode(_ ns: Namespace, _ attributes: [Attribute], isContent: Bool = false) -> Mode {
        guard ns == .atom || format == .atom10 || format == .atom03 else { return .html }
        let type = attributes.first { $0.name == "type" && $0.namespace != .xml }?.value.trimmingSpaces.lowercased()
        let mode = attributes.first { $0.name == "mode" && $0.namespace != .xml }?.value.trimmingSpaces.lowercased()
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

    func begin(_ target: Target, _ mode: Mode) {
        capture = Capture(target: target, mode: mode, depth: depth, base: currentBase)
    }

    /// Turns a finished capture into a value and stores it.
    func finish(_ c: Capture) {
        var bytes = c.bytes
        switch c.mode {
        case .uri:
            let value = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            store(c.target, value, isURI: true)
            return
        case .base64:
            bytes = Base64.decode(bytes) ?? bytes
            bytes = HTMLText.decodeEntities(bytes)
        case .html, .plain, .xhtml, .xhtmlWrapped:
            bytes = HTMLText.decodeEntities(bytes)
        }
        bytes = HTMLText.repairC1(bytes)
        store(c.target, String(decoding: bytes, as: UTF8.self).trimmingSpaces, isURI: false)
    }

    private func store(_ target: Target, _ value: String, isURI: Bool) {
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
            case .title: entry!.entry.title = value
            case .link: if !value.isEmpty { entry!.entry.link = resolve(value) ?? value }
            case .id:
                if entry!.guid == nil, entry!.entry.id == nil, !value.isEmpty {
                    entry!.entry.id = value
                    entry!.guid = value
                }
            case .published: entry!.entry.published = parseDate(value)
            case .updated: entry!.entry.updated = parseDate(value)
            case .summary: entry!.entry.summary = value
            case .summaryFallback: entry!.summaryFallback = value
            case .titleFallback: entry!.titleFallback = value
            case .content: entry!.entry.content = value
            case .author: if !value.isEmpty { entry!.entry.author = value }
            case .category: if !value.isEmpty { entry!.entry.categories.append(value) }
            default: break
            }
        }
    }

    func parseDate(_ value: String) -> Date? {
        guard !value.isEmpty else { return nil }
        return FeedDateParser.parse(value, defaultTimeZone: timeZone)
    }

    func finishPerson(_ p: PersonState) {
        guard entry != nil, entry!.entry.author == nil else { return }
        switch (p.name, p.email) {
        case let (name?, _) where !name.isEmpty: entry!.entry.author = name
        case let (_, email?) where !email.isEmpty: entry!.entry.author = email
        default: break
        }
    }

    func finishEntry(_ state: EntryState) {
        var e = state.entry
        if e.id == nil, let about = state.rdfAbout?.trimmingSpaces, !about.isEmpty { e.id = about }
        if e.link == nil, state.isPermaLinkGUID, let guid = state.guid, guid.contains(":") || guid.hasPrefix("/") {
            e.link = resolve(guid) ?? guid
        }
        if e.summary == nil { e.summary = state.summaryFallback }
        if e.title == nil { e.title = state.titleFallback }
        e.text = ItemText(
            title: e.title.map(HTMLText.plainText) ?? "",
            summary: e.summary.map(HTMLText.plainText) ?? "",
            content: e.content.map(HTMLText.plainText) ?? "",
            categories: e.categories.map(HTMLText.plainText)
        )
        entries.append(e)
    }
}
