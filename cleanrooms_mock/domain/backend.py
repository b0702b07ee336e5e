"""CleanRoomsBackend: the families' operations, composed; nothing else.

The families are found, not named (:func:`.family.families`): ``Operations`` derives from each
family's ops mixin in data order, then :class:`.tags.TagOps`, composed once at import (a call
finds its method as on any class). One backend per (account, region) lives in moto's
``BackendDict``, so moto's account switching and ``mock_aws`` resets apply unchanged. A
backend holds no state: it knows its account, its region and that region's store
(:mod:`.store`), where every account's view meets. The public methods of the ops mixins are the
operations the mock implements (:func:`operation_methods`).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from moto.core.base_backend import BackendDict, BaseBackend

from .family import families
from .store import RegionStore, state
from .tags import TaggableResource, TagOps, taggable_resources

__all__ = [
    "OPS_MIXINS",
    "CleanRoomsBackend",
    "Operations",
    "StoreView",
    "backend",
    "cleanrooms_backends",
    "operation_methods",
    "reset_state",
    "tagged_by",
]


if TYPE_CHECKING:  # the mixins are known when the families are found, not to mypy

    class Operations(TagOps):
        """Every implemented operation: the families' ops mixins, in data order."""

        def __getattr__(self, name: str) -> Any:
            """An operation of a family's ops mixin."""

else:
    Operations = type(
        "Operations",
        (*(mixin for family in families() for mixin in family.mixins), TagOps),
        {
            "__doc__": "Every implemented operation: the families' ops mixins, in data order.",
            "__module__": __name__,
        },
    )


#: The ops mixins: a family's operations each (shared ones, like tags, too).
OPS_MIXINS: tuple[type, ...] = Operations.__bases__


def operation_methods(mixins: tuple[type, ...] = OPS_MIXINS) -> frozenset[str]:
    """The public methods of the ops mixins: each serves the model operation of its name."""
    return frozenset(
        name
        for mixin in mixins
        for name, member in vars(mixin).items()
        if not name.startswith("_") and inspect.isfunction(member)
    )


class CleanRoomsBackend(BaseBackend, Operations):
    """Clean Rooms as seen by one account in one region."""

    @property
    def store(self) -> RegionStore:
        return state.regions.get(self.region_name) or state.region(self.region_name)

    def reset(self) -> None:
        """Called by moto's ``mock_aws`` resets: the region's store goes with the accounts."""
        state.drop(self.region_name)
        super().reset()


class StoreView(Operations):
    """One account's operations on a given store: seeding replays into a staged copy.

    ``verify_glue_tables`` overrides the mock's option of that name for this view (seeding
    reads no Glue table: a state document does not carry moto's Glue Data Catalog).
    """

    def __init__(
        self,
        account_id: str,
        region_name: str,
        store: RegionStore,
        *,
        verify_glue_tables: bool | None = None,
    ) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self._store = store
        self._verify_glue_tables = verify_glue_tables

    @property
    def store(self) -> RegionStore:
        return self._store

    @property
    def verify_glue_tables(self) -> bool:
        verify = self._verify_glue_tables
        return super().verify_glue_tables if verify is None else verify


#: (account, region) -> its backend, as moto's BackendDict made it: looked up there once, as
#: that lookup costs a lock and a scan of the accounts. Backends hold no state, so one kept
#: across a moto reset still serves the same store.
_backends: dict[tuple[str, str], CleanRoomsBackend] = {}


def backend(account: str, region: str) -> CleanRoomsBackend | None:
    """The backend of ``account`` in ``region``; None where Clean Rooms has no endpoint."""
    found = _backends.get((account, region))
    if found is None:
        regions = cleanrooms_backends[account]
        if region not in regions:
            return None
        found = _backends[account, region] = regions[region]
    return found


def tagged_by(account: str, region: str) -> Iterator[TaggableResource]:
    """The resources ``account`` may tag in ``region`` (:func:`.tags.taggable_resources`), for
    another AWS API; none where no store was ever made (nothing is created to look)."""
    store = state.regions.get(region)
    if store is None:
        return iter(())
    return taggable_resources(StoreView(account, region, store))


def reset_state() -> None:
    """Forget every resource (collaborations, memberships, configured tables) and every
    account backend."""
    state.clear()
    _backends.clear()
    # moto caches every account's backend dict (an lru_cache on one of its methods): empty
    # them, or they would outlive the mock.
    for per_account in list(cleanrooms_backends.values()):
        per_account.clear()
    cleanrooms_backends.clear()


cleanrooms_backends: BackendDict[CleanRoomsBackend] = BackendDict(CleanRoomsBackend, "cleanrooms")
