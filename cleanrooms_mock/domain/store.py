"""The state: one :class:`RegionStore` per region, under one lock; accounts are views of it.

A collaboration is created by one account but seen by every account it invites, so resources
live once per region, never copied per account (copies could drift). Each kind of resource has
a :class:`Table`: the live resources by id, and per account an index of ``(seq, resource)`` in
creation order, so that a list page costs a binary search plus the page. What the quotas count
is kept as counters, so a create costs the same at 10 resources or 100k.

:data:`state` holds every region's store. Seeding replays a document into a copy
(:meth:`State.copy`) and, on success, puts the copy in place (:meth:`State.replace`), so a load
that fails changes nothing and needs no undo.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Generic, TypeVar

from .options import options

__all__ = ["RegionStore", "Scope", "State", "Table", "lock", "state"]

E = TypeVar("E")

#: Guards every store and every change to one: calls may come from many threads.
lock = threading.RLock()


class Table(Generic[E]):
    """The resources of one kind in one region."""

    __slots__ = ("by_account", "by_id")

    def __init__(self) -> None:
        #: The live resources (not deleted, not left), by id.
        self.by_id: dict[str, E] = {}
        #: Per account, ``(seq, resource)`` in creation order, deleted ones included: lists
        #: filter on what is live, and a page token resumes after a ``seq``.
        self.by_account: dict[str, list[tuple[int, E]]] = {}

    def get(self, resource_id: str) -> E | None:
        return self.by_id.get(resource_id)

    def add(self, resource_id: str, resource: E, seq: int, accounts: tuple[str, ...]) -> None:
        """Store a new resource, listed for each of ``accounts``."""
        self.by_id[resource_id] = resource
        for account in accounts:
            self.by_account.setdefault(account, []).append((seq, resource))

    def remove(self, resource_id: str) -> None:
        """The resource is no longer live (its index entries stay, for those who still see it)."""
        del self.by_id[resource_id]

    def index(self, account: str) -> list[tuple[int, E]]:
        """``account``'s ``(seq, resource)`` entries in creation order (do not change it)."""
        return self.by_account.get(account, [])

    def every(self) -> list[E]:
        """Every resource ever added, deleted ones included, in creation order."""
        seen: dict[int, tuple[int, E]] = {}
        for entries in self.by_account.values():
            for seq, resource in entries:
                seen.setdefault(id(resource), (seq, resource))
        return [resource for _, resource in sorted(seen.values(), key=lambda e: e[0])]


class RegionStore:
    """Every resource of one region, by kind and id, with the quota counters."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._seq = 0
        self._tables: dict[type, Table[Any]] = {}
        #: (quota name, account) -> what the quota counts now.
        self.counts: dict[tuple[str, str], int] = {}
        #: ARNs of resources that ever had a tag removed ("previously tagged": :mod:`.tags`).
        self.untagged: set[str] = set()

    def next_seq(self) -> int:
        """The next creation sequence number of the region (what list pages resume from)."""
        self._seq += 1
        return self._seq

    def table(self, kind: type[E]) -> Table[E]:
        """The table of resources of class ``kind``."""
        table = self._tables.get(kind)
        if table is None:
            table = self._tables[kind] = Table()
        return table

    def tables(self) -> list[tuple[type, Table[Any]]]:
        """Every table, with the class of its resources."""
        return list(self._tables.items())

    def count(self, quota: str, account: str) -> int:
        """What ``quota`` counts for ``account`` now."""
        return self.counts.get((quota, account), 0)

    def adjust(self, quota: str, account: str, delta: int) -> None:
        """Change what ``quota`` counts for ``account`` by ``delta``."""
        key = (quota, account)
        self.counts[key] = self.counts.get(key, 0) + delta


class State:
    """The stores of every region."""

    def __init__(self) -> None:
        self.regions: dict[str, RegionStore] = {}

    def region(self, name: str) -> RegionStore:
        """The store of region ``name``, made empty on first use."""
        store = self.regions.get(name)
        if store is None:
            with lock:
                store = self.regions.setdefault(name, RegionStore(name))
        return store

    def drop(self, name: str) -> None:
        """Forget one region."""
        with lock:
            self.regions.pop(name, None)

    def clear(self) -> None:
        """Forget every region."""
        with lock:
            self.regions = {}

    def copy(self) -> State:
        """A deep copy, to change without touching this state (hold :data:`lock`)."""
        staged = State()
        staged.regions = copy.deepcopy(self.regions)
        return staged

    def replace(self, other: State) -> None:
        """Take ``other``'s stores (a staged copy, once its changes all succeeded)."""
        with lock:
            self.regions = other.regions


#: The mock's state: what every account's backend reads and changes.
state = State()


class Scope:
    """What an operation knows: the calling account, its region, and that region's store.

    The families' ops mixins derive from it; :mod:`.backend` supplies the store.
    """

    account_id: str
    region_name: str

    @property
    def store(self) -> RegionStore:
        raise NotImplementedError

    @property
    def verify_glue_tables(self) -> bool:
        """Whether configured tables must name real Glue tables (:mod:`.options`)."""
        return options.verify_glue_tables
