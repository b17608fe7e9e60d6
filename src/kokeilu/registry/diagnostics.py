"""Findings about a registry: what is wrong, how badly, and where.

A finding names its place as a registry path, not a line: rules never see the file's text. The
report (`report.py`) turns paths into `FILE:LINE:COL` with the help of `locate.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kokeilu.registry.model import KeyPath
from kokeilu.text.display import in_sentence
from kokeilu.text.strings import t

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `code` is its message's key in the string catalogue."""

    severity: Severity
    code: str
    path: KeyPath
    params: dict[str, Any] = field(default_factory=dict)
    # Point the caret at the value after `=` rather than at the key.
    at_value: bool = False
    hint: str | None = None

    @property
    def message(self) -> str:
        """The finding in the user's language."""
        return t(f"diag.{self.code}", **in_sentence(self.params))

    @property
    def hint_text(self) -> str | None:
        """What to do about it, in the user's language, if the catalogue says."""
        return t(f"hint.{self.hint}", **in_sentence(self.params)) if self.hint else None


def error(
    code: str, path: KeyPath, *, at_value: bool = False, hint: str | None = None, **params: Any
) -> Diagnostic:
    """An error: the registry breaks a rule; the file cannot be trusted until it is fixed."""
    return Diagnostic("error", code, path, params, at_value, hint)


def warning(
    code: str, path: KeyPath, *, at_value: bool = False, hint: str | None = None, **params: Any
) -> Diagnostic:
    """A warning: allowed, but a person should know (a known exception, an unknown key)."""
    return Diagnostic("warning", code, path, params, at_value, hint)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    """True when any finding is an error."""
    return any(d.severity == "error" for d in diagnostics)
