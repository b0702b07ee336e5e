"""The protected-query engine: SQL in, rows out, the analysis rules of each table enforced.

Pure inputs and outputs, no HTTP, no store, no boto3 client: a caller (the protected queries
family) turns its collaboration's schemas into :class:`TableSource` values, asks
:func:`analysis_allowed` whether the runner may run the analysis, :func:`run`\\ s the SQL, and
puts :func:`write_result`'s files at :func:`result_key`. :func:`moto_objects` reads a table's
objects from moto's S3 in-process. sqlglot and DuckDB are imported on first use.

Example::

    users = TableSource(
        name="users",
        columns=[("email", "string"), ("age", "int")],
        allowed_columns=["email", "age"],
        analysis_rule={
            "custom": {"allowedAnalyses": ["ANY_QUERY"], "allowedAnalysisProviders": [ME]}
        },
        owner_account_id=ME,
        storage=storage_format("org.apache.hadoop.hive.serde2.OpenCSVSerde"),
        objects=lambda: [("part.csv", b"a@x,31\\n")],
    )
    outcome = run("SELECT age FROM users", dialect="spark", tables=[users], runner=Runner(ME))
    outcome.rows  # ((31,),)
"""

from __future__ import annotations

from .engine import (
    DIALECTS,
    MalformedQuery,
    analysis_allowed,
    bind_parameters,
    referenced_tables,
    run,
)
from .moto_s3 import moto_objects, moto_s3_backend, split_location
from .outcome import QueryError, QueryOutcome, QueryStatistics, Runner
from .parameters import BadParameterValue, MissingParameter, ParameterError, UnknownParameter
from .results import RESULT_FORMATS, result_key, write_result
from .tables import StorageFormat, TableSource, storage_format

__all__ = [
    "DIALECTS",
    "RESULT_FORMATS",
    "BadParameterValue",
    "MalformedQuery",
    "MissingParameter",
    "ParameterError",
    "QueryError",
    "QueryOutcome",
    "QueryStatistics",
    "Runner",
    "StorageFormat",
    "TableSource",
    "UnknownParameter",
    "analysis_allowed",
    "bind_parameters",
    "moto_objects",
    "moto_s3_backend",
    "referenced_tables",
    "result_key",
    "run",
    "split_location",
    "storage_format",
    "write_result",
]
