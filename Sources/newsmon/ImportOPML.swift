import ArgumentParser

/// `newsmon import-opml`: Print [[feed]] entries for feeds.conf from an OPML export.
struct ImportOPML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-opml", abstract: "Print [[feed]] entries for feeds.conf from an OPML export.")

    func run() async throws {
        throw ValidationError("'newsmon import-opml' is not built yet")
    }
}
