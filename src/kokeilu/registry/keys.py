"""TOML keys as the registry writes them: one spelling for the file, the messages and the edits.

An id (`kuopio`, `parties`) is written bare; anything else (`"2020-01"`, a name with a space) as a
basic string, escaped. The fast writer (`editing/splice.py`) looks for this spelling first in the
text, tomlkit writes new keys in it (`editing/toml_writer.py`), and findings name a key by it.
"""

from __future__ import annotations

from kokeilu.registry.model import ID_RE, KeyPath

# The characters of a bare key in TOML (the registry itself writes only ids bare).
BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

# The short escapes of a basic string; other control characters are written \uXXXX.
COMPACT = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def escaped(text: str) -> str:
    """The inside of a basic string holding `text`: quote, backslash and controls escaped."""
    if not any(c in COMPACT or c < " " or c == "\x7f" for c in text):
        return text
    return "".join(
        COMPACT.get(c) or (f"\\u{ord(c):04x}" if c < " " or c == "\x7f" else c) for c in text
    )


def key(name: str) -> str:
    """One key as the registry writes it: an id bare, anything else quoted."""
    return name if ID_RE.match(name) else '"' + escaped(name) + '"'


def dotted(path: KeyPath, *, indices: bool = True) -> str:
    """A path as a dotted key: `caseloads."2020-01".kuopio`, `service_agreements[0].provider`.

    Without `indices`, an item of an array of tables is left out (it has no name of its own):
    `service_agreements.provider`, as a header or a refusal names it.
    """
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            if indices and parts:
                parts[-1] = f"{parts[-1]}[{part}]"
            continue
        parts.append(key(part))
    return ".".join(parts)
