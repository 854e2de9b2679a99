import XCTest
@testable import ShadowScanCore

final class DomainSuffixIndexTests: XCTestCase {
    let index = DomainSuffixIndex([("dropbox.com", 0), ("gist.github.com", 1), ("github.com", 2), ("co.uk", 3)])

    func lookup(_ host: String) -> Int32 {
        Array(host.utf8).withUnsafeBytes { index.longestSuffixMatch($0) }
    }

    func testSuffixOnLabelBoundariesOnly() {
        XCTAssertEqual(lookup("dropbox.com"), 0)
        XCTAssertEqual(lookup("www.dropbox.com"), 0)
        XCTAssertEqual(lookup("a.b.c.dropbox.com"), 0)
        XCTAssertEqual(lookup("notdropbox.com"), -1)
        XCTAssertEqual(lookup("dropbox.com.evil.net"), -1)
        XCTAssertEqual(lookup("dropbox.co"), -1)
        XCTAssertEqual(lookup("com"), -1)
        XCTAssertEqual(lookup(""), -1)
        XCTAssertEqual(lookup(".dropbox.com"), 0)
    }

    func testMostSpecificWinsAndCaseFolds() {
        XCTAssertEqual(lookup("gist.github.com"), 1)
        XCTAssertEqual(lookup("x.gist.github.com"), 1)
        XCTAssertEqual(lookup("api.github.com"), 2)
        XCTAssertEqual(lookup("WWW.DropBox.COM"), 0)
        XCTAssertEqual(lookup("GIST.GITHUB.COM"), 1)
    }

    func testManyDomains() {
        let big = DomainSuffixIndex((0..<100_000).map { ("d\($0).example", Int32($0)) })
        XCTAssertEqual(big.count, 100_000)
        for i in stride(from: 0, to: 100_000, by: 997) {
            XCTAssertEqual(Array("www.d\(i).example".utf8).withUnsafeBytes { big.longestSuffixMatch($0) }, Int32(i))
        }
        XCTAssertEqual(Array("d100000.example".utf8).withUnsafeBytes { big.longestSuffixMatch($0) }, -1)
    }

    func testRegistrableDomain() {
        func registrable(_ host: String) -> String? {
            let bytes = Array(host.utf8)
            return bytes.withUnsafeBytes { RegistrableDomain.start(of: $0) }.map { String(decoding: bytes[$0...], as: UTF8.self) }
        }
        XCTAssertEqual(registrable("a.b.example.com"), "example.com")
        XCTAssertEqual(registrable("example.com"), "example.com")
        XCTAssertEqual(registrable("www.bbc.co.uk"), "bbc.co.uk")
        XCTAssertEqual(registrable("bbc.co.uk"), "bbc.co.uk")
        XCTAssertEqual(registrable("www.council.gov.uk"), "council.gov.uk")
        XCTAssertEqual(registrable("cdn.vendor.de"), "vendor.de")
        XCTAssertNil(registrable("10.1.2.3"))
        XCTAssertNil(registrable("2001:db8::1"))
        XCTAssertNil(registrable("localhost"))
    }
}
