import Mustache

/// The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched) that an IT
/// manager can open offline or print. Rendered from `ReportModel` with the templates in `Templates/`.
public enum HTMLReport {
    public static func render(_ result: AnalysisResult, version: String) throws -> String {
        try ReportRenderer.render(ReportModel(result, version: version), templates: ReportTemplates.html)
    }
}

/// The Markdown report: the HTML report's content as GitHub-flavoured Markdown tables, for wikis and
/// tickets. Values from logs are plain text or code spans, never markup or links.
public enum MarkdownReport {
    public static func render(_ result: AnalysisResult, version: String) throws -> String {
        try ReportRenderer.render(ReportModel(result, version: version), templates: ReportTemplates.markdown)
    }
}

/// A template that does not parse: a bug in ShadowScan, reported rather than crashing a nightly run.
public struct ReportTemplateError: Error, CustomStringConvertible {
    public let description: String
}

enum ReportRenderer {
    static func render(_ model: ReportModel, templates: [String: String]) throws -> String {
        let library: MustacheLibrary
        do {
            library = try ReportTemplates.library(templates)
        } catch {
            throw ReportTemplateError(description: "report template does not parse: \(error)")
        }
        guard let text = library.render(model, withTemplate: "page") else {
            throw ReportTemplateError(description: "report template 'page' is missing")
        }
        return text
    }
}
