import Foundation
import XCTest
@testable import LogGenerator

final class CatalogueTests: XCTestCase {
    func testLoadsTheFixture() throws {
        let catalogue = try fixtureCatalogue()
        XCTAssertEqual(catalogue.services.map(\.id), ["dropbox", "mega", "github", "github-gist"])
        let dropbox = catalogue.services[0]
        XCTAssertEqual(dropbox.category, "cloud-storage")
        XCTAssertEqual(dropbox.uploadMethods, ["POST", "PUT"])
        XCTAssertFalse(dropbox.hasURLPatterns)
        XCTAssertEqual(dropbox.uploadExamples.count, 2)
        XCTAssertTrue(catalogue.services[2].hasURLPatterns)
    }

    func testMostSpecificDomainDecides() throws {
        let catalogue = try fixtureCatalogue()
        let gist = catalogue.services.firstIndex { $0.id == "github-gist" }!
        XCTAssertEqual(catalogue.matchingDomains(ofHost: "gist.github.com").map(\.domain), ["gist.github.com", "github.com"])
        XCTAssertFalse(catalogue.belongsOnlyTo(host: "gist.github.com", service: gist), "github.com is another service's")
        XCTAssertTrue(catalogue.isUnmatched(host: "notdropbox.com"))
        XCTAssertTrue(catalogue.isUnmatched(host: "dropbox.com.evil.net"))
        XCTAssertFalse(catalogue.isUnmatched(host: "WWW.Dropbox.COM"))
    }

    func testServicesWithURLPatternsOnlyGetTheirExamples() throws {
        let catalogue = try fixtureCatalogue()
        var rng = SeededRandom(seed: 1)
        let population = Population(catalogue: catalogue, userCount: 10, rng: &rng)
        let github = try XCTUnwrap(population.services.first { catalogue.services[$0.index].id == "github" })
        XCTAssertTrue(github.hosts.isEmpty)
        // The scheme-less example is ambiguous as logged, so it is not used for a service with patterns.
        XCTAssertEqual(Set(github.examples.map { String(decoding: $0.url, as: UTF8.self) }),
                       ["https://github.com/torvalds/linux", "github.com:443"])
        // gist.github.com has no patterns, but its hosts must not fall under github.com alone.
        let gist = try XCTUnwrap(population.services.first { catalogue.services[$0.index].id == "github-gist" })
        XCTAssert(gist.hosts.allSatisfy { String(decoding: $0.name, as: UTF8.self).hasSuffix("gist.github.com")
                                          || String(decoding: $0.name, as: UTF8.self).hasSuffix("gist.githubusercontent.com") })
        // Services with upload rules never get a browse method that is an upload method.
        let dropbox = try XCTUnwrap(population.services.first { catalogue.services[$0.index].id == "dropbox" })
        XCTAssertEqual(dropbox.browseMethod.map { String(decoding: $0, as: UTF8.self) }, "GET")
        XCTAssertEqual(dropbox.uploads.count, 2)
    }
}
