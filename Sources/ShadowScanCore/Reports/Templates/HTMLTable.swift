extension ReportTemplates {
    /// A report table as its own section.
    static let htmlTable = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<section id="{{anchor}}">
<h2>{{title}}</h2>
{{#.caption}}
<p class="caption">{{.}}</p>
{{/.caption}}
{{#.chart}}
{{>*partial}}
{{/.chart}}
{{>html_table_body}}
</section>
"""#

    /// A table inside a card: a small heading instead of a section.
    static let htmlInlineTable = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<h4>{{title}}</h4>
{{>html_table_body}}
"""#

    /// The table itself (values from logs arrive cleaned; this content type escapes them).
    static let htmlTableBody = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
{{#hasRows}}
<div class="table-wrap"><table>
<thead><tr>{{#columns}}<th scope="col"{{#numeric}} class="num"{{/numeric}}>{{label}}</th>{{/columns}}</tr></thead>
<tbody>
{{#rows}}
<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}>{{#.badge}}<span class="badge {{.}}">{{/.badge}}{{text}}{{#.badge}}</span>{{/.badge}}</td>{{/cells}}</tr>
{{/rows}}
</tbody>
</table></div>
{{/hasRows}}
{{^hasRows}}
<p class="empty">{{empty}}</p>
{{/hasRows}}
{{#.more}}
<p class="more">{{.}}</p>
{{/.more}}
"""#
}
