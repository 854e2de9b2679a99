/// What one decode step reported.
enum DecodeStatus {
    /// Consumed or produced what it could; more input or more output room is needed to go on.
    case progress
    /// A whole stream ended (gzip member, bzip2 stream, xz streams, zstd frame); more may follow.
    case streamEnd
    /// The data is damaged: the library's message.
    case failed(String)
}

/// One codec's streaming state (the C library's stream object), driven by `DecompressingByteSource`.
/// Implementations keep the C stream at a fixed heap address: zlib and libbz2 check that it never moves.
protocol StreamDecoder: AnyObject {
    static var format: CompressionFormat { get }
    /// gzip readers skip zero bytes after a member (padding left by tape or block tools).
    static var skipsZeroPadding: Bool { get }
    /// Decodes from `input` into `output`. `finishing`: no input follows `input`.
    func decode(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                finishing: Bool) -> (consumed: Int, produced: Int, status: DecodeStatus)
    /// Gets ready for a following concatenated stream; an error message if the library cannot.
    func startNextStream() -> String?
}

/// Decompresses another byte source on the reader thread, straight into the caller's (chunk) buffer,
/// so workers parse earlier chunks while the next one inflates. Compressed input is read in 1 MiB
/// blocks. Concatenated streams (multi-member gzip, pbzip2, concatenated xz and zstd frames) are read
/// through. Damage is reported after every byte decoded before it has been handed out, naming the
/// decompressed offset (where a user's own tools would also stop) and the compressed one.
final class DecompressingByteSource<Decoder: StreamDecoder>: ByteSource {
    static var inputBlockSize: Int { 1 << 20 }

    private let inner: any ByteSource
    private let decoder: Decoder
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var inputEnded = false
    private var betweenStreams = false
    private var finished = false
    private var failure: ByteSourceError?
    private(set) var bytesProduced = 0

    init(wrapping inner: any ByteSource, decoder: Decoder) {
        self.inner = inner
        self.decoder = decoder
        input = .allocate(byteCount: Self.inputBlockSize, alignment: 64)
    }

    deinit { input.deallocate() }

    var compression: CompressionFormat? { Decoder.format }

    /// Compressed bytes the decoder has taken in.
    var compressedOffset: Int { inner.bytesProduced - (inputEnd - inputStart) }

    func close() { inner.close() }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(ByteSourceError) -> Int {
        if let failure { throw failure }
        var produced = 0
        // Hands out what was decoded before a problem; the problem is thrown by the next call.
        func fail(_ message: String) { failure = ByteSourceError(message: message) }
        let name = Decoder.format.rawValue

        while produced < count && !finished && failure == nil {
            if inputStart == inputEnd && !inputEnded {
                do throws(ByteSourceError) { try refill() } catch {
                    fail("read error after \(bytesProduced + produced) decompressed bytes (compressed offset \(compressedOffset)): \(error.message)")
                    break
                }
                continue
            }
            if betweenStreams {
                if Decoder.skipsZeroPadding {
                    while inputStart < inputEnd && input[inputStart] == 0 { inputStart += 1 }
                }
                if inputStart == inputEnd {
                    if inputEnded { finished = true }
                    continue
                }
                if let message = decoder.startNextStream() { fail("cannot decompress \(name): \(message)"); break }
                betweenStreams = false
            }
            let available = UnsafeRawBufferPointer(start: input.baseAddress! + inputStart, count: inputEnd - inputStart)
            let room = UnsafeMutableRawBufferPointer(start: destination + produced, count: count - produced)
            let step = decoder.decode(available, room, finishing: inputEnded)
            inputStart += step.consumed
            produced += step.produced
            switch step.status {
            case .streamEnd:
                betweenStreams = true
            case .failed(let message):
                fail("corrupt \(name) data at decompressed offset \(bytesProduced + produced) (compressed offset \(compressedOffset)): \(message)")
            case .progress:
                guard step.consumed == 0 && step.produced == 0 else { continue }
                if inputEnded {
                    fail("truncated \(name) stream after \(bytesProduced + produced) decompressed bytes")
                } else if inputEnd - inputStart == input.count {
                    // No codec needs a whole block to make progress; never spin on one that does.
                    fail("corrupt \(name) data at decompressed offset \(bytesProduced + produced) (compressed offset \(compressedOffset)): no progress")
                } else {
                    // The decoder wants more than the bytes left: move them to the front and read on.
                    do throws(ByteSourceError) { try refill() } catch {
                        fail("read error after \(bytesProduced + produced) decompressed bytes (compressed offset \(compressedOffset)): \(error.message)")
                    }
                }
            }
        }
        bytesProduced += produced
        if produced == 0, let failure { throw failure }
        return produced
    }

    /// Keeps unread input at the front and fills the rest of the block; one read call (a pipe gives
    /// what it has, a file a whole block).
    private func refill() throws(ByteSourceError) {
        let leftover = inputEnd - inputStart
        if leftover > 0 && inputStart > 0 {
            input.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: leftover)
        }
        inputStart = 0
        inputEnd = leftover
        let n = try inner.read(into: input.baseAddress! + leftover, count: input.count - leftover)
        if n == 0 { inputEnded = true }
        inputEnd += n
    }
}
