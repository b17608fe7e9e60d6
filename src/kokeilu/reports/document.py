"""A document as plain blocks of plain text: what a report says, not how it is written.

Every string in a block is text, registry text or the catalogue's, never markup: the writers
(`markdown.py`, `html.py`) show each one literally and escape it for their format, so a name
such as `<script>` or `*Kuopio*` is printed as those characters wherever it stands.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Flag:
    """A value that is not there, said in words ("puuttuu") and marked so that it stands out."""

    text: str


Cell = str | Flag


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    text: Cell


@dataclass(frozen=True, slots=True)
class Facts:
    """Labelled values, one a line (Hakija: Kuopio)."""

    pairs: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Items:
    """A bulleted list."""

    items: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A passage quoted as written, under its label."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Subheading:
    """A heading inside a section (a region's name)."""

    text: str


Block = Paragraph | Facts | Table | Items | Quote | Subheading


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the document; `new_page`: printed from the top of a page."""

    title: str
    blocks: tuple[Block, ...]
    new_page: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: its title, the language it is written in, its front matter and parts."""

    title: str
    language: str
    front: tuple[Block, ...]
    sections: tuple[Section, ...]
