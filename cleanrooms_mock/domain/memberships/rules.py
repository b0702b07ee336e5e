"""Rules of the real service for memberships that the model's shapes cannot express.

Each rule cites where AWS documents it; each failure is the ValidationException AWS answers,
naming the offending field as a constraint failure would. Payment rules read what the
collaboration's creator configured for the member (:mod:`..collaborations.rules`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..collaborations.entities import Collaboration, Member
from ..collaborations.rules import responsibilities
from ..errors import ValidationError

__all__ = [
    "accept_payment",
    "check_membership_settings",
    "check_metrics",
    "check_result_configuration",
    "merge_payment",
]


def accept_payment(member: Member, given: dict[str, Any] | None, field_name: str) -> dict[str, Any]:
    """The paymentConfiguration a membership accepts, checked against what the creator set."""
    if given is None:
        if "CAN_QUERY" in member.abilities:
            return member.payment_configuration
        configured = responsibilities(member.payment_configuration)
        pays = [dimension for dimension, responsible in configured if responsible]
        if pays:
            raise ValidationError.for_field(
                field_name,
                "paymentConfiguration is required: the collaboration creator configured this "
                f"member to pay for {', '.join(pays)} costs.",
            )
        # Shared with the member, not copied (a large store holds one per membership):
        # configurations are replaced on update, never changed in place.
        return member.payment_configuration
    expected = dict(responsibilities(member.payment_configuration))
    for dimension, accepted in responsibilities(given):
        if accepted != expected.get(dimension, False):
            responsible = "responsible" if expected.get(dimension, False) else "not responsible"
            raise ValidationError.for_field(
                f"{field_name}.{dimension}.isResponsible",
                f"Member must accept the payment responsibility the collaboration creator set: "
                f"this member is {responsible} for {dimension} costs.",
                accepted,
            )
    return copy.deepcopy(given)


def merge_payment(current: Mapping[str, Any] | None, update: Mapping[str, Any]) -> dict[str, Any]:
    """What UpdateMembership's ``membershipPaymentConfiguration`` leaves in place.

    Every member of its shape is optional (``UpdateMembershipPaymentConfiguration``, unlike the
    ``MembershipPaymentConfiguration`` it changes, whose ``queryCompute`` is required): an update
    names the costs it changes, and the others keep their settings.
    """
    merged = dict(current or {})
    for key, value in update.items():
        previous = merged.get(key)
        if isinstance(value, Mapping) and isinstance(previous, Mapping):
            merged[key] = merge_payment(previous, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def check_result_configuration(member: Member, settings: Mapping[str, Any]) -> None:
    # A member who receives results but cannot query must say where results go: nobody else
    # can (AWS's maintainers of the awscc Terraform provider, hashicorp/terraform-provider-awscc
    # #1904: "If you only have CAN_RECEIVE_RESULTS - You must provide the result config").
    receives_only = (
        "CAN_RECEIVE_RESULTS" in member.abilities and "CAN_QUERY" not in member.abilities
    )
    if receives_only and settings.get("defaultResultConfiguration") is None:
        raise ValidationError.for_field(
            "defaultResultConfiguration",
            "Member must not be null: a member who can receive results but cannot query must "
            "give a default result configuration.",
        )


def check_metrics(
    collaboration: Collaboration, member: Member, settings: Mapping[str, Any]
) -> None:
    """Metrics need a collaboration with metrics, and a member who can query or pays.

    Model documentation of ``CreateMembership.isMetricsEnabled``.
    """
    if not settings.get("isMetricsEnabled"):
        return
    if not collaboration.attributes.get("isMetricsEnabled"):
        raise ValidationError.for_field(
            "isMetricsEnabled",
            "Metrics can be enabled for a membership only when the collaboration has "
            "metrics enabled.",
            True,
        )
    pays = any(responsible for _, responsible in responsibilities(member.payment_configuration))
    if "CAN_QUERY" not in member.abilities and not pays:
        raise ValidationError.for_field(
            "isMetricsEnabled",
            "Metrics can be enabled only by a member who can query or is configured as a payer.",
            True,
        )


def check_membership_settings(
    collaboration: Collaboration, member: Member, settings: Mapping[str, Any]
) -> None:
    """The checks CreateMembership and UpdateMembership share, on the settings as they will be
    stored (Update: the stored ones with the changes merged in): :func:`check_metrics` and
    :func:`check_result_configuration`, against the collaboration and the member's abilities
    as they are now. Raises ValidationError."""
    check_metrics(collaboration, member, settings)
    check_result_configuration(member, settings)
