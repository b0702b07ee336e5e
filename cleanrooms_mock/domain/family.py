"""What a family declares about itself, and how the shared modules find the families.

A family is a subpackage of :mod:`cleanrooms_mock.domain` (``collaborations``, ``memberships``,
``configured_tables``, ...) whose ``family.py`` holds ``FAMILY = Family(...)``: its place in
data order, its ops mixin, its quotas, its taggable entity kinds and its seed section. The
shared modules (:mod:`.backend`, :mod:`.quotas`, :mod:`.tags`,
:mod:`cleanrooms_mock.seeding.state`) read :func:`families` instead of naming any family, so
adding one is adding its folder (README "Development"). Nothing is imported here at module
level: every family's ``family.py`` imports this module.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..seeding.core import Loader, Planner
    from .access import Tagged
    from .store import RegionStore, Scope

__all__ = ["Family", "Quota", "SeedSection", "families"]


@dataclass(frozen=True)
class Quota:
    """A service quota a family enforces (counted with ``store.count``/``store.adjust`` under
    ``name``, compared with ``quotas.<name>``)."""

    #: The attribute of :data:`.quotas.quotas` and the key of ``mock_cleanrooms(quotas=...)``.
    name: str
    #: AWS's default (the Clean Rooms user guide, "Quotas in AWS Clean Rooms").
    default: int
    #: The quota's name on that page: ServiceQuotaExceededException.quotaName.
    aws_name: str


class SeedSection(Protocol):
    """A family's section of the seed document: ``regions.<region>.<SECTION>[]``, as the
    functions of its ``seed.py`` (a module is a valid implementation).

    Loading plans every section of every region (:meth:`plan`, problems to the planner), then
    replays each region's sections in data order (:meth:`create`), then settles each section
    (:meth:`settle`); dumping writes each region's sections (:meth:`dump`, empty ones left out).
    """

    #: The key of a region entry that holds this family's entries.
    SECTION: str

    def plan(self, planner: Planner, region: str, path: str, value: Any) -> list[Any]:
        """Check the section's value at ``path`` (problems go to ``planner``); the plans."""

    def create(self, loader: Loader, planned: list[Any]) -> None:
        """Replay one region's planned entries through the operations, into the staged state."""

    def settle(self, loader: Loader, planned: list[Any]) -> list[Any]:
        """Once every region is replayed: check the statuses reached (``loader.fail``) and
        apply the document's timestamps. Returns the entries' collaborations created (what
        ``load_state`` returns), or nothing for a section of another kind."""

    def dump(self, store: RegionStore) -> list[dict[str, Any]]:
        """The region's entries of this section, as a document writes them."""


@dataclass(frozen=True)
class Family:
    """What the shared modules know of a family (its ``family.py``'s ``FAMILY``)."""

    #: Its place in data order (DESIGN.md: collaborations 1, memberships 2, configured tables
    #: 3, ...): a family imports only those before it; operations compose, quotas list and
    #: seed sections replay in this order.
    order: int
    #: Its operations: a :class:`.store.Scope` mixin (or several, for a family that serves two
    #: kinds of resource), one public method per model operation.
    ops: type[Scope] | tuple[type[Scope], ...]
    #: Its service quotas, in the order ``quotas`` lists them.
    quotas: tuple[Quota, ...] = ()
    #: Its entity kinds that TagResource tags (each also has its ARN type in
    #: :func:`.access.tagged_resource`): what the Resource Groups Tagging API sees.
    taggable: tuple[type[Tagged], ...] = ()
    #: Its region-level seed section, if it has one (its ``seed`` module).
    seed: SeedSection | None = None

    @property
    def mixins(self) -> tuple[type[Scope], ...]:
        """Its ops mixins, as a tuple."""
        return self.ops if isinstance(self.ops, tuple) else (self.ops,)

    @property
    def name(self) -> str:
        """The family's package name (``memberships``), from where its ops mixin lives."""
        return self.mixins[0].__module__.split(".")[-2]


@functools.cache
def families() -> tuple[Family, ...]:
    """Every family: each subpackage of :mod:`cleanrooms_mock.domain` with its ``family.py``,
    in data order. Imported on first call (a family's operations import the shared modules).
    Raises TypeError for a subpackage whose ``FAMILY`` is not a :class:`Family`."""
    domain = importlib.import_module(__name__.rpartition(".")[0])
    found: list[Family] = []
    for info in pkgutil.iter_modules(domain.__path__):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{domain.__name__}.{info.name}.family")
        family = getattr(module, "FAMILY", None)
        if not isinstance(family, Family):
            raise TypeError(f"{module.__name__}.FAMILY must be a Family, not {family!r}")
        found.append(family)
    return tuple(sorted(found, key=lambda family: family.order))
