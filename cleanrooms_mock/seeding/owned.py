"""Seed sections of resources an account owns, with an analysis rule: configured tables,
configured table associations, analysis templates (their ``seed.py`` build on
:class:`OwnedSection`). Split from :mod:`.core`, whose vocabulary and passes they use."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .core import (
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
)

__all__ = ["OwnedPlan", "OwnedSection", "RulePlan"]


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


@dataclass(frozen=True)
class OwnedSection:
    """A region's list of owned entries: ``accountId``, the input members of ``operation``,
    ``id`` (of model structure ``structure``), ``createTime``, ``updateTime`` and an
    ``analysisRule`` (the input members of ``rule_operation`` but ``rule_ids``, with its own
    times; none when ``rule_operation`` is None, as for analysis templates). The resource
    replayed has ``create_time``, ``update_time`` and ``analysis_rule`` (with ``create_time``
    and ``update_time``)."""

    operation: str
    structure: str
    rule_operation: str | None
    rule_ids: tuple[str, ...]
    #: How the rule's ``createTime`` names the entry's in a problem ("the configured table's").
    owner: str

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
        params = {key: checked[key] for key in self.inputs() if key in checked}
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
        params = {key: checked[key] for key in self.rule_inputs() if key in checked}
        ids = dict.fromkeys(self.rule_ids, _PLACEHOLDER_ID)
        assert self.rule_operation is not None
        planner.problems.extend(check_input(self.rule_operation, {**params, **ids}, path))
        return RulePlan(path, params, create_time, update_time)

    @staticmethod
    def dump_rule(rule: Any) -> dict[str, Any]:
        """A resource's analysis rule (``type``, ``policy``, times) as its ``analysisRule``."""
        return {
            "analysisRuleType": rule.type,
            "analysisRulePolicy": copy.deepcopy(rule.policy),
            "createTime": iso(rule.create_time),
            "updateTime": iso(rule.update_time),
        }

    @staticmethod
    def settle(plans: Sequence[OwnedPlan]) -> None:
        """Apply the document's timestamps: ``updateTime`` defaults to ``createTime``; a rule's
        ``createTime`` to its resource's (a resource without ``analysis_rule`` has none)."""
        for plan in plans:
            resource = plan.created
            assert resource is not None
            resource.create_time = plan.create_time or resource.create_time
            resource.update_time = plan.update_time or plan.create_time or resource.update_time
            rule, planned = getattr(resource, "analysis_rule", None), plan.rule
            if rule is not None and planned is not None:
                rule.create_time = planned.create_time or resource.create_time
                rule.update_time = planned.update_time or rule.create_time
