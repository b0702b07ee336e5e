"""Loading, replacing, dumping and saving the whole state: the sections, put together.

A document is checked whole first (:class:`.core.Planner`), reporting every problem at once;
then it is replayed into a staged copy of the state (:class:`.core.Loader`), entry by entry,
through the operations, and the copy takes the state's place only when every entry succeeded.
A load that fails leaves the state as it was, with no undo to get wrong.

A region entry is the families' sections (``regions.<region>.<SECTION>[]``): each family with
one declares it in its ``family.py`` (``Family.seed``, :class:`..domain.family.SeedSection`),
and this module names none of them. Sections are planned, replayed and settled in data order
(the collaborations with their memberships, then configured tables, ...), region by region;
a dump writes them in that order too.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import _activation
from ..defaults import DEFAULT_ACCOUNT_ID
from ..domain.backend import cleanrooms_backends
from ..domain.family import SeedSection, families
from ..domain.store import State, lock, state
from .core import (
    FORMAT_VERSION,
    Loader,
    Planner,
    SeedError,
    SeedProblem,
    entry,
    read,
    render,
    write,
)

if TYPE_CHECKING:  # the type load_state returns, for its callers: nothing is wired from here
    from ..domain.collaborations.entities import Collaboration

__all__ = ["dump_state", "load_state", "replace_state", "save_state"]


def _sections() -> list[SeedSection]:
    """The families' seed sections, in data order."""
    return [family.seed for family in families() if family.seed is not None]


@dataclass
class _RegionPlan:
    name: str
    #: Each section's planned entries, by its key.
    sections: dict[str, list[Any]] = field(default_factory=dict)


# ---- planning -------------------------------------------------------------------------------


def _plan(planner: Planner, document: Any) -> list[_RegionPlan]:
    top = entry(document, "", frozenset({"version", "regions"}), planner.problems)
    if top is None:
        return []
    version = top.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version != FORMAT_VERSION:
        planner.problems.append(
            SeedProblem("version", f"must be {FORMAT_VERSION} (got {render(version)})")
        )
        return []
    regions = top.get("regions", {})
    if not isinstance(regions, Mapping):
        planner.problems.append(
            SeedProblem("regions", f"must be a mapping (got {render(regions)})")
        )
        return []
    return [_region(planner, name, value) for name, value in regions.items()]


def _region(planner: Planner, name: Any, value: Any) -> _RegionPlan:
    path = f"regions.{name}"
    plan = _RegionPlan(str(name))
    if not isinstance(name, str) or name not in cleanrooms_backends[DEFAULT_ACCOUNT_ID]:
        planner.problems.append(
            SeedProblem(path, f"unknown region {name!r}: AWS Clean Rooms has no endpoint there")
        )
        return plan
    sections = _sections()
    region = entry(value, path, frozenset(s.SECTION for s in sections), planner.problems)
    if region is None:
        return plan
    for section in sections:
        key = section.SECTION
        if key in region:
            plan.sections[key] = section.plan(planner, name, f"{path}.{key}", region[key])
    return plan


def _taken(current: State) -> dict[str, dict[str, str]]:
    """The ids the state uses already, by resource kind (its model structure's name)."""
    taken: dict[str, dict[str, str]] = {}
    for store in current.regions.values():
        for kind, table in store.tables():
            ids = taken.setdefault(kind.__name__, {})
            for resource in table.every():
                ids[resource.id] = "the mock's current state"
    return taken


# ---- replaying ------------------------------------------------------------------------------


def _apply(loader: Loader, regions: list[_RegionPlan]) -> list[Collaboration]:
    sections = _sections()
    for region in regions:
        for section in sections:
            section.create(loader, region.sections.get(section.SECTION, []))
    created: list[Collaboration] = []
    for section in sections:
        for region in regions:
            created += section.settle(loader, region.sections.get(section.SECTION, []))
    return created


def _require_active_mock() -> None:
    from moto.core.models import botocore_stubber

    if not (_activation.active() or botocore_stubber.enabled):
        raise RuntimeError(
            "Loading a Clean Rooms seed needs an active mock: call it inside "
            "`with mock_cleanrooms():` (or moto's `mock_aws()`), where the state lives; outside, "
            "it would be discarded or leak into the next activation."
        )


def _document(source: str | os.PathLike[str] | Mapping[str, Any]) -> tuple[str, Any]:
    if isinstance(source, Mapping):
        return "<seed mapping>", copy.deepcopy(dict(source))
    return read(source)


def _load(
    name: str, document: Any, taken: dict[str, dict[str, str]], staging: State
) -> list[Collaboration]:
    planner = Planner(taken)
    regions = _plan(planner, document)
    if planner.problems:
        raise SeedError(name, planner.problems)
    created = _apply(Loader(name, staging), regions)
    state.replace(staging)
    return created


def load_state(source: str | os.PathLike[str] | Mapping[str, Any]) -> list[Collaboration]:
    """Add the collaborations, members, memberships and configured tables of a seed document to
    the mock's state.

    ``source`` is a path (``.json``; ``.yaml``/``.yml`` when PyYAML is installed) or an
    already-parsed mapping. Returns the collaborations created, in document order (deleted ones
    included). Raises :class:`.core.SeedError` naming every problem, with the state unchanged,
    and RuntimeError when no mock is active.
    """
    _require_active_mock()
    name, document = _document(source)
    with lock:  # no request interleaves with a load (or sees half of one)
        return _load(name, document, _taken(state), state.copy())


def replace_state(source: str | os.PathLike[str] | Mapping[str, Any]) -> list[Collaboration]:
    """Replace the whole state with a seed document, all or nothing.

    The document is replayed into an empty state, which takes the place of the current one only
    when the whole document loaded: a bad document never leaves the mock empty.
    """
    _require_active_mock()
    name, document = _document(source)
    with lock:
        return _load(name, document, {}, State())


# ---- dumping --------------------------------------------------------------------------------


def dump_state() -> dict[str, Any]:
    """The mock's whole state as a JSON-serialisable seed document (see :mod:`..seeding`).

    Loading it into an empty mock gives back the same answers to every account: ids, statuses,
    timestamps, tags and list order included.
    """
    with lock:
        regions: dict[str, Any] = {}
        for name in sorted(state.regions):
            store = state.regions[name]
            dumped = ((section.SECTION, section.dump(store)) for section in _sections())
            region = {key: entries for key, entries in dumped if entries}
            if region:
                regions[name] = region
    return {"version": FORMAT_VERSION, "regions": regions}


def save_state(path: str | os.PathLike[str]) -> None:
    """Write :func:`dump_state` to ``path`` atomically: JSON, or YAML for ``.yaml``/``.yml``."""
    write(path, dump_state())
