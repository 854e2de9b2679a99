extension ReportTemplates {
    /// The Markdown report: the same sections as the HTML report, as headings, paragraphs and tables.
    static let markdownPage = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
# Shadow IT and data leaving the organisation

{{period}}. {{scope}}.

> {{privacyLine}}

| at a glance | |
| --- | ---: |
{{#facts}}
| {{label}} | {{value}} |
{{/facts}}

{{#notes}}
- {{.}}
{{/notes}}

{{#sections}}
{{>*partial}}
{{/sections}}
---

ShadowScan {{version}}. Made from logs alone.
"""#
}
