#!/usr/bin/env python3
"""Write static/description/index.html (the Apps page of the module) from the readme/ fragments, the way
OCA's oca-gen-addon-readme does (that tool is not on the package index, so this is a small stand-in that
knows the markdown the fragments use: headings, paragraphs, lists, *emphasis*, **strong**, `code`).

Usage: python3 tools/gen_description.py [--check]   (--check: exit 1 when index.html is out of date)
Standard library only."""

import ast
import html
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = [  # fragment, title (None: no heading), as in OCA's README template
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("HISTORY.md", "Changelog"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def inline(text):
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", text)


def markdown_to_html(text):
    out, para, items, kind = [], [], [], None

    def flush():
        nonlocal para, items, kind
        if para:
            out.append(f"<p>{inline(' '.join(para))}</p>")
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{inline(i)}</li>" for i in items) + f"</{kind}>")
        para, items, kind = [], [], None

    for raw in text.splitlines():
        line = raw.strip()
        bullet = re.match(r"^(?:[-*]|(\d+)\.)\s+(.*)$", line)
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            level = min(len(line) - len(line.lstrip("#")) + 2, 6)
            out.append(f"<h{level}>{inline(line.lstrip('#').strip())}</h{level}>")
        elif bullet:
            if para:
                flush()
            new_kind = "ol" if bullet.group(1) else "ul"
            if kind and kind != new_kind:
                flush()
            kind = new_kind
            items.append(bullet.group(2))
        elif items and raw.startswith((" ", "\t")):
            items[-1] += " " + line  # continuation of a list item
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return "\n".join(out)


def render():
    text = (REPO / "__manifest__.py").read_text()
    manifest = ast.literal_eval(text[text.index("{") :])
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"/>',
        f"<title>{html.escape(manifest['name'])}</title></head>",
        '<body><section class="oe_container"><div class="oe_row oe_spaced">',
        f"<h1>{html.escape(manifest['name'])}</h1>",
        f"<p><strong>{html.escape(manifest['summary'])}</strong></p>",
        f"<p>Version {html.escape(manifest['version'])} &middot; License {html.escape(manifest['license'])}</p>",
    ]
    for fragment, title in SECTIONS:
        path = REPO / "readme" / fragment
        if not path.exists():
            continue
        if title:
            parts.append(f"<h2>{title}</h2>")
        parts.append(markdown_to_html(path.read_text()))
    parts.append("</div></section></body></html>")
    return "\n".join(parts) + "\n"


def main(argv):
    target = REPO / "static" / "description" / "index.html"
    text = render()
    if "--check" in argv:
        if not target.exists() or target.read_text() != text:
            print(f"{target} is out of date: run python3 tools/gen_description.py")
            return 1
        return 0
    target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
