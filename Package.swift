// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ShadowScan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shadowscan", targets: ["shadowscan"]),
        .executable(name: "shadowscan-loggen", targets: ["shadowscan-loggen"]),
        .library(name: "ShadowScanCore", targets: ["ShadowScanCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C stays in system-library targets; Debian's libpcre2-dev provides libpcre2-8.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // Decompression for .gz/.bz2/.xz/.zst inputs, through Debian's libraries (libbz2-dev has no .pc file).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBzip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CLzma", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // The only Swift code that touches PCRE2 pointers.
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        .target(
            name: "ShadowScanCore",
            dependencies: ["PCRE2", .product(name: "Yams", package: "Yams"), "CZlib", "CBzip2", "CLzma", "CZstd",
                           // Reports: HTML/Markdown templates; keyed pseudonyms (HMAC-SHA-256) for identities.
                           .product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto"),
                           // Store/: the history store (SQLite through GRDB; Debian's libsqlite3-dev).
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "shadowscan",
            dependencies: ["ShadowScanCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Seedable generator of realistic logs with exact truth, for tests and the benchmark.
        .target(name: "LogGenerator", dependencies: [.product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "shadowscan-loggen",
            dependencies: ["LogGenerator", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "ShadowScanCoreTests", dependencies: ["ShadowScanCore", "LogGenerator", "CZlib", "CBzip2", "CLzma", "CZstd"]),
        .testTarget(name: "LogGeneratorTests", dependencies: ["LogGenerator"], exclude: ["Fixtures"]),
        .testTarget(name: "ShadowScanCLITests", dependencies: ["LogGenerator", "shadowscan", "shadowscan-loggen"]),
    ],
    swiftLanguageModes: [.v6]
)
