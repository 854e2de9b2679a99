import XCTest
@testable import ShadowScanCore

/// Property tests of the four mail parsers: random bytes and mutations of real lines give events,
/// a skip or a rejection — never a crash — and every event's bytes lie inside its buffer, bounded.
final class PostfixEximExchangeFuzzTests: XCTestCase {
    struct SplitMix { var state: UInt64; mutating func next() -> UInt64 { state &+= 0x9E3779B97F4A7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31) } }

    static let seeds = [
        "Mar 14 00:08:36 gw postfix/smtp[302615]: 4PbC4x469Jz3tBr: to=<janesmith1975@gmail.com>, orig_to=<jane.smith@council.gov.uk>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 OK)",
        "2023-03-14T00:08:33.787870+01:00 helga postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: from=<ajmyjyz@nistoresio.co.cz>, size=175061, nrcpt=1 (queue active)",
        "2023-03-14T00:08:35.948047+01:00 helga postfix/amavis/smtp[302609]: 4PbC4x469Jz3tBr: to=<u@x.net>, relay=127.0.0.1[127.0.0.1]:10024, status=sent (250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3)",
        "2019-05-15 11:22:25.123 +0200 [42] 1hQkUr-0016NY-2h => jim1975@gmail.com (jim@h.ex) <J@h.ex> R=redirect T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.1.26]",
        "1999-03-02 09:44:33 10HmaY-000000005vi-0000 <= userx@test.ex H=(test) [V4NET.0.0.0] U=CALLER P=smtp S=1234",
        ExchangeTrackingParserTests.row("2024-01-07T00:00:07.463Z", "REDIRECT", "<m1@c>", "a@gmail.com;b@x.example", "38663", "c@council.gov.uk", related: "d@council.gov.uk"),
        #""o","x","False","c","<b@c>","9/5/2022 6:10:13 PM","a@council.gov.uk","x@gmx.de","s, t","Failed","","","10","id","","","1""#,
    ]

    func testRandomAndMutatedLinesNeverCrash() {
        var rng = SplitMix(state: 7)
        let m365Header = Array(#""Organization","MessageId","Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageTraceId""#.utf8)
        var postfix = PostfixParser(), exim = EximParser()
        var exchange = ExchangeTrackingParser(header: Array(ExchangeTrackingParserTests.fields2013.utf8))
        var m365 = M365MessageTraceParser(header: m365Header)
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            if iteration % 3 == 0 {
                bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }.filter { $0 != 0x0A }
            } else {
                bytes = Array(Self.seeds[Int(rng.next() % UInt64(Self.seeds.count))].utf8)
                for _ in 0..<Int(1 + rng.next() % 5) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.remove(at: at)
                    case 2: bytes.removeLast(min(bytes.count - at, Int(rng.next() % 40)))
                    default: bytes.insert([0x20, 0x22, 0x3C, 0x3E, 0x2C, 0x3B, 0x3A, 0x28, 0x29, 0x23][Int(rng.next() % 10)], at: at)
                    }
                }
            }
            var buffer = MailEventBuffer()
            bytes.withUnsafeBytes { line in
                _ = postfix.parse(line, into: &buffer)
                _ = exim.parse(line, into: &buffer)
                _ = exchange.parse(line, into: &buffer)
                _ = m365.parse(line, into: &buffer)
            }
            for e in buffer.events {
                for ref in [e.key, e.address, e.original, e.next] {
                    XCTAssert(Int(ref.offset) + Int(ref.count) <= buffer.arena.count, "reference out of the arena for \(bytes)")
                    XCTAssertLessThanOrEqual(Int(ref.count), MailEventBuffer.maxValueLength + 65)
                }
                XCTAssertLessThanOrEqual(Int(e.address.count), MailEventBuffer.maxValueLength)
            }
        }
    }

    /// Feeding the same lines one at a time or all at once gives the same events (no state leaks
    /// between lines except the header a CSV file declares).
    func testLineByLineEqualsOneBuffer() {
        var whole = MailEventBuffer()
        var parser = PostfixParser()
        var single: [ReadableMailEvent] = []
        for line in Self.seeds {
            _ = Array(line.utf8).withUnsafeBytes { parser.parse($0, into: &whole) }
            single += MailTest.parse(PostfixParser(), line).1
        }
        XCTAssertEqual(MailTest.readable(whole), single)
    }
}
