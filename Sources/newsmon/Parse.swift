import ArgumentParser

/// `newsmon parse`: Print a parsed feed as one JSON object.
struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Print a parsed feed as one JSON object.")

    func run() async throws {
        throw ValidationError("'newsmon parse' is not built yet")
    }
}
