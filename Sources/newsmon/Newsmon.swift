import ArgumentParser

/// The `newsmon` command: a news-monitor daemon and its tools.
@main
struct Newsmon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsmon",
        abstract: "Watch RSS and Atom feeds for topics and raise one alert per story and topic.",
        version: NewsmonVersion.string,
        subcommands: [Run.self, Once.self, Check.self, Parse.self, Match.self, Eval.self, Tail.self, Status.self, Explain.self, ImportOPML.self]
    )
}

/// The version printed by `--version` and sent in the User-Agent.
enum NewsmonVersion {
    static let string = "0.1.0"
}
