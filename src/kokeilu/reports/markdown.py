"""The dossier as Markdown (CommonMark with GitHub's tables), every text escaped so that it
reads as written and can make no markup: a name such as `*Kuopio*`, `| x |`, `# x` or `<b>`
prints as those characters, in a paragraph, a list item, a quotation or a table cell."""

from __future__ import annotations

import re

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

# Characters that make inline markup, tables, headings or HTML anywhere in a line; CommonMark
# takes a backslash before any ASCII punctuation as the character itself.
_ANYWHERE = frozenset("\\`*_[]<>|#~&")
# What makes a block when it starts a line's content: a list item or a thematic break (`- x`,
# `+ x`, `---`), an ordered list item (`1. ` or `1) `), an indented code block (leading spaces).
_LIST_START = re.compile(r"([0-9]{1,9})([.)])(?=\s|\Z)")


def escape(text: str) -> str:
    """`text` shown literally (no control character, one line) and escaped for Markdown."""
    shown = literal(text)
    out = "".join("\\" + ch if ch in _ANYWHERE else ch for ch in shown)
    lead = len(out) - len(out.lstrip(" "))
    out = "&#32;" * lead + out[lead:]  # spaces a Markdown reader would take as an indent
    if out[:1] in ("-", "+", "=") and (len(out) == 1 or out[1] in (" ", out[0])):
        return "\\" + out  # `- x`, `+ x`, `---`, `===`; not `+358` or `-5`
    return _LIST_START.sub(r"\1\\\2", out, count=1) if _LIST_START.match(out) else out


def cell(value: Cell) -> str:
    """A value escaped; a missing one emphasised."""
    return f"*{escape(value.text)}*" if isinstance(value, Flag) else escape(value)


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [cell(block.text)]
    if isinstance(block, Facts):
        return ["\n".join(f"- **{escape(label)}:** {cell(value)}" for label, value in block.pairs)]
    if isinstance(block, Items):
        return ["\n".join(f"- {cell(item)}" for item in block.items)]
    if isinstance(block, Quote):
        return [f"**{escape(block.label)}**", f"> {escape(block.text)}"]
    if isinstance(block, Subheading):
        return [f"### {escape(block.text)}"]
    assert isinstance(block, Table)
    lines = [
        "| " + " | ".join(escape(h) for h in block.headers) + " |",
        "|" + " --- |" * len(block.headers),
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in block.rows]
    return ["\n".join(lines)]


def to_markdown(document: Document) -> str:
    """The whole document: paragraphs apart by blank lines, a newline at the end."""
    parts = [f"# {escape(document.title)}"]
    for block in document.front:
        parts += _block(block)
    for number, section in enumerate(document.sections, start=1):
        parts.append(f"## {number}. {escape(section.title)}")
        for block in section.blocks:
            parts += _block(block)
    return "\n\n".join(parts) + "\n"
