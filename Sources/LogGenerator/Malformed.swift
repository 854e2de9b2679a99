/// The kinds of unparseable lines the generator mixes in (each counted in the truth).
public enum MalformedKind: String, CaseIterable, Sendable, Codable {
    /// Text that does not start with a digit (`### squid restarted ###`, printable junk).
    case garbage
    /// A real line cut after its first 1-4 fields.
    case truncated
    /// Random bytes that are not UTF-8 (no newline inside).
    case binary
    /// An empty line.
    case empty
    /// Printable junk longer than 1 MiB (only with `oversized`).
    case oversized
}

enum MalformedWriter {
    static let oversizedMinimum = 1 << 20

    /// Printable ASCII without `"`, `[` and `]`, so junk can never look like a common-format line.
    private static let junkAlphabet: [UInt8] = (0x20...0x7E).map { UInt8($0) }
        .filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") }
    private static let junkStarts: [UInt8] = Array("#!*@%&~<>=?;".utf8)
    private static let garbageLines: [[UInt8]] = Words.garbage.map { Array($0.utf8) }

    static func appendGarbage(to out: inout [UInt8], rng: inout SeededRandom) {
        if rng.chance(0.5) {
            out.append(contentsOf: rng.pick(garbageLines))
        } else {
            appendJunk(to: &out, count: rng.int(10...150), rng: &rng)
        }
        out.append(UInt8(ascii: "\n"))
    }

    static func appendOversized(to out: inout [UInt8], rng: inout SeededRandom) {
        appendJunk(to: &out, count: oversizedMinimum + 1 + rng.below(256 << 10), rng: &rng)
        out.append(UInt8(ascii: "\n"))
    }

    /// Junk that starts with a non-digit, non-space character.
    private static func appendJunk(to out: inout [UInt8], count: Int, rng: inout SeededRandom) {
        out.append(rng.pick(junkStarts))
        out.reserveCapacity(out.count + count)
        var bits: UInt64 = 0
        for i in 1..<count {
            if i % 8 == 1 { bits = rng.next() }
            out.append(junkAlphabet[Int(bits & 0xff) % junkAlphabet.count])
            bits >>= 8
        }
    }

    /// Bytes that are invalid UTF-8 everywhere (stray continuation bytes, 0xF8-0xFF, a few control
    /// bytes), never a line break of any convention (no LF, VT, FF, CR).
    static func appendBinary(to out: inout [UInt8], rng: inout SeededRandom) {
        out.append(UInt8(0xF8 + rng.below(8)))
        for _ in 0..<rng.int(20...200) {
            switch rng.below(10) {
            case 0..<4: out.append(UInt8(0x80 + rng.below(0x40)))
            case 4..<6: out.append(UInt8(0xF8 + rng.below(8)))
            case 6: out.append(UInt8(rng.below(9)))            // NUL and friends, as after a crash
            default: out.append(UInt8(0x20 + rng.below(0x5F)))
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// `line` (a full line with its newline) cut after its first `fields` space-separated fields.
    static func appendTruncated(_ line: ArraySlice<UInt8>, fields: Int, to out: inout [UInt8]) {
        var seen = 0
        var inField = false
        var end = line.startIndex
        for i in line.indices {
            let byte = line[i]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                if inField {
                    seen += 1
                    inField = false
                    if seen == fields { end = i; break }
                }
            } else {
                inField = true
            }
        }
        out.append(contentsOf: line[line.startIndex..<end])
        out.append(UInt8(ascii: "\n"))
    }
}
