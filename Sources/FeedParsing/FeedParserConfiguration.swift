/// Limits and options for ``FeedParser``.
///
/// The defaults suit untrusted feeds fetched from the web: they are far above what real feeds need
/// and far below what would hurt the daemon.
public struct FeedParserConfiguration: Sendable, Hashable {
    /// Deepest element nesting accepted; deeper documents are rejected.
    ///
    /// The default is 128.
    public var maxDepth: Int
    /// Largest value, in UTF-8 bytes, kept for one field (title, summary, content …); longer values
    /// are truncated and a diagnostic is added.
    ///
    /// The default is 2 MiB.
    public var maxFieldBytes: Int
    /// Largest document, in bytes, accepted; larger documents are rejected before parsing.
    ///
    /// The default is 32 MiB (three times the fetcher's default body cap).
    public var maxTotalBytes: Int
    /// Most entries kept; later ones are dropped with a diagnostic.
    ///
    /// The default is 100 000.
    public var maxEntries: Int
    /// What to do with `<!ENTITY …>` declarations in an internal DTD subset.
    ///
    /// The default is ``EntityPolicy/expandSimple``.
    public var entityPolicy: EntityPolicy
    /// Upper bound on the bytes produced by expanding declared entities (``EntityPolicy/expandSimple``).
    ///
    /// The default is 64 KiB.
    public var maxEntityExpansionBytes: Int

    /// Creates a configuration; every parameter has the documented default.
    public init(
        maxDepth: Int = 128,
        maxFieldBytes: Int = 2 << 20,
        maxTotalBytes: Int = 32 << 20,
        maxEntries: Int = 100_000,
        entityPolicy: EntityPolicy = .expandSimple,
        maxEntityExpansionBytes: Int = 64 << 10
    ) {
        self.maxDepth = maxDepth
        self.maxFieldBytes = maxFieldBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.entityPolicy = entityPolicy
        self.maxEntityExpansionBytes = maxEntityExpansionBytes
    }

    /// How entity declarations of a document's internal DTD subset are treated.
    ///
    /// External entities, parameter entities and DTDs are never loaded under any policy; HTML named
    /// entities (`&nbsp;`, `&eacute;`) are always understood, declared or not.
    public enum EntityPolicy: Sendable, Hashable {
        /// Any `<!ENTITY` declaration rejects the document.
        case refuse
        /// Declarations are ignored; references to them stay as written (`&name;`).
        case ignore
        /// Internal general entities whose replacement text holds no further references and is at
        /// most 1 KiB are expanded, up to ``FeedParserConfiguration/maxEntityExpansionBytes`` in
        /// total; all others are ignored. Billion laughs and quadratic blow-up cannot expand.
        case expandSimple
    }
}
