// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for newsmon, a package of their own so that the daemon's `swift build` and
// `swift test` never see them. Build and run them with `bash scripts/fuzz.sh TARGET [SECONDS]`, which
// passes `-sanitize=fuzzer,address` and `-parse-as-library` (libFuzzer supplies `main`).
// See docs/security.md, "Fuzzing".
let package = Package(
    name: "newsmon-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A path dependency sees only products: the parent exposes its modules as `NewsmonLibraries`.
        .package(name: "newsmon", path: "..")
    ],
    targets: [.target(name: "FuzzSupport")]
        + ["fuzz-feed", "fuzz-rules", "fuzz-config"].map { name in
            .executableTarget(
                name: name,
                dependencies: ["FuzzSupport", .product(name: "NewsmonLibraries", package: "newsmon")]
            )
        }
)
