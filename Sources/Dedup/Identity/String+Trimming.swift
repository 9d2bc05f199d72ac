extension String {
    /// The string without leading and trailing white space and newlines (Unicode `White_Space`).
    ///
    /// Foundation's `trimmingCharacters(in:)` bridges through `NSString` on Linux; this runs for every
    /// item's id and link.
    var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(Substring(scalars[first...last]))
    }
}
