import Testing

/// Placeholder until the module's real tests land; delete then.
struct TopicRulesPlaceholderTests {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
