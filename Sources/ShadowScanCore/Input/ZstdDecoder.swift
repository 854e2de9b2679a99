import CZstd

/// zstd through libzstd (Debian's libzstd1). Frames follow one another (`zstd` on concatenated input,
/// pzstd's skippable frames); libzstd starts the next frame itself. Windows up to libzstd's default
/// limit (128 MiB) are accepted; `--long=31` archives are refused with libzstd's message.
final class ZstdDecoder: StreamDecoder {
    static var format: CompressionFormat { .zstd }
    static var skipsZeroPadding: Bool { false }

    private let context: OpaquePointer

    init() throws(ByteSourceError) {
        guard let context = ZSTD_createDCtx() else { throw ByteSourceError(message: "cannot start zstd decompression") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    func decode(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                finishing: Bool) -> (consumed: Int, produced: Int, status: DecodeStatus) {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
        if ZSTD_isError(hint) != 0 {
            return (inBuffer.pos, outBuffer.pos, .failed(String(cString: ZSTD_getErrorName(hint))))
        }
        // 0: a frame is complete and fully flushed.
        return (inBuffer.pos, outBuffer.pos, hint == 0 ? .streamEnd : .progress)
    }

    func startNextStream() -> String? { nil }
}
