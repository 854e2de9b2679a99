import CLzma

/// xz through liblzma (Debian's liblzma5). Concatenated streams and stream padding are liblzma's job
/// (LZMA_CONCATENATED); each block is checked against the stream's integrity check. Files written in
/// several blocks (`xz -T`, the default since xz 5.4) decode on two threads: xz is the slowest container
/// here and parsing needs little of the second core at its pace.
final class XzDecoder: StreamDecoder {
    static var format: CompressionFormat { .xz }
    static var skipsZeroPadding: Bool { false }
    /// `xz -9` needs 65 MiB to decompress; a hostile header asking for more is refused, not obeyed.
    static let memoryLimit: UInt64 = 256 << 20
    /// Above this the threaded decoder falls back to one thread rather than using more memory.
    static let threadingMemoryLimit: UInt64 = 128 << 20
    static let threads: UInt32 = 2

    private let stream: UnsafeMutablePointer<lzma_stream>

    init() throws(ByteSourceError) {
        stream = .allocate(capacity: 1)
        // LZMA_STREAM_INIT is an all-zero struct.
        stream.initialize(to: lzma_stream())
        var options = lzma_mt()
        // Default flags (no LZMA_FAIL_FAST): everything before damage is handed out before the error.
        options.flags = shadowscan_lzma_concatenated()
        options.threads = Self.threads
        options.memlimit_threading = Self.threadingMemoryLimit
        options.memlimit_stop = Self.memoryLimit
        let status = lzma_stream_decoder_mt(stream, &options)
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
