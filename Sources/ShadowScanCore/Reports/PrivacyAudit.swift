import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit trail of `shadowscan reveal`: one JSON object per line, appended (O_APPEND, mode 0600),
/// never rewritten. An entry is written, and synced to disk, before any identity is printed; if it
/// cannot be, nothing is revealed. It records the pseudonym asked for, never the identity found.
public struct RevealAudit {
    public struct Entry: Sendable {
        public var timeMillis: Int64
        /// The login name from the environment (LOGNAME, USER), the account of the process's uid (harder
        /// to fake), and the user behind sudo when there is one.
        public var user: String
        public var account: String?
        public var sudoUser: String?
        public var uid: UInt32
        public var host: String
        public var pseudonym: String
        public var reason: String
        public var keyID: String
        public var sources: [String]
        /// `found`, `not-found`.
        public var outcome: String
        public var matches: Int

        public init(timeMillis: Int64, user: String, account: String?, sudoUser: String?, uid: UInt32, host: String, pseudonym: String,
                    reason: String, keyID: String, sources: [String], outcome: String, matches: Int) {
            self.timeMillis = timeMillis; self.user = user; self.account = account; self.sudoUser = sudoUser; self.uid = uid
            self.host = host; self.pseudonym = pseudonym; self.reason = reason; self.keyID = keyID; self.sources = sources
            self.outcome = outcome; self.matches = matches
        }

        public var jsonLine: String {
            let object: JSONValue = .object([
                ("time", .string(CivilTime.iso8601(millis: timeMillis))), ("user", .string(user)), ("account", account.json), ("sudo_user", sudoUser.json),
                ("uid", .int(Int64(uid))), ("host", .string(host)), ("pseudonym", .string(pseudonym)), ("reason", .string(reason)),
                ("key_id", .string(keyID)), ("sources", .array(sources.map { .string($0) })), ("outcome", .string(outcome)),
                ("matches", .int(Int64(matches))),
            ])
            // One line per entry: the serializer indents, so fold it.
            return object.serialized().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") + "\n"
        }
    }

    public let path: String
    private let fd: Int32

    /// Opens (creating it, mode 0600) the audit log for appending. Fails before anything is searched.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyFileError("cannot open the audit log \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        if fstat(fd, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            throw KeyFileError("the audit log \(path) is not a regular file")
        }
        self.path = path
        self.fd = fd
    }

    public func append(_ entry: Entry) throws {
        let bytes = Array(entry.jsonLine.utf8)
        // One write(2) with O_APPEND: concurrent reveals never interleave inside a line.
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }
        guard n == bytes.count, fsync(fd) == 0 else {
            throw KeyFileError("cannot write the audit log \(path): \(String(cString: strerror(errno)))")
        }
    }

    public func finish() { close(fd) }

    /// Who is asking, from the process's environment and credentials.
    public static func currentUser(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (user: String, account: String?, sudoUser: String?, uid: UInt32) {
        let uid = getuid()
        var account: String?
        if let pw = getpwuid(uid), let n = pw.pointee.pw_name { account = String(cString: n) }
        func nonEmpty(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let user = nonEmpty("LOGNAME") ?? nonEmpty("USER") ?? account ?? "uid \(uid)"
        return (user, account, nonEmpty("SUDO_USER"), uid)
    }

    public static func hostName() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
