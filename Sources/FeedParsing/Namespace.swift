/// The vocabularies the parser understands, folded from their namespace URIs.
enum Namespace: Sendable {
    /// RSS 0.9x/1.0/2.0 elements (no namespace, or one of the RSS namespaces).
    case rss
    /// Atom 1.0 or 0.3.
    case atom
    case dc, dcterms, content, media, itunes, rdf, xhtml, xml, other

    /// Classifies a namespace URI, falling back to its usual prefix for unusual URIs.
    static func classify(uri: String?, prefix: String?) -> Namespace {
        guard let uri, !uri.isEmpty else { return .rss }
        let u = uri.lowercased()
        switch u {
        case "http://www.w3.org/2005/atom": return .atom
        case "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/elements/1.0/": return .dc
        case "http://purl.org/dc/terms/": return .dcterms
        case "http://purl.org/rss/1.0/modules/content/": return .content
        case "http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss": return .media
        case "http://www.itunes.com/dtds/podcast-1.0.dtd", "https://www.itunes.com/dtds/podcast-1.0.dtd": return .itunes
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": return .rdf
        case "http://www.w3.org/1999/xhtml": return .xhtml
        case "http://www.w3.org/xml/1998/namespace": return .xml
        case "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/", "http://backend.userland.com/rss2",
            "http://blogs.law.harvard.edu/tech/rss", "http://backend.userland.com/rss":
            return .rss
        default: break
        }
        if u.hasPrefix("http://purl.org/atom/ns#") || u.hasPrefix("http://www.w3.org/2005/atom") { return .atom }
        if u.hasPrefix("http://purl.org/rss/") || u.hasPrefix("http://my.netscape.com/rdf/") { return .rss }
        switch prefix?.lowercased() {
        case "dc": return .dc
        case "dcterms": return .dcterms
        case "content": return .content
        case "media": return .media
        case "itunes": return .itunes
        case "atom": return .atom
        case "rdf": return .rdf
        default: return .other
        }
    }
}
