"""Loading, replacing, dumping and saving the whole state: the sections, put together.

A document is checked whole first (:class:`.core.Planner`), reporting every problem at once;
then it is replayed into a staged copy of the state (:class:`.core.Loader`), entry by entry,
through the operations, and the copy takes the state's place only when every entry succeeded.
A load that fails leaves the state as it was, with no undo to get wrong.

The families' sections (``domain/<family>/seed.py``) are called here in data order: a
collaboration entry first, then the memberships nested in it; a region's configured tables
(which belong to their account, not to a collaboration) before its collaborations.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .. import _activation
from ..defaults import DEFAULT_ACCOUNT_ID
from ..domain.associations import seed as associations
from ..domain.backend import cleanrooms_backends
from ..domain.collaborations import seed as collaborations
from ..domain.collaborations.entities import Collaboration
from ..domain.configured_tables import seed as configured_tables
from ..domain.memberships import seed as memberships
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

__all__ = ["dump_state", "load_state", "replace_state", "save_state"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class _Entry:
    """A collaboration entry and the memberships nested in it."""

    collaboration: collaborations.CollaborationPlan
    memberships: list[memberships.MembershipPlan]


@dataclass
class _RegionPlan:
    name: str
    entries: list[_Entry] = field(default_factory=list)
    configured_tables: list[configured_tables.ConfiguredTablePlan] = field(default_factory=list)
    associations: list[associations.AssociationPlan] = field(default_factory=list)

    def timeline(self) -> list[tuple[_Entry, memberships.MembershipPlan | None]]:
        """Creation events: document order, or createTime order when every entry has one."""
        events: list[tuple[datetime | None, _Entry, memberships.MembershipPlan | None]] = []
        for planned in self.entries:
            events.append((planned.collaboration.create_time, planned, None))
            events.extend((m.create_time, planned, m) for m in planned.memberships)
        if all(time is not None for time, _, _ in events):
            events.sort(key=lambda event: event[0] or _EPOCH)  # stable: ties keep their order
        return [(planned, membership) for _, planned, membership in events]


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
    sections = frozenset({"collaborations", configured_tables.SECTION, associations.SECTION})
    region = entry(value, path, sections, planner.problems)
    if region is None:
        return plan
    if configured_tables.SECTION in region:
        plan.configured_tables = configured_tables.plan(
            planner,
            name,
            f"{path}.{configured_tables.SECTION}",
            region[configured_tables.SECTION],
        )
    if associations.SECTION in region:
        path_of = f"{path}.{associations.SECTION}"
        plan.associations = associations.plan(planner, name, path_of, region[associations.SECTION])
    entries = region.get("collaborations", [])
    if not isinstance(entries, list):
        planner.problems.append(
            SeedProblem(f"{path}.collaborations", f"must be a list (got {render(entries)})")
        )
        return plan
    for index, item in enumerate(entries):
        planned = _collaboration(planner, name, f"{path}.collaborations[{index}]", item)
        if planned is not None:
            plan.entries.append(planned)
    return plan


def _collaboration(planner: Planner, region: str, path: str, value: Any) -> _Entry | None:
    before = len(planner.problems)
    collaboration = collaborations.plan(planner, region, path, value)
    if collaboration is None:
        return None
    nested = memberships.plan(planner, collaboration)
    collaboration.pending = len(nested)
    return _Entry(collaboration, nested) if len(planner.problems) == before else None


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
    for region in regions:
        for table in region.configured_tables:
            configured_tables.create(loader, table)
        for planned, membership in region.timeline():
            collaboration = planned.collaboration
            if membership is None:
                collaborations.create(loader, collaboration)
            else:
                memberships.create(loader, collaboration, membership)
                collaboration.pending -= 1
            if collaboration.pending == 0:
                _finish(loader, planned)
        for association in region.associations:
            associations.create(loader, association)
    every = [planned for region in regions for planned in region.entries]
    for planned in every:
        _settle(loader, planned)
    for region in regions:
        configured_tables.settle(region.configured_tables)
        associations.settle(region.associations)
    return [p.collaboration.created for p in every if p.collaboration.created is not None]


def _finish(loader: Loader, planned: _Entry) -> None:
    """Once its memberships exist, a deleted collaboration goes, then those that left it."""
    if not planned.collaboration.deleted or planned.collaboration.created is None:
        return
    collaborations.delete(loader, planned.collaboration)
    memberships.leave_deleted(loader, planned.collaboration, planned.memberships)


def _settle(loader: Loader, planned: _Entry) -> None:
    """Check the statuses reached, then apply the document's timestamps."""
    problems = memberships.reached_problems(planned.memberships)
    problems += collaborations.reached_problems(planned.collaboration)
    if problems:
        raise loader.fail(problems)
    memberships.settle(planned.memberships)
    collaborations.settle(planned.collaboration)


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
            table = store.table(Collaboration)
            sections = {
                "collaborations": [
                    {
                        **collaborations.dump(collaboration, collaboration.id not in table.by_id),
                        "memberships": memberships.dump(collaboration, store),
                    }
                    for collaboration in table.every()
                ],
                configured_tables.SECTION: configured_tables.dump(store),
                associations.SECTION: associations.dump(store),
            }
            region = {key: entries for key, entries in sections.items() if entries}
            if region:
                regions[name] = region
    return {"version": FORMAT_VERSION, "regions": regions}


def save_state(path: str | os.PathLike[str]) -> None:
    """Write :func:`dump_state` to ``path`` atomically: JSON, or YAML for ``.yaml``/``.yml``."""
    write(path, dump_state())
