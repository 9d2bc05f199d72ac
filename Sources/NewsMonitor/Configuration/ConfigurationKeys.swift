/// Every section and key feeds.conf accepts: the list ``MonitorConfiguration/load(path:)`` checks
/// against, and the list docs/config.md is tested against.
public enum ConfigurationKeys {
    /// Keys of `[defaults]`: values for every feed that does not set them.
    public static let defaults: Set<String> = ["interval", "lang", "tz", "enabled", "timeout", "max_bytes", "backfill"]
    /// Keys of each `[[feed]]`: `id`, `url` and any key of `[defaults]`.
    public static let feed: Set<String> = defaults.union(["id", "url"])
    /// Keys of each `[[topic]]`.
    public static let topic: Set<String> = ["id", "title", "rule"]
    /// Keys of `[daemon]`.
    public static let daemon: Set<String> = ["max_in_flight", "max_per_host", "retention", "story_window"]
    /// The sections, by name: `defaults`, `feed` (`[[feed]]`), `topic` (`[[topic]]`) and `daemon`.
    public static let sections: [String: Set<String>] = ["defaults": defaults, "feed": feed, "topic": topic, "daemon": daemon]
    /// Sections whose keys are the user's own names: `[define]` (named rule parts, docs/rules.md).
    public static let namedSections: Set<String> = ["define"]
}
