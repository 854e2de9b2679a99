import Foundation
import XCTest
@testable import LogGenerator

/// Paths of the package, found from this file.
enum Paths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtureRules = testsDirectory.appendingPathComponent("Fixtures/rules")
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let realRules = packageRoot.appendingPathComponent("Rules")
}

func fixtureCatalogue() throws -> GeneratorCatalogue {
    try GeneratorCatalogue.load(directory: Paths.fixtureRules)
}

/// The real catalogue, when the repository has one.
func realCatalogue() throws -> GeneratorCatalogue {
    let hasYAML = (try? FileManager.default.contentsOfDirectory(atPath: Paths.realRules.path))?
        .contains { $0.hasSuffix(".yaml") } ?? false
    guard hasYAML else { throw XCTSkip("no Rules/*.yaml yet") }
    return try GeneratorCatalogue.load(directory: Paths.realRules)
}

func generate(_ catalogue: GeneratorCatalogue, seed: UInt64 = 1, format: SquidLogFormat = .native,
              lines: Int = 5_000, oversized: Int = 0, malformedRate: Double = 0.01,
              serviceRate: Double = 0.10) throws -> (log: [UInt8], truth: LogTruth) {
    let options = GeneratorOptions(seed: seed, format: format, limit: .lines(lines), users: 200,
                                   malformedRate: malformedRate, serviceRate: serviceRate, oversized: oversized)
    return try SquidLogGenerator(catalogue: catalogue, options: options).generate()
}

/// Newline-terminated lines (without the newline). A final fragment without a newline is reported
/// separately, since it is not a line.
func splitLines(_ bytes: [UInt8]) -> (lines: [ArraySlice<UInt8>], unterminated: Int) {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    for i in bytes.indices where bytes[i] == 0x0A {
        lines.append(bytes[start..<i])
        start = i + 1
    }
    return (lines, bytes.count - start)
}

/// Suffixes of `host` on label boundaries: a.b.c → a.b.c, b.c, c.
func labelSuffixes(_ host: String) -> [String] {
    let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    return labels.indices.map { labels[$0...].joined(separator: ".") }
}
