/// The `timeline` and `privacy` members of the JSON document.
extension JSONReport {
    static func timelineSection(_ days: [TimelineDay]) -> JSONValue {
        .array(days.map { day in
            .object([
                ("date", .string(day.date)), ("requests", .int(day.requests)), ("denied", .int(day.denied)),
                ("users", .int(day.users)),
                ("services", .array(day.services.map { cell in
                    .object([("id", .string(cell.service)), ("requests", .int(cell.requests)), ("denied", .int(cell.denied)),
                             ("users", .int(cell.users))])
                })),
            ])
        })
    }

    static func privacySection(_ notice: PrivacyNotice) -> JSONValue {
        .object([
            ("identities", .string(notice.identities)), ("key_id", notice.keyID.json), ("audience", .string(notice.audience)),
            ("min_group_size", notice.minGroupSize.map { .int(Int64($0)) } ?? .null),
            ("suppressed", .array(notice.suppressed.map { s in
                .object([("table", .string(s.table)), ("rows", .int(Int64(s.rows))), ("reason", .string(s.reason))])
            })),
            ("collisions", .int(Int64(notice.collisions))),
        ])
    }
}
