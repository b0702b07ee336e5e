"""The rules of configured-table analysis rules (AGGREGATION, LIST, CUSTOM) that the model's
shapes cannot express: pure functions, as :mod:`.rules` describes them (sources in each
docstring, open choices in the README's "Assumptions")."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...protocol.errors import a_or_an
from ..errors import Conflict
from ..quotas import quota_exceeded, quotas
from .facts import (
    _ANY_JOB,
    _ANY_QUERY,
    _COLUMNS,
    _METHOD,
    _SOURCE,
    _STRING_TYPES,
    ANALYSIS_RULE_TYPES,
    TableFacts,
    _duplicates,
    _Faults,
    _listing,
    _type_name,
)

__all__ = [
    "analysis_rule_types",
    "check_analysis_rule",
    "check_rule_size",
    "check_single_analysis_rule",
    "policy_columns",
    "rule_over_size",
]


def analysis_rule_types(rule_types: Iterable[str]) -> list[str]:
    """``ConfiguredTable.analysisRuleTypes``: the types of the table's rules, in model order.

    "The types of analysis rules associated with this configured table. Currently, only one
    analysis rule may be associated with a configured table" (model), so at most one entry in
    practice; an empty list for a table without a rule.
    """
    present = set(rule_types)
    return [kind for kind in ANALYSIS_RULE_TYPES if kind in present]


def rule_over_size(policy: Mapping[str, Any]) -> bool:
    """Whether ``policy`` is over the quota "Analysis rule size": "Maximum size of JSON for an
    analysis rule", 100 KB (not adjustable on AWS), measured as compact JSON in UTF-8."""
    size = len(json.dumps(policy, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    return size > quotas.analysis_rule_kilobytes * 1024


def check_rule_size(policy: Mapping[str, Any]) -> None:
    """A configured table's analysis rule within :func:`rule_over_size`'s quota; raises
    ServiceQuotaExceededException."""
    if rule_over_size(policy):
        raise quota_exceeded("analysis_rule_kilobytes")


def check_single_analysis_rule(
    configured_table_id: str, existing_types: Iterable[str], rule_type: str
) -> None:
    """A configured table holds one analysis rule: a second one is a ConflictException.

    "Currently, only one analysis rule can be created for a given configured table" (model,
    CreateConfiguredTableAnalysisRule); "There can be only one analysis rule per configured
    table" (user guide, add-analysis-rule). Raises :class:`Conflict` (reason ALREADY_EXISTS,
    resourceType CONFIGURED_TABLE) naming the rule the table already has.
    """
    existing = analysis_rule_types(existing_types)
    if existing:
        raise Conflict(
            f"Configured table {configured_table_id} already has {a_or_an(existing[0])} analysis "
            f"rule; a configured table can have only one analysis rule. Update or delete it "
            f"instead of creating {a_or_an(rule_type)} rule.",
            reason="ALREADY_EXISTS",
            resource_type="CONFIGURED_TABLE",
            resource_id=configured_table_id,
        )


def check_analysis_rule(rule_type: str, policy: Mapping[str, Any], table: TableFacts) -> None:
    """Check a configured table's analysis rule (Create/UpdateConfiguredTableAnalysisRule).

    ``rule_type`` is ``analysisRuleType``, ``policy`` the ``analysisRulePolicy`` (already valid
    against its shape), ``table`` the facts of the configured table (:func:`table_facts`).
    Rules, with their sources:

    - the policy's ``v1`` member is the one ``analysisRuleType`` names (model:
      ``ConfiguredTableAnalysisRulePolicyV1``);
    - AGGREGATION and LIST need a table whose data is in S3 through Glue ("Configured tables
      using non-S3 data sources only support custom analysis rules", add-analysis-rule) and
      allow SQL queries, so not a DIRECT_JOB table (PySpark jobs run under custom rules,
      add-analysis-rule);
    - every column the policy names is one of the table's ``allowedColumns`` ("The columns
      ... that can be used by collaborations or analysis rules", model), once per list;
    - AGGREGATION: "Aggregate function or join columns can't be used as Dimension columns"
      (add-analysis-rule); ``joinRequired`` needs join columns (the console's join columns
      are optional only when the table can be queried by itself, add-analysis-rule);
    - LIST: "The same column can't be categorized as both a joinColumn and listColumn"
      (analysis-rules-list);
    - CUSTOM: ``allowedAnalysisProviders`` is "Required when allowedAnalyses is ANY_QUERY"
      (model) and, as the console's "Any job" option shows, ANY_JOB; templates and providers
      are not both allowed ("You can allow analysis templates or accounts to create queries,
      not both", custom-allowed-analyses); ANY_QUERY needs a table that takes SQL queries and
      ANY_JOB one that takes jobs (``analysisMethod``); differential privacy needs data in S3
      (custom-diff-privacy); aggregation thresholds and comparison controls can't be used
      "with differential privacy, or when allowedAnalyses allows only jobs" (model); the
      identity column "must be string, varchar, or char" (model, custom-min-agg-thresholds);
      a literal-comparison column can't be the identity column (model: ComparisonControls);
      an output column threshold is 0 or at least 2, each output column once (model:
      OutputColumnThreshold).

    Raises :class:`ValidationError` listing every fault, each at its path in the input
    (``analysisRulePolicy.v1.custom.allowedAnalysisProviders``, ``analysisRuleType``, ...).
    """
    faults = _Faults()
    _rule_faults(rule_type, policy, table, faults)
    faults.raise_any()


def policy_columns(rule_type: str, policy: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Every column a policy names, as (list path, path, column), in input order.

    The list path groups entries that form one list (``...aggregateColumns[0].columnNames``,
    ``...outputConstraints``); paths are inputs' paths (``analysisRulePolicy.v1.list.
    listColumns[2]``). The policy member read is the one ``rule_type`` names.
    """
    member = rule_type.lower()
    body = (policy.get("v1") or {}).get(member)
    if not isinstance(body, Mapping):
        return []
    prefix = f"analysisRulePolicy.v1.{member}"
    found: list[tuple[str, str, str]] = []

    def names(key: str, values: Any, base: str = prefix) -> None:
        group = f"{base}.{key}"
        found.extend((group, f"{group}[{i}]", v) for i, v in enumerate(values or ()))

    def fields(key: str, items: Any, name: str, base: str = prefix) -> None:
        group = f"{base}.{key}"
        found.extend(
            (group, f"{group}[{i}].{name}", item[name])
            for i, item in enumerate(items or ())
            if name in item
        )

    if member == "aggregation":
        for index, column in enumerate(body.get("aggregateColumns") or ()):
            names("columnNames", column.get("columnNames"), f"{prefix}.aggregateColumns[{index}]")
        names("joinColumns", body.get("joinColumns"))
        names("dimensionColumns", body.get("dimensionColumns"))
        fields("outputConstraints", body.get("outputConstraints"), "columnName")
    elif member == "list":
        names("joinColumns", body.get("joinColumns"))
        names("listColumns", body.get("listColumns"))
    elif member == "custom":
        names("disallowedOutputColumns", body.get("disallowedOutputColumns"))
        fields("columns", (body.get("differentialPrivacy") or {}).get("columns"), "name",
               f"{prefix}.differentialPrivacy")  # fmt: skip
        for index, threshold in enumerate(body.get("aggregationThresholds") or ()):
            base = f"{prefix}.aggregationThresholds[{index}]"
            names("identityColumns", threshold.get("identityColumns"), base)
            fields("outputColumnThresholds", threshold.get("outputColumnThresholds"),
                   "outputColumnName", base)  # fmt: skip
        controls = body.get("comparisonControls") or {}
        for key in ("allowedLiteralComparisonColumns", "allowedColumnComparisonColumns"):
            names(key, controls.get(key), f"{prefix}.comparisonControls")
    return found


def _rule_faults(
    rule_type: str, policy: Mapping[str, Any], table: TableFacts, faults: _Faults
) -> None:
    v1 = policy.get("v1") or {}
    member = rule_type.lower()
    given = next(iter(v1), None)
    if given != member:
        faults.add(
            "analysisRulePolicy.v1",
            f"analysisRuleType is {rule_type}, so the policy must be v1.{member}, not v1.{given}.",
            given,
        )
        return
    body: Mapping[str, Any] = v1[member]
    if rule_type in ("AGGREGATION", "LIST"):
        if not table.data_in_s3:
            faults.add(
                "analysisRuleType",
                f"Configured tables using non-S3 data sources (this one is "
                f"{table.table_type}) only support CUSTOM analysis rules.",
                rule_type,
                _SOURCE,
            )
        if table.analysis_method == "DIRECT_JOB":
            faults.add(
                "analysisRuleType",
                f"{rule_type} analysis rules allow SQL queries, and this configured table's "
                "analysisMethod is DIRECT_JOB (PySpark jobs only): use a CUSTOM rule.",
                rule_type,
                _METHOD,
            )
    _column_faults(rule_type, policy, table, faults)
    if rule_type == "AGGREGATION":
        _aggregation_faults(body, faults)
    elif rule_type == "LIST":
        _list_faults(body, faults)
    elif rule_type == "CUSTOM":
        _custom_faults(body, table, faults)


def _column_faults(
    rule_type: str, policy: Mapping[str, Any], table: TableFacts, faults: _Faults
) -> None:
    allowed = set(table.allowed_columns)
    groups: dict[str, dict[str, str]] = {}
    for group, path, column in policy_columns(rule_type, policy):
        seen = groups.setdefault(group, {})
        if column in seen:
            faults.add(path, f"Column {column} is already listed at {seen[column]}.", column)
        else:
            seen[column] = path
        if column not in allowed:
            faults.add(
                path,
                f"Column {column} is not one of the configured table's allowedColumns "
                f"({_listing(table.allowed_columns)}).",
                column,
                _COLUMNS,
            )


def _aggregation_faults(body: Mapping[str, Any], faults: _Faults) -> None:
    prefix = "analysisRulePolicy.v1.aggregation"
    measures = {
        name for column in body.get("aggregateColumns") or () for name in column["columnNames"]
    }
    joins = set(body.get("joinColumns") or ())
    for index, name in enumerate(body.get("dimensionColumns") or ()):
        role = "an aggregate column" if name in measures else "a join column"
        if name in measures or name in joins:
            faults.add(
                f"{prefix}.dimensionColumns[{index}]",
                f"Column {name} is {role}; aggregate function or join columns can't be used "
                "as dimension columns.",
                name,
            )
    if body.get("joinRequired") and not joins:
        faults.add(
            f"{prefix}.joinColumns",
            f"joinRequired is {body['joinRequired']}: name the columns the member who can "
            "query may join on.",
            list(body.get("joinColumns") or []),
        )
    for key in ("allowedJoinOperators", "scalarFunctions"):
        _duplicates(f"{prefix}.{key}", body.get(key) or (), faults)


def _list_faults(body: Mapping[str, Any], faults: _Faults) -> None:
    prefix = "analysisRulePolicy.v1.list"
    joins = set(body.get("joinColumns") or ())
    for index, name in enumerate(body.get("listColumns") or ()):
        if name in joins:
            faults.add(
                f"{prefix}.listColumns[{index}]",
                f"Column {name} is a join column; the same column can't be both a joinColumn "
                "and a listColumn.",
                name,
            )
    _duplicates(f"{prefix}.allowedJoinOperators", body.get("allowedJoinOperators") or (), faults)


def _custom_faults(body: Mapping[str, Any], table: TableFacts, faults: _Faults) -> None:
    prefix = "analysisRulePolicy.v1.custom"
    analyses: list[str] = list(body.get("allowedAnalyses") or ())
    providers: list[str] = list(body.get("allowedAnalysisProviders") or ())
    _duplicates(f"{prefix}.allowedAnalyses", analyses, faults)
    _duplicates(f"{prefix}.allowedAnalysisProviders", providers, faults)
    wildcards = [a for a in analyses if a in (_ANY_QUERY, _ANY_JOB)]
    templates = [i for i, a in enumerate(analyses) if a not in (_ANY_QUERY, _ANY_JOB)]
    if wildcards and templates:
        faults.add(
            f"{prefix}.allowedAnalyses[{templates[0]}]",
            "Allow either analysis templates or any analysis by the accounts in "
            "allowedAnalysisProviders (ANY_QUERY, ANY_JOB), not both.",
            analyses[templates[0]],
        )
    if wildcards and not providers:
        faults.add(
            f"{prefix}.allowedAnalysisProviders",
            f"allowedAnalysisProviders is required when allowedAnalyses is "
            f"{' and '.join(sorted(set(wildcards)))}: name the accounts allowed to run them.",
            body.get("allowedAnalysisProviders"),
        )
    if providers and not wildcards:
        also = " (analysis templates and accounts can't both be allowed)" if templates else ""
        faults.add(
            f"{prefix}.allowedAnalysisProviders",
            f"Allowed analysis providers need ANY_QUERY or ANY_JOB in allowedAnalyses{also}.",
            providers,
        )
    _wildcard_method_faults(prefix, analyses, table, faults)
    _privacy_faults(prefix, body, analyses, table, faults)


def _wildcard_method_faults(
    prefix: str, analyses: Sequence[str], table: TableFacts, faults: _Faults
) -> None:
    takes = {_ANY_QUERY: ("DIRECT_QUERY", "MULTIPLE"), _ANY_JOB: ("DIRECT_JOB", "MULTIPLE")}
    kind = {_ANY_QUERY: "SQL queries", _ANY_JOB: "PySpark jobs"}
    for index, analysis in enumerate(analyses):
        if analysis in takes and table.analysis_method not in takes[analysis]:
            faults.add(
                f"{prefix}.allowedAnalyses[{index}]",
                f"{analysis} allows {kind[analysis]}, which this configured table's "
                f"analysisMethod {table.analysis_method} does not allow.",
                analysis,
                _METHOD,
            )


def _privacy_faults(
    prefix: str,
    body: Mapping[str, Any],
    analyses: Sequence[str],
    table: TableFacts,
    faults: _Faults,
) -> None:
    differential_privacy = body.get("differentialPrivacy")
    thresholds = body.get("aggregationThresholds") or ()
    controls = body.get("comparisonControls")
    jobs_only = bool(analyses) and all(a == _ANY_JOB for a in analyses)
    if differential_privacy is not None and not table.data_in_s3:
        faults.add(
            f"{prefix}.differentialPrivacy",
            f"Differential privacy is only available for data stored in Amazon S3 (a Glue "
            f"table); this configured table is {table.table_type}.",
            differential_privacy,
            _SOURCE,
        )
    for key, given in (("aggregationThresholds", thresholds), ("comparisonControls", controls)):
        if not given:
            continue
        if differential_privacy is not None:
            faults.add(
                f"{prefix}.{key}",
                f"You can't use {key} with differential privacy (differentialPrivacy is set).",
                given,
            )
        if jobs_only:
            faults.add(
                f"{prefix}.{key}",
                f"You can't use {key} when allowedAnalyses allows only jobs (ANY_JOB).",
                given,
            )
    identities: set[str] = set()
    for index, threshold in enumerate(thresholds):
        base = f"{prefix}.aggregationThresholds[{index}]"
        for position, name in enumerate(threshold.get("identityColumns") or ()):
            identities.add(name)
            _identity_type_fault(f"{base}.identityColumns[{position}]", name, table, faults)
        for position, override in enumerate(threshold.get("outputColumnThresholds") or ()):
            if override.get("minimumIdentityCount") == 1:
                faults.add(
                    f"{base}.outputColumnThresholds[{position}].minimumIdentityCount",
                    "Specify 0 to exempt the column from the threshold, or a value of 2 or "
                    "greater to enforce a threshold.",
                    1,
                )
    literal = (controls or {}).get("allowedLiteralComparisonColumns") or ()
    for index, name in enumerate(literal):
        if name in identities:
            faults.add(
                f"{prefix}.comparisonControls.allowedLiteralComparisonColumns[{index}]",
                f"Column {name} is the identity column of an aggregation threshold; you can't "
                "allow literal comparison on it.",
                name,
            )


def _identity_type_fault(path: str, name: str, table: TableFacts, faults: _Faults) -> None:
    if table.column_types is None or name not in table.column_types:
        return  # the source's types are not visible, or the column left the source since
    if name not in table.allowed_columns:
        return  # reported as a column outside allowedColumns
    kind = table.column_types[name]
    if kind is None or _type_name(kind).lower() not in _STRING_TYPES:
        shown = "no type" if kind is None else f"type {kind}"
        faults.add(
            path,
            f"The identity column's data type must be string, varchar, or char; column {name} "
            f"has {shown}.",
            name,
            _SOURCE,
        )
