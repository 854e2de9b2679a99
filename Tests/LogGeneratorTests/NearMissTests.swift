import Foundation
import XCTest
@testable import LogGenerator

final class NearMissTests: XCTestCase {
    func testNearMissAndBusinessHostsNeverMatchTheFixture() throws {
        try check(try fixtureCatalogue())
    }

    func testNearMissAndBusinessHostsNeverMatchTheRealCatalogue() throws {
        try check(try realCatalogue())
    }

    private func check(_ catalogue: GeneratorCatalogue) throws {
        let domains = Set(catalogue.services.flatMap(\.domains))
        var rng = SeededRandom(seed: 5)
        let population = Population(catalogue: catalogue, userCount: 50, rng: &rng)
        XCTAssertGreaterThan(population.nearMissHosts.count, catalogue.services.count)
        XCTAssertGreaterThan(population.hosts.count, 2_500)
        for host in population.nearMissHosts.map({ String(decoding: $0.name, as: UTF8.self) }) {
            // Independent check: no suffix on a label boundary is a catalogue domain...
            XCTAssertTrue(labelSuffixes(host).allSatisfy { !domains.contains($0) }, host)
            // ...yet the host does contain one (it is a near miss, not a random name).
            XCTAssertTrue(domains.contains { host.contains($0) || host.contains($0.replacingOccurrences(of: ".", with: "-"))
                                             || host.contains($0.split(separator: ".")[0]) }, host)
        }
        for host in population.hosts.map({ String(decoding: $0.name, as: UTF8.self) }) {
            XCTAssertTrue(labelSuffixes(host).allSatisfy { !domains.contains($0) }, host)
        }
        let nearMisses = Set(population.nearMissHosts.map { String(decoding: $0.name, as: UTF8.self) })
        XCTAssert(nearMisses.contains("dropbox.com.evil.net") || nearMisses.contains { $0.hasPrefix("dropbox.com.") })
        XCTAssert(nearMisses.contains { $0.hasSuffix("dropbox.com") && !$0.contains(".dropbox.com") })
    }

    func testNearMissesAppearInLogs() throws {
        let (log, _) = try generate(try fixtureCatalogue(), seed: 8, lines: 20_000)
        let text = String(decoding: log, as: UTF8.self)
        XCTAssert(text.contains("dropbox.com.") || text.contains("dropbox-") || text.contains("dropbox.com:")
                  || text.contains("mega.nz.") || text.contains("github.com."))
    }
}
