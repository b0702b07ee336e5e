"""Rules of configured tables and their analysis rules that the model's shapes cannot express.

Pure functions over the operations' inputs (model member names, as boto3 sends them): they
return what the operation derives or raise the error AWS answers. A ValidationException names
each offending field by its path in the input (``allowedColumns[3]``,
``analysisRulePolicy.v1.custom.allowedAnalysisProviders``) and collects every fault one check
finds, so a user fixes them in one go. Each rule cites its source: the botocore model's
documentation of the field, or a page of the AWS Clean Rooms user guide
(``https://docs.aws.amazon.com/clean-rooms/latest/userguide/<page>.html``). Choices the
documentation leaves open are listed in ASSUMPTIONS.md next to this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...exceptions import Conflict, ValidationError
from ...shapes import FieldError
from .glue import CatalogLookup, GlueTableInfo, read_glue_table

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

#: ``ConfiguredTableAnalysisRuleType`` in the model's order.
ANALYSIS_RULE_TYPES = ("AGGREGATION", "LIST", "CUSTOM")
#: The Athena catalog that is the account's Glue Data Catalog (Athena's default catalog name).
DEFAULT_ATHENA_CATALOG = "AwsDataCatalog"
#: ``SnowflakeTableSchemaV1.columnType``: "Supported data types: ARRAY, BIGINT, ..." (model).
SNOWFLAKE_COLUMN_TYPES = frozenset(
    {
        "ARRAY", "BIGINT", "BOOLEAN", "CHAR", "DATE", "DECIMAL", "DOUBLE", "DOUBLE PRECISION",
        "FLOAT", "FLOAT4", "INT", "INTEGER", "MAP", "NUMERIC", "NUMBER", "REAL", "SMALLINT",
        "STRING", "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_NTZ", "DATETIME", "TINYINT",
        "VARCHAR", "TEXT", "CHARACTER",
    }
)  # fmt: skip
#: Identity columns "must be string, varchar, or char" (``AggregationThreshold.identityColumns``);
#: Snowflake's TEXT and CHARACTER are its names for VARCHAR and CHAR.
_STRING_TYPES = frozenset({"string", "varchar", "char", "text", "character"})
_ANY_QUERY, _ANY_JOB = "ANY_QUERY", "ANY_JOB"
#: Table types whose data is in Amazon S3 (through the Glue Data Catalog): "Configured tables
#: using non-S3 data sources only support custom analysis rules" (add-analysis-rule), and
#: "Differential Privacy is only available for collaborations where the data is stored in
#: Amazon S3" (custom-diff-privacy). The same page names Amazon Athena among non-S3 sources.
_S3_TABLE_TYPES = frozenset({"GLUE"})
_MAX_LISTED_COLUMNS = 20
_TYPE_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:[(<].*)?\s*$", re.DOTALL)

# Why a fault happens, so that an update of the table can name the member it changed.
_COLUMNS, _SOURCE, _METHOD = "allowedColumns", "tableReference", "analysisMethod"


@dataclass(frozen=True)
class TableFacts:
    """What the analysis-rule checks need to know about a configured table.

    ``table_type`` is the derived ``ConfiguredTable.tableType``; ``column_types`` maps each
    column of the source, by its name in lower case, to its type (Glue column or partition key
    type, Snowflake ``columnType``), or is None when the mock cannot see the source's schema
    (Databricks, an Athena catalog other than the Glue Data Catalog, catalog checks off);
    ``glue_table`` is the Glue table read, if one was.
    """

    table_type: str
    analysis_method: str
    allowed_columns: tuple[str, ...]
    column_types: Mapping[str, str | None] | None = None
    glue_table: GlueTableInfo | None = None

    @property
    def data_in_s3(self) -> bool:
        """Whether the table's data is in Amazon S3, read through the Glue Data Catalog."""
        return self.table_type in _S3_TABLE_TYPES


@dataclass(frozen=True)
class _Fault:
    path: str
    message: str
    value: Any = None
    cause: str | None = None  # the configured-table member a change of which can cause it


class _Faults:
    """Faults found by one check, raised together as one ValidationException."""

    def __init__(self) -> None:
        self.found: list[_Fault] = []

    def add(self, path: str, message: str, value: Any = None, cause: str | None = None) -> None:
        self.found.append(_Fault(path, message, value, cause))

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(fields=[FieldError(f.path, f.message, f.value) for f in self])

    def __iter__(self) -> Iterator[_Fault]:
        return iter(self.found)


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
    if not catalog_changed and verify_catalog:
        facts = table_facts(merged, account_id=account_id, region=region, catalog=catalog)
    if analysis_rule is not None:
        rule_type, policy = analysis_rule
        broken = _Faults()
        _rule_faults(rule_type, policy, facts, broken)
        faults = _Faults()
        for fault in broken:
            if fault.cause is not None:
                faults.add(
                    fault.cause,
                    f"The configured table's {rule_type} analysis rule would break: "
                    f"{fault.path}: {fault.message} Update or delete the analysis rule first.",
                    changes.get(fault.cause, merged.get(fault.cause)),
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


# ---------------------------------------------------------------------------------------------
# Analysis rules
# ---------------------------------------------------------------------------------------------


def analysis_rule_types(rule_types: Iterable[str]) -> list[str]:
    """``ConfiguredTable.analysisRuleTypes``: the types of the table's rules, in model order.

    "The types of analysis rules associated with this configured table. Currently, only one
    analysis rule may be associated with a configured table" (model), so at most one entry in
    practice; an empty list for a table without a rule.
    """
    present = set(rule_types)
    return [kind for kind in ANALYSIS_RULE_TYPES if kind in present]


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
            f"Configured table {configured_table_id} already has a {existing[0]} analysis "
            f"rule; a configured table can have only one analysis rule. Update or delete it "
            f"instead of creating a {rule_type} rule.",
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
            None,
            _SOURCE,
        )
    for key, given in (("aggregationThresholds", thresholds), ("comparisonControls", controls)):
        if not given:
            continue
        if differential_privacy is not None:
            faults.add(
                f"{prefix}.{key}",
                f"You can't use {key} with differential privacy (differentialPrivacy is set).",
            )
        if jobs_only:
            faults.add(
                f"{prefix}.{key}",
                f"You can't use {key} when allowedAnalyses allows only jobs (ANY_JOB).",
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


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _duplicates(path: str, values: Iterable[Any], faults: _Faults) -> None:
    first: dict[Any, int] = {}
    for index, value in enumerate(values):
        if value in first:
            faults.add(
                f"{path}[{index}]",
                f"{value} is already listed at {path}[{first[value]}]; list each value once.",
                value,
            )
        else:
            first[value] = index


def _type_name(kind: str) -> str:
    """A type's name without its parameters: ``varchar(20)`` -> ``varchar``."""
    match = _TYPE_NAME.match(kind)
    return " ".join(match.group(1).split()) if match else kind.strip()


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED_COLUMNS])
    more = len(names) - _MAX_LISTED_COLUMNS
    return f"{shown} and {more} more" if more > 0 else shown or "none"
