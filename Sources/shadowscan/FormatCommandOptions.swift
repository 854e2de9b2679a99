import ArgumentParser
import Foundation
import ShadowScanCore

/// `--field-map` / `--field-map-file`: how generic JSON lines map to the canonical record. Shared by
/// `analyse` and `formats detect`.
struct FormatCommandOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "For --log-format json: field=path pairs, e.g. time=@timestamp,user=user.name,url=url.full,action=event.action,denied=blocked|deny (fields: \(JSONFieldMap.Field.allCases.map(\.rawValue).joined(separator: ", "))). Default: ECS names.",
        valueName: "MAP"))
    var fieldMap: String?

    @Option(name: .long, help: ArgumentHelp("The same mapping as a YAML file of field: path lines (and an optional denied: list).", valueName: "FILE"))
    var fieldMapFile: String?

    func validate() throws {
        if fieldMap != nil && fieldMapFile != nil { throw ValidationError("give --field-map or --field-map-file, not both") }
    }

    /// The mapping given, or nil; a bad one is reported like a rule error (exit 2, nothing written).
    func loadFieldMap() throws -> JSONFieldMap? {
        do {
            if let fieldMap { return try JSONFieldMap(commandLine: fieldMap) }
            if let fieldMapFile {
                guard let text = try? String(contentsOfFile: fieldMapFile, encoding: .utf8) else {
                    warn("error: cannot read --field-map-file \(fieldMapFile)")
                    throw ExitCode(2)
                }
                return try JSONFieldMap(yaml: text, file: fieldMapFile)
            }
        } catch let problem as JSONFieldMap.Problem {
            warn("error: \(problem.message)")
            throw ExitCode(2)
        }
        return nil
    }
}
