"""What the protected-query tests share: tables as the engine's caller builds them.

A caller turns a Glue table and its configured table into a :class:`TableSource`: the Glue
table's columns and storage facts (read with boto3 as the table's owner), the configured table's
allowed columns and analysis rule, and a reader of the objects under its location in moto's S3.
:func:`source_of` does exactly that for a table the ``cleanrooms_table`` fixture made;
:func:`table_of_bytes` makes one from bytes, for the tests of one file format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import boto3
from helpers import CREATOR, MEMBER_A, REGION

from cleanrooms_mock.glue_tables import GlueTable
from cleanrooms_mock.query_engine import (
    QueryOutcome,
    Runner,
    TableSource,
    moto_objects,
    run,
    storage_format,
)

#: The member who can query, and the data owner whose tables it queries.
RUNNER = CREATOR
OWNER = MEMBER_A
OPEN_CSV = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
LAZY_SIMPLE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"


def custom(**policy: Any) -> dict[str, Any]:
    """A CUSTOM rule letting RUNNER run any query, with ``policy``'s other fields."""
    return {
        "custom": {"allowedAnalyses": ["ANY_QUERY"], "allowedAnalysisProviders": [RUNNER], **policy}
    }


def source_of(
    table: GlueTable,
    rule: Mapping[str, Any] | None = None,
    *,
    name: str | None = None,
    allowed: Sequence[str] | None = None,
) -> TableSource:
    """The engine's view of a table the ``cleanrooms_table`` fixture made."""
    glue = boto3.client(
        "glue",
        region_name=table.region,
        aws_access_key_id=table.account,
        aws_secret_access_key="secret",
    )
    found = glue.get_table(DatabaseName=table.database, Name=table.table)["Table"]
    storage = found["StorageDescriptor"]
    columns = [(c["Name"], c["Type"]) for c in storage["Columns"]]
    keys = [(c["Name"], c["Type"]) for c in found.get("PartitionKeys", [])]
    return TableSource(
        name=name or table.table,
        columns=columns,
        partition_keys=keys,
        allowed_columns=list(allowed or [c for c, _ in columns + keys]),
        analysis_rule=rule or custom(),
        owner_account_id=table.account,
        storage=storage_format(
            storage["SerdeInfo"].get("SerializationLibrary"),
            storage["SerdeInfo"].get("Parameters"),
            found.get("Parameters"),
            storage.get("InputFormat"),
        ),
        objects=moto_objects(table.account, storage["Location"]),
    )


def table_of_bytes(
    name: str,
    columns: Sequence[tuple[str, str]],
    objects: Mapping[str, bytes],
    *,
    serde: str = OPEN_CSV,
    serde_parameters: Mapping[str, str] | None = None,
    table_parameters: Mapping[str, str] | None = None,
    rule: Mapping[str, Any] | None = None,
    owner: str = OWNER,
    allowed: Sequence[str] | None = None,
    partition_keys: Sequence[tuple[str, str]] = (),
) -> TableSource:
    """A table whose objects are ``objects`` (key relative to the location -> bytes)."""
    return TableSource(
        name=name,
        columns=columns,
        partition_keys=partition_keys,
        allowed_columns=list(allowed or [c for c, _ in [*columns, *partition_keys]]),
        analysis_rule=rule or custom(),
        owner_account_id=owner,
        storage=storage_format(serde, serde_parameters, table_parameters),
        objects=lambda: list(objects.items()),
    )


def query(
    sql: str, *tables: TableSource, dialect: str = "spark", runner: str = RUNNER
) -> QueryOutcome:
    """``sql`` run as ``runner`` on ``tables``."""
    return run(sql, dialect=dialect, tables=tables, runner=Runner(runner))


def refusal(sql: str, *tables: TableSource, dialect: str = "spark", runner: str = RUNNER) -> str:
    """The message of the MALFORMED_QUERY error ``sql`` fails with (it must fail so)."""
    outcome = query(sql, *tables, dialect=dialect, runner=runner)
    assert outcome.error is not None, f"{sql!r} ran: {outcome.rows}"
    assert outcome.error.code == "MALFORMED_QUERY", outcome.error
    assert outcome.rows == ()
    return outcome.error.message


__all__ = ["OWNER", "REGION", "RUNNER", "custom", "query", "refusal", "source_of", "table_of_bytes"]
