import Foundation
import NewsTestSupport
import Testing

/// Comments, scripts and the unit cite only files the repository contains.
struct RepositoryReferencesTests {
    /// `docs/x.md`, `scripts/x.sh`, `systemd/x`, `Sources/…`, `Tests/…`, `fixtures/…` paths and bare `NAME.md` names.
    static let pattern = try! NSRegularExpression(
        pattern: #"(?<![/.\w-])(?:(?:docs|scripts|systemd|Sources|Tests|fixtures)/[A-Za-z0-9_.+/-]*[A-Za-z0-9_]|[A-Z][A-Za-z0-9-]*\.md)\b"#)

    static func files(under folder: String, extensions: Set<String>) -> [URL] {
        let root = RepositoryPaths.root.appendingPathComponent(folder)
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { extensions.contains($0.pathExtension) || extensions.contains("*") }
    }

    @Test func everyCitedFileExists() throws {
        let sources = Self.files(under: "Sources", extensions: ["swift", "h", "modulemap"])
            + Self.files(under: "scripts", extensions: ["sh", "py"]) + Self.files(under: "systemd", extensions: ["*"])
            + [RepositoryPaths.root.appendingPathComponent("Package.swift")]
        var checked = 0
        for file in sources {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in Self.pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let cited = String(text[Range(match.range, in: text)!])
                let candidates = cited.contains("/") ? [cited] : [cited, "docs/" + cited]
                let exists = candidates.contains {
                    FileManager.default.fileExists(atPath: RepositoryPaths.root.appendingPathComponent($0).path)
                }
                #expect(exists, "\(file.lastPathComponent) cites \(cited), which the repository does not contain")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
