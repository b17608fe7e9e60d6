"""Every user-facing string, in one catalogue per language, and `t()` that says them.

Code asks for a string by key (`t("diag.unknown_region", ...)`); nothing user-facing is written
inline elsewhere. The catalogues live in `text/catalogue/`, each language in two halves: the
core's and the command line's words (`en_core`, `fi_core`), and the dashboard's (`en_dashboard`,
`fi_dashboard`: keys `ui.`, `col.`, `cmd.`, `tab.`, `view.`, `help.`, `palette.`). English is
complete; another language may leave keys out, and those fall back to English. The language
comes from $KOKEILU_LANG (`en`, `fi`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from kokeilu.text.catalogue.en_core import EN_CORE
from kokeilu.text.catalogue.en_dashboard import EN_DASHBOARD
from kokeilu.text.catalogue.fi_core import FI_CORE
from kokeilu.text.catalogue.fi_dashboard import FI_DASHBOARD

EN: dict[str, str] = EN_CORE | EN_DASHBOARD
FI: dict[str, str] = FI_CORE | FI_DASHBOARD


CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "fi": FI}


# The language words are said in for a while (`speaking`), in this thread or task only.
_SPEAKING: ContextVar[str | None] = ContextVar("speaking", default=None)


def language() -> str:
    """The language of user-facing text: the one `speaking` sets, else $KOKEILU_LANG; English
    when unset or unknown."""
    lang = _SPEAKING.get() or os.environ.get("KOKEILU_LANG", "en")
    return lang if lang in CATALOGUES else "en"


@contextlib.contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Say everything in `lang` inside the block (None: as around it), in this thread only: a
    commit subject is written in the registry's language, whoever saves."""
    token = _SPEAKING.set(lang or _SPEAKING.get())
    try:
        yield
    finally:
        _SPEAKING.reset(token)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A catalogue string not said yet: said (`words`) in the language of the moment, so that
    an edit's words can be a commit subject in the registry's language."""

    key: str

    def words(self) -> str:
        return t(self.key)


def t(key: str, /, **params: Any) -> str:
    """The string `key` in the user's language, with `params` filled in."""
    template = CATALOGUES[language()].get(key) or EN[key]
    return template.format(**params) if params else template
