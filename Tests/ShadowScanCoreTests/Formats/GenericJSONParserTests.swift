import XCTest
@testable import ShadowScanCore

final class GenericJSONParserTests: XCTestCase {
    func testECSDefaultsNestedAndFlattened() throws {
        let nested = #"{"@timestamp":"2026-11-02T07:00:01.123Z","source":{"ip":"10.1.2.3"},"user":{"name":"CORP\\jsmith"},"url":{"original":"https:\/\/www.dropbox.com\/home","domain":"www.dropbox.com"},"http":{"request":{"method":"POST","bytes":420},"response":{"status_code":200,"bytes":5123}},"event":{"action":"allowed"},"tags":["a","b"]}"#
        let p = try XCTUnwrap(TestSupport.parse(GenericJSONParser(), nested))
        XCTAssertEqual([p.client, p.user, p.method, p.host, p.url], ["10.1.2.3", "CORP\\jsmith", "POST", "www.dropbox.com", "https://www.dropbox.com/home"])
        XCTAssertEqual(p.record.bytesFromClient, 420)
        XCTAssertEqual(p.record.bytesToClient, 5123)
        XCTAssertEqual(p.record.timeMillis, 1_793_602_801_123)
        let flat = #"{"@timestamp":1793602801,"source.ip":"10.1.2.3","url.domain":"mega.nz","event.action":"Blocked"}"#
        let q = try XCTUnwrap(TestSupport.parse(GenericJSONParser(), flat))
        XCTAssertEqual([q.host, q.url], ["mega.nz", "mega.nz:443"])
        XCTAssertTrue(q.record.hostOnly, "only a host: host-only")
        XCTAssertEqual(q.record.action, .denied)
        XCTAssertEqual(q.record.timeMillis, 1_793_602_801_000)
    }

    func testCommandLineAndYAMLMaps() throws {
        let map = try JSONFieldMap(commandLine: "time=ts,user=who.login,url=req.url,action=verdict,bytes_out=req.size,denied=nope|stop")
        let p = try XCTUnwrap(TestSupport.parse(GenericJSONParser(map: map), #"{"ts":"2026-11-02 07:00:01","who":{"login":"ann"},"req":{"url":"http://x.example.com/a","size":"77"},"verdict":"STOP"}"#))
        XCTAssertEqual([p.user, p.host], ["ann", "x.example.com"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.bytesFromClient, 77)
        let yaml = try JSONFieldMap(yaml: "time: ts\nuser: who.login\nurl: req.url\naction: verdict\nbytes_out: req.size\ndenied: [nope, stop]\n", file: "map.yaml")
        XCTAssertEqual(yaml, map)
        XCTAssertThrowsError(try JSONFieldMap(commandLine: "colour=x.y,url=u")) { XCTAssertTrue("\($0)".contains("unknown field 'colour'")) }
        XCTAssertThrowsError(try JSONFieldMap(commandLine: "user=u")) { XCTAssertTrue("\($0)".contains("give at least 'url' or 'host'")) }
        XCTAssertThrowsError(try JSONFieldMap(yaml: "url: [1, 2]\n", file: "m.yaml")) { XCTAssertTrue("\($0)".contains("m.yaml:1:1: 'url' must be a JSON path")) }
        XCTAssertNil(TestSupport.parse(GenericJSONParser(map: map), #"{"ts":"2026-11-02 07:00:01","who":{"login":"ann"}}"#), "no URL or host")
        XCTAssertNil(TestSupport.parse(GenericJSONParser(map: map), #"{"ts":"2026-11-02 07:00:01","req":{"url":"http://x/"#), "truncated")
    }
}
