import XCTest
@testable import ShadowScanCore

/// What each service result says the logs could show: URL or host only, request sizes or not.
final class ServiceFidelityTests: XCTestCase {
    func testMixedFormatsAndVisibility() throws {
        let dir = TestSupport.temporaryDirectory()
        // Squid native: one CONNECT (host only), no request sizes.
        try "1794038401.004  60012 10.1.2.3 TCP_TUNNEL/200 48213 CONNECT www.dropbox.com:443 jsmith HIER_DIRECT/162.125.1.18 -\n"
            .write(to: dir.appendingPathComponent("a-squid.log"), atomically: true, encoding: .utf8)
        // Zscaler: one full URL with a request size; gist only through Squid.
        try #"{"sourcetype":"zscalernss-web","event":{"time":"Fri Dec 31 07:07:07 2021","login":"bob","proto":"HTTPS","eurl":"www.dropbox.com/home","action":"Allowed","reqsize":"700","respsize":"65","cip":"10.0.0.1","reqmethod":"GET","respcode":"200"}}"#
            .appending("\n").write(to: dir.appendingPathComponent("b-nss.json"), atomically: true, encoding: .utf8)
        try "1794038405.000     10 10.1.2.7 TCP_MISS/200 100 GET https://gist.github.com/x bob HIER_DIRECT/1.1.1.1 -\n"
            .write(to: dir.appendingPathComponent("c-squid.log"), atomically: true, encoding: .utf8)
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [dir.path])
        XCTAssertEqual(result.inputs.map(\.format), [.squidNative, .zscalerJSON, .squidNative])
        let dropbox = try XCTUnwrap(result.services.first { $0.id == "dropbox" })
        XCTAssertEqual(dropbox.fidelity, ServiceFidelity(requests: 2, url: 1, hostOnly: 1, requestSizeKnown: 1))
        XCTAssertEqual([dropbox.fidelity.visibility, dropbox.fidelity.uploadBytes], ["mixed", "partial"])
        XCTAssertEqual(dropbox.bytesOut, 700, "the one known request size, never an invented one")
        let gist = try XCTUnwrap(result.services.first { $0.id == "github-gist" })
        XCTAssertEqual([gist.fidelity.visibility, gist.fidelity.uploadBytes], ["url", "unknown"])
        XCTAssertNil(gist.bytesOut)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONReport.document(result).serialized().utf8)) as? [String: Any])
        let services = try XCTUnwrap(doc["services"] as? [[String: Any]])
        let fidelity = try XCTUnwrap(services.first { $0["id"] as? String == "dropbox" }?["fidelity"] as? [String: Any])
        XCTAssertEqual(fidelity["visibility"] as? String, "mixed")
        XCTAssertEqual(fidelity["url"] as? Int, 1)
        XCTAssertEqual(fidelity["host_only"] as? Int, 1)
        XCTAssertEqual(fidelity["request_size_known"] as? Int, 1)
        XCTAssertEqual(fidelity["upload_bytes"] as? String, "partial")
    }
}
