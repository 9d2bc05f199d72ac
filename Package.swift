// swift-tools-version:6.0
import PackageDescription

#if canImport(Glibc)
import Glibc
#endif

let package = Package(
    name: "newsmon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsmon", targets: ["newsmon"]),
        // Not API: the libFuzzer package under Fuzz/ depends on this one by path, and a path dependency
        // sees only products. Nothing else links it.
        .library(
            name: "NewsmonLibraries",
            targets: ["NewsModel", "FeedParsing", "TopicRules", "NewsMonitor"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // C libraries from the system (apt-get install -y libxml2-dev libsqlite3-dev).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),

        // Vocabulary shared by every module.
        .target(name: "NewsModel"),
        .target(name: "TextNormalization"),

        // The five middle modules: they never import each other.
        .target(name: "FeedParsing", dependencies: ["CLibXML2", "NewsModel"]),
        .target(name: "TopicRules", dependencies: ["NewsModel", "TextNormalization"]),
        .target(name: "Dedup", dependencies: ["NewsModel", "TextNormalization", "CSQLite"]),
        .target(
            name: "Fetching",
            dependencies: ["NewsModel", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Spool",
            dependencies: ["NewsModel", .product(name: "Logging", package: "swift-log")]
        ),

        // Composition: configuration file, scheduler, pipeline, daemon.
        .target(
            name: "NewsMonitor",
            dependencies: [
                "NewsModel", "TextNormalization", "FeedParsing", "TopicRules", "Dedup", "Fetching", "Spool",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "newsmon",
            dependencies: [
                "NewsMonitor", "NewsModel", "FeedParsing", "TopicRules", "Dedup", "Fetching", "Spool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["newsmon.order"],
            linkerSettings: newsmonLayout
        ),

        // Benchmarks: executables run with `swift run -c release bench-…` (see README).
        .executableTarget(name: "bench-parse", dependencies: ["FeedParsing", "NewsModel"], path: "Benchmarks/bench-parse"),
        .executableTarget(
            name: "bench-match",
            dependencies: ["TopicRules", "NewsMonitor", "NewsModel", "FeedParsing"],
            path: "Benchmarks/bench-match"
        ),
        .executableTarget(name: "bench-dedup", dependencies: ["Dedup", "NewsModel"], path: "Benchmarks/bench-dedup"),
        .executableTarget(name: "eval-stories", dependencies: ["Dedup", "NewsModel"], path: "Benchmarks/eval-stories"),
        .executableTarget(
            name: "bench-fetch",
            dependencies: [
                "Fetching", "NewsMonitor", "NewsModel", "FeedParsing", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/bench-fetch"
        ),

        // Tests: one target per module, shared helpers in NewsTestSupport.
        .target(name: "NewsTestSupport", dependencies: ["NewsModel"], path: "Tests/NewsTestSupport"),
        .testTarget(name: "NewsModelTests", dependencies: ["NewsModel", "NewsTestSupport"]),
        .testTarget(name: "TextNormalizationTests", dependencies: ["TextNormalization", "NewsTestSupport"]),
        .testTarget(
            name: "FeedParsingTests",
            dependencies: ["FeedParsing", "NewsModel", "NewsTestSupport"],
            exclude: ["Fixtures", "Snapshots"]
        ),
        .testTarget(
            name: "TopicRulesTests",
            dependencies: ["TopicRules", "TextNormalization", "NewsModel", "NewsTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "DedupTests", dependencies: ["Dedup", "NewsModel", "NewsTestSupport", "TextNormalization"]),
        .testTarget(
            name: "FetchingTests",
            dependencies: ["Fetching", "NewsModel", "NewsTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "NewsModel", "NewsTestSupport"]),
        .testTarget(
            name: "NewsMonitorTests",
            dependencies: [
                "NewsMonitor", "NewsModel", "NewsTestSupport", "TopicRules", "FeedParsing", "Dedup", "Fetching", "Spool",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "newsmonTests", dependencies: ["NewsModel", "NewsTestSupport"]),
    ]
)

/// Release builds of `newsmon` on Linux are linked by lld with the functions a poll runs laid out together
/// (`Sources/newsmon/newsmon.order`, written by `scripts/link-order.sh`) and, where glibc reads them (2.36+),
/// packed relative relocations: the kernel maps the binary's code 64 KB around each first touch, so code
/// run together touches fewer pages (peak RSS, docs/performance.md "The binary's pages").
var newsmonLayout: [LinkerSetting] {
    var flags = [
        "-use-ld=lld",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/newsmon/newsmon.order",
        "-Xlinker", "--no-warn-symbol-ordering",
    ]
    if glibcReadsPackedRelocations { flags += ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] }
    return [.unsafeFlags(flags, .when(platforms: [.linux], configuration: .release))]
}

/// Whether the building host's glibc is 2.36 or newer (DT_RELR); false off glibc.
var glibcReadsPackedRelocations: Bool {
    #if canImport(Glibc)
    var buffer = [CChar](repeating: 0, count: 64)
    guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return false }
    let version = String(cString: buffer).split(separator: " ").last.map { $0.split(separator: ".").compactMap { Int($0) } }
    guard let version, version.count >= 2 else { return false }
    return (version[0], version[1]) >= (2, 36)
    #else
    return false
    #endif
}

// One place for compiler settings: Swift 6 mode plus upcoming features, on every Swift target.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
