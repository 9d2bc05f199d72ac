import Testing

/// Placeholder until the module's real tests land; delete then.
struct newsmonPlaceholderTests {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
