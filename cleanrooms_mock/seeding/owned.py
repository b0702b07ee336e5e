"""Seed sections of resources an account owns, with an analysis rule: configured tables,
configured table associations, analysis templates. Their ``seed.py`` declare an
:class:`OwnedSection` (their operations, entity and inputs as dumped) and replay their entries;
planning, settling and dumping are the section's. Split from :mod:`.core`, whose vocabulary and
passes they use."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from ..domain.store import RegionStore
from .core import (
    Loader,
    Planner,
    SeedProblem,
    check,
    check_input,
    entry,
    entry_times,
    iso,
    join,
    operation_inputs,
    order_times,
    render,
    settle_times,
)

__all__ = ["OwnedPlan", "OwnedResource", "OwnedSection", "RulePlan"]


# ---- entries an account owns, with an analysis rule -------------------------------------------

#: The keys of an owned entry besides its create operation's inputs.
_OWNED_KEYS = ("id", "accountId", "createTime", "updateTime", "analysisRule")
_TIME_KEYS = ("createTime", "updateTime")
#: Stands in for an id a nested entry's input needs but the entry does not repeat.
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@dataclass
class RulePlan:
    """A checked ``analysisRule`` of an owned entry."""

    path: str
    params: dict[str, Any]  # the rule's create inputs but the identifiers of what it is on
    create_time: datetime | None
    update_time: datetime | None


@dataclass
class OwnedPlan:
    """A checked entry of a resource one account owns (``accountId``): a configured table, a
    configured table association; ``created`` is the resource once replayed."""

    path: str
    region: str
    account: str
    params: dict[str, Any]  # its create operation's input members
    id: str | None
    create_time: datetime | None
    update_time: datetime | None
    rule: RulePlan | None
    created: Any = None


class OwnedResource(Protocol):
    """What a section dumps of a live resource besides its inputs (an analysis rule, when it
    has one, is its ``analysis_rule``, with ``type``, ``policy`` and times)."""

    @property
    def id(self) -> str: ...

    @property
    def account_id(self) -> str: ...

    @property
    def tags(self) -> dict[str, str]: ...

    @property
    def create_time(self) -> datetime: ...

    @property
    def update_time(self) -> datetime: ...


R = TypeVar("R", bound=OwnedResource)


@dataclass(frozen=True)
class OwnedSection(Generic[R]):
    """A region's list of owned entries: ``accountId``, the input members of ``operation``,
    ``id`` (of model structure ``structure``), ``createTime``, ``updateTime`` and an
    ``analysisRule`` (the input members of ``rule_operation`` but ``rule_ids``, with its own
    times; none when ``rule_operation`` is None, as for analysis templates). The resource
    replayed is a ``kind`` with ``create_time``, ``update_time`` and ``analysis_rule`` (with
    ``create_time`` and ``update_time``). :meth:`plan`, :meth:`settle` and :meth:`dump` are
    those of a family's seed section (:class:`..domain.family.SeedSection`); its ``create``
    is the family's own."""

    operation: str
    structure: str
    rule_operation: str | None
    rule_ids: tuple[str, ...]
    #: How the rule's ``createTime`` names the entry's in a problem ("the configured table's").
    owner: str
    #: The entity the entries are replayed as.
    kind: type[R]
    #: A live resource's create inputs as its entry writes them, in the entry's order.
    dump_inputs: Callable[[R], dict[str, Any]]

    def inputs(self) -> frozenset[str]:
        # The section's keys win should the model ever grow an input of the same name.
        return operation_inputs(self.operation) - set(_OWNED_KEYS)

    def keys(self) -> frozenset[str]:
        """Every key an entry may have."""
        owned = _OWNED_KEYS if self.rule_operation else _OWNED_KEYS[:-1]  # no "analysisRule"
        return self.inputs() | set(owned)

    def rule_inputs(self) -> frozenset[str]:
        assert self.rule_operation is not None
        return operation_inputs(self.rule_operation) - set(self.rule_ids) - set(_TIME_KEYS)

    def plan(self, planner: Planner, region: str, path: str, value: Any) -> list[OwnedPlan]:
        """Check the list (problems go to ``planner``); the entries without problems."""
        if not isinstance(value, list):
            planner.problems.append(SeedProblem(path, f"must be a list (got {render(value)})"))
            return []
        planned = [self._plan(planner, region, f"{path}[{i}]", v) for i, v in enumerate(value)]
        return [p for p in planned if p is not None]

    def _plan(self, planner: Planner, region: str, path: str, value: Any) -> OwnedPlan | None:
        problems = planner.problems
        checked = entry(value, path, self.keys(), problems)
        if checked is None:
            return None
        before = len(problems)
        account = checked.get("accountId")
        if account is None:
            problems.append(SeedProblem(join(path, "accountId"), "is required"))
        else:
            problems.extend(check("MemberSpecification", "accountId", account, path))
        resource_id = planner.unique_id(checked.get("id"), path, self.structure)
        create_time, update_time = entry_times(checked, path, problems)
        inputs = self.inputs()  # in the entry's order, so a dump after a load is stable
        params = {key: given for key, given in checked.items() if key in inputs}
        problems.extend(check_input(self.operation, params, path))
        rule = None
        if "analysisRule" in checked:
            rule = self._plan_rule(planner, join(path, "analysisRule"), checked["analysisRule"])
            if rule is not None:
                where = join(rule.path, "createTime")
                order_times(
                    create_time, rule.create_time, f"{self.owner} createTime", where, problems
                )
        if len(problems) != before:
            return None
        return OwnedPlan(
            path, region, str(account), params, resource_id, create_time, update_time, rule
        )

    def _plan_rule(self, planner: Planner, path: str, value: Any) -> RulePlan | None:
        checked = entry(value, path, self.rule_inputs() | set(_TIME_KEYS), planner.problems)
        if checked is None:
            return None
        create_time, update_time = entry_times(checked, path, planner.problems)
        inputs = self.rule_inputs()
        params = {key: given for key, given in checked.items() if key in inputs}
        ids = dict.fromkeys(self.rule_ids, _PLACEHOLDER_ID)
        assert self.rule_operation is not None
        planner.problems.extend(check_input(self.rule_operation, {**params, **ids}, path))
        return RulePlan(path, params, create_time, update_time)

    def settle(self, loader: Loader, planned: list[OwnedPlan]) -> list[Any]:
        """Apply the document's timestamps: ``updateTime`` defaults to ``createTime``; a rule's
        ``createTime`` to its resource's (a resource without ``analysis_rule`` has none). An
        owned resource is no collaboration: returns none."""
        for plan in planned:
            resource = plan.created
            assert resource is not None
            settle_times(resource, plan.create_time, plan.update_time)
            rule, planned_rule = getattr(resource, "analysis_rule", None), plan.rule
            if rule is not None and planned_rule is not None:
                created = planned_rule.create_time or resource.create_time
                settle_times(rule, created, planned_rule.update_time)
        return []

    def dump(self, store: RegionStore) -> list[dict[str, Any]]:
        """The region's live resources of :attr:`kind` as document entries, in the order they
        were made: ``id``, ``accountId``, :attr:`dump_inputs`, ``tags`` (when it has any),
        ``analysisRule`` (when it has one), ``createTime``, ``updateTime``."""
        table = store.table(self.kind)
        return [self._dump(r) for r in table.every() if table.by_id.get(r.id) is r]

    def _dump(self, resource: R) -> dict[str, Any]:
        dumped: dict[str, Any] = {
            "id": resource.id,
            "accountId": resource.account_id,
            **self.dump_inputs(resource),
        }
        if resource.tags:
            dumped["tags"] = dict(resource.tags)
        rule = getattr(resource, "analysis_rule", None)
        if rule is not None:
            dumped["analysisRule"] = {
                "analysisRuleType": rule.type,
                "analysisRulePolicy": copy.deepcopy(rule.policy),
                "createTime": iso(rule.create_time),
                "updateTime": iso(rule.update_time),
            }
        dumped["createTime"] = iso(resource.create_time)
        dumped["updateTime"] = iso(resource.update_time)
        return dumped
