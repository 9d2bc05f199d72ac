import Testing

/// Placeholder until the module's real tests land; delete then.
struct DedupPlaceholderTests {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
