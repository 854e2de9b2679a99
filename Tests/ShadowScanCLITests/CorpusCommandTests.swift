import Foundation
import XCTest

/// Runs the CLI over the real logs in ../shared/corpus; skipped, saying so, when the corpus is absent.
final class CorpusCommandTests: XCTestCase {
    func testSquidCorpusFolders() throws {
        let folder = CLI.corpus.appendingPathComponent("squid-native")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("corpus not found at \(CLI.corpus.path): corpus tests skipped")
        }
        let out = try CLI.run(["analyse", folder.path, CLI.corpus.appendingPathComponent("squid-combined").path,
                               "--rules", CLI.packageRoot.appendingPathComponent("Rules").path, "--json", "-", "--quiet"])
        // The folder also holds test-case JSON and a cache.log: named, skipped, exit 1.
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("datadog-squid-cachelog-samples.EXTRACTED.log: not in a known log format (first line: \"2019/10/11 09:14:49 kid1| Accepting HTTP"), out.stderr)
        let doc = try CLI.json(out.stdout)
        let services = try XCTUnwrap(doc["services"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: services.map { ($0["id"] as! String, $0) })
        XCTAssertEqual(byID["google-drive"]?["requests"] as? Int, 43, "42 in access4 and 1 in access3")
        XCTAssertEqual(byID["facebook"]?["requests"] as? Int, 4)
        XCTAssertEqual(byID["yahoo-mail"]?["users"] as? Int, 1)
        let totals = try XCTUnwrap(doc["totals"] as? [String: Any])
        XCTAssertEqual(totals["malformed"] as? Int, 27, "9 fail2ban comments/blanks, 16 netdata junk lines, 2 Sekoia lines with a foreign date")
    }
}
