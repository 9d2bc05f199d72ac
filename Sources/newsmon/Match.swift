import ArgumentParser

/// `newsmon match`: Dry-run the topic rules over feed files (JSON Lines).
struct Match: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "match", abstract: "Dry-run the topic rules over feed files (JSON Lines).")

    func run() async throws {
        throw ValidationError("'newsmon match' is not built yet")
    }
}
