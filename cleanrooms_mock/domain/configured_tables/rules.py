"""Rules of configured tables and their analysis rules that the model's shapes cannot express.

Pure functions over the operations' inputs (model member names, as boto3 sends them): they
return what the operation derives or raise the error AWS answers. A ValidationException names
each offending field by its path in the input (``allowedColumns[3]``,
``analysisRulePolicy.v1.custom.allowedAnalysisProviders``) and collects every fault one check
finds, so a user fixes them in one go. Each rule cites its source: the botocore model's
documentation of the field, or a page of the AWS Clean Rooms user guide
(``https://docs.aws.amazon.com/clean-rooms/latest/userguide/<page>.html``). Choices the
documentation leaves open are listed in the README's "Assumptions".

The configured-table rules are here; the analysis rules' are in :mod:`.analysis_rules` (and
importable from here too), what both share in :mod:`.facts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ValidationError
from .analysis_rules import (
    _rule_faults,
    analysis_rule_types,
    check_analysis_rule,
    check_single_analysis_rule,
    policy_columns,
)
from .facts import (
    ANALYSIS_RULE_TYPES,
    DEFAULT_ATHENA_CATALOG,
    SNOWFLAKE_COLUMN_TYPES,
    TableFacts,
    _duplicates,
    _Faults,
    _listing,
    _type_name,
)
from .glue import CatalogLookup, read_glue_table

__all__ = [
    "ANALYSIS_RULE_TYPES",
    "DEFAULT_ATHENA_CATALOG",
    "SNOWFLAKE_COLUMN_TYPES",
    "TableFacts",
    "analysis_rule_types",
    "check_analysis_rule",
    "check_configured_table",
    "check_configured_table_update",
    "check_single_analysis_rule",
    "merge_configured_table_update",
    "policy_columns",
    "table_facts",
    "table_type",
]

# ---------------------------------------------------------------------------------------------
# Configured tables
# ---------------------------------------------------------------------------------------------


def table_type(table_reference: Mapping[str, Any]) -> str:
    """``ConfiguredTable.tableType`` for a ``TableReference``: its member's name in capitals.

    ``glue`` -> GLUE, ``athena`` -> ATHENA, ``snowflake`` -> SNOWFLAKE, ``databricks`` ->
    DATABRICKS (``TableReferenceType`` in the model: "Type of the Configured Table DataSource").
    A member a later botocore adds maps the same way.
    """
    member = next(iter(table_reference))
    return str(member).upper()


def check_configured_table(
    inputs: Mapping[str, Any],
    *,
    account_id: str,
    region: str,
    catalog: CatalogLookup = read_glue_table,
    verify_catalog: bool = True,
) -> TableFacts:
    """Check CreateConfiguredTable's input (already valid against its shape); return its facts.

    ``inputs`` holds ``tableReference``, ``allowedColumns``, ``analysisMethod`` and optionally
    ``selectedAnalysisMethods`` as the caller sent them; ``account_id`` and ``region`` are the
    caller's. Rules:

    - a ``glue`` reference, or an ``athena`` one in the Glue Data Catalog (``catalogName``
      absent or ``AwsDataCatalog``), names an existing table of the caller's account in the
      reference's ``region`` (default: the call's) - read through ``catalog``; a missing
      database or table is the ValidationException :func:`read_glue_table` raises. Source:
      the model's ``GlueTableReference``/``AthenaTableReference``; user guide
      "prepare-data-S3" (the Glue Data Catalog of the member's account);
    - every ``allowedColumns`` entry is a column or partition key of that table (compared
      case-insensitively: Glue stores names in lower case, and ``ColumnName`` only allows lower
      case), or a ``columnName`` of a ``snowflake`` reference's ``tableSchema``; a Databricks
      table's columns are not visible to the mock, nor those of another Athena catalog.
      Source: ``allowedColumns`` "The columns of the underlying table" (model);
    - ``allowedColumns`` names each column once, and a Snowflake ``tableSchema`` each column
      once with a supported ``columnType`` (model: ``SnowflakeTableSchemaV1.columnType``);
    - ``selectedAnalysisMethods``, when given, selects at least two distinct methods ("When
      configured, you must specify at least two analysis methods", model), and then
      ``analysisMethod`` is MULTIPLE ("MULTIPLE allows both SQL queries and PySpark jobs").

    ``verify_catalog=False`` skips reading the Glue Data Catalog (tables configured the way
    moto's own Clean Rooms accepts them, without Glue tables); the other rules still apply.

    Raises :class:`ValidationError` (reason FIELD_VALIDATION_FAILED) listing every fault found.
    """
    faults = _Faults()
    facts = _facts(inputs, account_id, region, catalog, verify_catalog, strict=True, faults=faults)
    _check_allowed_columns(inputs["allowedColumns"], facts, faults)
    _check_analysis_method(inputs, faults)
    faults.raise_any()
    return facts


def table_facts(
    table: Mapping[str, Any],
    *,
    account_id: str,
    region: str,
    catalog: CatalogLookup = read_glue_table,
    verify_catalog: bool = True,
) -> TableFacts:
    """The facts of a stored configured table (its ``ConfiguredTable`` members), for its rules.

    Like :func:`check_configured_table` without the checks: a Glue table that has since gone
    from the catalog leaves ``column_types`` None (the table was checked when it was
    configured; the rules then check what they can). Raises nothing.
    """
    faults = _Faults()
    return _facts(table, account_id, region, catalog, verify_catalog, strict=False, faults=faults)


def merge_configured_table_update(
    current: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The configured table's inputs after UpdateConfiguredTable's ``changes``.

    Every member UpdateConfiguredTableInput carries replaces the stored one (model: "A new
    name", "A new description", ...; ``configuredTableIdentifier`` is not a member of the
    table). An ``analysisMethod`` other than MULTIPLE given without
    ``selectedAnalysisMethods`` drops the stored selection, which only MULTIPLE may carry.
    """
    merged = dict(current)
    merged.update({k: v for k, v in changes.items() if k != "configuredTableIdentifier"})
    method = changes.get("analysisMethod")
    if method not in (None, "MULTIPLE") and "selectedAnalysisMethods" not in changes:
        merged.pop("selectedAnalysisMethods", None)
    return merged


def check_configured_table_update(
    current: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    account_id: str,
    region: str,
    analysis_rule: tuple[str, Mapping[str, Any]] | None = None,
    catalog: CatalogLookup = read_glue_table,
    verify_catalog: bool = True,
) -> tuple[dict[str, Any], TableFacts]:
    """Check UpdateConfiguredTable; return the merged inputs and the table's new facts.

    ``current`` are the stored table's members, ``changes`` the update's input,
    ``analysis_rule`` the table's analysis rule as (``analysisRuleType``, policy) if it has
    one. The merged table must pass :func:`check_configured_table` (the Glue Data Catalog is
    read again only when ``tableReference`` or ``allowedColumns`` changes: a rename must not
    fail because the Glue table was dropped since). An existing analysis rule must stay valid:
    a column it names must stay in ``allowedColumns``, an AGGREGATION or LIST rule needs a
    Glue table queried with SQL, and so on (the rules of :func:`check_analysis_rule`); such a
    fault names the member of the update that breaks the rule. Updating ``tableReference`` and
    ``allowedColumns`` is allowed since 2025-07 (model: UpdateConfiguredTableInput).

    Raises :class:`ValidationError` listing every fault found.
    """
    merged = merge_configured_table_update(current, changes)
    catalog_changed = "tableReference" in changes or "allowedColumns" in changes
    facts = check_configured_table(
        merged,
        account_id=account_id,
        region=region,
        catalog=catalog,
        verify_catalog=verify_catalog and catalog_changed,
    )
    # Without a new reference or allowlist the Glue Data Catalog is not read again: a rule is
    # checked against what the update changes (README Assumptions), not against Glue drifting
    # since (a column dropped or retyped there blocks neither a rename nor a method change).
    if analysis_rule is not None:
        rule_type, policy = analysis_rule
        broken = _Faults()
        _rule_faults(rule_type, policy, facts, broken)
        faults = _Faults()
        for fault in broken:
            if fault.cause is not None:
                # A fault the Glue table causes is the update's when it keeps the reference: the
                # new allowlist is what read the catalog again.
                cause = fault.cause
                if cause == "tableReference" and cause not in changes:
                    cause = "allowedColumns"
                faults.add(
                    cause,
                    f"The configured table's {rule_type} analysis rule would break: "
                    f"{fault.path}: {fault.message} Update or delete the analysis rule first.",
                    changes.get(cause, merged.get(cause)),
                )
        faults.raise_any()
    return merged, facts


def _facts(
    inputs: Mapping[str, Any],
    account_id: str,
    region: str,
    catalog: CatalogLookup,
    verify_catalog: bool,
    *,
    strict: bool,
    faults: _Faults,
) -> TableFacts:
    reference: Mapping[str, Any] = inputs["tableReference"]
    member = next(iter(reference))
    source: Mapping[str, Any] = reference[member]
    column_types: dict[str, str | None] | None = None
    glue_table = None
    if member == "snowflake":
        column_types = _snowflake_columns(source, faults)
    elif verify_catalog and _in_glue_catalog(member, source):
        try:
            glue_table = catalog(
                account_id,
                source.get("region") or region,
                source["databaseName"],
                source["tableName"],
                reference=member,
            )
        except ValidationError:
            if strict:
                raise
        else:
            column_types = {c.name.lower(): c.type for c in glue_table.all_columns}
    return TableFacts(
        table_type=table_type(reference),
        analysis_method=inputs["analysisMethod"],
        allowed_columns=tuple(inputs["allowedColumns"]),
        column_types=column_types,
        glue_table=glue_table,
    )


def _in_glue_catalog(member: str, source: Mapping[str, Any]) -> bool:
    if member == "glue":
        return True
    catalog_name = source.get("catalogName") or DEFAULT_ATHENA_CATALOG
    return member == "athena" and catalog_name.lower() == DEFAULT_ATHENA_CATALOG.lower()


def _snowflake_columns(source: Mapping[str, Any], faults: _Faults) -> dict[str, str | None] | None:
    schema = source.get("tableSchema") or {}
    if "v1" not in schema:  # a later version of the SnowflakeTableSchema union
        return None
    path = "tableReference.snowflake.tableSchema.v1"
    columns: dict[str, str | None] = {}
    for index, column in enumerate(schema["v1"]):
        name, kind = column["columnName"], column["columnType"]
        if name in columns:
            faults.add(
                f"{path}[{index}].columnName",
                f"Column {name} is listed more than once in the table schema.",
                name,
            )
        columns[name] = kind
        if _type_name(kind).upper() not in SNOWFLAKE_COLUMN_TYPES:
            supported = ", ".join(sorted(SNOWFLAKE_COLUMN_TYPES))
            faults.add(
                f"{path}[{index}].columnType",
                f"Unsupported Snowflake column type; supported data types: {supported}.",
                kind,
            )
    return columns


def _check_allowed_columns(allowed: Sequence[str], facts: TableFacts, faults: _Faults) -> None:
    _duplicates("allowedColumns", allowed, faults)
    if facts.column_types is None:
        return
    for index, name in enumerate(allowed):
        if name not in facts.column_types:
            faults.add(
                f"allowedColumns[{index}]",
                f"Column {name} is not a column of {_describe_source(facts)}; its columns are: "
                f"{_listing(list(facts.column_types))}.",
                name,
            )


def _describe_source(facts: TableFacts) -> str:
    table = facts.glue_table
    if table is not None:
        return f"Glue table {table.database}.{table.name}"
    return f"the {facts.table_type.capitalize()} table's schema"


def _check_analysis_method(inputs: Mapping[str, Any], faults: _Faults) -> None:
    selected = inputs.get("selectedAnalysisMethods")
    if selected is None:
        return
    _duplicates("selectedAnalysisMethods", selected, faults)
    if len(set(selected)) < 2:
        faults.add(
            "selectedAnalysisMethods",
            "When configured, you must specify at least two analysis methods "
            "(DIRECT_QUERY and DIRECT_JOB); leave it out to use analysisMethod alone.",
            selected,
        )
    if inputs["analysisMethod"] != "MULTIPLE":
        faults.add(
            "analysisMethod",
            "selectedAnalysisMethods selects several analysis methods, so analysisMethod must "
            "be MULTIPLE.",
            inputs["analysisMethod"],
        )
