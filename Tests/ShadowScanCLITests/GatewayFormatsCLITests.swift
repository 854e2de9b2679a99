import Foundation
import XCTest

/// Gateway formats end to end: generated logs in each format against their truth, the same traffic in
/// every format giving the same counts, `formats` and `formats detect`, and `--field-map`.
final class GatewayFormatsCLITests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    static let gatewayFormats = ["w3c", "zscaler-nss-json", "skyhigh-web-gateway"]

    func generate(_ format: String, seed: Int, lines: Int, in dir: URL, oversized: Int = 0) throws -> (log: URL, truth: [String: Any]) {
        let log = dir.appendingPathComponent("\(format)-\(seed).log"), truth = dir.appendingPathComponent("\(format)-\(seed).truth.json")
        let gen = try CLI.run(["--rules", rules, "--seed", "\(seed)", "--lines", "\(lines)", "--format", format,
                               "--out", log.path, "--truth", truth.path, "--oversized", "\(oversized)"], tool: "shadowscan-loggen")
        XCTAssertEqual(gen.status, 0, gen.stderr)
        return (log, try CLI.json(truth))
    }

    func analyse(_ path: String, workers: Int = 2, extra: [String] = []) throws -> [String: Any] {
        let out = try CLI.run(["analyse", path, "--rules", rules, "--workers", "\(workers)", "--block-size", "300000", "--json", "-", "--quiet"] + extra)
        XCTAssertEqual(out.status, 0, out.stderr)
        return try CLI.json(out.stdout)
    }

    func assertMatchesTruth(_ report: [String: Any], _ truth: [String: Any], _ label: String) throws {
        let totals = try XCTUnwrap(report["totals"] as? [String: Any])
        for (key, value) in try XCTUnwrap(truth["totals"] as? [String: Any]) {
            XCTAssertEqual("\(totals[key] ?? "absent")", "\(value)", "\(label): totals.\(key)")
        }
        let services = Dictionary(uniqueKeysWithValues: try XCTUnwrap(report["services"] as? [[String: Any]]).map { ($0["id"] as! String, $0) })
        let truthServices = try XCTUnwrap(truth["services"] as? [[String: Any]])
        XCTAssertEqual(services.count, truthServices.count, "\(label): services")
        for expected in truthServices {
            let id = expected["id"] as! String
            let got = try XCTUnwrap(services[id], "\(label): \(id) missing")
            for (key, value) in expected { XCTAssertEqual("\(got[key] ?? "absent")", "\(value)", "\(label): \(id).\(key)") }
        }
        let users = try XCTUnwrap(report["users"] as? [[String: Any]])
        XCTAssertEqual(users.count, (truth["users"] as? [[String: Any]])?.count, "\(label): users")
    }

    func testGeneratedGatewayLogsMatchTheirTruthForAnyWorkerCount() throws {
        let dir = CLI.temporaryDirectory()
        for (seed, format) in zip([31, 32, 33], Self.gatewayFormats) {
            let (log, truth) = try generate(format, seed: seed, lines: 20_000, in: dir, oversized: 2)
            var outputs: [String] = []
            for workers in [1, 2, 8] {
                let out = try CLI.run(["analyse", log.path, "--rules", rules, "--workers", "\(workers)", "--block-size", "300000", "--json", "-", "--quiet"])
                XCTAssertEqual(out.status, 0, out.stderr)
                let report = try CLI.json(out.stdout)
                try assertMatchesTruth(report, truth, "\(format) workers \(workers)")
                XCTAssertEqual((report["inputs"] as? [[String: Any]])?.first?["format"] as? String, format, "detected")
                outputs.append(out.stdout)
            }
            XCTAssertEqual(Set(outputs).count, 1, "\(format): output differs between worker counts")
        }
    }

    /// One seed, four layouts: the per-service counts are the same; only what a format cannot show
    /// differs (request sizes are null for Squid; times lose their milliseconds in second-precision formats).
    func testSameTrafficInEveryFormatGivesTheSamePerServiceCounts() throws {
        let dir = CLI.temporaryDirectory()
        let lines = 12_000
        let (squidLog, squidTruth) = try generate("squid-native", seed: 77, lines: lines, in: dir)
        var reports: [String: [String: Any]] = ["squid-native": try analyse(squidLog.path)]
        for format in Self.gatewayFormats {
            // W3C's header lines count as lines: give them room so the data lines are the same.
            let headerLines = format == "w3c" ? 8 : 0
            let (log, truth) = try generate(format, seed: 77, lines: lines + headerLines, in: dir)
            XCTAssertEqual((truth["totals"] as? [String: Any])?["records"] as? Int, (squidTruth["totals"] as? [String: Any])?["records"] as? Int, format)
            reports[format] = try analyse(log.path)
        }
        func services(_ format: String) -> [String: [String: Any]] {
            Dictionary(uniqueKeysWithValues: (reports[format]!["services"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
        }
        let reference = services("squid-native")
        XCTAssertGreaterThan(reference.count, 50)
        for format in Self.gatewayFormats {
            let got = services(format)
            XCTAssertEqual(Set(got.keys), Set(reference.keys), format)
            for (id, expected) in reference {
                for key in ["requests", "allowed", "denied", "challenges", "users", "uploads", "bytes_in", "host_only_requests"] {
                    XCTAssertEqual(got[id]?[key] as? Int, expected[key] as? Int, "\(format): \(id).\(key)")
                }
                XCTAssertTrue(expected["bytes_out"] is NSNull, "Squid logs no request size")
                XCTAssertEqual(got[id]?["bytes_out"] as? Int, services("w3c")[id]?["bytes_out"] as? Int, "\(format): \(id).bytes_out")
                XCTAssertNotNil(got[id]?["bytes_out"] as? Int, "\(format): \(id).bytes_out")
            }
            let users = { (f: String) in Set((reports[f]!["users"] as! [[String: Any]]).map { "\($0["user"]!) \($0["requests"]!) \($0["denied"]!)" }) }
            XCTAssertEqual(users(format), users("squid-native"), "\(format): users")
        }
    }

    func testFormatsListAndDetect() throws {
        let list = try CLI.run(["formats"])
        XCTAssertEqual(list.status, 0)
        for name in ["squid-native", "w3c", "bluecoat-w3c", "bluecoat-kv", "cisco-wsa", "zscaler-nss-json", "zscaler-nss-csv", "zscaler-nss-kv",
                     "fortigate", "skyhigh-web-gateway", "forcepoint-csv", "cef", "paloalto-url", "squidguard", "ufdbguard", "json"] {
            XCTAssertTrue(list.stdout.contains("\n" + name + " "), "formats lists \(name)")
        }
        let fields = try CLI.run(["formats", "list", "--fields", "--json"])
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(fields.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.first { $0["name"] as? String == "zscaler-nss-json" }?["request_size"] as? String, "yes")

        let dir = CLI.temporaryDirectory()
        var logs: [String: URL] = [:]
        for format in Self.gatewayFormats + ["squid-native"] { logs[format] = try generate(format, seed: 5, lines: 300, in: dir).log }
        let junk = dir.appendingPathComponent("notes.txt")
        try "meeting notes\nnothing to see\n".write(to: junk, atomically: true, encoding: .utf8)
        let detect = try CLI.run(["formats", "detect", dir.path])
        XCTAssertEqual(detect.status, 1, "a file in no known format makes the exit status 1")
        for (format, log) in logs {
            XCTAssertTrue(detect.stdout.contains("\(log.path): \(format) ("), "\(format):\n\(detect.stdout)")
        }
        XCTAssertTrue(detect.stdout.contains(#"notes.txt: not in a known log format (first line: "meeting notes")"#), detect.stdout)
        XCTAssertTrue(detect.stdout.contains("lines after 4 header lines parse as w3c"), detect.stdout)
        let one = try CLI.run(["formats", "detect", "--json", "--scores", logs["skyhigh-web-gateway"]!.path])
        XCTAssertEqual(one.status, 0)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.first?["format"] as? String, "skyhigh-web-gateway")
        XCTAssertEqual((rows.first?["scores"] as? [String: Int])?["squid-native"], 0)
    }

    func testGenericJSONWithAFieldMap() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir.appendingPathComponent("export.json")
        try """
            {"ts":"2026-11-02T07:00:01Z","who":{"login":"ann"},"req":{"url":"https://www.dropbox.com/home","size":300},"verdict":"allowed"}
            {"ts":"2026-11-02T07:00:02Z","who":{"login":"ann"},"req":{"url":"https://www.dropbox.com/s/abc","size":200},"verdict":"STOP"}
            {"ts":"2026-11-02T07:00:03Z","who":{"login":"bob"},"req":{"url":"https://mega.nz/file/x","size":100},"verdict":"allowed"}

            """.write(to: log, atomically: true, encoding: .utf8)
        let map = "time=ts,user=who.login,url=req.url,bytes_out=req.size,action=verdict,denied=stop"
        let report = try analyse(log.path, extra: ["--log-format", "json", "--field-map", map])
        let dropbox = try XCTUnwrap((report["services"] as? [[String: Any]])?.first { $0["id"] as? String == "dropbox" })
        XCTAssertEqual(dropbox["requests"] as? Int, 2)
        XCTAssertEqual(dropbox["denied"] as? Int, 1)
        XCTAssertEqual(dropbox["bytes_out"] as? Int, 500)
        // The same map as YAML, and auto-detection with it.
        let yaml = dir.appendingPathComponent("map.yaml")
        try "time: ts\nuser: who.login\nurl: req.url\nbytes_out: req.size\naction: verdict\ndenied: [stop]\n".write(to: yaml, atomically: true, encoding: .utf8)
        let viaFile = try analyse(log.path, extra: ["--field-map-file", yaml.path])
        XCTAssertEqual((viaFile["inputs"] as? [[String: Any]])?.first?["format"] as? String, "json")
        XCTAssertEqual((viaFile["services"] as? [[String: Any]])?.first { $0["id"] as? String == "dropbox" }?["denied"] as? Int, 1)
        // A bad map is a usage error: exit 2, nothing written.
        let out = dir.appendingPathComponent("report.json")
        let bad = try CLI.run(["analyse", log.path, "--rules", rules, "--field-map", "colour=x", "--json", out.path, "--quiet"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("unknown field 'colour'"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
