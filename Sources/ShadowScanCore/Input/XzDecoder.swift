import CLzma

/// xz through liblzma (Debian's liblzma5). Concatenated streams and stream padding are liblzma's job
/// (LZMA_CONCATENATED); each block is checked against the stream's integrity check.
final class XzDecoder: StreamDecoder {
    static var format: CompressionFormat { .xz }
    static var skipsZeroPadding: Bool { false }
    /// `xz -9` needs 65 MiB to decompress; a hostile header asking for more is refused, not obeyed.
    static let memoryLimit: UInt64 = 256 << 20

    private let stream: UnsafeMutablePointer<lzma_stream>

    init() throws(ByteSourceError) {
        stream = .allocate(capacity: 1)
        // LZMA_STREAM_INIT is an all-zero struct.
        stream.initialize(to: lzma_stream())
        let status = lzma_stream_decoder(stream, Self.memoryLimit, shadowscan_lzma_concatenated())
        guard status == LZMA_OK else {
            stream.deallocate()
            throw ByteSourceError(message: "cannot start xz decompression (liblzma status \(status.rawValue))")
        }
    }

    deinit {
        lzma_end(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func decode(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                finishing: Bool) -> (consumed: Int, produced: Int, status: DecodeStatus) {
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = output.count
        // LZMA_FINISH once the input has ended: only then does a complete concatenation report its end.
        let status = lzma_code(stream, finishing ? LZMA_FINISH : LZMA_RUN)
        let consumed = input.count - stream.pointee.avail_in, produced = output.count - stream.pointee.avail_out
        switch status {
        case LZMA_OK, LZMA_BUF_ERROR: return (consumed, produced, .progress)
        case LZMA_STREAM_END: return (consumed, produced, .streamEnd)
        case LZMA_DATA_ERROR: return (consumed, produced, .failed("compressed data is corrupt"))
        case LZMA_FORMAT_ERROR: return (consumed, produced, .failed("not xz data"))
        case LZMA_OPTIONS_ERROR: return (consumed, produced, .failed("unsupported compression options"))
        case LZMA_MEMLIMIT_ERROR: return (consumed, produced, .failed("needs more than \(Self.memoryLimit >> 20) MiB of memory to decompress"))
        case LZMA_MEM_ERROR: return (consumed, produced, .failed("out of memory"))
        default: return (consumed, produced, .failed("liblzma status \(status.rawValue)"))
        }
    }

    /// liblzma reads concatenated streams itself and reports the end only when the input has ended.
    func startNextStream() -> String? { nil }
}
