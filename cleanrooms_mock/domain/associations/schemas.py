"""Schemas: what the members of a collaboration see of an association, derived on every read.

A schema has no operation of its own that creates or changes it: its columns come from the
configured table and its data source as they are now, its status from the rules in place
(the table's analysis rule, the association's collaboration analysis rule, the collaboration's
analytics engine and members). Pure functions; sources cited as in :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..collaborations.entities import ACTIVE_MEMBER_STATUSES, Collaboration
from ..configured_tables.facts import TableFacts
from ..configured_tables.glue import glue_column_type
from ..errors import NotFound
from .entities import ConfiguredTableAssociation, Schema
from .rules import RESULT_RECEIVER_ABILITY

__all__ = [
    "UNKNOWN_COLUMN_TYPE",
    "consolidated_policy",
    "schema_analysis_rule",
    "schema_detail",
    "status_details",
]

#: The type of a column whose source type the mock cannot see (Glue checks off, a Glue table
#: dropped since, Databricks, a federated Athena catalog): Glue's and Spark SQL's text type.
UNKNOWN_COLUMN_TYPE = "string"
_ANY = frozenset({"ANY_QUERY", "ANY_JOB"})
#: Rules for the Clean Rooms SQL engine only: "Applies to: AWS Clean Rooms SQL analytics
#: engine" (guide: analysis-rules-aggregation, analysis-rules-list).
_SQL_ENGINE_ONLY = frozenset({"AGGREGATION", "LIST"})
_ADDITIONAL_ON = frozenset({"ALLOWED", "REQUIRED"})


def _reason(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def schema_detail(schema: Schema, facts: TableFacts) -> dict[str, Any]:
    """The Schema shape: the summary's members, plus ``columns`` (the table's allowed columns
    with their source types, in ``allowedColumns`` order), ``partitionKeys`` (the allowed ones
    among the Glue table's partition keys), ``description``, ``schemaStatusDetails`` and
    ``schemaTypeProperties`` (model: ``Schema``; column types are not in ``allowedColumns``, so
    they come from the source, ``facts``; Glue types as the catalog writes them,
    :func:`..configured_tables.glue.glue_column_type`, and one that is no type shows as
    :data:`UNKNOWN_COLUMN_TYPE`)."""
    association = schema.association
    types = facts.column_types or {}
    glue = facts.glue_table
    keys = {c.name.lower() for c in glue.partition_keys} if glue is not None else set()

    def column(name: str) -> dict[str, str]:
        kind = types.get(name.lower())
        shown = glue_column_type(kind) if glue is not None else kind  # Snowflake's as given
        return {"name": name, "type": shown or UNKNOWN_COLUMN_TYPE}

    allowed = facts.allowed_columns
    return {
        **schema.describe(association.account_id),
        "columns": [column(name) for name in allowed],
        "partitionKeys": [column(name) for name in allowed if name.lower() in keys],
        "description": association.description or "",
        "schemaStatusDetails": status_details(association),
        "schemaTypeProperties": {
            "configuredTableAssociation": {"configuredTableAssociationId": association.id}
        },
    }


def status_details(association: ConfiguredTableAssociation) -> list[dict[str, Any]]:
    """``schemaStatusDetails``: one DIRECT_ANALYSIS entry, and one ADDITIONAL_ANALYSIS entry
    when the table's rule allows additional analyses or the collaboration rule names some.

    DIRECT_ANALYSIS is NOT_READY, with the model's ``SchemaStatusReasonCode``, when:
    the table has no analysis rule (ANALYSIS_RULE_MISSING: "If there is no analysis rule
    configured, the configured table can be associated to collaborations but it can't be
    queried", guide: analysis-rules); its rule is AGGREGATION or LIST in a SPARK collaboration
    (those rules apply to the Clean Rooms SQL engine only, guide: analysis-rules-aggregation),
    or of another type than the collaboration rule (ANALYSIS_RULE_TYPES_NOT_COMPATIBLE); a CUSTOM
    rule allows ANY_QUERY/ANY_JOB with no provider among the collaboration's members
    (ANALYSIS_PROVIDERS_NOT_CONFIGURED) or no analysis template of this collaboration
    (ANALYSIS_TEMPLATES_NOT_CONFIGURED: templates "are visible and usable only in the
    collaboration where they were created", guide: analysis-rules-custom; "If left empty, the
    member who can query can't run queries"); differential privacy is on and the collaboration
    has no privacy budget template (DIFFERENTIAL_PRIVACY_POLICY_NOT_CONFIGURED; this mock has
    no privacy budget templates yet); there is no collaboration analysis rule
    (COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED: "You need to add a collaboration analysis rule
    if the table is configured to support direct analysis", guide: add-collaboration-analysis-
    rule); it names no result receiver (RESULT_RECEIVERS_NOT_CONFIGURED) or one that can no
    longer receive results, having left or been removed (RESULT_RECEIVERS_NOT_ALLOWED).

    ADDITIONAL_ANALYSIS is NOT_READY when the table's rule does not allow additional analyses
    (ADDITIONAL_ANALYSES_NOT_ALLOWED), there is no collaboration rule, or it names none
    (ADDITIONAL_ANALYSES_NOT_CONFIGURED).
    """
    table = association.configured_table
    collaboration = association.membership.collaboration
    table_rule, rule = table.analysis_rule, association.analysis_rule
    body: Mapping[str, Any] = table_rule.policy["v1"][table_rule.type.lower()] if table_rule else {}
    reasons: list[dict[str, str]] = []
    configurations: list[str] = []
    if table_rule is None:
        reasons.append(
            _reason(
                "ANALYSIS_RULE_MISSING",
                f"Configured table {table.id} has no analysis rule: it cannot be queried.",
            )
        )
    else:
        reasons += _compatibility(table_rule.type, rule.type if rule else None, collaboration)
        if table_rule.type == "CUSTOM":
            reasons += _custom_reasons(body, collaboration)
            if "differentialPrivacy" in body:
                configurations.append("DIFFERENTIAL_PRIVACY")
                reasons.append(
                    _reason(
                        "DIFFERENTIAL_PRIVACY_POLICY_NOT_CONFIGURED",
                        "Differential privacy is on for this table and the collaboration has no "
                        "privacy budget template.",
                    )
                )
    receivers = (rule.body.get("allowedResultReceivers") or []) if rule else []
    if rule is None:
        reasons.append(_no_collaboration_rule(association))
    elif not receivers:
        reasons.append(
            _reason(
                "RESULT_RECEIVERS_NOT_CONFIGURED",
                "The collaboration analysis rule names no member allowed to receive results.",
            )
        )
    else:
        gone = [a for a in receivers if not _can_receive(collaboration, a)]
        if gone:
            reasons.append(
                _reason(
                    "RESULT_RECEIVERS_NOT_ALLOWED",
                    f"Result receivers {', '.join(gone)} can no longer receive results in this "
                    "collaboration.",
                )
            )
    details = [_detail("DIRECT_ANALYSIS", reasons, table_rule.type if table_rule else None)]
    if configurations:
        details[0]["configurations"] = configurations
    additional = (rule.body.get("allowedAdditionalAnalyses") or []) if rule else []
    table_allows = body.get("additionalAnalyses") in _ADDITIONAL_ON
    if table_allows or additional:
        more: list[dict[str, str]] = []
        if not table_allows:
            more.append(
                _reason(
                    "ADDITIONAL_ANALYSES_NOT_ALLOWED",
                    f"The analysis rule of configured table {table.id} does not allow additional "
                    "analyses (additionalAnalyses).",
                )
            )
        elif rule is None:
            more.append(_no_collaboration_rule(association))
        elif not additional:
            more.append(
                _reason(
                    "ADDITIONAL_ANALYSES_NOT_CONFIGURED",
                    "The collaboration analysis rule allows no additional analysis "
                    "(allowedAdditionalAnalyses).",
                )
            )
        details.append(
            _detail("ADDITIONAL_ANALYSIS", more, table_rule.type if table_rule else None)
        )
    return details


def _detail(kind: str, reasons: list[dict[str, str]], rule_type: str | None) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "status": "NOT_READY" if reasons else "READY",
        "analysisType": kind,
    }
    if reasons:
        detail["reasons"] = reasons
    if rule_type is not None:
        detail["analysisRuleType"] = rule_type
    return detail


def _no_collaboration_rule(association: ConfiguredTableAssociation) -> dict[str, str]:
    return _reason(
        "COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED",
        f"Configured table association {association.id} has no collaboration analysis rule.",
    )


def _compatibility(
    table_type: str, rule_type: str | None, collaboration: Collaboration
) -> list[dict[str, str]]:
    engine = collaboration.attributes.get("analyticsEngine")
    if table_type in _SQL_ENGINE_ONLY and engine != "CLEAN_ROOMS_SQL":
        return [
            _reason(
                "ANALYSIS_RULE_TYPES_NOT_COMPATIBLE",
                f"{table_type} analysis rules apply to the Clean Rooms SQL analytics engine; "
                f"this collaboration's engine is {engine or 'SPARK'}: use a CUSTOM rule.",
            )
        ]
    if rule_type is not None and rule_type != table_type:
        return [
            _reason(
                "ANALYSIS_RULE_TYPES_NOT_COMPATIBLE",
                f"The table's analysis rule is {table_type} and its collaboration analysis rule "
                f"{rule_type}.",
            )
        ]
    return []


def _custom_reasons(body: Mapping[str, Any], collaboration: Collaboration) -> list[dict[str, str]]:
    analyses: list[str] = body.get("allowedAnalyses") or []
    if _ANY & set(analyses):
        providers = body.get("allowedAnalysisProviders") or []
        members = [p for p in providers if _is_member(collaboration, p)]
        if members:
            return []
        return [
            _reason(
                "ANALYSIS_PROVIDERS_NOT_CONFIGURED",
                "The CUSTOM analysis rule allows queries by providers, and none of "
                "allowedAnalysisProviders is a member of this collaboration.",
            )
        ]
    memberships = {
        m.membership.id for m in collaboration.members.values() if m.membership is not None
    }
    if any(_template_membership(arn) in memberships for arn in analyses):
        return []
    return [
        _reason(
            "ANALYSIS_TEMPLATES_NOT_CONFIGURED",
            "The CUSTOM analysis rule allows no analysis template of this collaboration.",
        )
    ]


def _template_membership(template_arn: str) -> str:
    """The membership id in ``arn:...:membership/<id>/analysistemplate/<id>`` (model:
    ``AnalysisTemplateArn``)."""
    _, _, rest = template_arn.partition(":membership/")
    return rest.partition("/")[0]


def _is_member(collaboration: Collaboration, account: str) -> bool:
    member = collaboration.member(account)
    return member is not None and member.status in ACTIVE_MEMBER_STATUSES


def _can_receive(collaboration: Collaboration, account: str) -> bool:
    member = collaboration.member(account)
    return _is_member(collaboration, account) and RESULT_RECEIVER_ABILITY in (
        member.abilities if member else []
    )


def consolidated_policy(association: ConfiguredTableAssociation) -> dict[str, Any] | None:
    """``consolidatedPolicy``: the table's analysis rule with the collaboration rule's
    ``allowedResultReceivers`` and ``allowedAdditionalAnalyses`` (model:
    ``ConsolidatedPolicyV1`` carries both); None without a table rule."""
    table_rule, rule = association.configured_table.analysis_rule, association.analysis_rule
    if table_rule is None:
        return None
    member = table_rule.type.lower()
    merged = dict(table_rule.policy["v1"][member])
    if rule is not None and rule.type == table_rule.type:
        merged.update(rule.body)
    return {"v1": {member: merged}}


def schema_analysis_rule(association: ConfiguredTableAssociation, rule_type: str) -> dict[str, Any]:
    """The AnalysisRule shape of GetSchemaAnalysisRule: the table's rule of ``rule_type`` as
    ``policy``, the association's rule as ``collaborationPolicy``, and both merged as
    ``consolidatedPolicy`` (model: ``AnalysisRule``).

    Raises NotFound (resourceType CONFIGURED_TABLE_ASSOCIATION, the schema's name) when the
    table has no rule of that type: the model's ``ResourceType`` has no value for schemas.
    """
    table_rule, rule = association.configured_table.analysis_rule, association.analysis_rule
    if table_rule is None or table_rule.type != rule_type:
        raise NotFound(
            "CONFIGURED_TABLE_ASSOCIATION",
            association.name,
            f"Schema {association.name} has no {rule_type} analysis rule.",
        )
    times = [table_rule.create_time, table_rule.update_time]
    if rule is not None:
        times += [rule.create_time, rule.update_time]
    return {
        "collaborationId": association.membership.collaboration.id,
        "type": rule_type,
        "name": association.name,
        "createTime": min(times[::2]),
        "updateTime": max(times[1::2]),
        "policy": table_rule.policy,
        "collaborationPolicy": rule.policy if rule is not None else None,
        "consolidatedPolicy": consolidated_policy(association),
    }
