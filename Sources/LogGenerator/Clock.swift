/// Calendar arithmetic on Unix time, done by hand (proleptic Gregorian, UTC) so formatting a
/// timestamp costs a few integer operations and no Foundation calendar calls.
struct CivilTime {
    var year, month, day, hour, minute, second: Int
    /// 0 = Sunday.
    var weekday: Int

    init(epochSeconds: Int64) {
        let days = Int(epochSeconds.floorDiv(86_400))
        let secondOfDay = Int(epochSeconds - Int64(days) * 86_400)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        weekday = ((days % 7) + 11) % 7   // 1970-01-01 was a Thursday (4)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Unix time of a civil date (UTC).
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}

private extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}

private let monthNames: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

extension Array where Element == UInt8 {
    /// `%ts.%03tu`: seconds since the epoch, a dot, milliseconds.
    mutating func appendSquidTimestamp(millis: Int64) {
        appendDecimal(Int(millis / 1000))
        append(UInt8(ascii: "."))
        appendDecimal(Int(millis % 1000), width: 3, pad: UInt8(ascii: "0"))
    }

    /// `%tl` without the brackets: `02/Nov/2026:08:00:01 +0100` (local time = UTC + offset).
    mutating func appendCommonLogTime(millis: Int64, utcOffsetMinutes: Int) {
        let t = CivilTime(epochSeconds: millis / 1000 + Int64(utcOffsetMinutes * 60))
        appendTwoDigits(t.day)
        append(UInt8(ascii: "/"))
        append(contentsOf: monthNames[t.month - 1])
        append(UInt8(ascii: "/"))
        appendDecimal(t.year)
        append(UInt8(ascii: ":"))
        appendTwoDigits(t.hour)
        append(UInt8(ascii: ":"))
        appendTwoDigits(t.minute)
        append(UInt8(ascii: ":"))
        appendTwoDigits(t.second)
        append(UInt8(ascii: " "))
        append(utcOffsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let offset = abs(utcOffsetMinutes)
        appendTwoDigits(offset / 60)
        appendTwoDigits(offset % 60)
    }
}

/// ISO 8601 UTC with milliseconds, as the truth reports times: `2026-11-02T07:00:01.123Z`.
func iso8601(millis: Int64) -> String {
    let t = CivilTime(epochSeconds: millis / 1000)
    var out: [UInt8] = []
    out.appendDecimal(t.year, width: 4, pad: UInt8(ascii: "0"))
    out.append(UInt8(ascii: "-"))
    out.appendTwoDigits(t.month)
    out.append(UInt8(ascii: "-"))
    out.appendTwoDigits(t.day)
    out.append(UInt8(ascii: "T"))
    out.appendTwoDigits(t.hour)
    out.append(UInt8(ascii: ":"))
    out.appendTwoDigits(t.minute)
    out.append(UInt8(ascii: ":"))
    out.appendTwoDigits(t.second)
    out.append(UInt8(ascii: "."))
    out.appendDecimal(Int(millis % 1000), width: 3, pad: UInt8(ascii: "0"))
    out.append(UInt8(ascii: "Z"))
    return String(decoding: out, as: UTF8.self)
}
