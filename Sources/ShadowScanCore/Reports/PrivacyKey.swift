import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with a key file, with a message a user can act on.
public struct KeyFileError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The secret behind pseudonyms: 32 random bytes in a file of mode 0600.
///
/// The same key gives the same pseudonym for an identity in every run, so trends survive from one
/// report to the next; whoever holds the key (and the logs) can resolve a pseudonym, which is what
/// `shadowscan reveal` does under audit. The file holds the 32 bytes raw; 64 hexadecimal digits (and a
/// final newline) are read too, for keys kept in a secrets manager.
public struct PseudonymKey: Sendable {
    /// The key's bytes (SymmetricKey is not Sendable in swift-crypto 3; a key is made from these per use).
    let bytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: bytes) }
    /// Where the key was read from.
    public let path: String
    /// Problems worth a warning, e.g. a key file other users can read.
    public let warnings: [String]

    public static let byteCount = 32

    init(bytes: [UInt8], path: String, warnings: [String] = []) {
        self.bytes = bytes
        self.path = path
        self.warnings = warnings
    }

    /// A short public name for the key (`k-` and 8 hex digits of an HMAC of a constant): reports carry
    /// it, so a pseudonym can be matched to the key that made it without revealing the key.
    public var id: String {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("shadowscan.key-id.v1".utf8))
        return "k-" + Pseudonyms.hex(mac.finalize().withUnsafeBytes { Array($0) }, bytes: 4)
    }

    /// Creates a new key file; never overwrites one (a new key changes every pseudonym).
    @discardableResult
    public static func create(at path: String) throws -> PseudonymKey {
        let bytes = randomBytes()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            if code == EEXIST {
                throw KeyFileError("\(path) already exists; refusing to overwrite it (a new key would change every pseudonym and strand the audit trail)")
            }
            throw KeyFileError("cannot create \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        return PseudonymKey(bytes: bytes, path: path)
    }

    /// Reads a key file.
    public static func load(from path: String) throws -> PseudonymKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw KeyFileError("cannot read key file \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw KeyFileError("key file \(path) is not a regular file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError("cannot read key file \(path): permission denied")
        }
        let bytes = [UInt8](data)
        var warnings: [String] = []
        if info.st_mode & 0o077 != 0 {
            warnings.append("key file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        if bytes.count == byteCount { return PseudonymKey(bytes: bytes, path: path, warnings: warnings) }
        var text = bytes
        while let last = text.last, last == 0x0A || last == 0x0D { text.removeLast() }
        if text.count == byteCount * 2, let decoded = decodeHex(text) {
            return PseudonymKey(bytes: decoded, path: path, warnings: warnings)
        }
        throw KeyFileError("\(path) is not a ShadowScan key (expected \(byteCount) bytes, or \(byteCount * 2) hexadecimal digits; make one with: shadowscan key new FILE)")
    }

    /// Where the key lives when no `--key-file` is given: `$XDG_DATA_HOME/shadowscan/key`, else
    /// `~/.local/share/shadowscan/key`. nil when neither variable is set.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/shadowscan/key" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/shadowscan/key" }
        return nil
    }

    /// Reads the key at `path`, creating it (and its folder, mode 0700) first when it does not exist.
    /// Two runs starting at once end up with the same key: the new key is written to a temporary file and
    /// linked into place, which fails if another run got there first, and then that key is read.
    public static func loadOrCreate(at path: String) throws -> (key: PseudonymKey, created: Bool) {
        if FileManager.default.fileExists(atPath: path) { return (try load(from: path), false) }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw KeyFileError("cannot create the key folder \(folder): \(error.localizedDescription)")
            }
        }
        let temporary = path + ".new-\(getpid())"
        _ = try create(at: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            let code = errno
            if code != EEXIST { throw KeyFileError("cannot create key file \(path): \(String(cString: strerror(code)))") }
            return (try load(from: path), false)
        }
        return (try load(from: path), true)
    }

    static func randomBytes() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw KeyFileError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
        if fsync(fd) != 0 { throw KeyFileError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    static func decodeHex(_ text: [UInt8]) -> [UInt8]? {
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var i = 0
        while i + 1 < text.count {
            guard let hi = nibble(text[i]), let lo = nibble(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
