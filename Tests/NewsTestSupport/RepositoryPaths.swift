public import Foundation

/// Paths into the checkout, found from this file's location (no Bundle needed).
public enum RepositoryPaths {
    /// The package root (the folder holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's shared folder (seed article, conformance corpus): `$NEWSMON_SHARED` if set,
    /// else `../shared` beside the checkout.
    public static let shared: URL = ProcessInfo.processInfo.environment["NEWSMON_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? root.deletingLastPathComponent().appendingPathComponent("shared")

    /// The repository's `fixtures/` folder.
    public static let fixtures: URL = root.appendingPathComponent("fixtures")

    /// The `Fixtures/` folder of a test target, e.g. `fixtures(of: "FeedParsingTests")`.
    public static func fixtures(of testTarget: String) -> URL {
        root.appendingPathComponent("Tests").appendingPathComponent(testTarget).appendingPathComponent("Fixtures")
    }

    /// The built `newsmon` binary of the current build configuration, found next to the test bundle.
    ///
    /// SwiftPM puts test products and executables in the same folder (`.build/<triple>/debug`).
    public static var newsmonBinary: URL {
        if let env = ProcessInfo.processInfo.environment["NEWSMON_BINARY"] {
            return URL(fileURLWithPath: env)
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("newsmon")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/newsmon")
    }
}
