extension ReportTemplates {
    static let markdownNote = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
## {{title}}

{{#paragraphs}}
{{.}}

{{/paragraphs}}
{{#hasItems}}
{{#items}}
- {{.}}
{{/items}}

{{/hasItems}}
"""#
}
