import Testing

/// Placeholder until the module's real tests land; delete then.
struct SpoolPlaceholderTests {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
