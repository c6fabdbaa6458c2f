#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read the report's matrix back from a DOM that Chromium dumped
(--dump-dom): one line per cell with a verdict, "RUN<TAB>DEVICE<TAB>VERDICT
<TAB>CHANGE<TAB>BEFORE<TAB>EXPECTED<TAB>UNEXPECTED" (absent attributes as
"-"), then "elements TAG N" for the elements a results file must never
create (script, img, iframe, object, embed, link), and "text N" for how
often the text given as argv[2] (if any) shows as text."""
import sys
from html.parser import HTMLParser

WATCH = ("script", "img", "iframe", "object", "embed", "link")


class Dom(HTMLParser):
    def __init__(self, needle):
        super().__init__(convert_charrefs=True)
        self.cells, self.count, self.needle, self.hits = [], dict.fromkeys(WATCH, 0), needle, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.count:
            self.count[tag] += 1
        if tag == "td" and "data-verdict" in a:
            self.cells.append("\t".join(a.get(k) or "-" for k in (
                "data-run", "data-device", "data-verdict", "data-change", "data-before",
                "data-expected", "data-unexpected")))

    def handle_data(self, data):
        if self.needle and self.needle in data:
            self.hits += 1


d = Dom(sys.argv[2] if len(sys.argv) > 2 else None)
with open(sys.argv[1], encoding="utf-8") as f:
    d.feed(f.read())
d.close()
for c in sorted(d.cells):
    print(c)
for t in WATCH:
    print("elements", t, d.count[t])
print("text", d.hits)
