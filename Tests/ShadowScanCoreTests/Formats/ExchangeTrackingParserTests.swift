import XCTest
@testable import ShadowScanCore

final class ExchangeTrackingParserTests: XCTestCase {
    static let fields2013 = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"

    /// A 2013+ row: event, message id, recipients (`;`-separated), size, related recipient, sender.
    static func row(_ time: String, _ event: String, _ id: String, _ recipients: String, _ bytes: String, _ sender: String,
                    related: String = "", subject: String = "subject, with a comma") -> String {
        "\(time),10.0.0.1,client,10.0.0.2,EX01,,,SMTP,\(event),1234,\(id),net-id,\(recipients),250 2.1.5 OK,\(bytes),1,\(related),,\"\(subject)\",\(sender),\(sender),,Originating,,,,S:x=y,Email,log-id,15.02.1118.007"
    }

    func testSendAndDeliverRowsUnderAHeader() {
        var parser = ExchangeTrackingParser(header: Array(Self.fields2013.utf8))
        let (outcome, events) = MailTest.parse(&parser, Self.row("2024-01-07T00:00:07.463Z", "SEND", "<m1@council.gov.uk>",
                                                                  "Jane1975@Gmail.com;bob@partner.example", "38663", "jane.smith@council.gov.uk"))
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events.map(\.kind), [.arrival, .delivery, .delivery])
        XCTAssertEqual(events[0].address, "jane.smith@council.gov.uk")
        XCTAssertEqual(events[0].size, 38663)
        XCTAssertEqual(events[0].key, "<m1@council.gov.uk>")
        XCTAssertEqual(events[1].address, "jane1975@gmail.com")
        XCTAssertEqual(events[2].address, "bob@partner.example")
        XCTAssertEqual(events[1].status, .sent)
        XCTAssertEqual(events[1].time, MailTest.millis("2024-01-07T00:00:07.463Z"))
        XCTAssertEqual(events[1].flags & MailEvent.noEndMarker, MailEvent.noEndMarker)
    }

    func testRedirectAndFail() {
        var parser = ExchangeTrackingParser(header: Array(Self.fields2013.utf8))
        let redirect = MailTest.parse(&parser, Self.row("2024-01-07T00:00:07.463Z", "REDIRECT", "<m2@x>", "jane1975@gmail.com", "100", "boss@council.gov.uk",
                                                        related: "jane.smith@council.gov.uk"))
        XCTAssertEqual(redirect.1.last?.forward, .exchangeRedirect)
        XCTAssertEqual(redirect.1.last?.original, "jane.smith@council.gov.uk")
        XCTAssertEqual(redirect.1.last?.status, MailEvent.Status.none)
        let fail = MailTest.parse(&parser, Self.row("2024-01-07T00:00:07.463Z", "FAIL", "<m2@x>", "nobody@gmail.com", "100", "boss@council.gov.uk"))
        XCTAssertEqual(fail.1.last?.status, .bounced)
        XCTAssertEqual(MailTest.parse(&parser, Self.row("2024-01-07T00:00:07.463Z", "EXPAND", "<m2@x>", "a@b", "100", "c@d")).0, .skipped)
    }

    func testHeaderLinesAndAHeaderInTheMiddle() {
        var parser = ExchangeTrackingParser(header: nil)
        XCTAssertEqual(MailTest.parse(&parser, "#Software: Microsoft Exchange Server").0, .skipped)
        // A reordered header takes over for the rows after it.
        XCTAssertEqual(MailTest.parse(&parser, "#Fields: event-id,date-time,sender-address,recipient-address,total-bytes,message-id").0, .skipped)
        let (outcome, events) = MailTest.parse(&parser, "DELIVER,2024-01-07T00:00:07Z,a@council.gov.uk,b@council.gov.uk,12,<id>")
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events.map(\.address), ["a@council.gov.uk", "b@council.gov.uk"])
        XCTAssertEqual(events[0].size, 12)
    }

    func testMalformedRows() {
        var parser = ExchangeTrackingParser(header: Array(Self.fields2013.utf8))
        XCTAssertEqual(MailTest.parse(&parser, "2024-01-07T00:00:07.463Z,\"unclosed,SEND").0, .malformed)
        XCTAssertEqual(MailTest.parse(&parser, Self.row("yesterday", "SEND", "<m>", "a@b", "1", "c@d")).0, .malformed)
        XCTAssertEqual(MailTest.parse(&parser, Self.row("2024-01-07T00:00:07.463Z", "", "<m>", "a@b", "1", "c@d")).0, .malformed)
    }

    /// The corpus holds six header-less rows of real tracking logs (Exchange 2016/2019, 30 fields each).
    func testHeaderlessCorpusRows() throws {
        guard let lines = MailTest.corpusLines("exchange-tracking/elastic-integrations-test-messagetracking.log") else {
            throw XCTSkip("corpus not found at \(TestSupport.corpus.path): Exchange rows not checked")
        }
        XCTAssertEqual(lines.count, 6)
        let (messages, mail, outcomes) = try MailTest.correlate(ExchangeTrackingParser(header: nil), lines)
        // HAREDIRECTFAIL and NOTIFYMAPI are events of no message flow: skipped; none malformed.
        XCTAssertEqual(outcomes, [.skipped, .events, .events, .events, .events, .skipped])
        XCTAssertEqual(mail.messages, 4)
        let send = try XCTUnwrap(messages.first { $0.key == "20240107001234.567E6224C8@monitor.example.com" })
        XCTAssertEqual(send.sender, "support@example.com")
        XCTAssertEqual(send.size, 38663)
        XCTAssertEqual(send.recipients, [FinishedMailMessage.Recipient(address: "uwe.musterman@example.com", status: .sent, forwardedFrom: nil)])
        XCTAssertTrue(send.complete, "Exchange rows have no end marker: never incomplete")
        let external = try XCTUnwrap(messages.first { $0.key == "<1736846922.907742.2942@foo.bar.local>" })
        XCTAssertEqual(external.sender, "", "SENDEXTERNAL with an empty sender-address (return path <>)")
        XCTAssertEqual(external.recipients.first?.status, .sent)
        let receive = try XCTUnwrap(messages.first { $0.key == "<20240123200014.123F425E28@host01.my.domain.com>" })
        XCTAssertEqual(receive.sender, "root@host01.my.domain.com")
        XCTAssertEqual(receive.size, 7229)
        XCTAssertEqual(receive.recipients, [])
        XCTAssertEqual(mail.incomplete, 0)
    }

    // MARK: Microsoft 365 message trace

    func testM365GetMessageTraceExport() {
        var parser = M365MessageTraceParser(header: nil)
        XCTAssertEqual(MailTest.parse(&parser, "#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.Data.MessageTrace").0, .skipped)
        XCTAssertEqual(MailTest.parse(&parser, #""PSComputerName","RunspaceId","PSShowComputerName","Organization","MessageId","Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageTraceId","StartDate","EndDate","Index""#).0, .skipped)
        let (outcome, events) = MailTest.parse(&parser, #""outlook.office365.com","x","False","council.onmicrosoft.com","<a210cf91@council.gov.uk>","9/5/2022 6:10:13 PM","Jane.Smith@council.gov.uk","jane1975@gmail.com","Minutes, final","Delivered","","81.2.69.144","87891","cf7a249a-5edd-4350-130a-08da8f69e0f6","9/3/2022 9:46:46 PM","9/5/2022 9:46:46 PM","0""#)
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events.map(\.kind), [.arrival, .delivery])
        XCTAssertEqual(events[0].address, "jane.smith@council.gov.uk")
        XCTAssertEqual(events[0].size, 87891)
        XCTAssertEqual(events[0].time, MailTest.millis("2022-09-05T18:10:13Z"))
        XCTAssertEqual(events[1].address, "jane1975@gmail.com")
        XCTAssertEqual(events[1].status, .sent)
        XCTAssertEqual(events[1].key, "<a210cf91@council.gov.uk>")
        let failed = MailTest.parse(&parser, #""o","x","False","c","<b@c>","2022-09-05T18:10:13.4907658","a@council.gov.uk","x@gmx.de","s","Failed","","","10","id","","","1""#)
        XCTAssertEqual(failed.1.last?.status, .bounced)
        XCTAssertEqual(failed.1.first?.time, MailTest.millis("2022-09-05T18:10:13.490Z"))
    }

    func testM365EnhancedSummaryAndHeaderContext() {
        let header = "origin_timestamp_utc,sender_address,recipient_status,message_subject,total_bytes,message_id,network_message_id,original_client_ip,directionality,connector_id,delivery_priority"
        var parser = M365MessageTraceParser(header: Array(header.utf8))
        let (_, events) = MailTest.parse(&parser, "2024-02-01T10:00:00Z,jane.smith@council.gov.uk,\"jane1975@gmail.com##Receive, Send;colleague@council.gov.uk##Receive, Deliver;x@gmx.de##Receive, Fail\",Report,2048000,<id@council.gov.uk>,net,1.2.3.4,2,,Normal")
        XCTAssertEqual(events.map(\.address), ["jane.smith@council.gov.uk", "jane1975@gmail.com", "colleague@council.gov.uk", "x@gmx.de"])
        XCTAssertEqual(events.dropFirst().map(\.status), [.sent, .sent, .bounced])
        XCTAssertEqual(events[0].size, 2_048_000)
        // Without any header the columns are unknown: malformed, counted, never guessed.
        XCTAssertEqual(MailTest.parse(M365MessageTraceParser(header: nil), "2024-02-01T10:00:00Z,a@b,c@d,s,1,<i>").0, .malformed)
    }
}
