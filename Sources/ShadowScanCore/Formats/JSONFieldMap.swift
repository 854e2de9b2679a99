import Foundation
import Yams

/// Which JSON fields hold the canonical record's values, for logs exported from Elastic, Vector, Fluent
/// Bit or a SIEM (`--log-format json`). Paths are dotted: `url.domain` names `{"url": {"domain": …}}`
/// and also a flattened `{"url.domain": …}`.
///
/// ```
/// --field-map time=@timestamp,client=source.ip,user=user.name,url=url.full,host=url.domain,action=event.action
/// ```
/// or the same as YAML (`--field-map-file F`):
/// ```yaml
/// time: "@timestamp"
/// user: user.name
/// url: url.original
/// denied: [blocked, deny]      # action values that mean "denied by policy" (default below)
/// ```
public struct JSONFieldMap: Sendable, Equatable {
    public enum Field: String, CaseIterable, Sendable {
        case time, client, user, method, url, scheme, host, port, path, query, status, action
        case bytesIn = "bytes_in", bytesOut = "bytes_out", userAgent = "user_agent"

        var meaning: String {
            switch self {
            case .time: return "ISO 8601 text or epoch seconds/milliseconds"
            case .client: return "client address (the identity when there is no user)"
            case .user: return "authenticated user"
            case .method: return "HTTP method (CONNECT marks a host-only tunnel)"
            case .url: return "the full URL, or host:port"
            case .scheme: return "URL scheme, when the URL is split up"
            case .host: return "host name (used when there is no url)"
            case .port: return "port, when the URL is split up"
            case .path: return "path, when the URL is split up"
            case .query: return "query, when the URL is split up"
            case .status: return "HTTP status"
            case .action: return "the gateway's decision; values in `denied` count as denials"
            case .bytesIn: return "bytes sent to the client (response size)"
            case .bytesOut: return "bytes received from the client (request size)"
            case .userAgent: return "user agent"
            }
        }
    }

    /// Dotted path per field, as UTF-8 bytes (compared against the JSON keys of each line).
    public private(set) var paths: [Field: [UInt8]] = [:]
    /// Lower-cased action values that mean the gateway denied the request.
    public private(set) var deniedValues: [[UInt8]] = JSONFieldMap.defaultDenied.map { Array($0.utf8) }

    public static let defaultDenied = ["denied", "deny", "blocked", "block", "drop", "dropped", "reject", "rejected", "refused"]

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    public init(paths: [Field: String], denied: [String]? = nil) throws(Problem) {
        for (field, path) in paths {
            guard !path.isEmpty, !path.hasPrefix("."), !path.hasSuffix("."), !path.contains("..") else {
                throw Problem(message: "field map: '\(field.rawValue)' has an empty or malformed path '\(path)'")
            }
            self.paths[field] = Array(path.utf8)
        }
        guard self.paths[.url] != nil || self.paths[.host] != nil else {
            throw Problem(message: "field map: give at least 'url' or 'host' (e.g. --field-map url=url.full,user=user.name)")
        }
        if let denied { deniedValues = denied.map { Array($0.lowercased().utf8) } }
    }

    /// `host=url.domain,user=user.name,denied=blocked|deny`.
    public init(commandLine spec: String) throws(Problem) {
        var paths: [Field: String] = [:]
        var denied: [String]?
        for item in spec.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw Problem(message: "field map: '\(item)' is not name=path") }
            if parts[0] == "denied" { denied = parts[1].split(separator: "|").map(String.init); continue }
            guard let field = Field(rawValue: parts[0]) else {
                throw Problem(message: "field map: unknown field '\(parts[0])' (expected one of: \(Field.allCases.map(\.rawValue).joined(separator: ", ")), denied)")
            }
            paths[field] = parts[1]
        }
        try self.init(paths: paths, denied: denied)
    }

    /// The YAML form: a mapping of field names to paths, and an optional `denied` list.
    public init(yaml text: String, file: String) throws(Problem) {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw Problem(message: "\(file): not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else { throw Problem(message: "\(file): expected a mapping of field names to JSON paths") }
        var paths: [Field: String] = [:]
        var denied: [String]?
        for (key, value) in mapping {
            let name = key.string ?? ""
            let line = key.mark.map { ":\($0.line):\($0.column)" } ?? ""
            if name == "denied" {
                guard let list = value.sequence?.compactMap(\.string) ?? value.string.map({ [$0] }) else {
                    throw Problem(message: "\(file)\(line): 'denied' must be a list of action values")
                }
                denied = list
                continue
            }
            guard let field = Field(rawValue: name) else {
                throw Problem(message: "\(file)\(line): unknown field '\(name)' (expected one of: \(Field.allCases.map(\.rawValue).joined(separator: ", ")), denied)")
            }
            guard let path = value.string else { throw Problem(message: "\(file)\(line): '\(name)' must be a JSON path such as user.name") }
            paths[field] = path
        }
        do { try self.init(paths: paths, denied: denied) } catch { throw Problem(message: "\(file): \(error.message)") }
    }
}

extension JSONFieldMap {
    /// Elastic Common Schema names: what Elastic, and many Vector/Fluent Bit pipelines, export.
    public static let ecs: JSONFieldMap = try! JSONFieldMap(paths: [
        .time: "@timestamp", .client: "source.ip", .user: "user.name", .method: "http.request.method",
        .url: "url.original", .scheme: "url.scheme", .host: "url.domain", .port: "url.port", .path: "url.path",
        .query: "url.query", .status: "http.response.status_code", .action: "event.action",
        .bytesIn: "http.response.bytes", .bytesOut: "http.request.bytes", .userAgent: "user_agent.original",
    ])

    /// `field=path` pairs, sorted by field name, as `formats` and `--help` show them.
    public var summary: String {
        JSONFieldMap.Field.allCases.compactMap { f in paths[f].map { "\(f.rawValue)=\(String(decoding: $0, as: UTF8.self))" } }
            .joined(separator: ",")
    }
}
