"""Who may edit what, as the letter divides responsibility between municipalities and regions.

A person's entry in the people table (`[people.LOGIN]`) names the municipality they act for
(`party`) and their `access`:

- `all`: everything, the agreement, regions, resources and the people table included (the
  administrator's; only they may change anyone's `party` or `access`, or add people);
- `region`: the decision and the caseloads of every municipality in the regions their
  municipality coordinates;
- `party`: their own municipality's decision and caseloads;
- `read`, the default, and anyone not in the table: nothing.

While no person has `access`, the registry is open: anyone may edit anything (as before rights
existed, and while an administrator sets it up).

Pure: a registry (as it is before the edit), a login and an edit in; None (allowed) or a refusal
naming the rule out. The save path (`store.Store.save`) asks before it writes anything, so the
dashboard, `set-caseload`, `import-caseloads`, undo, redo and revert are all covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kokeilu.editing.edits import MISSING, Edit, same
from kokeilu.registry.model import KeyPath, Person, Registry
from kokeilu.text.strings import t

# Tables whose entries are the administrator's alone, as a refusal names them.
_TABLES = ("agreement", "regions", "typ_areas", "services", "service_agreements", "resources")


@dataclass(frozen=True, slots=True)
class Rights:
    """What one login may edit in one registry."""

    login: str
    person: Person | None
    # No person in the registry has `access`: anyone may edit anything.
    open: bool
    # read | party | region | all, as the person's entry says (read when it says nothing).
    access: str
    # The municipality the person acts for.
    party: str | None
    # The regions their municipality coordinates (with `region` access), in file order.
    regions: tuple[str, ...]
    # The municipalities whose decision and caseloads they may edit.
    parties: frozenset[str]

    @property
    def everything(self) -> bool:
        """Whether every edit is allowed: an open registry, or an administrator."""
        return self.open or self.access == "all"

    def may_edit_party(self, party: str) -> bool:
        """Whether the user may edit this municipality's own decision and caseloads."""
        return self.everything or (self.access in ("party", "region") and party in self.parties)

    def describe(self, registry: Registry) -> str:
        """Who the user is and what they may edit, for the dashboard's status line."""
        if self.open:
            return t("rights.who.open", login=self.login)
        own = registry.display_name(self.party) if self.party else "?"
        return t(f"rights.who.{self.access}", login=self.login, name=own)

    def refusal_at(self, registry: Registry, *paths: KeyPath) -> str | None:
        """Why an edit of the values at `paths` would be refused, or None if it would not."""
        return _refusal(self, registry, paths)

    def refusal_of_whole_file(self) -> str | None:
        """Why this user may not commit or discard a hand edit (a whole file, unchecked), or None."""
        if self.everything:
            return None
        return t("rights.admin_only", what=t("rights.what.hand_edit"))


def of(registry: Registry, login: str) -> Rights:
    """The rights `login` has in `registry`."""
    people = registry.people
    person = people.get(login)
    is_open = all(p.access is None for p in people.values())
    access = (person.access if person else None) or "read"
    party = person.party if person else None
    regions: tuple[str, ...] = ()
    parties: frozenset[str] = frozenset()
    if party is not None and party in registry.parties and access in ("party", "region"):
        if access == "region":
            regions = tuple(r.id for r in registry.regions.values() if r.coordinator == party)
        members = {p.id for p in registry.parties.values() if p.region in regions}
        parties = frozenset({party, *members})
    return Rights(login, person, is_open, access, party, regions, parties)


def refusal(registry: Registry, login: str, edit: Edit) -> str | None:
    """Why `login` may not make `edit` in `registry` (the rule it breaks), or None if they may."""
    rights = of(registry, login)
    if rights.everything:
        return None
    paths = (p for change in edit.changes for p in _touched(change.path, change.old, change.new))
    return _refusal(rights, registry, paths)


def _refusal(rights: Rights, registry: Registry, paths: Iterable[KeyPath]) -> str | None:
    if rights.everything:
        return None
    outside: list[str] = []
    for path in paths:
        if rights.access == "read":
            key = "rights.reader" if rights.person is not None else "rights.not_in_people"
            return t(key, login=rights.login)
        owner = _owner(path)
        if owner is None:
            return t("rights.admin_only", what=_what(registry, path))
        if owner not in rights.parties and owner not in outside:
            outside.append(owner)
    if not outside:
        return None
    order = {pid: i for i, pid in enumerate(registry.parties)}
    outside.sort(key=lambda p: order.get(p, len(order)))
    names = ", ".join(registry.display_name(p) for p in outside)
    if not rights.parties:  # no municipality, or one the registry does not know
        return t("rights.no_party", login=rights.login, access=rights.access, names=names)
    own = registry.display_name(rights.party or "")
    return t(f"rights.outside.{rights.access}", own=own, names=names)


def _owner(path: KeyPath) -> str | None:
    """The municipality whose own decision or caseload `path` is in, or None."""
    if len(path) >= 3 and path[0] == "caseloads":
        return str(path[2])
    if len(path) >= 3 and path[0] == "parties" and path[2] == "decision":
        return str(path[1])
    return None


def _deep_enough(path: KeyPath) -> bool:
    """Whether `path` says by itself whose it is (deeper paths are inside the same thing)."""
    if not path:
        return False
    if path[0] in ("caseloads", "parties"):
        return len(path) >= 3
    return True


def _touched(path: KeyPath, old: Any, new: Any) -> Iterator[KeyPath]:
    """The paths a change of `old` to `new` at `path` really changes, deep enough to say whose.

    A change of a whole table (a new period of caseloads, a revert) is split into the keys that
    differ, so that a new period with one's own caseloads is one's own. A municipality added or
    removed stays whole: that is the administrator's.
    """
    tables = isinstance(old, Mapping | type(MISSING)) and isinstance(new, Mapping | type(MISSING))
    added_or_removed = len(path) == 2 and path[0] == "parties" and MISSING in (old, new)
    if _deep_enough(path) or not tables or added_or_removed:
        yield path
        return
    before = old if isinstance(old, Mapping) else {}
    after = new if isinstance(new, Mapping) else {}
    for key in dict.fromkeys([*before, *after]):
        a, b = before.get(key, MISSING), after.get(key, MISSING)
        if not same(a, b):
            yield from _touched((*path, key), a, b)


def _what(registry: Registry, path: KeyPath) -> str:
    """What an administrator's edit at `path` is, in words: "edit people", "edit Kuopio's status"."""
    head = str(path[0]) if path else ""
    if head == "parties" and len(path) >= 3:
        return t("rights.what.party_field", name=registry.display_name(str(path[1])), key=path[2])
    if head == "parties" and len(path) == 2:
        return t("rights.what.party", name=registry.display_name(str(path[1])))
    if head in (*_TABLES, "people", "parties", "caseloads"):
        return t(f"rights.what.{head}")
    return t("rights.what.other", key=head)
