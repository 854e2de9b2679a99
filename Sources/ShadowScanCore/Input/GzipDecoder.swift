import CZlib

/// gzip through zlib's inflate (Debian's zlib1g). Members follow one another in one file (`cat a.gz
/// b.gz`, or a logger that appends a member per flush); each is checked against its CRC-32 and length.
final class GzipDecoder: StreamDecoder {
    static var format: CompressionFormat { .gzip }
    static var skipsZeroPadding: Bool { true }

    private let stream: UnsafeMutablePointer<z_stream>

    init() throws(ByteSourceError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window and a gzip (not zlib) header; inflateInit2 is a macro.
        let status = inflateInit2_(stream, 15 + 16, shadowscan_zlib_version(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ByteSourceError(message: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func decode(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                finishing: Bool) -> (consumed: Int, produced: Int, status: DecodeStatus) {
        let inCount = UInt32(clamping: input.count), outCount = UInt32(clamping: output.count)
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = inCount
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = outCount
        let status = inflate(stream, Z_NO_FLUSH)
        let consumed = Int(inCount - stream.pointee.avail_in), produced = Int(outCount - stream.pointee.avail_out)
        switch status {
        case Z_OK, Z_BUF_ERROR: return (consumed, produced, .progress)
        case Z_STREAM_END: return (consumed, produced, .streamEnd)
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            return (consumed, produced, .failed(message))
        }
    }

    func startNextStream() -> String? {
        let status = inflateReset(stream)
        return status == Z_OK ? nil : "zlib status \(status)"
    }
}
