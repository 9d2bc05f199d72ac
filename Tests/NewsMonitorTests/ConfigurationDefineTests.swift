import NewsModel
import NewsMonitor
import Testing

/// `[define]`: named parts of rules, `name = rule`, used in any topic as `@name`.
struct ConfigurationDefineTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try MonitorConfiguration.parse(text: text)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func topicsCarryThePartsInFileOrder() throws {
        let configuration = try MonitorConfiguration.parse(text: """
            [define]
            # who
            russia = "russland OR russia"
            troops = '''
              truppen* OR troops'''

            [[topic]]
            id = "t"
            rule = "@russia AND @troops"
            """)
        let topic = try #require(configuration.topics.first)
        #expect(topic.definitions.map(\.name) == ["russia", "troops"])
        #expect(topic.definitions.map { [$0.ruleLine, $0.ruleColumn] } == [[3, 11], [5, 1]])
    }

    @Test func problemsPointIntoThePartOrTheTopic() {
        #expect(problems("""
            [define]
            bad = '''a OR
              (b'''
            loop = "x OR @loop"
            "2nd" = "y"
            number = 3

            [[topic]]
            id = "t"
            rule = '''x AND
              @missing'''
            """) == [
                "feeds.conf:3:3: [define] 'bad': unclosed '(': the rule ends before its ')'",
                "feeds.conf:4:14: [define] 'loop': '@loop' makes a cycle, and a part may not refer to itself: @loop → @loop",
                "feeds.conf:5:1: part name '2nd' must start with a letter and use only letters, digits, '-' and '_'",
                "feeds.conf:6:10: 'number' must be a string, not an integer",
                "feeds.conf:11:3: topic 't': rule: unknown part '@missing': there is no 'missing = ...' in [define]",
            ])
        #expect(problems("define = 3").first?.contains("'define' must be a table [define]") == true)
    }
}
