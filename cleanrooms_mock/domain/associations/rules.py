"""The rules of associations and their collaboration analysis rules: pure functions raising the
errors of :mod:`..errors`, each citing its source ("model" is the botocore ``cleanrooms``
model; "guide: x" the user guide page ``https://docs.aws.amazon.com/clean-rooms/latest/
userguide/x.html``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...protocol.errors import a_or_an
from ..collaborations.entities import Collaboration
from ..configured_tables.analysis_rules import rule_over_size
from ..errors import Conflict, FieldError, ValidationError
from ..quotas import quotas
from .entities import ConfiguredTableAssociation

__all__ = [
    "RESULT_RECEIVER_ABILITY",
    "association_name",
    "check_association_free",
    "check_collaboration_rule",
    "check_collaboration_rule_change",
    "check_rule_matches_table",
    "check_single_collaboration_rule",
]

#: The member ability that lets an account receive query results (model: MemberAbility).
RESULT_RECEIVER_ABILITY = "CAN_RECEIVE_RESULTS"
_ASSOCIATION = "CONFIGURED_TABLE_ASSOCIATION"


def association_name(name: str) -> str:
    """The name as stored and queried: "The name of the configured table association, in
    lowercase. The table is identified by this name when running protected queries" (model:
    ``ConfiguredTableAssociation.name``)."""
    return name.lower()


def check_association_free(
    name: str,
    configured_table_id: str,
    by_name: ConfiguredTableAssociation | None,
    by_table: ConfiguredTableAssociation | None,
) -> None:
    """A name is the table's name in queries and the schema's name, so it is unique within the
    collaboration (``by_name``: the association holding it); a configured table is associated
    to a collaboration once (``by_table``: its association there). Either is a
    ConflictException (ALREADY_EXISTS, resourceType CONFIGURED_TABLE_ASSOCIATION, the existing
    association's id) (model: ``name`` "is used to query the underlying configured table")."""
    if by_name is not None:
        raise Conflict(
            f"The collaboration already has a table named {name} (configured table association "
            f"{by_name.id}); choose another name.",
            reason="ALREADY_EXISTS",
            resource_type=_ASSOCIATION,
            resource_id=by_name.id,
        )
    if by_table is not None:
        raise Conflict(
            f"Configured table {configured_table_id} is already associated to this collaboration "
            f"as {by_table.name} (configured table association {by_table.id}).",
            reason="ALREADY_EXISTS",
            resource_type=_ASSOCIATION,
            resource_id=by_table.id,
        )


def check_single_collaboration_rule(association: ConfiguredTableAssociation) -> None:
    """An association has one collaboration analysis rule, as a configured table has one
    analysis rule (model: the rule is read back by type, "Currently, only one analysis rule can
    be created for a given configured table"): a second is a ConflictException
    (ALREADY_EXISTS)."""
    rule = association.analysis_rule
    if rule is not None:
        raise Conflict(
            f"Configured table association {association.id} already has {a_or_an(rule.type)} "
            "collaboration analysis rule; update or delete it instead.",
            reason="ALREADY_EXISTS",
            resource_type=_ASSOCIATION,
            resource_id=association.id,
        )


def check_rule_matches_table(association: ConfiguredTableAssociation, rule_type: str) -> None:
    """The collaboration analysis rule is added to a table that has its analysis rule, of the
    same type: "You add a collaboration analysis rule to a configured table after you've
    created a configured table, added an analysis rule, and associated it to a collaboration"
    (guide: add-collaboration-analysis-rule); the policy members are per type (model:
    ``ConfiguredTableAssociationAnalysisRulePolicyV1`` has list, aggregation and custom, as the
    table's). Raises ValidationError on ``analysisRuleType``."""
    table = association.configured_table
    rule = table.analysis_rule
    if rule is None:
        message = (
            f"Configured table {table.id} has no analysis rule: add it "
            f"(CreateConfiguredTableAnalysisRule) before the collaboration analysis rule."
        )
    elif rule.type != rule_type:
        message = (
            f"Configured table {table.id} has {a_or_an(rule.type)} analysis rule, so its "
            f"collaboration "
            f"analysis rule must be {rule.type}, not {rule_type}."
        )
    else:
        return
    raise ValidationError.for_field("analysisRuleType", message, rule_type)


def check_collaboration_rule(
    rule_type: str, policy: Mapping[str, Any], collaboration: Collaboration
) -> None:
    """Check a collaboration analysis rule's policy (Create/Update...AnalysisRule).

    - The ``v1`` member is the one ``analysisRuleType`` names (as for a configured table's
      analysis rule).
    - Each ``allowedResultReceivers`` entry is "a collaboration member who is allowed to receive
      results" (model: ``allowedResultReceivers``): an account the collaboration names as a
      member with the ability CAN_RECEIVE_RESULTS (guide: add-collaboration-analysis-rule, the
      console offers "Members allowed to receive results"), named once. One that left or was
      removed since is accepted and makes the schema NOT_READY (RESULT_RECEIVERS_NOT_ALLOWED).

    Raises ValidationError (FIELD_VALIDATION_FAILED) with one entry per fault.
    """
    member = rule_type.lower()
    v1 = policy.get("v1") or {}
    given = next(iter(v1), None)
    if given != member:
        raise ValidationError.for_field(
            "analysisRulePolicy.v1",
            f"analysisRuleType is {rule_type}, so the policy must be v1.{member}, not v1.{given}.",
            given,
        )
    body: Mapping[str, Any] = v1[member] or {}
    path = f"analysisRulePolicy.v1.{member}"
    faults: list[FieldError] = []
    for key in ("allowedResultReceivers", "allowedAdditionalAnalyses"):
        seen: set[str] = set()
        for index, value in enumerate(body.get(key) or []):
            if value in seen:
                faults.append(
                    FieldError(f"{path}.{key}[{index}]", f"{value} is listed twice.", value)
                )
            seen.add(value)
    for index, account in enumerate(body.get("allowedResultReceivers") or []):
        found = collaboration.member(account)
        if found is None or RESULT_RECEIVER_ABILITY not in found.abilities:
            why = "is not a member" if found is None else "cannot receive results"
            faults.append(
                FieldError(
                    f"{path}.allowedResultReceivers[{index}]",
                    f"Account {account} {why} of collaboration {collaboration.id}: result "
                    f"receivers must be members with the ability {RESULT_RECEIVER_ABILITY}.",
                    account,
                )
            )
    if faults:
        raise ValidationError(fields=faults)


def check_collaboration_rule_change(
    association: ConfiguredTableAssociation, rule_type: str, policy: Mapping[str, Any]
) -> None:
    """The checks Create and Update...AssociationAnalysisRule share: the rule's type is the
    configured table's analysis rule type as it is now (:func:`check_rule_matches_table`: the
    table's rule may have been replaced by one of another type since the collaboration rule
    was made), the policy is within the quota "Analysis rule size"
    (:func:`..configured_tables.analysis_rules.rule_over_size`; a ValidationException on
    ``analysisRulePolicy``: these operations declare no ServiceQuotaExceededException) and passes
    :func:`check_collaboration_rule` (model: the Update input
    is the Create input without the name; "under the creation rules"). Raises ValidationError.
    """
    if rule_over_size(policy):
        raise ValidationError.for_field(
            "analysisRulePolicy",
            f"The policy is larger than {quotas.analysis_rule_kilobytes} KB as JSON, the quota "
            "Analysis rule size; name fewer result receivers or additional analyses.",
        )
    check_rule_matches_table(association, rule_type)
    check_collaboration_rule(rule_type, policy, association.membership.collaboration)
