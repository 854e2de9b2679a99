import CBzip2
import CLzma
import CZlib
import CZstd
@testable import ShadowScanCore

/// Compresses test data in-process with the same libraries the reader decodes with, so the tests need
/// only the -dev packages, not the gzip/bzip2/xz/zstd commands.
enum TestCompressor {
    static func compress(_ data: [UInt8], _ format: CompressionFormat) -> [UInt8] {
        switch format {
        case .gzip: gzip(data)
        case .bzip2: bzip2(data)
        case .xz: xz(data)
        case .zstd: zstd(data)
        }
    }

    /// One gzip member (level 6, like `gzip`).
    static func gzip(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // deflateInit2 is a macro; 15 + 16 writes a gzip header and trailer.
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   shadowscan_zlib_version(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 64)
        let produced = data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return output.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(out[0..<produced])
    }

    /// `blockSize100k` 1 makes a block per 100 kB, so damage can be placed after whole blocks.
    static func bzip2(_ data: [UInt8], blockSize100k: Int32 = 9) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: data.count + data.count / 100 + 1024)
        var length = UInt32(out.count)
        var input = data
        let status = input.withUnsafeMutableBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                o.baseAddress!.withMemoryRebound(to: CChar.self, capacity: o.count) { dst in
                    i.baseAddress!.withMemoryRebound(to: CChar.self, capacity: i.count) { src in
                        BZ2_bzBuffToBuffCompress(dst, &length, src, UInt32(i.count), blockSize100k, 0, 0)
                    }
                }
            }
        }
        precondition(status == BZ_OK)
        return Array(out[0..<Int(length)])
    }

    static func xz(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(lzma_stream_buffer_bound(data.count)))
        var position = 0
        let status = data.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                lzma_easy_buffer_encode(shadowscan_lzma_preset_default(), LZMA_CHECK_CRC64, nil,
                                        i.baseAddress, i.count, o.baseAddress, &position, o.count)
            }
        }
        precondition(status == LZMA_OK)
        return Array(out[0..<position])
    }

    /// Independent blocks of `blockSize` bytes, as `xz -T` writes them (decoded on several threads).
    static func xzBlocks(_ data: [UInt8], blockSize: UInt64 = 64 << 10) -> [UInt8] {
        var stream = lzma_stream()
        var options = lzma_mt()
        options.threads = 2
        options.block_size = blockSize
        options.preset = shadowscan_lzma_preset_default()
        options.check = LZMA_CHECK_CRC64
        precondition(lzma_stream_encoder_mt(&stream, &options) == LZMA_OK)
        defer { lzma_end(&stream) }
        var out = [UInt8](repeating: 0, count: Int(lzma_stream_buffer_bound(data.count)) + (1 << 16))
        var status = LZMA_OK
        data.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = i.baseAddress
                stream.avail_in = i.count
                stream.next_out = o.baseAddress
                stream.avail_out = o.count
                repeat { status = lzma_code(&stream, LZMA_FINISH) } while status == LZMA_OK
            }
        }
        precondition(status == LZMA_STREAM_END)
        return Array(out[0..<Int(stream.total_out)])
    }

    static func zstd(_ data: [UInt8], level: Int32 = 3) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let n = data.withUnsafeBytes { i in
            out.withUnsafeMutableBytes { o in ZSTD_compress(o.baseAddress, o.count, i.baseAddress, i.count, level) }
        }
        precondition(ZSTD_isError(n) == 0)
        return Array(out[0..<n])
    }
}
