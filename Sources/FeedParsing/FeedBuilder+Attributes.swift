internal import CLibXML2
#if canImport(Glibc)
internal import Glibc
#endif

extension FeedBuilder {
    /// The attributes of a start tag, read lazily from libxml2's SAX2 array: no String is made
    /// for an attribute nobody asks for.
    struct Attributes {
        let raw: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
        let count: Int
        unowned(unsafe) let session: SAXSession

        var isEmpty: Bool { count == 0 }

        /// The value of the attribute `name` outside the `xml:` namespace.
        func value(_ name: StaticString) -> String? {
            raw(name).map(decodedValue)
        }

        /// The value of the attribute `name` in namespace `ns` (`xml:base`, `rdf:about`).
        func value(_ name: StaticString, in ns: Namespace) -> String? {
            guard count > 0, let raw else { return nil }
            let wanted = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            for k in 0..<count {
                let base = raw + 5 * k
                guard base[2] != nil, let local = base[0],
                    strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), wanted) == 0,
                    session.namespace(base[2], base[1]) == ns
                else { continue }
                return decodedValue(base)
            }
            return nil
        }

        /// Whether the attribute `name` (outside the `xml:` namespace) is present.
        func has(_ name: StaticString) -> Bool {
            raw(name) != nil
        }

        /// Whether the value of the attribute `name`, trimmed and lower-cased, is `lowercased`; nil when
        /// the attribute is absent. No `String` is made unless the value holds a reference.
        func value(_ name: StaticString, is lowercased: StaticString) -> Bool? {
            guard let base = raw(name) else { return nil }
            guard let begin = base[3], let end = base[4] else { return lowercased.utf8CodeUnitCount == 0 }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(begin).assumingMemoryBound(to: UInt8.self), count: end - begin)
            if bytes.contains(UInt8(ascii: "&")) {
                return decodedValue(base).trimmingSpaces.lowercased() == lowercased.description
            }
            let trimmed = FeedBuilder.trimmed(bytes)
            guard trimmed.count == lowercased.utf8CodeUnitCount else { return false }
            let wanted = UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount)
            for k in 0..<trimmed.count {
                let b = trimmed[k]
                let folded = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
                if folded != wanted[k] { return false }
            }
            return true
        }

        /// The libxml2 attribute record of `name` outside the `xml:` namespace.
        private func raw(_ name: StaticString) -> UnsafeMutablePointer<UnsafePointer<xmlChar>?>? {
            guard count > 0, let raw else { return nil }
            let wanted = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            for k in 0..<count {
                let base = raw + 5 * k
                guard let local = base[0], strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), wanted) == 0
                else { continue }
                if base[2] != nil, session.namespace(base[2], base[1]) == .xml { continue }
                return base
            }
            return nil
        }

        /// Every attribute, decoded (for serialising markup).
        var all: [Attribute] {
            guard count > 0, let raw else { return [] }
            return (0..<count).compactMap { k in
                let base = raw + 5 * k
                guard let local = base[0] else { return nil }
                return Attribute(
                    name: session.name(local).0, namespace: session.namespace(base[2], base[1]),
                    value: decodedValue(base))
            }
        }

        /// Whether any attribute is in a namespace (only those can be `xml:base` / `xml:lang`).
        var hasNamespacedAttribute: Bool {
            guard count > 0, let raw else { return false }
            return (0..<count).contains { raw[5 * $0 + 2] != nil }
        }

        /// Attribute values arrive with character references for `&` (`&#38;`) and entity references
        /// (`&nbsp;`, a declared `&site;`; see ``SAXSession/resolveEntity(_:)``) still in place.
        /// Valid UTF-8 is taken on trust in a strict pass (see ``UTF8Text``).
        func decodedValue(_ base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>) -> String {
            guard let begin = base[3], let end = base[4] else { return "" }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(begin).assumingMemoryBound(to: UInt8.self), count: end - begin)
            let trusted = session.builderStorage.pointee.trustUTF8
            if memchr(UnsafeRawPointer(begin), 0x26, bytes.count) != nil {
                let expanded = session.expandingDeclaredEntities(Array(bytes))
                return UTF8Text.string(HTMLText.decodeEntities(expanded), trusted: trusted)
            }
            return UTF8Text.string(bytes, trusted: trusted)
        }
    }
}
