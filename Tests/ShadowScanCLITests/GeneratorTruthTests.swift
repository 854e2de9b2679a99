import Foundation
import XCTest

/// The CLI's counts on generated logs must equal the generator's own truth, exactly, in every format
/// and for any worker count.
final class GeneratorTruthTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path

    func assertMatchesTruth(report: [String: Any], truth: [String: Any], _ label: String) throws {
        let truthTotals = try XCTUnwrap(truth["totals"] as? [String: Any])
        let totals = try XCTUnwrap(report["totals"] as? [String: Any])
        for key in ["lines", "records", "malformed", "matched", "bytes"] {
            XCTAssertEqual(totals[key] as? Int, truthTotals[key] as? Int, "\(label): totals.\(key)")
        }
        let services = try XCTUnwrap(report["services"] as? [[String: Any]])
        let truthServices = try XCTUnwrap(truth["services"] as? [[String: Any]])
        XCTAssertEqual(services.map { $0["id"] as! String }, truthServices.map { $0["id"] as! String }, "\(label): services and their order")
        let byID = Dictionary(uniqueKeysWithValues: services.map { ($0["id"] as! String, $0) })
        for expected in truthServices {
            let id = expected["id"] as! String
            let got = try XCTUnwrap(byID[id], "\(label): service \(id) missing")
            for (key, value) in expected {
                XCTAssertEqual("\(got[key] ?? "absent")", "\(value)", "\(label): \(id).\(key)")
            }
        }
        let users = try XCTUnwrap(report["users"] as? [[String: Any]])
        let truthUsers = try XCTUnwrap(truth["users"] as? [[String: Any]])
        XCTAssertEqual(users.count, truthUsers.count, "\(label): users")
        let usersByName = Dictionary(uniqueKeysWithValues: users.map { ($0["user"] as! String, $0) })
        for expected in truthUsers {
            let name = expected["user"] as! String
            let got = try XCTUnwrap(usersByName[name], "\(label): user \(name) missing")
            XCTAssertEqual(got["requests"] as? Int, expected["requests"] as? Int, "\(label): \(name).requests")
            XCTAssertEqual(got["denied"] as? Int, expected["denied"] as? Int, "\(label): \(name).denied")
            XCTAssertEqual(got["services"] as? [String], expected["services"] as? [String], "\(label): \(name).services")
        }
    }

    func testCommittedSamplesMatchTheirTruth() throws {
        for format in ["squid-native", "squid-common", "squid-combined"] {
            let log = CLI.packageRoot.appendingPathComponent("SampleLogs/\(format).log").path
            let truth = try CLI.json(CLI.packageRoot.appendingPathComponent("Tests/Fixtures/samples/\(format).truth.json"))
            let out = try CLI.run(["analyse", log, "--rules", rules, "--json", "-", "--quiet", "--identities", "plain"])
            XCTAssertEqual(out.status, 0, out.stderr)
            try assertMatchesTruth(report: try CLI.json(out.stdout), truth: truth, format)
        }
    }

    func testFreshLogsInEveryFormatAndWorkerCount() throws {
        let dir = CLI.temporaryDirectory()
        for (seed, format) in [(11, "squid-native"), (12, "squid-common"), (13, "squid-combined")] {
            let log = dir.appendingPathComponent("\(format).log"), truth = dir.appendingPathComponent("\(format).truth.json")
            let gen = try CLI.run(["--rules", rules, "--seed", "\(seed)", "--lines", "20000", "--format", format,
                                   "--out", log.path, "--truth", truth.path, "--oversized", "2"], tool: "shadowscan-loggen")
            XCTAssertEqual(gen.status, 0, gen.stderr)
            var outputs: [String] = []
            for workers in [1, 2, 8] {
                let out = try CLI.run(["analyse", log.path, "--rules", rules, "--workers", "\(workers)", "--block-size", "300000", "--json", "-", "--quiet", "--identities", "plain"])
                XCTAssertEqual(out.status, 0, out.stderr)
                try assertMatchesTruth(report: try CLI.json(out.stdout), truth: try CLI.json(truth), "\(format) workers \(workers)")
                outputs.append(out.stdout)
            }
            XCTAssertEqual(Set(outputs).count, 1, "\(format): output differs between worker counts")
            let report = try CLI.json(outputs[0])
            XCTAssertEqual((report["totals"] as? [String: Any])?["oversized"] as? Int, 2)
        }
    }
}
