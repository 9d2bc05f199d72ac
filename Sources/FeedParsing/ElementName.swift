/// The element names the builder reacts to, lower-cased, as a small enum: computed once per
/// distinct name (libxml2 interns names), so each start tag is classified without string compares.
enum ElementName: UInt8, Sendable {
    case author, body, category, channel, content, contributor, creator, date, description, email, enclosure
    case encoded, entry, feed, guid, id, image, issued, item, language, lastbuilddate, link, modified, name
    case owner, pubdate, published, source, subject, subtitle, summary, tagline, textinput, title, updated
    case other

    private static let table: [String: ElementName] = {
        var t: [String: ElementName] = [:]
        for raw in 0..<ElementName.other.rawValue {
            let name = ElementName(rawValue: raw)!
            t[String(describing: name)] = name
        }
        return t
    }()

    /// The name for a lower-cased local name; ``other`` for names the builder ignores.
    init(lowercased name: String) {
        self = Self.table[name] ?? .other
    }
}
