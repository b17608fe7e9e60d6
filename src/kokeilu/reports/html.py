"""The dossier as one standalone, printable HTML page: inline CSS, A4 pages when printed, each
long part from the top of a page. Every text is shown literally (`display.literal`: no control
character) and HTML-escaped, so a name such as `<script>` is printed, never run."""

from __future__ import annotations

from html import escape as _html_escape

from kokeilu.reports.document import (
    Block,
    Cell,
    Document,
    Facts,
    Flag,
    Items,
    Paragraph,
    Quote,
    Subheading,
    Table,
)
from kokeilu.text.display import literal

STYLE = """
@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
html { color: #000; background: #fff; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt;
  line-height: 1.4; max-width: 180mm; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 0.6em 0; }
h2 { font-size: 14pt; margin: 1.6em 0 0.5em 0; border-bottom: 1px solid #888; }
h3 { font-size: 12pt; margin: 1.2em 0 0.3em 0; }
dl.facts { display: grid; grid-template-columns: fit-content(40%) 1fr; gap: 0.15em 1em; margin: 0.5em 0 1em 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em 0; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 3pt 5pt; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #e8e8e8; }
figure.passage { margin: 0.6em 0 1em 0; }
figure.passage figcaption { font-weight: bold; }
figure.passage blockquote { margin: 0.2em 0 0 0; padding-left: 0.8em; border-left: 3px solid #bbb; }
.missing { color: #a00000; font-weight: bold; }
p, li, dd, blockquote { overflow-wrap: anywhere; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 10.5pt; }
  section.new-page { break-before: page; }
  h1, h2, h3, figcaption, dt { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  thead { display: table-header-group; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def escape(text: str) -> str:
    """`text` shown literally and HTML-escaped (quotes too)."""
    return _html_escape(literal(text), quote=True)


def cell(value: Cell) -> str:
    """A value escaped; a missing one marked."""
    if isinstance(value, Flag):
        return f'<strong class="missing">{escape(value.text)}</strong>'
    return escape(value)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{cell(block.text)}</p>"
    if isinstance(block, Facts):
        pairs = "".join(
            f"<dt>{escape(label)}</dt><dd>{cell(value)}</dd>" for label, value in block.pairs
        )
        return f'<dl class="facts">{pairs}</dl>'
    if isinstance(block, Items):
        return "<ul>" + "".join(f"<li>{cell(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Quote):
        return (
            f'<figure class="passage"><figcaption>{escape(block.label)}</figcaption>'
            f"<blockquote>{escape(block.text)}</blockquote></figure>"
        )
    if isinstance(block, Subheading):
        return f"<h3>{escape(block.text)}</h3>"
    assert isinstance(block, Table)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in block.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(document: Document) -> str:
    """The whole page, ending with a newline."""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(document.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(document.title)}</h1>",
        *(_block(block) for block in document.front),
        "</header>",
    ]
    for number, section in enumerate(document.sections, start=1):
        css = ' class="new-page"' if section.new_page else ""
        lines.append(f'<section id="part-{number}"{css}>')
        lines.append(f"<h2>{number}. {escape(section.title)}</h2>")
        lines += [_block(block) for block in section.blocks]
        lines.append("</section>")
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
