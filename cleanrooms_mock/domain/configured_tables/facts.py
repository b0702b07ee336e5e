"""What the configured-table rules share: the model's vocabulary, the facts about a table the
analysis-rule checks need, and the faults one check collects (:mod:`.rules`,
:mod:`.analysis_rules`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import FieldError, ValidationError
from .glue import GlueTableInfo

__all__ = ["ANALYSIS_RULE_TYPES", "DEFAULT_ATHENA_CATALOG", "SNOWFLAKE_COLUMN_TYPES", "TableFacts"]

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
