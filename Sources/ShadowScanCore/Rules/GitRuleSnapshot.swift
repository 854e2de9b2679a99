import Foundation

/// The rule files of a rules folder as they were at a git revision (`rules coverage --since-rules REV`):
/// `git ls-tree` and `git show` into a temporary folder, which the caller removes.
public enum GitRuleSnapshot {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func export(revision: String, rulesDirectory: String) throws(Failure) -> String {
        guard !revision.hasPrefix("-") else { throw Failure(message: "revision '\(revision)' must not start with '-'") }
        let prefix = try git(["rev-parse", "--show-prefix"], in: rulesDirectory).trimmingCharacters(in: .whitespacesAndNewlines)
        let listing = try git(["ls-tree", "--full-tree", "--name-only", "\(revision):\(prefix)"], in: rulesDirectory)
        let names = listing.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        if names.isEmpty { throw Failure(message: "no rule files (*.yaml) in \(prefix.isEmpty ? "." : prefix) at \(revision)") }
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("shadowscan-rules-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for name in names {
                let text = try git(["show", "\(revision):\(prefix)\(name)"], in: rulesDirectory)
                try Data(text.utf8).write(to: target.appendingPathComponent(name))
            }
        } catch let failure as Failure {
            try? FileManager.default.removeItem(at: target)
            throw failure
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw Failure(message: "cannot write the rules of \(revision): \(error.localizedDescription)")
        }
        return target.path
    }

    private static func git(_ arguments: [String], in directory: String) throws(Failure) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw Failure(message: "cannot run git: \(error.localizedDescription)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(message: "git \(arguments.first ?? ""): \(message.isEmpty ? "exit \(process.terminationStatus)" : message)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
