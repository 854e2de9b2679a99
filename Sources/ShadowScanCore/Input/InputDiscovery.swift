import Foundation

/// One thing to read: a file, or standard input.
public struct InputSource: Sendable, Hashable {
    /// The path as given or found (for stdin: "-").
    public let path: String
    public var isStandardInput: Bool { path == "-" }
    public init(path: String) { self.path = path }
}

/// A path that could not be read, with a message a user can act on.
public struct InputProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// Expands the paths given on the command line: files as they are, in the order given; directories
/// recursively in rotation order (hidden files skipped); `-` for standard input. Missing paths become
/// problems, not failures.
///
/// Rotation order reads each family of rotated logs oldest first, so records stay in time order:
/// `access.log-20261119.gz`, `access.log-20261120.gz` (dated, by date), `access.log.3.gz`, `access.log.2.gz`,
/// `access.log.1` (numbered, highest first), then `access.log`; families, and all other names, by name.
public enum InputDiscovery {
    public static func expand(_ paths: [String]) -> (sources: [InputSource], problems: [InputProblem]) {
        var sources: [InputSource] = []
        var problems: [InputProblem] = []
        let fm = FileManager.default
        for path in paths {
            if path == "-" { sources.append(InputSource(path: "-")); continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(InputProblem(path: path, message: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                let before = sources.count
                walk(path, into: &sources, problems: &problems)
                if sources.count == before { problems.append(InputProblem(path: path, message: "directory holds no log files")) }
            } else {
                sources.append(InputSource(path: path))
            }
        }
        return (sources, problems)
    }

    private static func walk(_ directory: String, into sources: inout [InputSource], problems: inout [InputProblem]) {
        let fm = FileManager.default
        let names: [String]
        do {
            names = rotationOrder(try fm.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") })
        } catch {
            problems.append(InputProblem(path: directory, message: "cannot list directory: \(error.localizedDescription)"))
            return
        }
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue { walk(path, into: &sources, problems: &problems) }
            // Documentation kept beside logs (README.md) is not a log.
            else if !name.hasSuffix(".md") { sources.append(InputSource(path: path)) }
        }
    }

    /// `names` oldest first within each family of rotations, families and other names by name.
    public static func rotationOrder(_ names: [String]) -> [String] {
        names.map { (RotationName($0), $0) }
            .sorted { a, b in
                if a.0.base != b.0.base { return a.0.base < b.0.base }
                if a.0.age != b.0.age { return a.0.age < b.0.age }
                return a.1 < b.1
            }
            .map(\.1)
    }
}

/// A file name split into the log it rotates from and how old it is, as logrotate and newsyslog name
/// rotations: `access.log.2.gz` is ("access.log", numbered 2), `access.log-20261120.gz` and
/// `access.log-2026-11-20-1763596800` are dated, `access.log` is current. A compression suffix is ignored.
struct RotationName {
    enum Age: Comparable {
        /// Date as YYYYMMDD, then any digits after it (hour, or logrotate's `%s` seconds).
        case dated(date: Int, time: Int)
        /// Never compared by value across cases: see `<`.
        case numbered(Int)
        case current

        static func < (a: Age, b: Age) -> Bool {
            switch (a, b) {
            case let (.dated(d1, t1), .dated(d2, t2)): return (d1, t1) < (d2, t2)
            case let (.numbered(n1), .numbered(n2)): return n1 > n2  // .3 is older than .2
            case (.dated, .numbered), (.dated, .current), (.numbered, .current): return true
            default: return false
            }
        }
    }

    let base: String
    let age: Age

    init(_ name: String) {
        var stem = name
        if let format = CompressionFormat(fileName: name), let ext = format.extensions.first(where: { name.hasSuffix($0) }) {
            stem = String(name.dropLast(ext.count))
        }
        let bytes = Array(stem.utf8)
        if let (baseLength, age) = Self.numbered(bytes) ?? Self.dated(bytes) {
            base = String(decoding: bytes[0..<baseLength], as: UTF8.self)
            self.age = age
        } else {
            base = stem
            age = .current
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func number(_ digits: ArraySlice<UInt8>) -> Int { digits.reduce(0) { $0 * 10 + Int($1 - 0x30) } }

    /// `base.N` with 1 to 6 digits (8 digits are a date).
    private static func numbered(_ s: [UInt8]) -> (Int, Age)? {
        guard let dot = s.lastIndex(of: 0x2E), dot > 0 else { return nil }
        let digits = s[(dot + 1)...]
        guard (1...6).contains(digits.count), digits.allSatisfy(isDigit) else { return nil }
        return (dot, .numbered(number(digits)))
    }

    /// `base` + one of `-._` + YYYYMMDD or YYYY-MM-DD, optionally followed by `-`/`_` and up to 10 digits.
    private static func dated(_ s: [UInt8]) -> (Int, Age)? {
        for separator in s.indices.dropFirst() where [0x2D, 0x2E, 0x5F].contains(s[separator]) {
            var i = separator + 1
            var date: [UInt8] = []
            while i < s.count && date.count < 8 {
                if isDigit(s[i]) { date.append(s[i]); i += 1 }
                else if s[i] == 0x2D && (date.count == 4 || date.count == 6) { i += 1 }
                else { break }
            }
            guard date.count == 8 else { continue }
            let value = number(date[...])
            let (year, month, day) = (value / 10_000, value / 100 % 100, value % 100)
            guard (1970...2199).contains(year), (1...12).contains(month), (1...31).contains(day) else { continue }
            if i < s.count && (s[i] == 0x2D || s[i] == 0x5F) { i += 1 }
            let rest = s[i...]
            guard rest.count <= 10, rest.allSatisfy(isDigit) else { continue }
            return (separator, .dated(date: value, time: number(rest)))
        }
        return nil
    }
}
