"""Running a protected query: the collaboration's schemas as the engine's tables, the engine's
outcome as the query's status, and the result delivered to S3 where AWS writes it.

Each table a query names is a schema of the collaboration: its association, its configured
table, the Glue table that one references (read from moto's Glue in-process, as
:mod:`..configured_tables.glue` does) and the objects under the Glue table's location in the
owner's S3 (:func:`cleanrooms_mock.query_engine.moto_objects`); its rule is the schema's
consolidated policy (the table's analysis rule with the collaboration analysis rule). The
engine (:mod:`cleanrooms_mock.query_engine`) is imported on first use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..associations.entities import Schema, schema_key
from ..associations.schemas import consolidated_policy
from ..configured_tables.entities import ConfiguredTable
from ..configured_tables.glue import GlueTableInfo, read_glue_table
from ..errors import ValidationError
from ..memberships.entities import Membership
from ..store import RegionStore
from .entities import ProtectedQuery
from .rules import engine_of

if TYPE_CHECKING:
    from cleanrooms_mock.query_engine import QueryOutcome, TableSource

__all__ = ["execute"]

_MALFORMED = "MALFORMED_QUERY"
_INVALID_RESOURCE = "INVALID_RESOURCE"
_NOT_FOUND = "RESOURCE_NOT_FOUND"
_ACCESS_DENIED = "RESOURCE_ACCESS_DENIED"
_INTERNAL = "INTERNAL_ERROR"


class _Failed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _source(store: RegionStore, collaboration_id: str, name: str) -> TableSource | None:
    """The engine's view of schema ``name``; None when there is no such schema (the engine
    then fails the query: "Table or view not found"). Raises _Failed for a table that cannot
    be read or has no analysis rule."""
    from cleanrooms_mock.query_engine import TableSource, moto_objects, storage_format

    schema = store.table(Schema).by_id.get(schema_key(collaboration_id, name))
    if schema is None:
        return None
    association = schema.association
    table = association.configured_table
    policy = consolidated_policy(association)
    if policy is None:
        raise _Failed(
            _MALFORMED,
            f"Table {name} has no analysis rule: it cannot be queried until one is added",
        )
    try:
        info = _glue_table(table)
        objects = moto_objects(table.account_id, info.location or "")
        storage = storage_format(
            info.serde_library, info.serde_parameters, info.parameters, info.input_format
        )
    except (_Unreadable, ValueError) as error:
        raise _Failed(
            _INVALID_RESOURCE, f"The data of table {name} cannot be read: {error}"
        ) from None
    return TableSource(
        name=association.name,
        columns=[(c.name, c.type or "string") for c in info.columns],
        partition_keys=[(c.name, c.type or "string") for c in info.partition_keys],
        allowed_columns=list(table.attributes.get("allowedColumns") or ()),
        analysis_rule=policy["v1"],
        owner_account_id=association.account_id,
        storage=storage,
        objects=objects,
    )


class _Unreadable(Exception):
    """A configured table whose reference the mock cannot read (not Glue or Athena)."""


def _glue_table(table: ConfiguredTable) -> GlueTableInfo:
    """The Glue table ``table`` references (``glue``, or ``athena`` over Glue), read from the
    owner's Glue in moto. Raises _Unreadable for another kind of reference or a Glue table
    that no longer exists (:func:`..configured_tables.glue.read_glue_table`)."""
    reference: Mapping[str, Any] = table.attributes.get("tableReference") or {}
    glue = reference.get("glue") or reference.get("athena")
    if not glue:
        kind = next(iter(reference), "unknown")
        raise _Unreadable(f"the mock runs queries on Glue tables only, not on a {kind} reference")
    region = glue.get("region") or table.region
    database, name = glue["databaseName"], glue["tableName"]
    try:
        return read_glue_table(table.account_id, region, database, name)
    except ValidationError:  # its database or table was deleted after it was configured
        raise _Unreadable(f"Glue table {database}.{name} not found") from None


def _check_receivers(sources: list[TableSource], receivers: list[str]) -> None:
    """Every receiver must be among each table's ``allowedResultReceivers`` (the collaboration
    analysis rule: "The AWS account IDs that can receive results", model)."""
    for source in sources:
        allowed = source.policy.get("allowedResultReceivers")
        refused = [r for r in receivers if allowed is not None and r not in allowed]
        if allowed is None or refused:
            listed = ", ".join(refused or receivers)
            raise _Failed(
                _MALFORMED,
                f"Result receiver(s) [{listed}] not allowed by the collaboration analysis rule "
                f"of table {source.name}",
            )


def _data_buckets(store: RegionStore, collaboration_id: str) -> dict[str, str]:
    """The S3 bucket of each data source of the collaboration (the Glue location of each
    schema's table), and the schema it belongs to; tables whose location cannot be read are
    left out (a query reading one fails on its own)."""
    from cleanrooms_mock.query_engine.moto_s3 import split_location

    buckets: dict[str, str] = {}
    prefix = schema_key(collaboration_id, "")
    for key, schema in sorted(store.table(Schema).by_id.items()):
        if not key.startswith(prefix):
            continue
        try:
            location = _glue_table(schema.association.configured_table).location
            bucket = split_location(location or "")[0]
        except (_Unreadable, ValidationError, ValueError):
            continue
        buckets.setdefault(bucket, schema.association.name)
    return buckets


def _check_destinations(
    query: ProtectedQuery, store: RegionStore, targets: list[tuple[str, Mapping[str, Any]]]
) -> None:
    """Each result bucket must be one its receiver's account can write, and, with the Spark
    analytics engine, not the bucket of any data source of the collaboration.

    Raises _Failed: RESOURCE_NOT_FOUND for a bucket no account has; RESOURCE_ACCESS_DENIED for
    one another account owns (bucket names are global: it exists, the receiver cannot write
    it); INVALID_RESOURCE for a data source's bucket ("If you are using the Spark analytics
    engine, the Results destination in Amazon S3 can't be within the same S3 bucket as any
    data source", user guide: receive-results, edit-query-results-settings).
    """
    from cleanrooms_mock.query_engine.moto_s3 import bucket_owner

    collaboration = query.membership.collaboration
    sources = _data_buckets(store, collaboration.id) if engine_of(collaboration) == "SPARK" else {}
    for account, s3 in targets:
        bucket = str(s3["bucket"])
        owner = bucket_owner(bucket)
        if owner is None:
            raise _no_bucket(bucket, account)
        if owner != account:
            raise _Failed(
                _ACCESS_DENIED,
                f"Access denied to the result bucket {bucket}: it is not a bucket of account "
                f"{account}, which receives the results",
            )
        if bucket in sources:
            raise _Failed(
                _INVALID_RESOURCE,
                f"The result bucket {bucket} holds the data of table {sources[bucket]}: with the "
                "Spark analytics engine, results cannot be written to the S3 bucket of a data "
                "source. Choose another bucket.",
            )


def _no_bucket(bucket: str, account: str) -> _Failed:
    return _Failed(_NOT_FOUND, f"The result bucket {bucket} does not exist in account {account}")


def _write(
    query: ProtectedQuery, outcome: QueryOutcome, account: str, s3: Mapping[str, Any]
) -> str:
    """The result written per ``s3`` (a ``ProtectedQueryS3OutputConfiguration``) in
    ``account``'s bucket (checked: :func:`_check_destinations`); its ``s3://`` location, the
    key of the one result file."""
    from cleanrooms_mock.query_engine import moto_s3_backend, result_key, write_result

    collaboration_id = query.membership.collaboration.id
    single = bool(s3.get("singleFileOutput", False))
    [(name, body)] = write_result(outcome, s3.get("resultFormat", "CSV"), single_file=single)
    key = result_key(s3.get("keyPrefix"), collaboration_id, query.id, name)
    backend = moto_s3_backend(account)
    if backend is None:  # checked before: only a bucket deleted since
        raise _no_bucket(s3["bucket"], account)
    backend.put_object(s3["bucket"], key, body)
    return f"s3://{s3['bucket']}/{key}"


def _member_output(query: ProtectedQuery, store: RegionStore, account: str) -> dict[str, Any]:
    """``s3`` of the receiving member's membership's default result configuration."""
    collaboration = query.membership.collaboration
    member = collaboration.member(account)
    membership: Membership | None = member.membership if member else None
    default = membership.settings.get("defaultResultConfiguration") if membership else None
    s3 = (default or {}).get("outputConfiguration", {}).get("s3")
    if not s3:
        raise _Failed(
            _NOT_FOUND,
            f"Member {account} has no default result configuration with an S3 output",
        )
    s3_config: dict[str, Any] = s3
    return s3_config


def _deliver(query: ProtectedQuery, store: RegionStore, outcome: QueryOutcome) -> dict[str, Any]:
    """Writes the result where ``resultConfiguration`` says, every destination checked before
    any is written; the ``result.output``."""
    output = query.result_configuration["outputConfiguration"]
    locations = output["distribute"]["locations"] if "distribute" in output else [output]
    targets: list[tuple[str, Mapping[str, Any]]] = []
    for location in locations:
        if "s3" in location:
            targets.append((query.account_id, location["s3"]))
        else:
            account = location["member"]["accountId"]
            targets.append((account, _member_output(query, store, account)))
    _check_destinations(query, store, targets)
    delivered: dict[str, Any] = {}
    for location, (account, s3) in zip(locations, targets, strict=True):
        written = _write(query, outcome, account, s3)
        if "s3" in location:
            delivered["s3"] = {"location": written}
        else:
            delivered.setdefault("memberList", []).append({"accountId": account})
    return {"distribute": delivered} if "distribute" in output else delivered


def _outcome(query: ProtectedQuery, store: RegionStore) -> QueryOutcome:
    from cleanrooms_mock.query_engine import (
        DIALECTS,
        MalformedQuery,
        QueryError,
        QueryOutcome,
        Runner,
        analysis_allowed,
        referenced_tables,
        run,
    )

    collaboration = query.membership.collaboration
    dialect = DIALECTS[engine_of(collaboration)]
    try:
        names = referenced_tables(query.sql, dialect)
    except MalformedQuery:
        names = []  # run() fails it, with the parser's message
    arn = query.sql_parameters.get("analysisTemplateArn")
    runner = Runner(query.account_id, arn)
    try:
        found = [_source(store, collaboration.id, name) for name in names]
        sources = [source for source in found if source is not None]
        denied = analysis_allowed(sources, runner, query.template_creator)
        if denied is not None:
            what = f"Analysis template {arn} is" if arn else "Direct queries by this account are"
            raise _Failed(_MALFORMED, f"{what} not allowed by the analysis rule of table {denied}")
        _check_receivers(sources, query.receivers)
    except _Failed as failed:
        return QueryOutcome(error=QueryError(failed.code, failed.message))
    return run(query.sql, dialect=dialect, tables=sources, runner=runner)


def _outcome_or_failure(query: ProtectedQuery, store: RegionStore) -> QueryOutcome:
    """:func:`_outcome`, or, when running the query raises (a fault of the mock's engine on
    this SQL, never the user's to see), a FAILED outcome with a generic message: the query
    ends, and stays readable, instead of failing every Get and List of its membership."""
    from cleanrooms_mock.query_engine import QueryError, QueryOutcome

    try:
        return _outcome(query, store)
    except RecursionError:
        from cleanrooms_mock.query_engine.messages import TOO_COMPLEX

        return QueryOutcome(error=QueryError(_MALFORMED, TOO_COMPLEX))
    except Exception:  # any fault ends the query; logged for whoever debugs the mock
        logging.getLogger("cleanrooms_mock").exception("protected query %s failed", query.id)
        return QueryOutcome(
            error=QueryError(_INTERNAL, "An internal error occurred while running the query.")
        )


def execute(query: ProtectedQuery, store: RegionStore) -> None:
    """Runs ``query`` and records what became of it: SUCCESS with ``result`` and its rows, or
    FAILED with ``error``; ``statistics`` either way (hold :data:`..store.lock`)."""
    from cleanrooms_mock.query_engine import QueryError

    outcome = _outcome_or_failure(query, store)
    error = outcome.error
    if error is None:
        try:
            query.result = {"output": _deliver(query, store, outcome)}
            query.rows = outcome.records()
        except _Failed as failed:
            error = QueryError(failed.code, failed.message)
    if error is not None:
        query.status = "FAILED"
        query.error = {
            "code": error.code,
            "message": error.message,
            "retry": {"retryable": error.retryable},
        }
    else:
        query.status = "SUCCESS"
    elapsed = int((time.time() - query.create_time.timestamp()) * 1000)
    query.statistics = {"totalDurationInMillis": max(elapsed, 0)}
