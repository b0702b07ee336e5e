"""The protected query operations: start, get, list, cancel (UpdateProtectedQuery).

Each public method is the model operation of the same name (botocore's ``xform_name``), served
by the protocol's dispatcher. Start checks what it can at once (:mod:`.rules`) and answers
SUBMITTED; the query runs when it is next read (:mod:`.run`): at once by default, one status
per read with the ``step_protected_queries`` option (:mod:`..options`).
"""

from __future__ import annotations

import re
from typing import Any

from ..access import collaboration_template, own_membership, running_membership
from ..collaborations.entities import Collaboration
from ..errors import Conflict, NotFound, ValidationError
from ..options import options
from ..pagination import Listing
from ..quotas import quota_exceeded, quotas
from ..resources import new_id, now
from ..store import RegionStore, Scope, lock, state
from .entities import ProtectedQuery
from .rules import check_query_text, check_runner, engine_of, query_payer, result_receivers
from .run import execute

__all__ = ["TEMPLATE_ID", "ProtectedQueryOps", "advance", "finish", "query_rows"]

_RUNNING = "queries_per_membership"
_TABLES = "tables_per_query"
#: Above every sequence number: ``_NEWEST - seq`` sorts the newest first, and stays positive.
_NEWEST = 2**62
#: The model's ``AnalysisTemplateIdentifier`` pattern (the domain reads no model: a test keeps
#: them equal): what the last part of a template ARN must be.
TEMPLATE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class ProtectedQueryOps(Scope):
    """StartProtectedQuery, GetProtectedQuery, ListProtectedQueries, UpdateProtectedQuery."""

    def start_protected_query(
        self,
        *,
        membership_identifier: str,
        type: str,
        sql_parameters: dict[str, Any],
        result_configuration: dict[str, Any] | None = None,
        compute_configuration: dict[str, Any] | None = None,
        query_compute_payer_account_id: str | None = None,
    ) -> ProtectedQuery:
        """StartProtectedQuery: a query of one of the caller's ACTIVE memberships whose member
        can query, answered SUBMITTED; the SQL runs when the query is next read.

        Refused at once (state unchanged): a member without CAN_QUERY (AccessDenied); a payer
        that is not a member paying for query compute, a result configuration that cannot be
        delivered, a template ARN whose last part is no template id, or template parameters
        that do not fit it (ValidationException); a template ARN naming no template of the
        collaboration (ResourceNotFoundException); more running queries or tables than the
        quotas allow. A query that breaks an analysis rule, or malformed SQL, is not refused:
        it ends FAILED; so does a result bucket that cannot receive it (:mod:`.run`).
        """
        with lock:
            membership = running_membership(self, membership_identifier, "run protected queries")
            check_runner(membership)
            collaboration = membership.collaboration
            check_query_text(collaboration, sql_parameters)
            payer = query_payer(collaboration, self.account_id, query_compute_payer_account_id)
            configuration, receivers = result_receivers(membership, result_configuration)
            sql, creator = self._sql(collaboration, sql_parameters)
            self._check_table_count(sql, engine_of(collaboration))
            store = self.store
            if store.count(_RUNNING, membership.id) >= quotas.queries_per_membership:
                raise quota_exceeded(_RUNNING)
            query = ProtectedQuery(
                id=new_id(),
                membership=membership,
                sql_parameters=dict(sql_parameters),
                sql=sql,
                result_configuration=configuration,
                receivers=receivers,
                payer_account_id=payer,
                create_time=now(),
                compute_configuration=compute_configuration,
                template_creator=creator,
                seq=store.next_seq(),
            )
            store.table(ProtectedQuery).add(query.id, query, query.seq, (membership.id,))
            store.adjust(_RUNNING, membership.id, 1)
        return query

    def get_protected_query(
        self, *, membership_identifier: str, protected_query_identifier: str
    ) -> ProtectedQuery:
        """GetProtectedQuery: a query of one of the caller's memberships, as it is after this
        read (a read moves an unfinished query on: :func:`advance`)."""
        with lock:
            query = self._query(membership_identifier, protected_query_identifier)
            advance(query, self.store)
        return query

    def list_protected_queries(
        self, *, membership_identifier: str, status: str | None = None
    ) -> Listing[ProtectedQuery]:
        """ListProtectedQueries: the membership's queries, "sorted by the most recent query"
        (model), each moved on as a read moves it; ``status`` filters."""
        with lock:
            membership = own_membership(self, membership_identifier)
            entries = self.store.table(ProtectedQuery).index(membership.id)
            for _, query in entries:
                advance(query, self.store)
            newest_first = [(_NEWEST - seq, query) for seq, query in reversed(entries)]

        def keep(query: ProtectedQuery) -> bool:
            return status is None or query.status == status

        return Listing(newest_first, keep)

    def update_protected_query(
        self, *, membership_identifier: str, protected_query_identifier: str, target_status: str
    ) -> ProtectedQuery:
        """UpdateProtectedQuery: ``targetStatus`` CANCELLED (the model's only value) cancels a
        query that has not finished: CANCELLED at once, or CANCELLING until the next read with
        ``step_protected_queries``. A finished query is ConflictException (INVALID_STATE)."""
        with lock:
            query = self._query(membership_identifier, protected_query_identifier)
            if query.status == "CANCELLING":
                return query
            if query.finished:
                raise Conflict(
                    f"Protected query {query.id} is {query.status} and cannot be cancelled.",
                    reason="INVALID_STATE",
                )
            if options.step_protected_queries:
                query.status = "CANCELLING"
            else:
                finish(query, "CANCELLED", self.store)
        return query

    # ---- helpers ------------------------------------------------------------------------

    def _query(self, membership_id: str, query_id: str) -> ProtectedQuery:
        """The caller's query ``query_id`` of its membership; ResourceNotFound otherwise
        (resourceType MEMBERSHIP: the model's ResourceType has no value for queries)."""
        membership = own_membership(self, membership_id)
        query = self.store.table(ProtectedQuery).get(query_id)
        if query is None or query.membership is not membership:
            raise NotFound(
                "MEMBERSHIP",
                query_id,
                f"Protected query {query_id} not found in membership {membership.id}.",
            )
        return query

    def _sql(
        self, collaboration: Collaboration, sql_parameters: dict[str, Any]
    ) -> tuple[str, str | None]:
        """The SQL to run and the template's creator (None for a direct query): the text, or
        the template's text with its parameters bound (``bind_parameters``).

        An ARN whose last part is no template id (the model's ``AnalysisTemplateIdentifier``),
        a template that is not SQL, or parameters that do not fit it, are ValidationException
        naming the field; a well-formed ARN naming no template of this collaboration (deleted,
        another collaboration's, another account's or region's) is ResourceNotFoundException,
        as GetCollaborationAnalysisTemplate answers for it (:func:`..access.collaboration_template`;
        StartProtectedQuery declares ResourceNotFoundException in the model).
        """
        text = sql_parameters.get("queryString")
        if text is not None:
            return str(text), None
        from cleanrooms_mock.query_engine import (
            DIALECTS,
            MalformedQuery,
            ParameterError,
            bind_parameters,
        )

        arn = str(sql_parameters["analysisTemplateArn"])
        if not TEMPLATE_ID.fullmatch(arn.rpartition("/")[2]):
            raise ValidationError.for_field(
                "sqlParameters.analysisTemplateArn",
                f"Analysis template {arn} not found in collaboration {collaboration.id}: the "
                "ARN must end with the template's id, as CreateAnalysisTemplate answers it.",
                arn,
            )
        template = collaboration_template(self, collaboration, arn)
        if template.attributes.get("format") != "SQL":
            raise ValidationError.for_field(
                "sqlParameters.analysisTemplateArn",
                f"Analysis template {arn} is a {template.attributes.get('format')} template: "
                "run it with StartProtectedJob.",
                arn,
            )
        source = str(template.attributes["source"]["text"])
        declared = template.attributes.get("analysisParameters") or []
        dialect = DIALECTS[engine_of(template.membership.collaboration)]
        try:
            sql = bind_parameters(source, dialect, declared, sql_parameters.get("parameters"))
        except ParameterError as error:
            raise ValidationError.for_field(
                "sqlParameters.parameters", str(error), sql_parameters.get("parameters")
            ) from None
        except MalformedQuery:
            sql = source  # the run fails it MALFORMED_QUERY, with the parser's message
        return sql, template.account_id

    def _check_table_count(self, sql: str, engine: str) -> None:
        from cleanrooms_mock.query_engine import DIALECTS, MalformedQuery, referenced_tables

        try:
            names = referenced_tables(sql, DIALECTS[engine])
        except MalformedQuery:
            return
        if len(names) > quotas.tables_per_query:
            raise quota_exceeded(_TABLES)


def advance(query: ProtectedQuery, store: RegionStore) -> None:
    """Moves an unfinished query on, as a read finds it: to its end, or one status with
    ``step_protected_queries`` (SUBMITTED -> STARTED -> SUCCESS/FAILED; CANCELLING ->
    CANCELLED). Hold :data:`..store.lock`."""
    if query.finished:
        return
    if query.status == "CANCELLING":
        finish(query, "CANCELLED", store)
    elif query.status == "SUBMITTED" and options.step_protected_queries:
        query.status = "STARTED"
    else:
        execute(query, store)
        finish(query, query.status, store)


def finish(query: ProtectedQuery, status: str, store: RegionStore) -> None:
    """``query`` ends ``status``: it no longer counts as running."""
    query.status = status
    store.adjust(_RUNNING, query.membership.id, -1)


def query_rows(query_id: str) -> list[dict[str, Any]]:
    """The result rows of protected query ``query_id`` (any region, any account), as the
    engine returned them: what ``CleanRoomsMock.query_result`` answers.

    An unfinished query is finished first, as GetProtectedQuery would (with
    ``step_protected_queries`` on, it must have finished: ValueError otherwise). Raises
    KeyError for an unknown id, ValueError for a query that did not succeed (its status and
    error in the message).
    """
    with lock:
        for store in list(state.regions.values()):
            query = store.table(ProtectedQuery).get(query_id)
            if query is None:
                continue
            if not options.step_protected_queries:
                advance(query, store)
            if query.status != "SUCCESS":
                error = query.error or {}
                detail = f": {error.get('code')} {error.get('message')}" if error else ""
                raise ValueError(f"Protected query {query_id} is {query.status}{detail}")
            return [dict(row) for row in query.rows]
    raise KeyError(f"No protected query {query_id} in any region of the mock")
