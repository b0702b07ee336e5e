"""The memberships' section of a seed document (format: :mod:`cleanrooms_mock.seeding`).

A **membership** nests in its collaboration's entry (``memberships[]``): ``accountId`` (the
creator or an invited member, once) plus the input members of CreateMembership but
``collaborationIdentifier``, plus the optional ``id``, ``status`` (ACTIVE, the default;
REMOVED; COLLABORATION_DELETED), ``deleted`` (the member left: the membership is gone from its
lists but still referenced by its member entry), ``createTime`` and ``updateTime``. Inputs left
out get the service's defaults (``isMetricsEnabled`` false). Planning checks the entries
against the collaboration's (members' statuses included), replaying joins, removes and leaves
as the service would, and dumping writes each membership of a collaboration back as an entry.

Entries are applied in document order, or, when every collaboration and membership of a region
has a ``createTime`` (as dumps do), in ``createTime`` order, so that each account lists its
memberships in the order it joined. Statuses are reached the way the service reaches them:
REMOVED by the creator's DeleteMember, ``deleted`` memberships by the member's
DeleteMembership, a deleted collaboration by the creator's DeleteCollaboration once its
memberships exist.

This family's section (:class:`..family.SeedSection`) is the region's ``collaborations[]``: each
collaboration entry (:mod:`..collaborations.seed`) with its memberships nested, replayed
together, since a collaboration's creation, its memberships' and its deletion interleave in
time (a family imports only those before it: this one knows both).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ...seeding.core import (
    Loader,
    Planner,
    SeedProblem,
    check,
    check_input,
    entry,
    flag,
    iso,
    join,
    operation_inputs,
    order_times,
    render,
    settle_times,
    timestamp,
)
from ..collaborations import seed as collaborations
from ..collaborations.entities import Collaboration
from ..collaborations.seed import CollaborationPlan
from ..store import RegionStore
from .entities import Membership

__all__ = [
    "SECTION",
    "CollaborationEntry",
    "MembershipPlan",
    "create",
    "dump",
    "membership_inputs",
    "plan",
    "settle",
]

_CREATE_MEMBERSHIP = "CreateMembership"
_MEMBERSHIP_KEYS = ("id", "accountId", "status", "deleted", "createTime", "updateTime")
#: Stands in for a collaboration id not known until the collaboration exists.
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@functools.cache
def membership_inputs() -> frozenset[str]:
    """The input members of CreateMembership a membership entry has."""
    return operation_inputs(_CREATE_MEMBERSHIP) - {"collaborationIdentifier"}


@dataclass
class MembershipPlan:
    path: str
    account: str
    params: dict[str, Any]  # CreateMembership input members but collaborationIdentifier
    id: str | None
    status: str
    deleted: bool
    create_time: datetime | None
    update_time: datetime | None
    created: Membership | None = None


def _plan_nested(planner: Planner, collaboration: CollaborationPlan) -> list[MembershipPlan]:
    """Check the collaboration entry's ``memberships`` (problems go to ``planner``)."""
    value = collaboration.nested.get("memberships", [])
    path = collaboration.path
    planned: list[MembershipPlan] = []
    if not isinstance(value, list):
        planner.problems.append(
            SeedProblem(join(path, "memberships"), f"must be a list (got {render(value)})")
        )
    else:
        for index, item in enumerate(value):
            membership = _plan(
                planner, collaboration, planned, f"{path}.memberships[{index}]", item
            )
            if membership is not None:
                planned.append(membership)
    _check_statuses(planner, collaboration, planned)
    return planned


def _plan(
    planner: Planner,
    collaboration: CollaborationPlan,
    planned: list[MembershipPlan],
    path: str,
    value: Any,
) -> MembershipPlan | None:
    allowed = membership_inputs() | set(_MEMBERSHIP_KEYS)
    checked = entry(value, path, allowed, planner.problems)
    if checked is None:
        return None
    problems = planner.problems
    before = len(problems)
    account = checked.get("accountId")
    invited = {member.account: member for member in collaboration.members}
    joined = {membership.account: membership for membership in planned}
    account_path = join(path, "accountId")
    if account is None:
        problems.append(SeedProblem(account_path, "is required"))
    elif account != collaboration.creator and account not in invited:
        problems.append(
            SeedProblem(
                account_path,
                f"account {account} is neither the creator nor an invited member of this "
                "collaboration",
            )
        )
    elif account in joined:
        problems.append(
            SeedProblem(
                account_path,
                f"account {account} already has a membership in this collaboration "
                f"({joined[account].path}); an account joins a collaboration once",
            )
        )
    membership_id = planner.unique_id(checked.get("id"), path, "Membership")
    status = checked.get("status", "ACTIVE")
    problems.extend(check("Membership", "status", status, path))
    deleted = flag(checked.get("deleted"), join(path, "deleted"), problems)
    if collaboration.deleted and status == "ACTIVE":
        problems.append(
            SeedProblem(
                join(path, "status"),
                "is ACTIVE, but the collaboration is deleted: its memberships are "
                "COLLABORATION_DELETED or REMOVED",
            )
        )
    if not collaboration.deleted and status == "COLLABORATION_DELETED":
        problems.append(
            SeedProblem(
                join(path, "status"),
                'is COLLABORATION_DELETED, but the collaboration is not ("deleted": true)',
            )
        )
    create_time = timestamp(checked.get("createTime"), join(path, "createTime"), problems)
    update_time = timestamp(checked.get("updateTime"), join(path, "updateTime"), problems)
    order_times(
        collaboration.create_time,
        create_time,
        "the collaboration's createTime",
        join(path, "createTime"),
        problems,
    )
    order_times(create_time, update_time, "createTime", join(path, "updateTime"), problems)
    inputs = membership_inputs()  # in the entry's order, so a dump after a load is stable
    params = {key: given for key, given in checked.items() if key in inputs}
    identifier = collaboration.id or _PLACEHOLDER_ID
    problems.extend(
        check_input(_CREATE_MEMBERSHIP, {**params, "collaborationIdentifier": identifier}, path)
    )
    if len(problems) != before:
        return None
    membership = MembershipPlan(
        path,
        str(account),
        params,
        membership_id,
        str(status),
        deleted,
        create_time,
        update_time,
    )
    if account in invited:
        invited[account].joins = True
    return membership


def _check_statuses(
    planner: Planner, collaboration: CollaborationPlan, memberships: list[MembershipPlan]
) -> None:
    """A member's status, when given, must be the one its membership entry leads to."""
    by_account = {membership.account: membership for membership in memberships}
    for member in collaboration.members:
        if member.status is None:
            continue
        membership = by_account.get(member.account)
        if membership is None:
            if member.status not in ("INVITED", "REMOVED"):
                planner.problems.append(
                    SeedProblem(
                        join(member.path, "status"),
                        f"is {member.status}, but the document has no membership of "
                        f"{member.account} here; a member without one is INVITED or REMOVED",
                    )
                )
            continue
        if membership.status == "REMOVED":
            expected = "REMOVED"
        else:
            expected = "LEFT" if membership.deleted else "ACTIVE"
        if member.status != expected:
            state = membership.status + (", deleted" if membership.deleted else "")
            planner.problems.append(
                SeedProblem(
                    join(member.path, "status"),
                    f"is {member.status}, but its membership ({membership.path}) is {state}, "
                    f"which makes the member {expected}",
                )
            )


def _join(loader: Loader, collaboration: CollaborationPlan, membership: MembershipPlan) -> None:
    """Join as the member; then the creator removes it, or it leaves, as the entry says."""
    created_collaboration = collaboration.created
    assert created_collaboration is not None  # the timeline creates a collaboration first
    collaboration_id = created_collaboration.id
    member = loader.view(membership.account, collaboration.region)
    params = {**membership.params, "collaborationIdentifier": collaboration_id}
    created: Membership = loader.run(
        membership.path, member, _CREATE_MEMBERSHIP, params, fixed_id=membership.id
    )
    membership.created = created
    if membership.status == "REMOVED":
        creator = loader.view(collaboration.creator, collaboration.region)
        remove = functools.partial(
            creator.delete_member,
            collaboration_identifier=collaboration_id,
            account_id=membership.account,
        )
        loader.call(join(membership.path, "status"), remove, "remove the member")
    if membership.deleted and membership.status != "COLLABORATION_DELETED":
        leave = functools.partial(member.delete_membership, membership_identifier=created.id)
        loader.call(join(membership.path, "deleted"), leave, "leave the collaboration")


def _leave_deleted(
    loader: Loader, collaboration: CollaborationPlan, memberships: list[MembershipPlan]
) -> None:
    """Once the collaboration is deleted, the members whose entries say so leave it."""
    for membership in memberships:
        if membership.deleted and membership.status == "COLLABORATION_DELETED":
            created = membership.created
            assert created is not None
            member = loader.view(membership.account, collaboration.region)
            leave = functools.partial(member.delete_membership, membership_identifier=created.id)
            loader.call(join(membership.path, "deleted"), leave, "leave the collaboration")


def _reached_problems(memberships: list[MembershipPlan]) -> list[SeedProblem]:
    """Memberships whose status, as replayed, is not the one the document gives."""
    problems: list[SeedProblem] = []
    for membership in memberships:
        assert membership.created is not None
        if membership.created.status != membership.status:
            problems.append(
                SeedProblem(
                    join(membership.path, "status"),
                    f"is {membership.status}, but the service's rules lead to "
                    f"{membership.created.status}",
                )
            )
    return problems


def _settle_nested(memberships: list[MembershipPlan]) -> None:
    """Apply the document's timestamps to the replayed memberships."""
    for membership in memberships:
        assert membership.created is not None
        settle_times(membership.created, membership.create_time, membership.update_time)


def _dump_membership(membership: Membership, store: RegionStore) -> dict[str, Any]:
    dumped: dict[str, Any] = {"id": membership.id, "accountId": membership.account_id}
    inputs = membership_inputs() - {"tags"}
    for key, value in membership.settings.items():
        if key in inputs and value is not None:
            dumped[key] = copy.deepcopy(value)
    if membership.tags:
        dumped["tags"] = dict(membership.tags)
    dumped["status"] = membership.status
    if store.table(Membership).get(membership.id) is not membership:
        dumped["deleted"] = True
    dumped["createTime"] = iso(membership.create_time)
    dumped["updateTime"] = iso(membership.update_time)
    return dumped


def _dump_nested(collaboration: Collaboration, store: RegionStore) -> list[dict[str, Any]]:
    """The collaboration's memberships as document entries, in the order they were created."""
    memberships = [m.membership for m in collaboration.members.values() if m.membership]
    return [
        _dump_membership(membership, store)
        for membership in sorted(memberships, key=lambda m: m.create_time)
    ]


# ---- the section: collaborations with their memberships nested ---------------------------------

#: The key of a region entry that holds the collaborations (and their memberships).
SECTION = "collaborations"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class CollaborationEntry:
    """A collaboration entry and the memberships nested in it."""

    collaboration: CollaborationPlan
    memberships: list[MembershipPlan] = field(default_factory=list)


def plan(planner: Planner, region: str, path: str, value: Any) -> list[CollaborationEntry]:
    """Check a region's ``collaborations`` list and the memberships nested in its entries."""
    return planner.each(path, value, functools.partial(_plan_entry, planner, region))


def _plan_entry(planner: Planner, region: str, path: str, value: Any) -> CollaborationEntry | None:
    before = len(planner.problems)
    collaboration = collaborations.plan(planner, region, path, value)
    if collaboration is None:
        return None
    nested = _plan_nested(planner, collaboration)
    collaboration.pending = len(nested)
    return CollaborationEntry(collaboration, nested) if len(planner.problems) == before else None


def _timeline(
    planned: list[CollaborationEntry],
) -> list[tuple[CollaborationEntry, MembershipPlan | None]]:
    """Creation events: document order, or createTime order when every entry has one."""
    events: list[tuple[datetime | None, CollaborationEntry, MembershipPlan | None]] = []
    for listed in planned:
        events.append((listed.collaboration.create_time, listed, None))
        events.extend((m.create_time, listed, m) for m in listed.memberships)
    if all(time is not None for time, _, _ in events):
        events.sort(key=lambda event: event[0] or _EPOCH)  # stable: ties keep their order
    return [(listed, membership) for _, listed, membership in events]


def create(loader: Loader, planned: list[CollaborationEntry]) -> None:
    """Replay a region's collaborations and memberships in creation order; a deleted
    collaboration goes once its memberships exist, then those that left it."""
    for listed, membership in _timeline(planned):
        collaboration = listed.collaboration
        if membership is None:
            collaborations.create(loader, collaboration)
        else:
            _join(loader, collaboration, membership)
            collaboration.pending -= 1
        if collaboration.pending == 0 and collaboration.deleted and collaboration.created:
            collaborations.delete(loader, collaboration)
            _leave_deleted(loader, collaboration, listed.memberships)


def settle(loader: Loader, planned: list[CollaborationEntry]) -> list[Collaboration]:
    """Check the statuses reached, then apply the document's timestamps. Returns the
    collaborations created, in document order (deleted ones included)."""
    created: list[Collaboration] = []
    for listed in planned:
        problems = _reached_problems(listed.memberships)
        problems += collaborations.reached_problems(listed.collaboration)
        if problems:
            raise loader.fail(problems)
        _settle_nested(listed.memberships)
        collaborations.settle(listed.collaboration)
        if listed.collaboration.created is not None:
            created.append(listed.collaboration.created)
    return created


def dump(store: RegionStore) -> list[dict[str, Any]]:
    """The region's collaborations (deleted ones too: their memberships still read them), each
    with its memberships, in the order they were created."""
    table = store.table(Collaboration)
    return [
        {
            **collaborations.dump(collaboration, collaboration.id not in table.by_id),
            "memberships": _dump_nested(collaboration, store),
        }
        for collaboration in table.every()
    ]
