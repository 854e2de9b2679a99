#!/usr/bin/env python3
"""Parses an HTML report with Python's html.parser and prints a JSON verdict for the Swift tests:
structure (every non-void element closed, in order), anything that could run or fetch (script, event
handlers, links, external URLs, CSS imports), and the text a reader sees (entities decoded)."""
import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "srcset", "poster", "data", "background", "ping"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.violations, self.texts, self.tags = [], [], [], {}
        self.in_style = False
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def check_attrs(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in ("script", "iframe", "object", "embed", "link", "img", "image", "use", "foreignobject", "a", "form", "base"):
            self.violations.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.violations.append(f"event handler {name} on <{tag}>")
            if name in URL_ATTRS and not value.startswith("#"):
                self.violations.append(f"{name}={value!r} on <{tag}>")
            lowered = value.lower()
            if "http://" in lowered or "https://" in lowered or "javascript:" in lowered or "url(" in lowered:
                self.violations.append(f"external reference in {name}={value!r} on <{tag}>")

    def handle_starttag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.check_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.violations.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.in_style:
            lowered = data.lower()
            for bad in ("@import", "url(", "http://", "https://", "expression("):
                if bad in lowered:
                    self.violations.append(f"style sheet holds {bad}")
        elif data.strip():
            self.texts.append(data)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    checker = Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        checker.violations.append("unclosed elements: " + ", ".join(checker.stack))
    if (checker.doctype or "").lower() != "doctype html":
        checker.violations.append(f"doctype is {checker.doctype!r}")
    print(json.dumps({"violations": checker.violations, "tags": checker.tags, "text": "\n".join(checker.texts)}))


main()
