/// The JSON form of the `mail` section (a public contract like the rest of the document: keys are only
/// ever added). Sender, recipient and mailbox fields hold addresses from logs: identity fields that
/// reports may pseudonymise.
extension JSONReport {
    static func mailSection(_ m: AnalysisResult.Mail) -> JSONValue {
        func time(_ millis: Int64) -> JSONValue { .string(CivilTime.iso8601(millis: millis)) }
        return .object([
            ("messages", .int(m.messages)), ("recipients", .int(m.recipients)),
            ("internal", .int(m.internalMessages)),
            ("to_personal", .int(m.toPersonal)), ("bytes_to_personal", .int(m.bytesToPersonal)),
            ("bounced", .int(m.bounced)), ("deferred", .int(m.deferred)), ("incomplete", .int(m.incomplete)),
            ("filter_handoffs", .int(m.filterHandoffs)), ("large_to_personal", .int(m.largeToPersonal)),
            ("auto_forwarded", .int(m.autoForwarded)), ("address_overflow", .int(m.addressOverflow)),
            ("open_message_overflow", .int(m.openMessageOverflow)), ("recipient_overflow", .int(m.recipientOverflow)),
            ("settings", .object([
                ("large_message_bytes", .int(m.largeMessageBytes)), ("flush_after_seconds", .int(m.flushAfterSeconds)),
                ("organisation_domains", .array(m.organisationDomains.map { .string($0) })),
                ("forward_window_seconds", .int(m.forwardWindowSeconds)), ("forward_min_messages", .int(m.forwardMinimumMessages)),
                ("forward_share_percent", .int(m.forwardSharePercent)),
            ])),
            ("senders", .array(m.senders.map { s in
                .object([
                    ("sender", .string(s.sender)), ("messages", .int(s.messages)), ("bytes", .int(s.bytes)),
                    ("recipients", .int(s.recipients)), ("days_active", .int(s.daysActive)),
                    ("bounced", .int(s.bounced)), ("deferred", .int(s.deferred)), ("large_messages", .int(s.largeMessages)),
                    ("first_seen", time(s.firstSeenMillis)), ("last_seen", time(s.lastSeenMillis)),
                    ("domains", .array(s.domains.map { .string($0) })),
                    ("self_forwarding", .array(s.selfForwarding.map { f in
                        .object([
                            ("recipient", .string(f.recipient)), ("confidence", .string(f.confidence)),
                            ("reason", .string(f.reason)), ("messages", .int(f.messages)), ("bytes", .int(f.bytes)),
                        ])
                    })),
                    ("findings", .array(s.findings.map { .string($0) })),
                ])
            })),
            ("personal_domains", .array(m.personalDomains.map { d in
                .object([
                    ("domain", .string(d.domain)), ("service", .string(d.service)), ("messages", .int(d.messages)),
                    ("bytes", .int(d.bytes)), ("senders", .int(d.senders)), ("recipients", .int(d.recipients)),
                    ("bounced", .int(d.bounced)), ("deferred", .int(d.deferred)),
                ])
            })),
            ("auto_forwards", .array(m.autoForwards.map { f in
                .object([
                    ("mailbox", .string(f.mailbox)), ("recipient", .string(f.recipient)), ("evidence", .string(f.evidence)),
                    ("messages", .int(f.messages)), ("bytes", .int(f.bytes)),
                    ("first_seen", time(f.firstSeenMillis)), ("last_seen", time(f.lastSeenMillis)),
                ])
            })),
        ])
    }
}
