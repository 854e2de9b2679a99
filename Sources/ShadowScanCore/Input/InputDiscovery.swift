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

/// Expands the paths given on the command line: files as they are, directories recursively in sorted
/// order (hidden files skipped), `-` for standard input. Missing paths become problems, not failures.
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
            names = try fm.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
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
}
