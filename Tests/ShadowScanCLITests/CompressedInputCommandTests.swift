import Foundation
import XCTest

/// `shadowscan analyse` on compressed and rotated logs as they lie on disk, made with the real
/// command-line tools (gzip is in every Debian; the others are used when installed).
final class CompressedInputCommandTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    let sample = CLI.packageRoot.appendingPathComponent("SampleLogs/squid-native.log")
    var sampleLines: Int { (try? Data(contentsOf: sample))?.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } ?? -1 }

    /// Runs a shell command line; the test fails if it does.
    func sh(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, command)
    }

    func hasTool(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    func inputs(_ doc: [String: Any]) throws -> [[String: Any]] { try XCTUnwrap(doc["inputs"] as? [[String: Any]]) }
    func totals(_ doc: [String: Any]) throws -> [String: Int] { try XCTUnwrap(doc["totals"] as? [String: Int]) }

    func testRotatedDirectoryIsReadOldestFirstAndCountsLikeThePlainLog() throws {
        let dir = CLI.temporaryDirectory()
        let logs = dir.appendingPathComponent("squid")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        // The sample split in four rotations: the oldest lines in access.log.3.gz.
        let s = sample.path, l = logs.path
        try sh("""
            sed -n '1,1000p' '\(s)' | gzip -c > '\(l)/access.log.3.gz' && \
            sed -n '1001,2500p' '\(s)' | gzip -9 -c > '\(l)/access.log.2.gz' && \
            sed -n '2501,4000p' '\(s)' > '\(l)/access.log.1' && \
            sed -n '4001,$p' '\(s)' > '\(l)/access.log'
            """)
        let whole = try CLI.run(["analyse", s, "--rules", rules, "--json", "-", "--quiet"])
        let rotated = try CLI.run(["analyse", l, "--rules", rules, "--json", "-", "--quiet"])
        XCTAssertEqual(rotated.status, 0, rotated.stderr)
        let a = try CLI.json(whole.stdout), b = try CLI.json(rotated.stdout)
        XCTAssertEqual(try inputs(b).map { ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } },
                       ["access.log.3.gz", "access.log.2.gz", "access.log.1", "access.log"])
        XCTAssertEqual(try inputs(b).map { $0["compression"] as? String ?? "plain" }, ["gzip", "gzip", "plain", "plain"])
        XCTAssertEqual(try inputs(b).map { $0["lines"] as? Int }, [1000, 1500, 1500, sampleLines - 4000])
        var wholeTotals = try totals(a), rotatedTotals = try totals(b)
        XCTAssertEqual(wholeTotals.removeValue(forKey: "input_bytes"), rotatedTotals.removeValue(forKey: "input_bytes"), "decompressed bytes")
        XCTAssertEqual(wholeTotals, rotatedTotals)
        for key in ["services", "categories", "users", "unknown_domains"] {
            XCTAssertEqual(try JSONSerialization.data(withJSONObject: a[key]!, options: .sortedKeys),
                           try JSONSerialization.data(withJSONObject: b[key]!, options: .sortedKeys), key)
        }
    }

    func testGzipOnStandardInputIsRecognisedByItsMagic() throws {
        let dir = CLI.temporaryDirectory()
        let gz = dir.appendingPathComponent("in.gz")
        try sh("gzip -c '\(sample.path)' > '\(gz.path)'")
        let out = try CLI.run(["analyse", "-", "--rules", rules, "--json", "-", "--quiet"], stdin: try Data(contentsOf: gz))
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try CLI.json(out.stdout)
        XCTAssertEqual(try inputs(doc).first?["compression"] as? String, "gzip")
        XCTAssertEqual(try inputs(doc).first?["format"] as? String, "squid-native")
        XCTAssertEqual(try totals(doc)["lines"], sampleLines)
        XCTAssertEqual(try totals(doc)["input_bytes"], try FileManager.default.attributesOfItem(atPath: sample.path)[.size] as? Int)
    }

    func testTruncatedGzipExitsOneNamesTheOffsetAndKeepsTheRecordsBeforeIt() throws {
        let dir = CLI.temporaryDirectory()
        let gz = dir.appendingPathComponent("access.log.1.gz")
        try sh("gzip -c '\(sample.path)' | head -c 80000 > '\(gz.path)'")
        let json = dir.appendingPathComponent("r.json")
        let out = try CLI.run(["analyse", gz.path, "--rules", rules, "--json", json.path])
        XCTAssertEqual(out.status, 1, out.stderr)
        let input = try XCTUnwrap(try inputs(try CLI.json(json)).first)
        let bytes = try XCTUnwrap(input["bytes"] as? Int)
        XCTAssertEqual(input["problem"] as? String, "truncated gzip stream after \(bytes) decompressed bytes")
        XCTAssertTrue(out.stderr.contains("warning: \(gz.path): truncated gzip stream after \(bytes) decompressed bytes"), out.stderr)
        XCTAssertTrue(out.stdout.contains("truncated gzip stream"), "the summary names the damage too")
        XCTAssertGreaterThan(input["records"] as? Int ?? 0, 1000)
        XCTAssertLessThan(input["lines"] as? Int ?? Int.max, sampleLines)
    }

    /// The corpus's real Postfix log comes xz-compressed; PROVENANCE.md states 69,861 decompressed lines.
    func testCorpusXzMailLogIsReadWhole() throws {
        let path = CLI.corpus.appendingPathComponent("postfix/pixelpark-postfix-logsums/mail.log.xz").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("corpus not present at \(CLI.corpus.path); skipping the real xz mail log")
        }
        let out = try CLI.run(["analyse", path, "--rules", rules, "--json", "-", "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let input = try XCTUnwrap(try inputs(try CLI.json(out.stdout)).first)
        XCTAssertEqual(input["compression"] as? String, "xz")
        XCTAssertEqual(input["lines"] as? Int, 69_861)
        XCTAssertTrue(input["problem"] is NSNull)
    }

    func testBzip2XzAndZstdFilesWhereTheToolsAreInstalled() throws {
        let dir = CLI.temporaryDirectory()
        var made: [String] = []
        for (tool, ext) in [("bzip2", "bz2"), ("xz", "xz"), ("zstd", "zst")] where hasTool(tool) {
            let path = dir.appendingPathComponent("access.log.\(ext)").path
            try sh("\(tool) -c -q '\(sample.path)' > '\(path)'")
            made.append(ext)
        }
        guard !made.isEmpty else { throw XCTSkip("none of bzip2, xz, zstd is installed; the core tests cover them in-process") }
        let out = try CLI.run(["analyse", dir.path, "--rules", rules, "--json", "-", "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try CLI.json(out.stdout)
        XCTAssertEqual(try inputs(doc).map { $0["lines"] as? Int }, made.map { _ in sampleLines })
        XCTAssertEqual(try inputs(doc).compactMap { $0["compression"] as? String }.sorted(),
                       made.map { ["bz2": "bzip2", "xz": "xz", "zst": "zstd"][$0]! }.sorted())
    }
}
