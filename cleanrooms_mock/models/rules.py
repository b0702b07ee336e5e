"""Business rules of the real service that the model's shapes cannot express.

Each rule cites where AWS documents it; each failure is the ValidationException AWS answers,
naming the offending field as a constraint failure would.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from ..exceptions import ValidationError
from .entities import Collaboration, Member

__all__ = [
    "accept_payment",
    "check_metrics",
    "check_result_configuration",
    "check_single_querier",
    "check_tags",
    "merge_payment",
    "resolve_payers",
    "responsibilities",
]


def responsibilities(
    config: Mapping[str, Any] | None, prefix: str = ""
) -> Iterator[tuple[str, bool]]:
    """Yield (dimension path, isResponsible) for every payment dimension in ``config``.

    Walking the structure generically covers dimensions AWS adds later (jobCompute, the
    machine-learning ones) with the same "exactly one payer" rule.
    """
    for key, value in (config or {}).items():
        if not isinstance(value, Mapping):
            continue
        path = f"{prefix}.{key}" if prefix else key
        if "isResponsible" in value:
            yield path, value["isResponsible"]
        else:
            yield from responsibilities(value, path)


def resolve_payers(
    entries: list[tuple[str, list[str], dict[str, Any] | None]],
) -> list[dict[str, Any]]:
    """Apply the creator-side payment rules; return each member's effective configuration.

    ``entries`` are (input path, abilities, paymentConfiguration as given) for the creator and
    then each invited member.
    """
    payers: dict[str, list[str]] = {}
    for path, _abilities, config in entries:
        for dimension, responsible in responsibilities(config):
            if responsible:
                payers.setdefault(dimension, []).append(path)
    for dimension, paths in payers.items():
        if len(paths) > 1:
            raise ValidationError.for_field(
                f"{paths[1]}.{dimension}.isResponsible",
                f"Exactly one member can be configured to pay for {dimension} costs; "
                f"{len(paths)} members are ({', '.join(paths)}).",
                True,
            )
    resolved = []
    for path, abilities, config in entries:
        effective = copy.deepcopy(dict(config or {}))
        if "queryCompute" not in payers and "CAN_QUERY" in abilities:
            # Nobody named as payer: the member who can query pays, and may not be set not to.
            given = effective.get("queryCompute", {}).get("isResponsible")
            if given is False:
                raise ValidationError.for_field(
                    f"{path}.queryCompute.isResponsible",
                    "The member who can query pays for query compute when no other member is "
                    "configured to pay; it cannot be set to false.",
                    False,
                )
            effective["queryCompute"] = {"isResponsible": True}
        effective.setdefault("queryCompute", {"isResponsible": False})
        resolved.append(effective)
    return resolved


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


#: Tag keys with this prefix are reserved for AWS (AWS tagging rules).
_RESERVED_TAG_PREFIX = "aws:"
_MAX_TAGS = 200  # TagMap's "max" in the model: also the limit on a resource's tags in all


def check_tags(tags: Mapping[str, str], existing: Mapping[str, str] | None = None) -> None:
    """Tag keys may not start with ``aws:``; a resource holds at most 200 tags."""
    if not tags:
        return
    for key in tags:
        if key.lower().startswith(_RESERVED_TAG_PREFIX):
            raise ValidationError.for_field(
                "tags", f"Tag keys starting with '{_RESERVED_TAG_PREFIX}' are reserved.", key
            )
    total = len({**(existing or {}), **tags})
    if total > _MAX_TAGS:
        raise ValidationError.for_field(
            "tags", f"A resource can have at most {_MAX_TAGS} tags; this would make {total}."
        )


#: Abilities at most one member of a collaboration may hold ("the collaboration creator can
#: designate one member who can query or one member who can run queries and jobs", user guide,
#: "Collaborations and memberships in AWS Clean Rooms").
_SINGLE_HOLDER_ABILITIES = ("CAN_QUERY", "CAN_RUN_JOB")


def check_single_querier(abilities: list[tuple[str, list[str]]]) -> None:
    """At most one member can query, and at most one can run jobs.

    ``abilities`` are (input path, abilities) for the creator and then each invited member.
    """
    for ability in _SINGLE_HOLDER_ABILITIES:
        holders = [path for path, held in abilities if ability in held]
        if len(holders) > 1:
            raise ValidationError.for_field(
                holders[1],
                f"Only one member can have the ability {ability}; {len(holders)} members have it "
                f"({', '.join(holders)}).",
                ability,
            )
