import XCTest
@testable import ShadowScanCore

final class DailyCountsTests: XCTestCase {
    /// Three UTC days, out of order across the file, with known counts per (day, service).
    static func lines() -> [String] {
        let day0: Int64 = 1_794_009_600 // 2026-11-07T00:00:00Z
        func line(_ day: Int64, _ second: Int64, _ code: String, _ url: String, _ user: String) -> String {
            "\(day0 + day * 86_400 + second).000 1 10.0.0.1 \(code) 100 GET \(url) \(user) HIER_DIRECT/1.1.1.1 -"
        }
        var out: [String] = []
        for i in 0..<30 {
            out.append(line(0, Int64(i), "TCP_MISS/200", "https://www.dropbox.com/a", "u\(i % 6)"))
            out.append(line(2, Int64(i), i % 3 == 0 ? "TCP_DENIED/403" : "TCP_MISS/200", "https://www.dropbox.com/b", "u\(i % 2)"))
            out.append(line(1, 86_399 - Int64(i), "TCP_MISS/200", "https://gist.github.com/x", "v\(i % 4)"))
            out.append(line(1, 10, "TCP_MISS/200", "https://unrelated.example/", "w"))
        }
        return out
    }

    func analyse(workers: Int, blockSize: Int) throws -> AnalysisResult {
        let file = TestSupport.temporaryDirectory().appendingPathComponent("access.log")
        try (Self.lines().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        return Analyzer(catalog: catalog, options: AnalysisOptions(workers: workers, blockSize: blockSize, format: .squidNative)).run(paths: [file.path])
    }

    func testCountsPerDayAndService() throws {
        let r = try analyse(workers: 1, blockSize: 1 << 20)
        XCTAssertEqual(r.timeline.map(\.date), ["2026-11-07", "2026-11-08", "2026-11-09"], "oldest first")
        XCTAssertEqual(r.timeline.map(\.requests), [30, 30, 30])
        XCTAssertEqual(r.timeline.map(\.denied), [0, 0, 10])
        XCTAssertEqual(r.timeline.map(\.users), [6, 4, 2])
        XCTAssertEqual(r.timeline[1].services.map(\.service), ["github-gist"])
        XCTAssertEqual(r.timeline[2].services.first?.users, 2)
        XCTAssertEqual(r.totals.timelineOverflow, 0)
        XCTAssertEqual(r.timeline.reduce(0) { $0 + $1.requests }, r.totals.matched, "every catalogue request is on one day")
    }

    func testSameTimelineForAnyWorkerCountAndBlockSize() throws {
        let reference = JSONReport.timelineSection(try analyse(workers: 1, blockSize: 1 << 20).timeline)
        for (workers, blockSize) in [(2, 300), (3, 97), (8, 1024)] {
            XCTAssertEqual(JSONReport.timelineSection(try analyse(workers: workers, blockSize: blockSize).timeline), reference, "\(workers) workers, \(blockSize) B blocks")
        }
    }

    func testDayNumbersAndDates() {
        XCTAssertEqual(DailyCounts.day(ofMillis: 0), 0)
        XCTAssertEqual(DailyCounts.day(ofMillis: 86_399_999), 0)
        XCTAssertEqual(DailyCounts.day(ofMillis: -1), -1, "floor, not truncation")
        XCTAssertEqual(DailyMerge.date(20_399), "2025-11-07")
        XCTAssertEqual(DailyMerge.date(-1), "1969-12-31")
    }

    func testDayLimitBoundsMemory() {
        var counts = DailyCounts(serviceCount: 2)
        for day in 0..<Int64(DailyCounts.maxDays + 10) {
            counts.add(timeMillis: day * 86_400_000, service: 1, user: 0, denied: false)
        }
        XCTAssertEqual(counts.days.count, DailyCounts.maxDays)
        XCTAssertEqual(counts.overflow, 10)
    }
}
