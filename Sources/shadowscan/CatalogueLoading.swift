import ArgumentParser
import ShadowScanCore

/// The catalogue folder a command reads: `--rules DIR`, else the project's `Rules/` or
/// `$SHADOWSCAN_RULES`; exit 2 when there is none.
func catalogueDirectory(_ rules: String?) throws -> String {
    guard let directory = rules ?? RulesLocator.defaultDirectory() else {
        warn("error: no service catalogue found; pass --rules DIR or set SHADOWSCAN_RULES")
        throw ExitCode(2)
    }
    return directory
}

/// Loads a catalogue folder: when it does not load, every problem goes to standard error with a count,
/// and `outcome` ("nothing analysed"), and the command exits 2.
func loadCatalogue(_ directory: String, outcome: String? = nil) throws -> ServiceCatalog {
    do {
        return try RuleCatalogLoader.load(directory: directory)
    } catch {
        warn(error.description)
        warn("error: \(error.problems.count) problem(s) in the service catalogue \(directory)" + (outcome.map { "; " + $0 } ?? ""))
        throw ExitCode(2)
    }
}
