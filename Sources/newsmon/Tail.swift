import ArgumentParser

/// `newsmon tail`: Print alerts from the spool; -f follows new ones.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print alerts from the spool; -f follows new ones.")

    func run() async throws {
        throw ValidationError("'newsmon tail' is not built yet")
    }
}
