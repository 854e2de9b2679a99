import Foundation
import XCTest
@testable import ShadowScanCore

final class RotationOrderTests: XCTestCase {
    func testRotatedFamiliesAreReadOldestFirst() {
        let expected = [
            "access.log.10.gz", "access.log.3.gz", "access.log.2.gz", "access.log.1", "access.log",
            "cache.log",
            "error.log-20261119.gz", "error.log-20261120.bz2", "error.log-2026112106.xz", "error.log",
            "proxy-2026-11-20.log",
            "squid.log-20261120-1763596800.zst", "squid.log-20261120-1763683200", "squid.log.20261121",
            "zz.txt",
        ]
        for seed in 0..<20 {
            var rng = SeededGenerator(seed: UInt64(seed))
            XCTAssertEqual(InputDiscovery.rotationOrder(expected.shuffled(using: &rng)), expected)
        }
    }

    func testRotationNames() {
        XCTAssertEqual(RotationName("access.log.3.gz").base, "access.log")
        XCTAssertEqual(RotationName("access.log.3.gz").age, .numbered(3))
        XCTAssertEqual(RotationName("access.log-20261120.gz").age, .dated(date: 20261120, time: 0))
        XCTAssertEqual(RotationName("access.log-2026-11-20").age, .dated(date: 20261120, time: 0))
        XCTAssertEqual(RotationName("access.log-2026112017").age, .dated(date: 20261120, time: 17))
        XCTAssertEqual(RotationName("access.log").age, .current)
        XCTAssertEqual(RotationName("access.log.gz").base, "access.log", "a compressed current log")
        // Not dates: month 13, too few digits, an epoch; not indexes: 7 digits.
        XCTAssertEqual(RotationName("a.log-20261320").age, .current)
        XCTAssertEqual(RotationName("a.log-2026112").age, .current)
        XCTAssertEqual(RotationName("a.log-1763596800").age, .current)
        XCTAssertEqual(RotationName("a.log.1234567").age, .current)
        XCTAssertEqual(RotationName("a.log.1234567").base, "a.log.1234567")
    }

    func testDirectoriesAreExpandedInRotationOrder() throws {
        let dir = TestSupport.temporaryDirectory()
        let names = ["access.log", "access.log.1", "access.log.2.gz", "access.log.3.gz", "README.md", ".hidden",
                     "b/access.log-20261120.gz", "b/access.log-20261119.gz", "b/access.log"]
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
        for name in names { FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data("x\n".utf8)) }
        let (sources, problems) = InputDiscovery.expand([dir.path])
        XCTAssertEqual(problems, [])
        XCTAssertEqual(sources.map { String($0.path.dropFirst(dir.path.count + 1)) }, [
            "access.log.3.gz", "access.log.2.gz", "access.log.1", "access.log",
            "b/access.log-20261119.gz", "b/access.log-20261120.gz", "b/access.log",
        ])
        // Files named on the command line keep the order given.
        let given = [dir.appendingPathComponent("access.log").path, dir.appendingPathComponent("access.log.1").path]
        XCTAssertEqual(InputDiscovery.expand(given).sources.map(\.path), given)
    }
}

/// SplitMix64, so shuffles are repeatable.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
