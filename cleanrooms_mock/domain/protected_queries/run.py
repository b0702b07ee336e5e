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
from ..configured_tables.glue import read_glue_table
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
    reference: Mapping[str, Any] = table.attributes.get("tableReference") or {}
    glue = reference.get("glue") or reference.get("athena")
    if not glue:
        kind = next(iter(reference), "unknown")
        raise _Failed(
            _INVALID_RESOURCE,
            f"The data of table {name} cannot be read: the mock runs queries on Glue tables "
            f"only, not on a {kind} reference",
        )
    region = glue.get("region") or table.region
    try:
        info = read_glue_table(table.account_id, region, glue["databaseName"], glue["tableName"])
    except ValidationError:  # its database or table was deleted after it was configured
        raise _Failed(
            _INVALID_RESOURCE,
            f"The data of table {name} cannot be read: Glue table "
            f"{glue['databaseName']}.{glue['tableName']} not found",
        ) from None
    try:
        objects = moto_objects(table.account_id, info.location or "")
        storage = storage_format(
            info.serde_library, info.serde_parameters, info.parameters, info.input_format
        )
    except ValueError as error:
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


def _put(account: str, bucket: str, key: str, body: bytes) -> None:
    """Writes ``body`` at ``bucket/key`` in ``account``'s S3 in moto, in-process; _Failed
    (RESOURCE_NOT_FOUND) when the bucket is not one of the account's."""
    from cleanrooms_mock.query_engine import moto_s3_backend

    backend = moto_s3_backend(account)
    if backend is None or bucket not in backend.buckets:
        raise _Failed(_NOT_FOUND, f"The result bucket {bucket} does not exist in account {account}")
    backend.put_object(bucket, key, body)


def _write(
    query: ProtectedQuery, outcome: QueryOutcome, account: str, s3: Mapping[str, Any]
) -> str:
    """The result written per ``s3`` (a ``ProtectedQueryS3OutputConfiguration``) in
    ``account``'s bucket; its ``s3://`` location, the key of the one result file."""
    from cleanrooms_mock.query_engine import result_key, write_result

    collaboration_id = query.membership.collaboration.id
    single = bool(s3.get("singleFileOutput", False))
    [(name, body)] = write_result(outcome, s3.get("resultFormat", "CSV"), single_file=single)
    key = result_key(s3.get("keyPrefix"), collaboration_id, query.id, name)
    _put(account, s3["bucket"], key, body)
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
    """Writes the result where ``resultConfiguration`` says; the ``result.output``."""
    output = query.result_configuration["outputConfiguration"]
    runner = query.account_id
    if "s3" in output:
        return {"s3": {"location": _write(query, outcome, runner, output["s3"])}}
    if "member" in output:
        account = output["member"]["accountId"]
        _write(query, outcome, account, _member_output(query, store, account))
        return {"memberList": [{"accountId": account}]}
    delivered: dict[str, Any] = {}
    for location in output["distribute"]["locations"]:
        if "s3" in location:
            delivered["s3"] = {"location": _write(query, outcome, runner, location["s3"])}
        else:
            account = location["member"]["accountId"]
            _write(query, outcome, account, _member_output(query, store, account))
            delivered.setdefault("memberList", []).append({"accountId": account})
    return {"distribute": delivered}


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
