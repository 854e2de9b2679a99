extension ReportTemplates {
    /// The HTML report's page: one self-contained file. The Content-Security-Policy forbids every fetch,
    /// so even a value that escaped escaping could load nothing.
    static let htmlPage = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="ShadowScan {{version}}">
<title>{{title}}: {{period}}</title>
<style>
{{>html_style}}
</style>
</head>
<body>
<main>
<header class="page">
<p class="kicker">ShadowScan</p>
<h1>Shadow IT and data leaving the organisation</h1>
<p class="period">{{period}}</p>
<p class="scope">{{scope}}</p>
<p class="privacy-line">{{privacyLine}}</p>
</header>
<section class="facts" aria-label="At a glance">
{{#facts}}
<div class="fact"><span class="value">{{value}}</span><span class="label">{{label}}</span>{{#.detail}}<span class="detail">{{.}}</span>{{/.detail}}</div>
{{/facts}}
</section>
{{#notes}}
<p class="note">{{.}}</p>
{{/notes}}
{{#sections}}
{{>*partial}}
{{/sections}}
<footer>ShadowScan {{version}}. This file was made from logs alone and loads nothing: no script, font, image or link.</footer>
</main>
</body>
</html>
"""#
}
