/// Comma-separated fields of the mail CSV formats (Exchange message tracking, M365 message trace):
/// RFC 4180 quoting, a quoted field's span excludes its quotes (doubled quotes inside stay doubled;
/// the fields read from these formats never need them undone). At most `capacity` fields are kept.
struct MailCSVFields {
    static let capacity = 48
    private(set) var count = 0
    /// start << 32 | count per field; allocated once per parser, reused for every line.
    private var packed = [Int64](repeating: 0, count: capacity)

    /// Fields beyond `capacity` are counted but not kept. False when a quote is never closed.
    @inline(__always)
    mutating func split(_ line: UnsafeRawBufferPointer) -> Bool {
        count = 0
        let n = line.count
        var i = 0
        while true {
            var start = i, end = i
            if i < n && line[i] == ASCII.quote {
                var j = i + 1
                while true {
                    guard j < n else { return false }
                    if line[j] == ASCII.quote {
                        if j + 1 < n && line[j + 1] == ASCII.quote { j += 2; continue }
                        break
                    }
                    j += 1
                }
                start = i + 1
                end = j
                i = j + 1
                while i < n && line[i] != 0x2C { i += 1 }   // junk after the closing quote is dropped
            } else {
                while i < n && line[i] != 0x2C { i += 1 }
                end = i
            }
            if count < Self.capacity { set(count, ByteSpan(start: start, count: end - start)) }
            count += 1
            if i >= n { return true }
            i += 1   // past the comma
        }
    }

    @inline(__always)
    private mutating func set(_ index: Int, _ span: ByteSpan) {
        packed[index] = Int64(span.start) << 32 | Int64(span.count)
    }

    /// Field `index`; empty when the line has fewer fields (or `index` is negative: not in the layout).
    @inline(__always)
    func field(_ index: Int) -> ByteSpan {
        guard index >= 0 && index < min(count, Self.capacity) else { return ByteSpan() }
        let value = packed[index]
        return ByteSpan(start: Int(value >> 32), count: Int(value & 0xFFFF_FFFF))
    }

    /// Column names of a header line, lower-cased, blanks and quotes trimmed.
    static func names(_ line: UnsafeRawBufferPointer) -> [String] {
        var fields = MailCSVFields()
        guard fields.split(line) else { return [] }
        return (0..<min(fields.count, capacity)).map { i in
            let f = fields.field(i)
            var s = f.start, e = f.end
            while s < e && (line[s] == ASCII.space || line[s] == ASCII.quote) { s += 1 }
            while e > s && (line[e - 1] == ASCII.space || line[e - 1] == ASCII.quote || line[e - 1] == 0x0D) { e -= 1 }
            return String(decoding: line[s..<e].map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
    }
}

extension MailEventBuffer {
    /// Appends one delivery event per address of a `;`-separated list (Exchange `recipient-address`).
    /// `statuses` (optional, parallel `;` list) is not needed by the formats read so far.
    @inline(__always)
    mutating func appendDeliveries(_ line: UnsafeRawBufferPointer, list: ByteSpan, template: MailEvent) {
        var i = list.start
        while i < list.end {
            var e = i
            while e < list.end && line[e] != 0x3B { e += 1 }
            var s = i
            while s < e && line[s] == ASCII.space { s += 1 }
            if e > s {
                var event = template
                event.address = storeAddress(line, ByteSpan(start: s, count: e - s))
                append(event)
            }
            i = e + 1
        }
    }
}
