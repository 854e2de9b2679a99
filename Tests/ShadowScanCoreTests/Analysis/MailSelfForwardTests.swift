import XCTest
@testable import ShadowScanCore

/// Self-forwarding: a personal address that matches the sender's own name. Conservative: a wrong
/// "you sent work mail to yourself" is worse than a missed one.
final class MailSelfForwardTests: XCTestCase {
    func assertMatch(_ sender: String, _ recipient: String, _ confidence: String, file: StaticString = #filePath, line: UInt = #line) {
        let match = SelfForwardMatcher.match(sender: sender, recipient: recipient)
        XCTAssertEqual(match?.confidence, confidence, "\(sender) → \(recipient): \(match?.reason ?? "no match")", file: file, line: line)
        if let match { XCTAssertFalse(match.reason.isEmpty, file: file, line: line) }
    }

    func assertNoMatch(_ sender: String, _ recipient: String, file: StaticString = #filePath, line: UInt = #line) {
        let match = SelfForwardMatcher.match(sender: sender, recipient: recipient)
        XCTAssertNil(match, "\(sender) → \(recipient) matched: \(match?.reason ?? "")", file: file, line: line)
    }

    func testMustMatch() {
        assertMatch("jane.smith@council.gov.uk", "janesmith1975@gmail.com", "high")
        assertMatch("jane.smith@council.gov.uk", "smith.jane@gmx.de", "high")
        assertMatch("jane.smith@council.gov.uk", "jane_smith79@yahoo.co.uk", "high")
        assertMatch("Jane.Smith@Council.gov.uk", "SmithJane@outlook.com", "high")
        assertMatch("jane.m.smith@council.gov.uk", "jane.smith@icloud.com", "high")
        assertMatch("jane.smith+work@council.gov.uk", "jane.smith+home@gmail.com", "high")
        assertMatch("jsmith@council.gov.uk", "jsmith1975@gmail.com", "high")
        assertMatch("janesmith@council.gov.uk", "jane.smith@gmail.com", "high")
        assertMatch("j.smith@council.gov.uk", "smithj@gmail.com", "medium")
        assertMatch("j.smith@council.gov.uk", "jsmith@gmail.com", "medium")
        assertMatch("jane.smith@council.gov.uk", "smithj82@web.de", "medium")
        assertMatch("jane.smith@council.gov.uk", "j.smith@btinternet.com", "medium")
        assertMatch("jsmith@council.gov.uk", "jsmith.home@gmail.com", "medium")
    }

    func testMustNotMatch() {
        // A first name alone, or a surname alone.
        assertNoMatch("jane.smith@council.gov.uk", "jane1980@gmail.com")
        assertNoMatch("jane.smith@council.gov.uk", "smith@gmail.com")
        assertNoMatch("jane.smith@council.gov.uk", "jane.doe@gmail.com")
        assertNoMatch("john@council.gov.uk", "john@gmail.com")
        assertNoMatch("james@council.gov.uk", "james1990@gmail.com")
        // First name and the surname's initial: too many people share it.
        assertNoMatch("jane.smith@council.gov.uk", "janes@gmail.com")
        // Initials with a short surname.
        assertNoMatch("j.li@council.gov.uk", "jli@gmail.com")
        assertNoMatch("w.wu@council.gov.uk", "wuw@gmail.com")
        // Names inside longer names are other people.
        assertNoMatch("jane.smith@council.gov.uk", "janet.smithers@gmail.com")
        assertNoMatch("ann.lee@council.gov.uk", "annabel.leeds@gmail.com")
        // Role accounts, on either side.
        assertNoMatch("info@council.gov.uk", "info@gmail.com")
        assertNoMatch("sales@council.gov.uk", "sales.team@gmail.com")
        assertNoMatch("it.support@council.gov.uk", "itsupport@gmail.com")
        assertNoMatch("noreply@council.gov.uk", "noreply@gmail.com")
        assertNoMatch("jane.smith@council.gov.uk", "info@gmail.com")
        // Short one-part senders.
        assertNoMatch("jdoe@council.gov.uk", "jdoe@gmail.com")
        assertNoMatch("user0421@council.gov.uk", "someone@gmail.com")
    }
}
