/// A compressed container an input may come in. Chosen by the data's first bytes, so a misnamed file
/// or gzip data on standard input is still read; the extension only names what a too-short file was
/// meant to be.
public enum CompressionFormat: String, Sendable, CaseIterable {
    case gzip, bzip2, xz, zstd

    /// Longest magic we compare.
    static let sniffLength = 6

    /// File-name endings, also used to find a rotated file's base name.
    public var extensions: [String] {
        switch self {
        case .gzip: [".gz"]
        case .bzip2: [".bz2"]
        case .xz: [".xz"]
        case .zstd: [".zst", ".zstd"]
        }
    }

    /// The container whose magic `prefix` starts with, or nil for anything else (read as plain bytes).
    static func sniff(_ prefix: UnsafeRawBufferPointer) -> CompressionFormat? {
        func starts(_ magic: [UInt8]) -> Bool { prefix.count >= magic.count && zip(prefix, magic).allSatisfy { $0 == $1 } }
        // gzip: ID1 ID2 and CM = 8 (deflate, the only method gzip defines).
        if starts([0x1F, 0x8B, 0x08]) { return .gzip }
        // bzip2: "BZh" and a block size digit.
        if starts([0x42, 0x5A, 0x68]) && prefix.count >= 4 && (0x31...0x39).contains(prefix[3]) { return .bzip2 }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        // A zstd skippable frame (pzstd writes one first): 0x184D2A50...5F, little-endian.
        if prefix.count >= 4 && prefix[0] & 0xF0 == 0x50 && prefix[1] == 0x2A && prefix[2] == 0x4D && prefix[3] == 0x18 { return .zstd }
        return nil
    }

    /// The container a file name says it holds (`access.log.2.gz` → gzip).
    public init?(fileName: String) {
        guard let format = Self.allCases.first(where: { $0.extensions.contains { fileName.hasSuffix($0) } }) else { return nil }
        self = format
    }

    /// The shortest complete file of this format is longer than the magic; a file that ends inside the
    /// magic is a truncated archive, not a plain log.
    var magicPrefix: [UInt8] {
        switch self {
        case .gzip: [0x1F, 0x8B, 0x08]
        case .bzip2: [0x42, 0x5A, 0x68]
        case .xz: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
        case .zstd: [0x28, 0xB5, 0x2F, 0xFD]
        }
    }
}
