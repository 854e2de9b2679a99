import XCTest
@testable import ShadowScanCore

/// The streamed document (`JSONReport.write`) is byte for byte the document tree's serialization, and it
/// is written atomically.
final class JSONOutputTests: XCTestCase {
    func streamed(_ result: AnalysisResult) throws -> [UInt8] {
        let file = TestSupport.temporaryDirectory().appendingPathComponent("report.json")
        try ReportWriter.write(to: file.path) { try JSONReport.write(result, to: &$0) }
        return Array(try Data(contentsOf: file))
    }

    func testStreamedBytesEqualTheDocument() throws {
        let result = ReportFixtures.result()
        XCTAssertFalse(result.workarounds.isEmpty)
        XCTAssertFalse(result.users.isEmpty)
        XCTAssertEqual(try streamed(result), JSONReport.document(result).serializedBytes())
    }

    func testEmptyRowsAndManyRowsPastTheFlushThreshold() throws {
        var result = ReportFixtures.result()
        result.workarounds = []
        result.users = []
        let empty = try streamed(result)
        XCTAssertEqual(empty, JSONReport.document(result).serializedBytes())
        XCTAssertTrue(String(decoding: empty, as: UTF8.self).contains("\"workarounds\": []"))

        // Enough rows to flush several times mid-array.
        let row = ReportFixtures.result().workarounds[0]
        result.workarounds = (0..<12_000).map { i in var w = row; w.identity = "user-\(i)"; w.count = Int64(i); return w }
        let many = try streamed(result)
        XCTAssertGreaterThan(many.count, 3 * JSONOutput.flushThreshold)
        XCTAssertEqual(many, JSONReport.document(result).serializedBytes())
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(many)))
    }

    /// A new report gets the permissions of any new file (0666 less the umask), not mkstemp's 0600.
    func testNewReportsFollowTheUmask() throws {
        let file = TestSupport.temporaryDirectory().appendingPathComponent("report.json")
        try ReportWriter.write("{}\n", to: file.path)
        let mask = umask(0); umask(mask)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o666 & ~Int(mask))
    }

    func testAFailedWriteLeavesTheOldFileAndNoTemporary() throws {
        let dir = TestSupport.temporaryDirectory()
        let file = dir.appendingPathComponent("report.json")
        try Data("old\n".utf8).write(to: file)
        struct Stop: Error {}
        XCTAssertThrowsError(try ReportWriter.write(to: file.path) { out in
            try JSONReport.write(ReportFixtures.result(), to: &out)
            throw Stop()
        })
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["report.json"])
        XCTAssertThrowsError(try ReportWriter.write(to: dir.appendingPathComponent("missing/report.json").path) { _ in })
    }

    func testIntegersAndTimestampsWrittenAsBytes() {
        for value: Int64 in [0, 7, -7, 10, 999_999, -1_000_000, .max, .min, .min + 1] {
            var out: [UInt8] = []
            JSONValue.writeInt(value, into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(value))
        }
        XCTAssertEqual(CivilTime.iso8601(millis: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(CivilTime.iso8601(millis: 1_794_038_400_123), "2026-11-07T08:00:00.123Z")
        XCTAssertEqual(CivilTime.iso8601(millis: -1), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(CivilTime.iso8601(millis: 253_402_300_800_000), "10000-01-01T00:00:00.000Z")
    }

    /// `--json /dev/null` (or a FIFO) is written in place: renaming a temporary file over it would
    /// replace the device with a regular file.
    func testDeviceTargetsAreWrittenInPlace() throws {
        var before = stat()
        guard stat("/dev/null", &before) == 0, (before.st_mode & S_IFMT) == S_IFCHR else { throw XCTSkip("no /dev/null device here") }
        try ReportWriter.write(to: "/dev/null") { try JSONReport.write(ReportFixtures.result(), to: &$0) }
        try ReportWriter.write("text\n", to: "/dev/null")
        var after = stat()
        XCTAssertEqual(stat("/dev/null", &after), 0)
        XCTAssertEqual(after.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a character device")
        XCTAssertEqual(after.st_rdev, before.st_rdev)
    }
}
