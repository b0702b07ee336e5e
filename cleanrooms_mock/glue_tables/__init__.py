"""Glue tables with rows in S3, made for tests: what the ``cleanrooms_table`` fixture does.

:func:`create_table` creates, as one account in one region, an AWS Glue database and table whose
location is a folder of an S3 bucket in moto, writes the rows it is given there (CSV, Parquet or
JSON lines; one object per partition), and can configure the table in Clean Rooms
(``create_configured_table``) and associate it (:mod:`.association`). Every call goes through
boto3 clients acting as the account, so it works under ``mock_cleanrooms`` and ``mock_aws``.

Tables are made the way AWS's documentation asks for Clean Rooms:

* the table's location is the folder of its data files, exactly ("Preparing data tables in
  Amazon S3": a parent folder makes the table look empty); a partitioned table's files are in
  Hive's ``key=value`` folders under it, each a Glue partition;
* column types are the Glue Data Catalog types Clean Rooms supports ("Data formats for AWS
  Clean Rooms": bigint, boolean, char, date, decimal, double, float, int, smallint, string,
  timestamp, varchar; binary and interval are not supported); text files write timestamps as
  ``yyyy-MM-dd HH:mm:ss.SSSSSS``, as that page requires;
* CSV is read by the Open CSV SerDe (the "OpenCSV" format of that page, which both SQL queries
  and PySpark jobs read) or the Lazy Simple SerDe (Athena's default for CSV), with a header row
  and the table property ``skip.header.line.count`` = 1 (Athena's "CSV SerDe libraries");
  Parquet by ``ParquetHiveSerDe`` with the ``MapredParquet`` formats; JSON lines by the OpenX
  ``JsonSerDe``, as Glue's crawlers catalog them. Parquet files are written by DuckDB, imported
  only when a Parquet table is made.

Every argument is checked before anything is created: a mistake raises ``TypeError`` or
``ValueError`` naming the argument (the row and column for a value) and leaves Glue and S3 as
they were.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moto.core.models import botocore_stubber

from ..faults import faults
from ..mock import client_acting_as
from ..settings import check_account, check_region
from .association import check_associate, check_inputs, configure_in_clean_rooms, membership_in
from .checks import (
    DEFAULT_DATABASE,
    FORMATS,
    _check_bucket,
    _check_columns,
    _check_configure,
    _check_format,
    _check_name,
    _rows,
)
from .formats import (
    GlueType,
    Rows,
    _Format,
    _text,
    glue_type,
)

if TYPE_CHECKING:
    from ..mock import CleanRoomsMock

__all__ = ["DEFAULT_DATABASE", "FORMATS", "GlueTable", "create_table", "glue_type"]

#: How argument errors name the argument (the fixture is how most users call create_table).
_USAGE = "cleanrooms_table(%s=...)"
#: Partitions per BatchCreatePartition call (the Glue model's PartitionInputList maximum).
_PARTITIONS_PER_CALL = 100


# ---- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlueTable:
    """What :func:`create_table` made: where the table is and what it holds.

    ``columns`` and ``partition_keys`` map names to Glue types as the catalog stores them;
    ``keys`` are the S3 objects written (one per partition; none for a partitioned table
    without rows); ``configured_table`` is what ``create_configured_table`` answered
    (``configuredTable``), when the table was configured.
    """

    account: str
    region: str
    database: str
    table: str
    location: str
    bucket: str
    keys: tuple[str, ...]
    columns: dict[str, str]
    partition_keys: dict[str, str]
    format: str
    configured_table: dict[str, Any] | None = None
    association: dict[str, Any] | None = None

    @property
    def table_reference(self) -> dict[str, Any]:
        """The ``tableReference`` that names this table in ``create_configured_table``."""
        return {"glue": {"databaseName": self.database, "tableName": self.table}}

    @property
    def key(self) -> str:
        """The one S3 object of a table written as one object; ValueError otherwise."""
        if len(self.keys) != 1:
            raise ValueError(f"table {self.table} has {len(self.keys)} objects: read .keys")
        return self.keys[0]


def create_table(
    mock: CleanRoomsMock,
    columns: Mapping[str, str],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]] = (),
    *,
    name: str | None = None,
    database: str = DEFAULT_DATABASE,
    partition_keys: Mapping[str, str] | None = None,
    format: str = "csv",
    csv_serde: str | None = None,
    account: str | None = None,
    region: str | None = None,
    bucket: str | None = None,
    configure: bool | Mapping[str, Any] | None = None,
    associate: str | Mapping[str, Any] | None = None,
) -> GlueTable:
    """Create a Glue table with ``rows`` in S3, as ``account`` in ``region``; see the module.

    ``columns`` and ``partition_keys`` map column names (lower case: Glue stores them so, and
    Clean Rooms' ``ColumnName`` allows ``[a-z0-9_ -]``) to Glue types. ``rows`` are dicts
    (column -> value) or tuples (columns, then partition keys, in order); every value is
    converted to its column's type (None is NULL). ``name`` defaults to the first free
    ``table_<n>`` of ``database``; ``format`` is ``csv``, ``parquet`` or ``json``;
    ``csv_serde`` (CSV only) ``OpenCSVSerde`` (the default) or ``LazySimpleSerDe``; ``account``
    and ``region`` default to the mock's; ``bucket`` to ``cleanrooms-data-<account>-<region>``
    (made if missing). The objects go to ``s3://<bucket>/<database>/<table>/``, the table's
    location. ``configure=True`` also creates a configured table for it
    (``analysisMethod`` ``DIRECT_QUERY``, ``allowedColumns`` every column and partition key,
    named as the table); a mapping of CreateConfiguredTable inputs by model name changes or
    adds to those. ``associate`` (a collaboration id, or a mapping: :mod:`.association`) also
    associates it to that collaboration through the account's ACTIVE membership there.

    ``configure`` left out (None) means False, or True with ``associate``; ``configure=False``
    with ``associate`` is a contradiction (ValueError).

    Raises RuntimeError without an active mock; TypeError or ValueError, before anything is
    created, for a bad argument (the ``configure`` and ``associate`` mappings are checked as
    botocore checks CreateConfiguredTable and CreateConfiguredTableAssociation inputs); a
    ``ClientError`` from ``create_configured_table`` is Clean
    Rooms' answer (botocore's ``ParamValidationError`` for inputs it refuses), raised after the
    Glue table and its objects are deleted again (the database and bucket stay); so is one of
    ``create_configured_table_association`` (the configured table deleted too).
    """
    if not mock.active() and not botocore_stubber.enabled:
        raise RuntimeError(
            "create_table needs an active mock (mock_cleanrooms, or moto's mock_aws): without "
            "one its Glue and S3 calls would go to AWS"
        )
    account = check_account(mock.account if account is None else account, _USAGE % "account")
    region = check_region(mock.region if region is None else region, _USAGE % "region")
    catalog = _check_format(format, csv_serde)
    table_columns = _check_columns(columns, "columns")
    keys = _check_columns(partition_keys or {}, "partition_keys", allow_empty=True)
    shared = sorted(set(table_columns) & set(keys))
    if shared:
        raise ValueError(f"{', '.join(shared)}: a name is a column or a partition key, not both")
    _check_name(database, "database", "GlueDatabaseName")
    if name is not None:
        _check_name(name, "name", "GlueTableName")
    bucket = _check_bucket(bucket if bucket is not None else f"cleanrooms-data-{account}-{region}")
    association = check_associate(associate)  # implies configure
    if association is not None and configure is False:
        raise ValueError(
            "configure=False contradicts associate: an association needs the configured table; "
            "leave configure out (or pass True, or a mapping of CreateConfiguredTable inputs)"
        )
    settings = _check_configure(configure if configure is not None else association is not None)
    converted = _rows(rows, table_columns, keys)
    if settings is not None:
        placeholder = {"glue": {"databaseName": database, "tableName": name or "placeholder"}}
        check_inputs(
            "configure",
            "CreateConfiguredTable",
            {
                "name": name or "placeholder",
                "tableReference": placeholder,
                "allowedColumns": [*table_columns, *keys],
                "analysisMethod": "DIRECT_QUERY",
                **settings,
            },
        )

    glue = client_acting_as("glue", account, region)
    s3 = client_acting_as("s3", account, region)
    cleanrooms = mock.client(account, region)
    membership = None
    if association is not None:
        with faults.suspended():
            membership = membership_in(cleanrooms, association["collaborationId"], account)
    name = _free_name(glue, database, name, account, region)
    prefix = f"{database}/{name}/"
    objects = {
        f"{prefix}{_partition_folder(keys, values)}part-00000.{catalog.extension}": (
            values,
            catalog.write(list(table_columns), list(table_columns.values()), part),
        )
        for values, part in _partitions(converted, len(table_columns), bool(keys))
    }

    _ensure_bucket(s3, bucket, region)
    for key, (_, body) in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    location = f"s3://{bucket}/{prefix}"
    storage = _storage(catalog, table_columns, location)
    _ensure_database(glue, database)
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": name,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": dict(catalog.parameters),
            "PartitionKeys": [{"Name": k, "Type": t.text} for k, t in keys.items()],
            "StorageDescriptor": storage,
        },
    )
    if keys:
        _create_partitions(glue, database, name, storage, keys, [v for v, _ in objects.values()])
    result = GlueTable(
        account=account,
        region=region,
        database=database,
        table=name,
        location=location,
        bucket=bucket,
        keys=tuple(objects),
        columns={c: t.text for c, t in table_columns.items()},
        partition_keys={k: t.text for k, t in keys.items()},
        format=catalog.extension,
    )
    if settings is None:
        return result
    inputs = {
        "name": name,
        "tableReference": result.table_reference,
        "allowedColumns": [*table_columns, *keys],
        "analysisMethod": "DIRECT_QUERY",
        **settings,
    }
    try:
        configured, associated = configure_in_clean_rooms(
            cleanrooms, inputs, association, membership, account
        )
    except Exception:
        # Clean Rooms refused the configured table or its association (or botocore their
        # inputs): take back the Glue table and its objects, so the call, corrected, can rerun.
        glue.delete_table(DatabaseName=database, Name=name)
        for key in objects:
            s3.delete_object(Bucket=bucket, Key=key)
        raise
    return dataclasses.replace(result, configured_table=configured, association=associated)


# ---- Glue and S3 -----------------------------------------------------------------------------


def _partitions(rows: Rows, width: int, partitioned: bool) -> Iterable[tuple[list[str], Rows]]:
    """(partition values as text, its rows without them) in first-seen order; an unpartitioned
    table is one partition, even without rows (its file has only the header or schema)."""
    if not partitioned:
        return [([], rows)]
    groups: dict[tuple[str, ...], Rows] = {}
    for number, row in rows:
        groups.setdefault(tuple(_text(v) for v in row[width:]), []).append((number, row[:width]))
    return [(list(values), part) for values, part in groups.items()]


#: Characters Hive escapes in a partition folder name (``FileUtils.escapePathName``).
_HIVE_ESCAPED = frozenset("\"#%'*/:=?\\\x7f{[]^") | {chr(c) for c in range(1, 32)}


def _partition_folder(keys: Mapping[str, GlueType], values: list[str]) -> str:
    def escape(text: str) -> str:
        return "".join(f"%{ord(c):02X}" if c in _HIVE_ESCAPED else c for c in text)

    return "".join(f"{escape(k)}={escape(v)}/" for k, v in zip(keys, values, strict=True))


def _storage(catalog: _Format, columns: Mapping[str, GlueType], location: str) -> dict[str, Any]:
    return {
        "Columns": [{"Name": c, "Type": t.text} for c, t in columns.items()],
        "Location": location,
        "InputFormat": catalog.input_format,
        "OutputFormat": catalog.output_format,
        "SerdeInfo": {
            "SerializationLibrary": catalog.serde,
            "Parameters": dict(catalog.serde_parameters),
        },
    }


def _create_partitions(
    glue: Any,
    database: str,
    table: str,
    storage: Mapping[str, Any],
    keys: Mapping[str, GlueType],
    values: list[list[str]],
) -> None:
    """One Glue partition per list of values, its location the folder of its object."""
    inputs = [
        {
            "Values": v,
            "StorageDescriptor": {
                **storage,
                "Location": storage["Location"] + _partition_folder(keys, v),
            },
        }
        for v in values
    ]
    for start in range(0, len(inputs), _PARTITIONS_PER_CALL):
        answer = glue.batch_create_partition(
            DatabaseName=database,
            TableName=table,
            PartitionInputList=inputs[start : start + _PARTITIONS_PER_CALL],
        )
        if answer.get("Errors"):
            raise RuntimeError(f"Glue refused partitions of {table}: {answer['Errors']}")


def _free_name(glue: Any, database: str, name: str | None, account: str, region: str) -> str:
    """``name`` if ``database`` has no such table yet (ValueError if it has); else the first
    free ``table_<n>``."""
    taken = {t["Name"].lower() for t in _tables(glue, database)}
    if name is not None:
        if name.lower() in taken:
            raise ValueError(
                f"name: table {database}.{name} already exists in the Glue Data Catalog of "
                f"account {account} in {region}; give another name"
            )
        return name
    return next(f"table_{n}" for n in range(1, len(taken) + 2) if f"table_{n}" not in taken)


def _tables(glue: Any, database: str) -> list[dict[str, Any]]:
    try:
        pages = glue.get_paginator("get_tables").paginate(DatabaseName=database)
        return [t for page in pages for t in page["TableList"]]
    except glue.exceptions.EntityNotFoundException:
        return []


def _ensure_database(glue: Any, database: str) -> None:
    with contextlib.suppress(glue.exceptions.AlreadyExistsException):
        glue.create_database(DatabaseInput={"Name": database})


def _ensure_bucket(s3: Any, bucket: str, region: str) -> None:
    """Create ``bucket`` in ``region`` unless the account has it; ValueError if another
    account's bucket has the name (S3 bucket names are global)."""
    options: dict[str, Any] = {}
    if region != "us-east-1":
        options["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(Bucket=bucket, **options)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    except s3.exceptions.BucketAlreadyExists:
        raise ValueError(
            f"bucket {bucket!r} belongs to another account (S3 bucket names are global); give "
            "another bucket="
        ) from None
