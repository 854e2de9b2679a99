import XCTest
@testable import PCRE2

final class PatternTests: XCTestCase {
    func testMatchesAndReportsRange() throws {
        let pattern = try Pattern("/2/files/upload")
        let scratch = MatchScratch()
        var bytes = Array("https://content.dropboxapi.com/2/files/upload?x=1".utf8)
        let range = try bytes.withUnsafeMutableBytes { try pattern.firstMatch(in: UnsafeRawBufferPointer($0), scratch: scratch) }
        XCTAssertEqual(range, 30..<45)
        XCTAssertFalse(try pattern.matches("https://www.dropbox.com/home", scratch: scratch))
    }

    func testCompileErrorNamesPatternOffsetAndMessage() {
        XCTAssertThrowsError(try Pattern("^(unclosed")) { error in
            let e = error as! PCRE2CompileError
            XCTAssertEqual(e.pattern, "^(unclosed")
            XCTAssertEqual(e.offset, 10)
            XCTAssertTrue(e.message.contains("missing closing parenthesis"), e.message)
            XCTAssertTrue(e.description.contains("offset 10"))
        }
    }

    func testInvalidUTF8SubjectDoesNotFail() throws {
        let pattern = try Pattern("abc")
        let scratch = MatchScratch()
        var bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x62, 0x63, 0xC3]
        let range = try bytes.withUnsafeMutableBytes { try pattern.firstMatch(in: UnsafeRawBufferPointer($0), scratch: scratch) }
        XCTAssertEqual(range, 2..<5)
    }

    func testCatastrophicPatternHitsTheLimitInsteadOfHanging() throws {
        let pattern = try Pattern("^(a+)+$")
        let scratch = MatchScratch(matchLimit: 10_000)
        let subject = String(repeating: "a", count: 40) + "!"
        XCTAssertThrowsError(try pattern.matches(subject, scratch: scratch)) { error in
            XCTAssertTrue((error as! PCRE2MatchError).isLimit, "\(error)")
        }
    }

    func testCaselessAndEmptySubject() throws {
        let pattern = try Pattern("dropbox", caseless: true)
        let scratch = MatchScratch()
        XCTAssertTrue(try pattern.matches("WWW.DROPBOX.COM", scratch: scratch))
        XCTAssertFalse(try pattern.matches("", scratch: scratch))
        XCTAssertTrue(try Pattern("^$").matches("", scratch: scratch))
    }

    func testVersionAndJIT() {
        XCTAssertTrue(PCRE2.version.hasPrefix("10."), PCRE2.version)
        if PCRE2.jitAvailable { XCTAssertNotNil(PCRE2.jitTarget) }
        XCTAssertEqual(try Pattern("x").isJITCompiled, PCRE2.jitAvailable)
    }
}
