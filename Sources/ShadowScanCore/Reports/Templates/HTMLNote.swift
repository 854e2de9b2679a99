extension ReportTemplates {
    /// Paragraphs and a list: the privacy note, the mail summary.
    static let htmlNote = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<section id="{{anchor}}">
<h2>{{title}}</h2>
{{#paragraphs}}
<p>{{.}}</p>
{{/paragraphs}}
{{#hasItems}}
<ul class="suppressed">
{{#items}}
<li>{{.}}</li>
{{/items}}
</ul>
{{/hasItems}}
</section>
"""#
}
