#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a worker must know, besides the format, to parse a chunk it did not see the start of its file
/// for: the W3C `#Fields:` line (or CSV header row) in effect where the chunk begins, or the field
/// mapping of generic JSON logs. Chunks of one file go to different workers in parallel; the reader,
/// which sees every chunk in order, attaches this.
public enum ParserContext: Sendable {
    case header([UInt8])
    case fieldMap(JSONFieldMap)
}

/// Follows header lines through a file as the reader cuts it, one per input.
struct ParserContextTracker {
    enum HeaderKind { case none, w3cFields, csvFirstLine, mailCSVHeader }

    let format: LogFormat
    let fieldMap: JSONFieldMap?
    private let kind: HeaderKind
    private var header: [UInt8]?
    private var sawFirstChunk = false
    /// M365: the first line that is not a `#` comment has been seen (a header or not).
    private var mailHeaderSettled = false

    init(format: LogFormat, fieldMap: JSONFieldMap?) {
        self.format = format
        self.fieldMap = fieldMap
        switch format {
        case .w3c, .bluecoatW3C: kind = .w3cFields
        case .forcepointCSV, .zscalerCSV: kind = .csvFirstLine
        case .exchangeTracking: kind = .w3cFields                // Exchange's #Fields: line
        case .m365MessageTrace: kind = .mailCSVHeader           // the header row, after an optional #TYPE line
        default: kind = .none
        }
    }

    /// The context in effect at the start of `chunk` (whole lines), then notes the chunk's header lines.
    mutating func context(for chunk: UnsafeRawBufferPointer) -> ParserContext? {
        if format == .json { return fieldMap.map { .fieldMap($0) } }
        let current = header.map { ParserContext.header($0) }
        switch kind {
        case .none: break
        case .w3cFields:
            if let last = Self.lastFieldsLine(chunk) { header = Array(last) }
        case .csvFirstLine:
            if !sawFirstChunk, chunk.count > 0 {
                var end = 0
                while end < chunk.count && chunk[end] != 0x0A { end += 1 }
                var lineEnd = end
                if lineEnd > 0 && chunk[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let first = UnsafeRawBufferPointer(rebasing: chunk[0..<lineEnd])
                if CSVHeader.looksLikeHeader(first) { header = Array(first) }
            }
        case .mailCSVHeader:
            if !sawFirstChunk || (header == nil && !mailHeaderSettled) {
                if let found = M365MessageTraceParser.headerLine(in: chunk, settled: &mailHeaderSettled) { header = Array(found) }
            }
        }
        sawFirstChunk = true
        return current
    }

    /// The last line of `chunk` that starts with `#Fields:` (memchr finds the `#` candidates fast).
    static func lastFieldsLine(_ chunk: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer.SubSequence? {
        guard let base = chunk.baseAddress, chunk.count >= 8 else { return nil }
        var found: Range<Int>?
        var from = 0
        while from < chunk.count {
            guard let hit = memchr(base + from, Int32(ASCII.hash), chunk.count - from) else { break }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if (at == 0 || chunk[at - 1] == 0x0A) && chunk.hasPrefixIgnoringCase(ByteSpan(start: at, count: chunk.count - at), "#Fields:") {
                var end = at
                while end < chunk.count && chunk[end] != 0x0A { end += 1 }
                var lineEnd = end
                if lineEnd > at && chunk[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                found = at..<lineEnd
                from = end
            } else {
                from = at + 1
            }
        }
        return found.map { chunk[$0] }
    }
}
