"""Seeding: load the mock's state from a JSON or YAML document, and dump it back to one.

A test starts from a known state (collaborations, invitations, memberships) without a page of
boto3 calls, and a state a test reached can be saved and reloaded. Loading replays the document
through the domain: every entry is validated against the installed botocore model, then created
with the backend's own methods, so a seeded state is one the service could have reached (same
rules, same quotas, same indexes and list order).

Format (version 1), as :func:`dump_state` returns it::

    {"version": 1,
     "regions": {
       "us-east-1": {
         "collaborations": [
           {"id": "0f5d...",                        # optional: kept, else a new one
            "creatorAccountId": "123456789012",
            "name": "ads", "creatorDisplayName": "Publisher",
            "creatorMemberAbilities": ["CAN_QUERY"], "queryLogStatus": "ENABLED",
            "members": [{"accountId": "222222222222", "displayName": "Advertiser",
                         "memberAbilities": [], "status": "ACTIVE",
                         "updateTime": "2025-01-02T00:00:00+00:00"}],
            "tags": {"team": "ads"},
            "createTime": "2025-01-01T00:00:00+00:00",   # optional, ISO 8601
            "updateTime": "2025-01-01T00:00:00+00:00",   # optional
            "deleted": false,                            # optional
            "memberships": [
              {"id": "9a1c...", "accountId": "222222222222", "queryLogStatus": "DISABLED",
               "status": "ACTIVE", "deleted": false,
               "createTime": "2025-01-02T00:00:00+00:00",
               "updateTime": "2025-01-02T00:00:00+00:00"}]}]}}}

* A **collaboration** is ``creatorAccountId`` plus the input members of CreateCollaboration, named
  as in the installed botocore model (an input AWS adds works unchanged), plus the optional
  ``id``, ``createTime``, ``updateTime``, ``deleted`` and ``memberships``. Inputs left out get
  the service's defaults, as through the API (``analyticsEngine`` ``SPARK``, ``isMetricsEnabled``
  false; memberships too: ``models.rules.SERVICE_DEFAULTS``), and a dump writes them out. Values
  the API no longer accepts are loaded as they are: ``"analyticsEngine": "CLEAN_ROOMS_SQL"``
  restores a legacy collaboration, which CreateCollaboration refuses.
* A **member** (``members[]``) is a MemberSpecification plus an optional ``status`` (INVITED,
  ACTIVE, LEFT, REMOVED) and ``updateTime``. Its status follows from the account's membership
  entry and, when given, must agree with it: no membership entry makes it INVITED (or REMOVED:
  removed before joining), a membership ACTIVE, a REMOVED membership REMOVED, a deleted one
  LEFT. The creator is not listed there; its status follows from its membership entry alone.
* A **membership** (``memberships[]``) is ``accountId`` (the creator or an invited member, once)
  plus the input members of CreateMembership but ``collaborationIdentifier``, plus the optional
  ``id``, ``status`` (ACTIVE, the default; REMOVED; COLLABORATION_DELETED), ``deleted`` (the
  member left: the membership is gone from its lists but still referenced by its member entry),
  ``createTime`` and ``updateTime``.
* A **deleted collaboration** (``"deleted": true``) is gone for everyone; it is kept so that its
  memberships (COLLABORATION_DELETED, or REMOVED) still read as they did. An ACTIVE membership
  in it, or a COLLABORATION_DELETED one in a live collaboration, is refused.
* Unknown keys are refused (a typo is never silently ignored); a ``null`` value counts as absent.
  Timestamps are ISO 8601 (YAML timestamps too); naive ones are UTC. ``updateTime`` defaults to
  ``createTime``; members take the collaboration's ``createTime``, and their ``updateTime``
  defaults to their membership's ``createTime`` (joined) or ``updateTime`` (removed, left), else
  the collaboration's ``createTime``.

Loading (:func:`load_state`) adds to the current state; ids must be new. Entries are applied in
document order, or, when every collaboration and membership of a region has a ``createTime`` (as
dumps do), in ``createTime`` order, so that each account lists its memberships in the order it
joined. Statuses are reached the way the service reaches them: REMOVED by the creator's
DeleteMember, ``deleted`` memberships by the member's DeleteMembership, a deleted collaboration
by the creator's DeleteCollaboration once its memberships exist; quotas apply as at creation.

Loading is all-or-nothing: the whole document is checked first (structure, the model, references,
ids, statuses), reporting every problem at once; the domain rules then apply entry by entry under
the backend's lock, and the first failure undoes everything this load created before raising.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import json
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from botocore.model import StructureShape

from .exceptions import CleanRoomsError, ValidationError
from .models import CleanRoomsBackend, Collaboration, Member, Membership, cleanrooms_backends
from .models import backend as _backend
from .responses import DEFAULT_ACCOUNT_ID
from .service import operation, service_model
from .shapes import FieldError, Validator, compile_validator

__all__ = [
    "FORMAT_VERSION",
    "SeedError",
    "SeedProblem",
    "dump_state",
    "load_state",
    "replace_state",
    "save_state",
]

#: The version of the document format this module reads and writes.
FORMAT_VERSION = 1

T = TypeVar("T")

_CREATE_COLLABORATION = "CreateCollaboration"
_CREATE_MEMBERSHIP = "CreateMembership"
#: Keys of a collaboration, member and membership entry besides the operation's input members.
_COLLABORATION_KEYS = ("id", "creatorAccountId", "createTime", "updateTime", "deleted")
_MEMBER_KEYS = ("status", "updateTime")
_MEMBERSHIP_KEYS = ("id", "accountId", "status", "deleted", "createTime", "updateTime")
#: Collaboration attributes the backend stores under their output name (see create_collaboration).
_OUTPUT_TO_INPUT = {"autoApprovedChangeTypes": "autoApprovedChangeRequestTypes"}
#: Stands in for a collaboration id not known until the collaboration exists.
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
_YAML_SUFFIXES = (".yaml", ".yml")
_MAX_VALUE_IN_MESSAGE = 60
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# ---- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedProblem:
    """One problem of a seed document: where (``path``) and what (``message``)."""

    #: e.g. ``regions.us-east-1.collaborations[2].memberships[0].queryLogStatus``; empty for the
    #: file as a whole (malformed JSON, unknown file type).
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SeedError(ValueError):
    """A seed document that cannot be loaded; names the source, each entry and each problem."""

    def __init__(self, source: str, problems: Sequence[SeedProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = f"{source}: {self.problems[0]}"
        else:
            text = f"{source}: {len(self.problems)} problems:" + "".join(
                f"\n  {problem}" for problem in self.problems
            )
        super().__init__(text)


def _render(value: Any) -> str:
    text = repr(value)
    if len(text) > _MAX_VALUE_IN_MESSAGE:
        return text[:_MAX_VALUE_IN_MESSAGE] + "..."
    return text


def _join(path: str, member: str) -> str:
    if not path:
        return member
    return f"{path}{member}" if member.startswith("[") else f"{path}.{member}"


def _field_problems(path: str, errors: Sequence[FieldError]) -> list[SeedProblem]:
    return [
        SeedProblem(
            _join(path, error.path),
            error.message
            if error.value is None
            else f"{error.message} (got {_render(error.value)})",
        )
        for error in errors
    ]


def _error_problems(path: str, error: CleanRoomsError) -> list[SeedProblem]:
    """A domain error raised by the operation an entry describes, named by the entry's path."""
    if isinstance(error, ValidationError) and error.field_errors:
        return _field_problems(path, error.field_errors)
    return [SeedProblem(path, f"{error.code}: {error.message}")]


# ---- the model's vocabulary -----------------------------------------------------------------


@functools.cache
def _inputs(operation_name: str) -> frozenset[str]:
    shape = service_model().operation_model(operation_name).input_shape
    return frozenset(shape.members) if shape is not None else frozenset()


@functools.cache
def _collaboration_inputs() -> frozenset[str]:
    # "memberships" is ours: should the model ever grow an input of that name, ours wins.
    return _inputs(_CREATE_COLLABORATION) - {"memberships"}


@functools.cache
def _membership_inputs() -> frozenset[str]:
    return _inputs(_CREATE_MEMBERSHIP) - {"collaborationIdentifier"}


def _structure(name: str) -> StructureShape:
    shape = service_model().shape_for(name)
    assert isinstance(shape, StructureShape), name
    return shape


@functools.cache
def _member_spec_inputs() -> frozenset[str]:
    return frozenset(_structure("MemberSpecification").members)


@functools.cache
def _validator(structure: str, member: str) -> Validator:
    """The model's validator of one member of an output structure (ids, account ids, enums)."""
    return compile_validator(_structure(structure).members[member])


def _check(structure: str, member: str, value: Any, path: str) -> list[SeedProblem]:
    errors: list[FieldError] = []
    _validator(structure, member)(value, member, errors)
    return _field_problems(path, errors)


# ---- reading --------------------------------------------------------------------------------


def _yaml() -> Any:
    """PyYAML if importable (an optional extra, never a dependency), else None."""
    try:
        return importlib.import_module("yaml")
    except ImportError:
        return None


def _read(source: str | os.PathLike[str]) -> tuple[str, Any]:
    """The source's name for messages and its parsed document."""
    path = Path(os.fspath(source))
    name = str(source)
    suffix = path.suffix.lower()
    if suffix != ".json" and suffix not in _YAML_SUFFIXES:
        raise SeedError(
            name, [SeedProblem("", f"unknown file type {suffix!r}: use .json, .yaml or .yml")]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SeedError(name, [SeedProblem("", f"not UTF-8 text ({error.reason})")]) from None
    if suffix == ".json":
        try:
            return name, json.loads(text)
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise SeedError(
                name, [SeedProblem("", f"malformed JSON at {where}: {error.msg}")]
            ) from None
    yaml = _yaml()
    if yaml is None:
        raise SeedError(
            name, [SeedProblem("", "reading YAML needs PyYAML (pip install pyyaml); or use JSON")]
        )
    try:
        return name, yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise SeedError(name, [SeedProblem("", f"malformed YAML{where}: {problem}")]) from None


def _timestamp(value: Any, path: str, problems: list[SeedProblem]) -> datetime | None:
    """An ISO 8601 string (or a YAML timestamp) as an aware UTC datetime; naive means UTC."""
    if value is None:
        return None
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(text)
    if parsed is None:
        problems.append(SeedProblem(path, f"must be an ISO 8601 timestamp (got {_render(value)})"))
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _flag(value: Any, path: str, problems: list[SeedProblem]) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        problems.append(SeedProblem(path, f"must be true or false (got {_render(value)})"))
        return False
    return value


def _entry(
    value: Any, path: str, allowed: frozenset[str], problems: list[SeedProblem]
) -> dict[str, Any] | None:
    """``value`` as a dict of its known, non-null members; unknown keys are problems."""
    if not isinstance(value, Mapping):
        problems.append(SeedProblem(path, f"must be a mapping (got {_render(value)})"))
        return None
    entry: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or key not in allowed:
            problems.append(
                SeedProblem(
                    _join(path, str(key)),
                    f"unknown key {key!r}; known keys: {', '.join(sorted(allowed))}",
                )
            )
        elif item is not None:
            entry[key] = item
    return entry


def _order_times(
    earlier: datetime | None,
    later: datetime | None,
    what: str,
    path: str,
    problems: list[SeedProblem],
) -> None:
    if earlier is not None and later is not None and later < earlier:
        problems.append(SeedProblem(path, f"is before {what}"))


# ---- the plan: a checked document -----------------------------------------------------------


@dataclass
class _MembershipPlan:
    path: str
    account: str
    params: dict[str, Any]  # CreateMembership input members but collaborationIdentifier
    id: str | None
    status: str
    deleted: bool
    create_time: datetime | None
    update_time: datetime | None
    created: Membership | None = None


@dataclass
class _MemberPlan:
    path: str
    account: str
    status: str | None
    update_time: datetime | None
    membership: _MembershipPlan | None = None


@dataclass
class _CollaborationPlan:
    path: str
    region: str
    creator: str
    params: dict[str, Any]  # CreateCollaboration input members
    id: str | None
    deleted: bool
    create_time: datetime | None
    update_time: datetime | None
    members: list[_MemberPlan] = field(default_factory=list)
    memberships: list[_MembershipPlan] = field(default_factory=list)
    created: Collaboration | None = None
    pending: int = 0  # memberships still to create before a deleted collaboration goes


@dataclass
class _RegionPlan:
    name: str
    collaborations: list[_CollaborationPlan] = field(default_factory=list)

    def timeline(self) -> list[tuple[_CollaborationPlan, _MembershipPlan | None]]:
        """Creation events: document order, or createTime order when every entry has one."""
        events: list[tuple[datetime | None, _CollaborationPlan, _MembershipPlan | None]] = []
        for collaboration in self.collaborations:
            events.append((collaboration.create_time, collaboration, None))
            events.extend((m.create_time, collaboration, m) for m in collaboration.memberships)
        if all(time is not None for time, _, _ in events):
            events.sort(key=lambda event: event[0] or _EPOCH)  # stable: ties keep their order
        return [(collaboration, membership) for _, collaboration, membership in events]


class _Planner:
    """Checks a whole document, collecting every problem, and turns it into a plan."""

    def __init__(self) -> None:
        self.problems: list[SeedProblem] = []
        self.collaboration_ids: dict[str, str] = {}
        self.membership_ids: dict[str, str] = {}
        for collaboration in _all_collaborations():
            self.collaboration_ids[collaboration.id] = "the mock's current state"
            for member in collaboration.members.values():
                if member.membership is not None:
                    self.membership_ids[member.membership.id] = "the mock's current state"

    def plan(self, document: Any) -> list[_RegionPlan]:
        top = _entry(document, "", frozenset({"version", "regions"}), self.problems)
        if top is None:
            return []
        version = top.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version != FORMAT_VERSION:
            self.problems.append(
                SeedProblem("version", f"must be {FORMAT_VERSION} (got {_render(version)})")
            )
            return []
        regions = top.get("regions", {})
        if not isinstance(regions, Mapping):
            self.problems.append(
                SeedProblem("regions", f"must be a mapping (got {_render(regions)})")
            )
            return []
        return [self._region(name, value) for name, value in regions.items()]

    def _region(self, name: Any, value: Any) -> _RegionPlan:
        path = f"regions.{name}"
        plan = _RegionPlan(str(name))
        if not isinstance(name, str) or name not in cleanrooms_backends[DEFAULT_ACCOUNT_ID]:
            self.problems.append(
                SeedProblem(path, f"unknown region {name!r}: AWS Clean Rooms has no endpoint there")
            )
            return plan
        region = _entry(value, path, frozenset({"collaborations"}), self.problems)
        if region is None:
            return plan
        entries = region.get("collaborations", [])
        if not isinstance(entries, list):
            self.problems.append(
                SeedProblem(f"{path}.collaborations", f"must be a list (got {_render(entries)})")
            )
            return plan
        for index, entry in enumerate(entries):
            collaboration = self._collaboration(name, f"{path}.collaborations[{index}]", entry)
            if collaboration is not None:
                plan.collaborations.append(collaboration)
        return plan

    def _id(self, value: Any, path: str, structure: str, seen: dict[str, str]) -> str | None:
        if value is None:
            return None
        found = _check(structure, "id", value, path)
        if found:
            self.problems.extend(found)
            return None
        if value in seen:
            self.problems.append(
                SeedProblem(_join(path, "id"), f"{value} is already used by {seen[value]}")
            )
            return None
        seen[value] = path
        return str(value)

    def _collaboration(self, region: str, path: str, value: Any) -> _CollaborationPlan | None:
        allowed = _collaboration_inputs() | set(_COLLABORATION_KEYS) | {"memberships"}
        entry = _entry(value, path, allowed, self.problems)
        if entry is None:
            return None
        problems = self.problems
        before = len(problems)
        creator = entry.get("creatorAccountId")
        if creator is None:
            problems.append(SeedProblem(_join(path, "creatorAccountId"), "is required"))
        else:
            problems.extend(_check("Collaboration", "creatorAccountId", creator, path))
        collaboration_id = self._id(entry.get("id"), path, "Collaboration", self.collaboration_ids)
        create_time = _timestamp(entry.get("createTime"), _join(path, "createTime"), problems)
        update_time = _timestamp(entry.get("updateTime"), _join(path, "updateTime"), problems)
        _order_times(create_time, update_time, "createTime", _join(path, "updateTime"), problems)
        deleted = _flag(entry.get("deleted"), _join(path, "deleted"), problems)

        members: list[_MemberPlan] = []
        specs = entry.get("members")
        if isinstance(specs, list):
            cleaned: list[Any] = []
            for index, spec in enumerate(specs):
                member_path = f"{path}.members[{index}]"
                if not isinstance(spec, Mapping):
                    cleaned.append(spec)  # the model's validator says what is wrong
                    continue
                allowed_spec = _member_spec_inputs() | set(_MEMBER_KEYS)
                checked = _entry(spec, member_path, allowed_spec, problems)
                assert checked is not None
                status = checked.pop("status", None)
                if status is not None:
                    problems.extend(_check("MemberSummary", "status", status, member_path))
                member_time = _timestamp(
                    checked.pop("updateTime", None), _join(member_path, "updateTime"), problems
                )
                _order_times(
                    create_time,
                    member_time,
                    "the collaboration's createTime",
                    _join(member_path, "updateTime"),
                    problems,
                )
                cleaned.append(checked)
                account = checked.get("accountId")
                if isinstance(account, str):
                    members.append(_MemberPlan(member_path, account, status, member_time))
            entry["members"] = cleaned
        params = {key: entry[key] for key in _collaboration_inputs() if key in entry}
        try:
            operation(_CREATE_COLLABORATION).validate(params)
        except ValidationError as error:
            problems.extend(_field_problems(path, error.field_errors))

        plan = _CollaborationPlan(
            path=path,
            region=region,
            creator=str(creator),
            params=params,
            id=collaboration_id,
            deleted=deleted,
            create_time=create_time,
            update_time=update_time,
            members=members,
        )
        memberships = entry.get("memberships", [])
        if not isinstance(memberships, list):
            problems.append(
                SeedProblem(
                    _join(path, "memberships"), f"must be a list (got {_render(memberships)})"
                )
            )
        else:
            for index, item in enumerate(memberships):
                membership = self._membership(plan, f"{path}.memberships[{index}]", item)
                if membership is not None:
                    plan.memberships.append(membership)
        self._check_statuses(plan)
        plan.pending = len(plan.memberships)
        return plan if len(problems) == before else None

    def _membership(
        self, collaboration: _CollaborationPlan, path: str, value: Any
    ) -> _MembershipPlan | None:
        allowed = _membership_inputs() | set(_MEMBERSHIP_KEYS)
        entry = _entry(value, path, allowed, self.problems)
        if entry is None:
            return None
        problems = self.problems
        before = len(problems)
        account = entry.get("accountId")
        invited = {member.account: member for member in collaboration.members}
        joined = {membership.account: membership for membership in collaboration.memberships}
        account_path = _join(path, "accountId")
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
        membership_id = self._id(entry.get("id"), path, "Membership", self.membership_ids)
        status = entry.get("status", "ACTIVE")
        problems.extend(_check("Membership", "status", status, path))
        deleted = _flag(entry.get("deleted"), _join(path, "deleted"), problems)
        if collaboration.deleted and status == "ACTIVE":
            problems.append(
                SeedProblem(
                    _join(path, "status"),
                    "is ACTIVE, but the collaboration is deleted: its memberships are "
                    "COLLABORATION_DELETED or REMOVED",
                )
            )
        if not collaboration.deleted and status == "COLLABORATION_DELETED":
            problems.append(
                SeedProblem(
                    _join(path, "status"),
                    'is COLLABORATION_DELETED, but the collaboration is not ("deleted": true)',
                )
            )
        create_time = _timestamp(entry.get("createTime"), _join(path, "createTime"), problems)
        update_time = _timestamp(entry.get("updateTime"), _join(path, "updateTime"), problems)
        _order_times(
            collaboration.create_time,
            create_time,
            "the collaboration's createTime",
            _join(path, "createTime"),
            problems,
        )
        _order_times(create_time, update_time, "createTime", _join(path, "updateTime"), problems)
        params = {key: entry[key] for key in _membership_inputs() if key in entry}
        try:
            operation(_CREATE_MEMBERSHIP).validate(
                {**params, "collaborationIdentifier": collaboration.id or _PLACEHOLDER_ID}
            )
        except ValidationError as error:
            problems.extend(_field_problems(path, error.field_errors))
        if len(problems) != before:
            return None
        plan = _MembershipPlan(
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
            invited[account].membership = plan
        return plan

    def _check_statuses(self, plan: _CollaborationPlan) -> None:
        """A member's status, when given, must be the one its membership entry leads to."""
        for member in plan.members:
            if member.status is None:
                continue
            membership = member.membership
            if membership is None:
                if member.status not in ("INVITED", "REMOVED"):
                    self.problems.append(
                        SeedProblem(
                            _join(member.path, "status"),
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
                self.problems.append(
                    SeedProblem(
                        _join(member.path, "status"),
                        f"is {member.status}, but its membership ({membership.path}) is {state}, "
                        f"which makes the member {expected}",
                    )
                )


# ---- applying a plan ------------------------------------------------------------------------


class _Loader:
    """Applies a checked plan through the backend, and undoes it all if a rule refuses it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.collaborations: list[tuple[CleanRoomsBackend, Collaboration]] = []
        self.memberships: list[tuple[CleanRoomsBackend, Membership]] = []

    def fail(self, problems: list[SeedProblem]) -> SeedError:
        return SeedError(self.source, problems)

    def call(self, path: str, action: Callable[[], T], doing: str = "") -> T:
        """Run one backend call for the entry at ``path``; a refusal names that entry."""
        try:
            return action()
        except CleanRoomsError as error:
            if not doing:
                raise self.fail(_error_problems(path, error)) from error
            if isinstance(error, ValidationError) and error.field_errors:
                reason = "; ".join(e.message for e in error.field_errors)
            else:
                reason = error.message
            raise self.fail([SeedProblem(path, f"cannot {doing}: {reason}")]) from error

    def apply(self, regions: list[_RegionPlan]) -> list[Collaboration]:
        for region in regions:
            for collaboration, membership in region.timeline():
                if membership is None:
                    self.create_collaboration(collaboration)
                else:
                    self.create_membership(collaboration, membership)
        plans = [plan for region in regions for plan in region.collaborations]
        for plan in plans:
            self.settle(plan)
        return [plan.created for plan in plans if plan.created is not None]

    def create_collaboration(self, plan: _CollaborationPlan) -> None:
        creator = cleanrooms_backends[plan.creator][plan.region]
        create = functools.partial(
            creator.create_collaboration,
            copy.deepcopy(plan.params),
            resource_id=plan.id,
            from_state=True,  # a legacy (CLEAN_ROOMS_SQL) collaboration can be restored
        )
        collaboration = self.call(plan.path, create)
        plan.created = collaboration
        self.collaborations.append((creator, collaboration))
        for member in plan.members:
            if member.status == "REMOVED" and member.membership is None:
                remove = functools.partial(creator.delete_member, collaboration.id, member.account)
                self.call(_join(member.path, "status"), remove, "remove the member")
        if plan.pending == 0:
            self.finish(plan)

    def create_membership(self, plan: _CollaborationPlan, membership: _MembershipPlan) -> None:
        collaboration = plan.created
        assert collaboration is not None  # the timeline creates a collaboration first
        backend = cleanrooms_backends[membership.account][plan.region]
        params = {**copy.deepcopy(membership.params), "collaborationIdentifier": collaboration.id}
        create = functools.partial(backend.create_membership, params, resource_id=membership.id)
        created = self.call(membership.path, create)
        membership.created = created
        self.memberships.append((backend, created))
        if membership.status == "REMOVED":
            creator = cleanrooms_backends[plan.creator][plan.region]
            remove = functools.partial(creator.delete_member, collaboration.id, membership.account)
            self.call(_join(membership.path, "status"), remove, "remove the member")
        if membership.deleted and membership.status != "COLLABORATION_DELETED":
            leave = functools.partial(backend.delete_membership, created.id)
            self.call(_join(membership.path, "deleted"), leave, "leave the collaboration")
        plan.pending -= 1
        if plan.pending == 0:
            self.finish(plan)

    def finish(self, plan: _CollaborationPlan) -> None:
        """Once its memberships exist, a deleted collaboration goes, then those that left it."""
        if not plan.deleted or plan.created is None:
            return
        creator = cleanrooms_backends[plan.creator][plan.region]
        delete = functools.partial(creator.delete_collaboration, plan.created.id)
        self.call(_join(plan.path, "deleted"), delete, "delete the collaboration")
        for membership in plan.memberships:
            if membership.deleted and membership.status == "COLLABORATION_DELETED":
                assert membership.created is not None
                backend = cleanrooms_backends[membership.account][plan.region]
                leave = functools.partial(backend.delete_membership, membership.created.id)
                self.call(_join(membership.path, "deleted"), leave, "leave the collaboration")

    def settle(self, plan: _CollaborationPlan) -> None:
        """Check the statuses reached, then apply the document's timestamps."""
        collaboration = plan.created
        assert collaboration is not None
        problems: list[SeedProblem] = []
        for membership in plan.memberships:
            assert membership.created is not None
            if membership.created.status != membership.status:
                problems.append(
                    SeedProblem(
                        _join(membership.path, "status"),
                        f"is {membership.status}, but the service's rules lead to "
                        f"{membership.created.status}",
                    )
                )
        for member in plan.members:
            reached = collaboration.members[member.account].status
            if member.status is not None and reached != member.status:
                problems.append(
                    SeedProblem(
                        _join(member.path, "status"),
                        f"is {member.status}, but the service's rules lead to {reached}",
                    )
                )
        if problems:
            raise self.fail(problems)

        if plan.create_time is not None:
            collaboration.create_time = plan.create_time
        collaboration.update_time = (
            plan.update_time or plan.create_time or collaboration.update_time
        )
        for membership in plan.memberships:
            created = membership.created
            assert created is not None
            created.create_time = membership.create_time or created.create_time
            created.update_time = (
                membership.update_time or membership.create_time or created.update_time
            )
        given = {member.account: member.update_time for member in plan.members}
        for account, entity in collaboration.members.items():
            entity.create_time = collaboration.create_time
            entity.update_time = given.get(account) or _last_change(entity, collaboration)

    def undo(self) -> None:
        """Forget what this load created: the state is as it was before (sequence gaps aside)."""
        memberships: dict[int, tuple[CleanRoomsBackend, list[Membership]]] = {}
        for backend, membership in self.memberships:
            memberships.setdefault(id(backend), (backend, []))[1].append(membership)
        for backend, created in memberships.values():
            backend.forget(memberships=created)
        collaborations: dict[int, tuple[CleanRoomsBackend, list[Collaboration]]] = {}
        for backend, collaboration in self.collaborations:
            collaborations.setdefault(id(backend), (backend, []))[1].append(collaboration)
        for backend, made in collaborations.values():
            backend.forget(collaborations=made)


def _last_change(member: Member, collaboration: Collaboration) -> datetime:
    """A member's update time when the document gives none: its last recorded change."""
    membership = member.membership
    if membership is None:
        return collaboration.create_time
    return membership.create_time if member.status == "ACTIVE" else membership.update_time


def _require_active_mock() -> None:
    # Imported here, not at module level: mock.py calls into this module.
    from moto.core.models import botocore_stubber

    from .mock import CleanRoomsMock

    if not (CleanRoomsMock.active() or botocore_stubber.enabled):
        raise RuntimeError(
            "Loading a Clean Rooms seed needs an active mock: call it inside "
            "`with mock_cleanrooms():` (or moto's `mock_aws()`), where the state lives; outside, "
            "it would be discarded or leak into the next activation."
        )


def load_state(source: str | os.PathLike[str] | Mapping[str, Any]) -> list[Collaboration]:
    """Add the collaborations, members and memberships of a seed document to the mock's state.

    ``source`` is a path (``.json``; ``.yaml``/``.yml`` when PyYAML is installed) or an
    already-parsed mapping. Returns the collaborations created, in document order (deleted ones
    included). Raises :class:`SeedError` naming every problem, with the state unchanged, and
    RuntimeError when no mock is active.
    """
    _require_active_mock()
    if isinstance(source, Mapping):
        name, document = "<seed mapping>", copy.deepcopy(dict(source))
    else:
        name, document = _read(source)
    with _backend._lock:  # no request interleaves with a load (or sees half of one)
        planner = _Planner()
        regions = planner.plan(document)
        if planner.problems:
            raise SeedError(name, planner.problems)
        loader = _Loader(name)
        try:
            return loader.apply(regions)
        except BaseException:
            loader.undo()
            raise


def replace_state(source: str | os.PathLike[str] | Mapping[str, Any]) -> list[Collaboration]:
    """Replace the whole state with a seed document, all or nothing.

    On any problem the previous state is put back (reloaded from its own dump) and the error
    raised, so a bad document never leaves the mock empty.
    """
    _require_active_mock()
    with _backend._lock:
        previous = dump_state()
        _backend.reset_state()
        try:
            return load_state(source)
        except BaseException:
            _backend.reset_state()
            load_state(previous)
            raise


# ---- dumping --------------------------------------------------------------------------------


def _all_collaborations() -> Iterator[Collaboration]:
    """Every collaboration of every region, deleted ones included, in creation order per region."""
    for name in sorted(_backend._regions):
        yield from _region_collaborations(name)


def _region_collaborations(name: str) -> list[Collaboration]:
    region = _backend._regions[name]
    # Every collaboration is indexed under its creator, deleted ones too.
    found = {c.id: c for entries in region.by_account.values() for _, c in entries}
    return sorted(found.values(), key=lambda collaboration: collaboration.seq)


def _time(value: datetime) -> str:
    return value.isoformat()


def _dump_member(member: Member) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "accountId": member.account_id,
        "displayName": member.display_name,
        "memberAbilities": list(member.abilities),
    }
    if member.ml_abilities is not None:
        entry["mlMemberAbilities"] = copy.deepcopy(member.ml_abilities)
    entry["paymentConfiguration"] = copy.deepcopy(member.payment_configuration)
    entry["status"] = member.status
    entry["updateTime"] = _time(member.update_time)
    return entry


def _dump_membership(membership: Membership, region: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": membership.id, "accountId": membership.account_id}
    inputs = _membership_inputs() - {"tags"}
    for key, value in membership.settings.items():
        if key in inputs and value is not None:
            entry[key] = copy.deepcopy(value)
    if membership.tags:
        entry["tags"] = dict(membership.tags)
    entry["status"] = membership.status
    if membership.id not in cleanrooms_backends[membership.account_id][region].memberships:
        entry["deleted"] = True
    entry["createTime"] = _time(membership.create_time)
    entry["updateTime"] = _time(membership.update_time)
    return entry


def _dump_collaboration(collaboration: Collaboration, deleted: bool) -> dict[str, Any]:
    creator = collaboration.members[collaboration.creator_account_id]
    entry: dict[str, Any] = {
        "id": collaboration.id,
        "creatorAccountId": collaboration.creator_account_id,
    }
    inputs = _collaboration_inputs()
    for key, value in collaboration.attributes.items():
        name = _OUTPUT_TO_INPUT.get(key, key)
        if name in inputs and value is not None:
            entry[name] = copy.deepcopy(value)
    entry["creatorDisplayName"] = collaboration.creator_display_name
    entry["creatorMemberAbilities"] = list(creator.abilities)
    if creator.ml_abilities is not None:
        entry["creatorMLMemberAbilities"] = copy.deepcopy(creator.ml_abilities)
    entry["creatorPaymentConfiguration"] = copy.deepcopy(creator.payment_configuration)
    entry["members"] = [
        _dump_member(member)
        for account, member in collaboration.members.items()
        if account != collaboration.creator_account_id
    ]
    if collaboration.tags:
        entry["tags"] = dict(collaboration.tags)
    entry["createTime"] = _time(collaboration.create_time)
    entry["updateTime"] = _time(collaboration.update_time)
    if deleted:
        entry["deleted"] = True
    memberships = [m.membership for m in collaboration.members.values() if m.membership]
    entry["memberships"] = [
        _dump_membership(membership, collaboration.region)
        for membership in sorted(memberships, key=lambda m: m.create_time)
    ]
    return entry


def dump_state() -> dict[str, Any]:
    """The mock's whole state as a JSON-serialisable seed document (see the module docstring).

    Loading it into an empty mock gives back the same answers to every account: ids, statuses,
    timestamps, tags and list order included.
    """
    with _backend._lock:
        regions: dict[str, Any] = {}
        for name in sorted(_backend._regions):
            collaborations = _region_collaborations(name)
            if not collaborations:
                continue
            live = _backend._regions[name].collaborations
            regions[name] = {
                "collaborations": [_dump_collaboration(c, c.id not in live) for c in collaborations]
            }
    return {"version": FORMAT_VERSION, "regions": regions}


def save_state(path: str | os.PathLike[str]) -> None:
    """Write :func:`dump_state` to ``path`` atomically: JSON, or YAML for ``.yaml``/``.yml``.

    The document goes to a temporary file in the same directory, then replaces ``path`` in one
    step, so a reader never sees a half-written file and a failure leaves the old one intact.
    """
    target = Path(os.fspath(path))
    document = dump_state()
    suffix = target.suffix.lower()
    if suffix in _YAML_SUFFIXES:
        yaml = _yaml()
        if yaml is None:
            raise ValueError(f"{path}: writing YAML needs PyYAML (pip install pyyaml); or use JSON")
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    elif suffix == ".json":
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        raise ValueError(f"{path}: unknown file type {suffix!r}: use .json, .yaml or .yml")
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    # os.open, unlike tempfile, creates the file with the usual permissions (0o666 - umask).
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
