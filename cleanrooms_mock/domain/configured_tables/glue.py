"""The Glue Data Catalog a configured table points at, read from moto's Glue backend in-process.

A Glue (or Athena, whose default catalog ``AwsDataCatalog`` is the account's Glue Data Catalog)
table reference names a table that users create with boto3's ``glue`` client inside moto's
``mock_aws``. CreateConfiguredTable reads that table with the caller's credentials: AWS's own
CloudFormation handler for ``AWS::CleanRooms::ConfiguredTable`` needs ``glue:GetDatabase``,
``glue:GetTable`` and ``glue:GetPartitions`` in the caller's role
(aws-cloudformation-resource-providers-cleanrooms, ``aws-cleanrooms-configuredtable.json``).
This module reads the same table directly from ``moto.glue.models.glue_backends``, without an
HTTP round trip and without creating backends as a side effect; it works with moto 5.0 and 5.2.

moto's Glue is imported on first use: it needs the ``glue`` extra of moto (``pyparsing``).
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import ValidationError

__all__ = ["CatalogLookup", "GlueColumn", "GlueTableInfo", "glue_column_type", "read_glue_table"]

#: The table parameter (Athena's TBLPROPERTIES) naming header lines a text file starts with.
SKIP_HEADER_LINE_COUNT = "skip.header.line.count"


#: A Glue (Hive) column type, compact: a name with ``(n)`` or ``(p,s)``, or a nested type.
_GLUE_TYPE = re.compile(r"[a-z][a-z0-9_]*(\(\d+(,\d+)?\))?|(array|map|struct)<.+>", re.ASCII)


def glue_column_type(text: str | None) -> str | None:
    """A Glue column type as the Glue Data Catalog writes it: lower case, without blanks
    (Hive type names are case-insensitive; Glue and Athena show ``decimal(10,2)``,
    ``array<struct<a:int>>``); None for a blank or missing type or text that is no type (not a
    name, optionally with ``(n)`` or ``(p,s)``, nor ``array``/``map``/``struct<...>``, such as
    ``décimal(10,2)``). The ``cleanrooms_table`` fixture writes types in this form
    (:func:`...glue_tables.formats.glue_type`, which imports nothing of the library, compacts
    them alike) and schemas show it (README "Assumptions")."""
    if text is None:
        return None
    compact = re.sub(r"\s+", "", text.lower())
    return compact if _GLUE_TYPE.fullmatch(compact) else None


@dataclass(frozen=True)
class GlueColumn:
    """A column or partition key of a Glue table: ``Column`` in Glue's API (Name, Type, Comment)."""

    name: str
    type: str | None
    comment: str | None = None


@dataclass(frozen=True)
class GlueTableInfo:
    """What a configured table needs to know about its Glue table (Glue's ``Table`` shape).

    ``columns`` are the storage descriptor's columns, ``partition_keys`` the table's partition
    keys (both are columns of the table for queries and for ``allowedColumns``); ``location`` is
    the storage descriptor's S3 location; the SerDe and formats tell how the objects there are
    read; ``parameters`` are the table's parameters (``classification``,
    ``skip.header.line.count``, ...).
    """

    account_id: str
    region: str
    database: str
    name: str
    columns: tuple[GlueColumn, ...]
    partition_keys: tuple[GlueColumn, ...] = ()
    location: str | None = None
    input_format: str | None = None
    output_format: str | None = None
    serde_library: str | None = None
    serde_parameters: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    table_type: str | None = None

    @property
    def all_columns(self) -> tuple[GlueColumn, ...]:
        """Columns, then partition keys: every name a query (and ``allowedColumns``) can use."""
        return self.columns + self.partition_keys

    def column(self, name: str) -> GlueColumn | None:
        """The column or partition key called ``name``, compared case-insensitively.

        Glue stores column names in lower case (Hive metastore semantics); moto keeps them as
        given, so a table created with ``UserId`` still answers to ``userid``.
        """
        wanted = name.lower()
        return next((c for c in self.all_columns if c.name.lower() == wanted), None)

    @property
    def classification(self) -> str | None:
        """The data format Glue crawlers and Athena record (``csv``, ``parquet``, ``json``...)."""
        return self.parameters.get("classification")

    @property
    def skip_header_line_count(self) -> int:
        """Header lines to skip in text files: the table parameter, else the SerDe parameter."""
        for source in (self.parameters, self.serde_parameters):
            value = source.get(SKIP_HEADER_LINE_COUNT)
            if value is not None:
                try:
                    return max(int(str(value).strip()), 0)
                except ValueError:
                    return 0
        return 0


class CatalogLookup(Protocol):
    """How the configured-table rules read a catalog: :func:`read_glue_table`'s signature."""

    def __call__(
        self, account_id: str, region: str, database: str, table: str, *, reference: str = "glue"
    ) -> GlueTableInfo: ...


def read_glue_table(
    account_id: str, region: str, database: str, table: str, *, reference: str = "glue"
) -> GlueTableInfo:
    """Read ``database.table`` from the Glue Data Catalog of ``account_id`` in ``region``.

    Reads moto's Glue backend in-process (moto 5.0 and later). Database and table names are
    matched exactly first, then case-insensitively, because Glue stores both in lower case
    while moto keeps them as given.

    Raises :class:`ValidationError` naming ``tableReference.<reference>.databaseName`` or
    ``tableReference.<reference>.tableName`` (``reference`` is the ``TableReference`` member,
    ``glue`` or ``athena``) when the database or table does not exist. Which error AWS answers
    is not documented (README "Assumptions"); a ValidationException naming the field is what a
    user can act on. Source: ``GlueTableReference``/``AthenaTableReference`` in the model; the
    Glue prerequisites of the user guide page "prepare-data-S3".
    """
    path = f"tableReference.{reference}"
    backend, unavailable = _glue_backend(account_id, region)
    databases: Mapping[str, Any] = getattr(backend, "databases", {}) if backend else {}
    found_database = _by_name(databases, database)
    where = f"the Glue Data Catalog of account {account_id} in {region}"
    if found_database is None:
        raise ValidationError.for_field(
            f"{path}.databaseName",
            f"Database {database} not found in {where}{unavailable}. Create it (Glue "
            "CreateDatabase) before configuring a table on it.",
            database,
        )
    found_table = _by_name(found_database.tables, table)
    if found_table is None:
        raise ValidationError.for_field(
            f"{path}.tableName",
            f"Table {database}.{table} not found in {where}. Create it (Glue CreateTable) "
            "before configuring it.",
            table,
        )
    return _table_info(account_id, region, found_table.as_dict())


def _glue_backend(account_id: str, region: str) -> tuple[Any, str]:
    """moto's Glue backend of the account and region, if it exists, and why it may not."""
    try:
        from moto.glue.models import glue_backends
    except ImportError as error:  # moto without its "glue" extra (pyparsing)
        return None, f" (moto's Glue could not be imported: {error}; install moto[glue])"
    # dict.get, not [...]: BackendDict creates a backend on first access, and reading must not.
    accounts: dict[str, Any] = glue_backends
    regions: dict[str, Any] | None = dict.get(accounts, account_id)
    return (dict.get(regions, region) if regions is not None else None), ""


def _by_name(entries: Mapping[str, Any], name: str) -> Any:
    if name in entries:
        return entries[name]
    wanted = name.lower()
    return next((entry for key, entry in entries.items() if key.lower() == wanted), None)


def _columns(raw: Any) -> tuple[GlueColumn, ...]:
    return tuple(
        GlueColumn(str(c["Name"]), c.get("Type"), c.get("Comment"))
        for c in raw or ()
        if isinstance(c, Mapping) and "Name" in c
    )


def _frozen(raw: Any) -> Mapping[str, str]:
    values = {str(k): str(v) for k, v in (raw or {}).items()} if isinstance(raw, Mapping) else {}
    return types.MappingProxyType(values)


def _table_info(account_id: str, region: str, table: Mapping[str, Any]) -> GlueTableInfo:
    storage = table.get("StorageDescriptor") or {}
    serde = storage.get("SerdeInfo") or {}
    return GlueTableInfo(
        account_id=account_id,
        region=region,
        database=str(table["DatabaseName"]),
        name=str(table["Name"]),
        columns=_columns(storage.get("Columns")),
        partition_keys=_columns(table.get("PartitionKeys")),
        location=storage.get("Location"),
        input_format=storage.get("InputFormat"),
        output_format=storage.get("OutputFormat"),
        serde_library=serde.get("SerializationLibrary"),
        serde_parameters=_frozen(serde.get("Parameters")),
        parameters=_frozen(table.get("Parameters")),
        table_type=table.get("TableType"),
    )
