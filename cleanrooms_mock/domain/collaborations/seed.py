"""The collaboration entries of a seed document (format: :mod:`cleanrooms_mock.seeding`), in a
region's ``collaborations[]`` section (the memberships family's: :mod:`..memberships.seed`).

* A **collaboration** is ``creatorAccountId`` plus the input members of CreateCollaboration,
  named as in the installed botocore model (an input AWS adds works unchanged), plus the
  optional ``id``, ``createTime``, ``updateTime``, ``deleted`` and ``memberships``. Inputs left
  out get the service's defaults, as through the API (``analyticsEngine`` ``SPARK``,
  ``isMetricsEnabled`` false: ``domain.service_defaults.SERVICE_DEFAULTS``), and a dump writes
  them out. Values the API no longer accepts are loaded as they are: ``"analyticsEngine":
  "CLEAN_ROOMS_SQL"`` restores a legacy collaboration, which CreateCollaboration refuses (the
  refusal is the protocol's, :mod:`cleanrooms_mock.protocol.withdrawn`; seeding calls the
  domain directly).
* A **member** (``members[]``) is a MemberSpecification plus an optional ``status`` (INVITED,
  ACTIVE, LEFT, REMOVED) and ``updateTime``. Its status follows from the account's membership
  entry and, when given, must agree with it: no membership entry makes it INVITED (or REMOVED:
  removed before joining), a membership ACTIVE, a REMOVED membership REMOVED, a deleted one
  LEFT. The creator is not listed there; its status follows from its membership entry alone.
  Members take the collaboration's ``createTime``, and their ``updateTime`` defaults to their
  membership's ``createTime`` (joined) or ``updateTime`` (removed, left), else the
  collaboration's ``createTime``.
* A **deleted collaboration** (``"deleted": true``) is gone for everyone; it is kept so that its
  memberships (COLLABORATION_DELETED, or REMOVED) still read as they did. An ACTIVE membership
  in it, or a COLLABORATION_DELETED one in a live collaboration, is refused.

Planning checks an entry, replaying it calls the creator's operations on the staged state, and
dumping writes a collaboration back as an entry.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...seeding.core import (
    Loader,
    Planner,
    SeedProblem,
    check,
    check_input,
    entry,
    entry_times,
    flag,
    iso,
    join,
    operation_inputs,
    order_times,
    settle_times,
    structure,
    timestamp,
)
from .entities import Collaboration, Member

__all__ = [
    "NESTED_KEYS",
    "CollaborationPlan",
    "MemberPlan",
    "create",
    "delete",
    "dump",
    "plan",
    "reached_problems",
    "settle",
]

_CREATE_COLLABORATION = "CreateCollaboration"
#: Keys of a collaboration entry where later families' sections nest their entries.
NESTED_KEYS = frozenset({"memberships"})
#: Keys of a collaboration and member entry besides the operation's input members.
_COLLABORATION_KEYS = ("id", "creatorAccountId", "createTime", "updateTime", "deleted")
_MEMBER_KEYS = ("status", "updateTime")
#: Collaboration attributes stored under their output name (see create_collaboration).
_OUTPUT_TO_INPUT = {"autoApprovedChangeTypes": "autoApprovedChangeRequestTypes"}


@functools.cache
def _collaboration_inputs() -> frozenset[str]:
    # Nested keys are ours: should the model ever grow an input of that name, ours wins.
    return operation_inputs(_CREATE_COLLABORATION) - NESTED_KEYS


@functools.cache
def _member_spec_inputs() -> frozenset[str]:
    return frozenset(structure("MemberSpecification").members)


@dataclass
class MemberPlan:
    path: str
    account: str
    status: str | None
    update_time: datetime | None
    #: The document has a membership entry for this member (set by the memberships section).
    joins: bool = False


@dataclass
class CollaborationPlan:
    path: str
    region: str
    creator: str
    params: dict[str, Any]  # CreateCollaboration input members
    id: str | None
    deleted: bool
    create_time: datetime | None
    update_time: datetime | None
    members: list[MemberPlan] = field(default_factory=list)
    #: The values of the entry's :data:`NESTED_KEYS`, for the later families' sections.
    nested: dict[str, Any] = field(default_factory=dict)
    created: Collaboration | None = None
    pending: int = 0  # nested entries still to replay before a deleted collaboration goes


def plan(planner: Planner, region: str, path: str, value: Any) -> CollaborationPlan | None:
    """Check a collaboration entry (problems go to ``planner``); None when it is no mapping."""
    allowed = _collaboration_inputs() | set(_COLLABORATION_KEYS) | NESTED_KEYS
    checked = entry(value, path, allowed, planner.problems)
    if checked is None:
        return None
    problems = planner.problems
    creator = checked.get("creatorAccountId")
    if creator is None:
        problems.append(SeedProblem(join(path, "creatorAccountId"), "is required"))
    else:
        problems.extend(check("Collaboration", "creatorAccountId", creator, path))
    collaboration_id = planner.unique_id(checked.get("id"), path, "Collaboration")
    create_time, update_time = entry_times(checked, path, problems)
    deleted = flag(checked.get("deleted"), join(path, "deleted"), problems)

    members: list[MemberPlan] = []
    specs = checked.get("members")
    if isinstance(specs, list):
        cleaned: list[Any] = []
        for index, spec in enumerate(specs):
            member_path = f"{path}.members[{index}]"
            if not isinstance(spec, Mapping):
                cleaned.append(spec)  # the model's validator says what is wrong
                continue
            allowed_spec = _member_spec_inputs() | set(_MEMBER_KEYS)
            member = entry(spec, member_path, allowed_spec, problems)
            assert member is not None
            status = member.pop("status", None)
            if status is not None:
                problems.extend(check("MemberSummary", "status", status, member_path))
            member_time = timestamp(
                member.pop("updateTime", None), join(member_path, "updateTime"), problems
            )
            order_times(
                create_time,
                member_time,
                "the collaboration's createTime",
                join(member_path, "updateTime"),
                problems,
            )
            cleaned.append(member)
            account = member.get("accountId")
            if isinstance(account, str):
                members.append(MemberPlan(member_path, account, status, member_time))
        checked["members"] = cleaned
    inputs = _collaboration_inputs()  # in the entry's order, so a dump after a load is stable
    params = {key: given for key, given in checked.items() if key in inputs}
    problems.extend(check_input(_CREATE_COLLABORATION, params, path))

    return CollaborationPlan(
        path=path,
        region=region,
        creator=str(creator),
        params=params,
        id=collaboration_id,
        deleted=deleted,
        create_time=create_time,
        update_time=update_time,
        members=members,
        nested={key: checked[key] for key in NESTED_KEYS if key in checked},
    )


def create(loader: Loader, plan: CollaborationPlan) -> None:
    """Create the collaboration as its creator; remove the members removed before joining."""
    creator = loader.view(plan.creator, plan.region)
    collaboration: Collaboration = loader.run(
        plan.path, creator, _CREATE_COLLABORATION, plan.params, fixed_id=plan.id
    )
    plan.created = collaboration
    for member in plan.members:
        if member.status == "REMOVED" and not member.joins:
            remove = functools.partial(
                creator.delete_member,
                collaboration_identifier=collaboration.id,
                account_id=member.account,
            )
            loader.call(join(member.path, "status"), remove, "remove the member")


def delete(loader: Loader, plan: CollaborationPlan) -> None:
    """The creator deletes the collaboration (once every nested entry is replayed)."""
    created = plan.created
    assert created is not None
    creator = loader.view(plan.creator, plan.region)
    delete = functools.partial(creator.delete_collaboration, collaboration_identifier=created.id)
    loader.call(join(plan.path, "deleted"), delete, "delete the collaboration")


def reached_problems(plan: CollaborationPlan) -> list[SeedProblem]:
    """Members whose status, as replayed, is not the one the document gives."""
    collaboration = plan.created
    assert collaboration is not None
    problems: list[SeedProblem] = []
    for member in plan.members:
        reached = collaboration.members[member.account].status
        if member.status is not None and reached != member.status:
            problems.append(
                SeedProblem(
                    join(member.path, "status"),
                    f"is {member.status}, but the service's rules lead to {reached}",
                )
            )
    return problems


def settle(plan: CollaborationPlan) -> None:
    """Apply the document's timestamps to the collaboration and its members (memberships'
    first: a member's update time defaults to its membership's)."""
    collaboration = plan.created
    assert collaboration is not None
    settle_times(collaboration, plan.create_time, plan.update_time)
    given = {member.account: member.update_time for member in plan.members}
    for account, entity in collaboration.members.items():
        entity.create_time = collaboration.create_time
        entity.update_time = given.get(account) or _last_change(entity, collaboration)


def _last_change(member: Member, collaboration: Collaboration) -> datetime:
    """A member's update time when the document gives none: its last recorded change."""
    membership = member.membership
    if membership is None:
        return collaboration.create_time
    return membership.create_time if member.status == "ACTIVE" else membership.update_time


def _dump_member(member: Member) -> dict[str, Any]:
    dumped: dict[str, Any] = {
        "accountId": member.account_id,
        "displayName": member.display_name,
        "memberAbilities": list(member.abilities),
    }
    if member.ml_abilities is not None:
        dumped["mlMemberAbilities"] = copy.deepcopy(member.ml_abilities)
    dumped["paymentConfiguration"] = copy.deepcopy(member.payment_configuration)
    dumped["status"] = member.status
    dumped["updateTime"] = iso(member.update_time)
    return dumped


def dump(collaboration: Collaboration, deleted: bool) -> dict[str, Any]:
    """The collaboration as a document entry (without the nested sections)."""
    creator = collaboration.members[collaboration.creator_account_id]
    dumped: dict[str, Any] = {
        "id": collaboration.id,
        "creatorAccountId": collaboration.creator_account_id,
    }
    inputs = _collaboration_inputs()
    for key, value in collaboration.attributes.items():
        name = _OUTPUT_TO_INPUT.get(key, key)
        if name in inputs and value is not None:
            dumped[name] = copy.deepcopy(value)
    dumped["creatorDisplayName"] = collaboration.creator_display_name
    dumped["creatorMemberAbilities"] = list(creator.abilities)
    if creator.ml_abilities is not None:
        dumped["creatorMLMemberAbilities"] = copy.deepcopy(creator.ml_abilities)
    dumped["creatorPaymentConfiguration"] = copy.deepcopy(creator.payment_configuration)
    dumped["members"] = [
        _dump_member(member)
        for account, member in collaboration.members.items()
        if account != collaboration.creator_account_id
    ]
    if collaboration.tags:
        dumped["tags"] = dict(collaboration.tags)
    dumped["createTime"] = iso(collaboration.create_time)
    dumped["updateTime"] = iso(collaboration.update_time)
    if deleted:
        dumped["deleted"] = True
    return dumped
