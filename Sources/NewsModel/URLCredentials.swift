/// Credentials in feed URLs (`https://user:secret@host/feed`): sent, never written.
///
/// The fetcher uses the URL as configured (libcurl sends the user info as Basic auth, to that host
/// only). Everything newsmon writes — log lines, `status`, error messages, alerts (`feed_url`), the
/// spool, base URLs for a feed's relative links — shows ``stripped(_:)`` instead.
public enum URLCredentials {
    /// `url` without its user info: `https://user:secret@host/feed` → `https://host/feed`.
    ///
    /// The user name goes too (tokens are often passed as the user name). Works on any string: text
    /// that is no URL with an authority, or has no user info, comes back unchanged.
    ///
    /// - Complexity: O(*n*) in the UTF-8 length of `url`.
    public static func stripped(_ url: String) -> String {
        guard let range = userInfoRange(url) else { return url }
        var result = url
        result.removeSubrange(range)
        return result
    }

    /// Whether `url` carries user info (a user name, a password or both).
    public static func hasUserInfo(_ url: String) -> Bool {
        userInfoRange(url) != nil
    }

    /// The range of `user:password@` in `url`'s authority, including the `@`.
    private static func userInfoRange(_ url: String) -> Range<String.Index>? {
        // The authority follows the first "://" that comes right after a scheme (no "/", "?", "#" before it).
        guard let colon = url.firstIndex(where: { $0 == ":" || $0 == "/" || $0 == "?" || $0 == "#" }),
            url[colon] == ":", url[url.index(after: colon)...].hasPrefix("//")
        else { return nil }
        let authorityStart = url.index(colon, offsetBy: 3)
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else { return nil }
        return authorityStart..<url.index(after: at)
    }
}
