#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reusable block of memory a chunk of whole lines is read into.
final class ChunkBuffer: @unchecked Sendable {
    let memory: UnsafeMutableRawBufferPointer
    init(capacity: Int) { memory = .allocate(byteCount: capacity, alignment: 64) }
    deinit { memory.deallocate() }
}

/// Work for a worker: whole lines of one input, in order within that input by `sequence`.
struct WorkItem: @unchecked Sendable {
    let input: Int32
    let sequence: Int32
    let format: LogFormat
    /// nil: one malformed line the reader did not hand over: longer than the limit (`length` 0, skipped
    /// with bounded memory), or cut off by damage in the input (`length`: its bytes).
    let buffer: ChunkBuffer?
    let offset: Int
    let length: Int
    /// The header in effect at the chunk's start (W3C `#Fields:`), or the JSON field map: Formats/ParserContext.swift.
    var context: ParserContext? = nil
}

/// What reading one input gave.
struct InputReadOutcome: Sendable {
    var format: LogFormat?
    var detection: String?
    var bytesRead: Int = 0
    var problem: String?
    /// The container the input was decompressed from (nil: plain).
    var compression: CompressionFormat?
}

/// Reads an input in big blocks into pooled buffers and cuts them at the last newline; the partial
/// line at the end of a block is carried into the next. A line longer than `maxLineLength` is never
/// held whole: the reader emits an "oversized" marker and discards bytes up to the next newline.
final class ChunkReader {
    let pool: BufferPool
    let blockSize: Int
    let maxLineLength: Int
    static let detectionBytes = 64 * 1024
    private let carry: UnsafeMutableRawBufferPointer
    /// The mapping for `--log-format json` (also lets detection recognise such files).
    var fieldMap: JSONFieldMap?

    init(pool: BufferPool, blockSize: Int, maxLineLength: Int) {
        self.pool = pool
        self.blockSize = blockSize
        self.maxLineLength = maxLineLength
        carry = .allocate(byteCount: maxLineLength + 1, alignment: 64)
    }

    deinit { carry.deallocate() }

    /// Offset of the last newline in base[from..<to], scanning back a word at a time.
    @inline(__always)
    private func lastNewline(_ base: UnsafeMutableRawPointer, from: Int, to: Int) -> Int? {
        var i = to
        while i - 8 >= from {
            let word = (base + i - 8).loadUnaligned(as: UInt64.self)
            // Classic SWAR zero-byte test on word XOR 0x0A0A...: non-zero when some byte is '\n'.
            let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
            if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 { break }
            i -= 8
        }
        while i > from {
            i -= 1
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { return i }
        }
        return nil
    }

    static func bufferCapacity(blockSize: Int, maxLineLength: Int) -> Int { blockSize + maxLineLength + 1 }

    func read(_ source: InputSource, input: Int32, formatOverride: LogFormat?, emit: (WorkItem) -> Void) -> InputReadOutcome {
        var outcome = InputReadOutcome()
        let bytes: ByteSource
        switch InputOpener.open(source) {
        case .success(let opened): bytes = opened
        case .failure(let error): outcome.problem = error.message; return outcome
        }
        defer { bytes.close() }
        outcome.compression = bytes.compression

        // The first bytes decide the format, whatever the block size; they are then read as data.
        var prefix = [UInt8](repeating: 0, count: Self.detectionBytes)
        let (prefixLength, prefixError) = prefix.withUnsafeMutableBytes { bytes.readFully(into: $0.baseAddress!, count: $0.count) }
        if prefixLength == 0 {
            outcome.problem = prefixError?.message ?? "empty file"
            return outcome
        }
        var readError: String? = prefixError?.message

        let format: LogFormat
        if let formatOverride {
            format = formatOverride
        } else {
            let detection = prefix.withUnsafeBytes { FormatDetector.detect(UnsafeRawBufferPointer(rebasing: $0[0..<prefixLength]), fieldMap: fieldMap) }
            guard let detection else {
                let preview = prefix.withUnsafeBytes { FormatDetector.firstLinePreview(UnsafeRawBufferPointer(rebasing: $0[0..<prefixLength])) }
                outcome.problem = "not in a known log format (first line: \"\(preview)\"); skipped"
                outcome.bytesRead = bytes.bytesProduced
                return outcome
            }
            format = detection.format
            outcome.detection = detection.reason
        }
        outcome.format = format
        var contexts = ParserContextTracker(format: format, fieldMap: fieldMap)

        var prefixServed = 0
        // Fills `destination` from the prefix first, then from the source.
        func fill(_ destination: UnsafeMutableRawPointer, _ count: Int) -> Int {
            var filled = 0
            if prefixServed < prefixLength {
                let n = min(count, prefixLength - prefixServed)
                prefix.withUnsafeBytes { p in destination.copyMemory(from: p.baseAddress! + prefixServed, byteCount: n) }
                prefixServed += n
                filled = n
            }
            if filled < count && readError == nil {
                let (n, error) = bytes.readFully(into: destination + filled, count: count - filled)
                filled += n
                if let error { readError = error.message }
            }
            return filled
        }

        var sequence: Int32 = 0
        var carryLength = 0
        var skipping = false
        func emitOversized() {
            emit(WorkItem(input: input, sequence: sequence, format: format, buffer: nil, offset: 0, length: 0))
            sequence += 1
        }
        while true {
            let buffer = pool.acquire()
            let base = buffer.memory.baseAddress!
            if carryLength > 0 { base.copyMemory(from: carry.baseAddress!, byteCount: carryLength) }
            let got = fill(base + carryLength, blockSize)
            let filled = carryLength + got
            carryLength = 0
            let atEnd = got < blockSize
            var start = 0
            if skipping {
                if let newline = memchr(base, 0x0A, filled) {
                    start = base.distance(to: newline) + 1
                    skipping = false
                } else {
                    start = filled
                }
            }
            if atEnd {
                // Damage stopped the input mid-line: that partial line is counted as malformed, not
                // parsed as if it were whole (a cut URL or byte count would be counted wrongly).
                var end = filled
                if readError != nil && filled > start && base.load(fromByteOffset: filled - 1, as: UInt8.self) != 0x0A {
                    end = lastNewline(base, from: start, to: filled).map { $0 + 1 } ?? start
                }
                if end > start {
                    emit(WorkItem(input: input, sequence: sequence, format: format, buffer: buffer, offset: start, length: end - start,
                                  context: contexts.context(for: UnsafeRawBufferPointer(start: base + start, count: end - start))))
                    sequence += 1
                } else {
                    pool.release(buffer)
                }
                if filled > end {
                    let partial = filled - end
                    emit(WorkItem(input: input, sequence: sequence, format: format, buffer: nil, offset: 0,
                                  length: partial > maxLineLength ? 0 : partial))
                    sequence += 1
                }
                break
            }
            if let newline = lastNewline(base, from: start, to: filled) {
                let chunkEnd = newline + 1
                let tail = filled - chunkEnd
                let tailIsOversized = tail > maxLineLength
                if !tailIsOversized && tail > 0 {
                    carry.baseAddress!.copyMemory(from: base + chunkEnd, byteCount: tail)
                    carryLength = tail
                }
                emit(WorkItem(input: input, sequence: sequence, format: format, buffer: buffer, offset: start, length: chunkEnd - start,
                              context: contexts.context(for: UnsafeRawBufferPointer(start: base + start, count: chunkEnd - start))))
                sequence += 1
                if tailIsOversized { emitOversized(); skipping = true }
            } else {
                let pending = filled - start
                if pending > maxLineLength {
                    emitOversized()
                    skipping = true
                } else if pending > 0 {
                    carry.baseAddress!.copyMemory(from: base + start, byteCount: pending)
                    carryLength = pending
                }
                pool.release(buffer)
            }
        }
        outcome.bytesRead = bytes.bytesProduced
        if let readError { outcome.problem = readError }
        return outcome
    }
}
