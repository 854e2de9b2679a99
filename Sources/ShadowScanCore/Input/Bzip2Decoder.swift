import CBzip2

/// bzip2 through libbz2 (Debian's libbz2). Concatenated streams (pbzip2, `cat a.bz2 b.bz2`) are read
/// through; each block is checked against its CRC.
final class Bzip2Decoder: StreamDecoder {
    static var format: CompressionFormat { .bzip2 }
    static var skipsZeroPadding: Bool { false }

    private let stream: UnsafeMutablePointer<bz_stream>
    private var started = false

    init() throws(ByteSourceError) {
        stream = .allocate(capacity: 1)
        if let message = start() {
            stream.deallocate()
            throw ByteSourceError(message: "cannot start bzip2 decompression (\(message))")
        }
    }

    deinit {
        if started { BZ2_bzDecompressEnd(stream) }
        stream.deallocate()
    }

    private func start() -> String? {
        stream.initialize(to: bz_stream())
        // verbosity 0; small 0: the fast decoder (about 3.7 MB of state for 900k blocks).
        let status = BZ2_bzDecompressInit(stream, 0, 0)
        started = status == BZ_OK
        return started ? nil : "libbz2 status \(status)"
    }

    func decode(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                finishing: Bool) -> (consumed: Int, produced: Int, status: DecodeStatus) {
        let inCount = UInt32(clamping: input.count), outCount = UInt32(clamping: output.count)
        // libbz2 declares next_in as char* but never writes through it.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.pointee.avail_in = inCount
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = outCount
        let status = BZ2_bzDecompress(stream)
        let consumed = Int(inCount - stream.pointee.avail_in), produced = Int(outCount - stream.pointee.avail_out)
        switch status {
        case BZ_OK: return (consumed, produced, .progress)
        case BZ_STREAM_END: return (consumed, produced, .streamEnd)
        case BZ_DATA_ERROR: return (consumed, produced, .failed("data integrity error (bad block or CRC)"))
        case BZ_DATA_ERROR_MAGIC: return (consumed, produced, .failed("not bzip2 data"))
        case BZ_MEM_ERROR: return (consumed, produced, .failed("out of memory"))
        default: return (consumed, produced, .failed("libbz2 status \(status)"))
        }
    }

    /// libbz2 has no reset: end the finished stream and start a fresh one.
    func startNextStream() -> String? {
        if started { BZ2_bzDecompressEnd(stream); started = false }
        return start()
    }
}
