import ArgumentParser

/// `newsmon once`: Poll every feed once, then exit.
struct Once: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "once", abstract: "Poll every feed once, then exit.")

    func run() async throws {
        throw ValidationError("'newsmon once' is not built yet")
    }
}
