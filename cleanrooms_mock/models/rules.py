"""Business rules of the real service that the model's shapes cannot express.

Each rule cites where AWS documents it; each failure is the ValidationException AWS answers,
naming the offending field as a constraint failure would.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..exceptions import ValidationError
from .entities import Collaboration, Member

__all__ = [
    "SERVICE_DEFAULTS",
    "UNRETURNED_DEFAULTS",
    "ServiceDefault",
    "accept_payment",
    "check_available",
    "check_metrics",
    "check_result_configuration",
    "check_single_querier",
    "check_tags",
    "merge_payment",
    "resolve_payers",
    "responsibilities",
    "retirements",
    "with_defaults",
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


# ---- what the service fills in --------------------------------------------------------------


@dataclass(frozen=True)
class ServiceDefault:
    """A value the service stores for an input member a creation request leaves out."""

    #: The creation operation, and its input member (which the output shapes name alike).
    operation: str
    member: str
    value: Any
    #: Where we know it from: the model's documentation and recorded AWS answers.
    source: str


#: Every default the mock fills in, each with its evidence. Applied when a resource is created
#: (by a request or a state document), so the stored state, its dump, and every answer about the
#: resource agree; the output shapes decide where it shows (``analyticsEngine`` is in
#: Collaboration and CollaborationSummary, ``isMetricsEnabled`` in Collaboration and Membership,
#: not in their summaries). A default is listed only where evidence says AWS returns it; the
#: documented defaults AWS does not return are in UNRETURNED_DEFAULTS. tests/test_defaults.py checks
#: both tables against the installed model: members exist in the input and output shapes, values
#: are valid, and a documented default ("The default value is ...") is either here, with the
#: documented value, or there.
SERVICE_DEFAULTS: tuple[ServiceDefault, ...] = (
    ServiceDefault(
        "CreateCollaboration",
        "analyticsEngine",
        "SPARK",
        "hashicorp/terraform-provider-aws#43614 ('If omitted, AWS defaults to SPARK'); AWS's "
        "answers recorded by cloud-custodian (tests/data/placebo/test_cleanrooms_collaboration_*: "
        'GetCollaboration and ListCollaborations carry "analyticsEngine": "SPARK")',
    ),
    ServiceDefault(
        "CreateCollaboration",
        "isMetricsEnabled",
        False,
        "model documentation of CreateCollaboration.isMetricsEnabled ('The default value is "
        "false'); cloud-custodian's recorded GetCollaboration answers carry "
        '"isMetricsEnabled": false',
    ),
    ServiceDefault(
        "CreateMembership",
        "isMetricsEnabled",
        False,
        "model documentation of CreateMembership.isMetricsEnabled ('The default value is "
        "false'); cloud-custodian's recorded GetMembership answers "
        '(test_cleanrooms_membership_*) carry "isMetricsEnabled": false',
    ),
)

#: Defaults the model documents for creation inputs that AWS does not return: the member stays
#: out of the answers when the request left it out. (operation, member) -> the evidence.
UNRETURNED_DEFAULTS: dict[tuple[str, str], str] = {
    ("CreateCollaboration", "jobLogStatus"): (
        "documented 'The default value is DISABLED', but cloud-custodian's recorded "
        "GetCollaboration answers (test_cleanrooms_collaboration_*) have no jobLogStatus while "
        "they carry queryLogStatus, analyticsEngine and isMetricsEnabled"
    ),
    ("CreateMembership", "jobLogStatus"): (
        "documented 'The default value is DISABLED', but cloud-custodian's recorded "
        "GetMembership answers (test_cleanrooms_membership_*) have no jobLogStatus while they "
        "carry queryLogStatus and isMetricsEnabled"
    ),
}

_DEFAULTS_BY_OPERATION: dict[str, tuple[ServiceDefault, ...]] = {
    operation: tuple(d for d in SERVICE_DEFAULTS if d.operation == operation)
    for operation in {d.operation for d in SERVICE_DEFAULTS}
}


def with_defaults(operation_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` (input members of ``operation_name``) with SERVICE_DEFAULTS filled in.

    A member given as ``None`` counts as left out. The caller's mapping is not changed.
    """
    filled = dict(params)
    for default in _DEFAULTS_BY_OPERATION.get(operation_name, ()):
        if filled.get(default.member) is None:
            filled[default.member] = copy.deepcopy(default.value)
    return filled


# ---- values the service no longer accepts ---------------------------------------------------

#: The model's wording for an enum value withdrawn from an input member, e.g. "After July 16,
#: 2025, the <code>CLEAN_ROOMS_SQL</code> parameter will no longer be available."
_NO_LONGER_AVAILABLE = re.compile(
    r"(?:After (?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4}), )?"
    r"the (?P<value>[A-Z][A-Z0-9_]*) (?:parameter|value) will no longer be available",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
# English month names, whatever the process's locale (strptime's %B follows it).
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}


def retirements(documentation: str | None) -> dict[str, date | None]:
    """The values a member's documentation says will no longer be available, and from when.

    Returns value -> the first day it is unavailable (the day after the documented date), or
    None when the documentation gives no (readable) date: unavailable now.
    """
    text = " ".join(_TAG.sub(" ", documentation or "").split())
    found: dict[str, date | None] = {}
    for match in _NO_LONGER_AVAILABLE.finditer(text):
        since: date | None = None
        month = _MONTHS.get((match.group("month") or "").lower())
        if month is not None:
            try:
                since = date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:  # "February 30": no date
                since = None
            else:
                since += timedelta(days=1)
        found[match.group("value")] = since
    return found


@functools.cache
def _retired(
    operation_name: str,
) -> tuple[tuple[str, tuple[str, ...], dict[str, date | None]], ...]:
    """Per top-level input member with withdrawn values: (member, enum, value -> since)."""
    from ..service import service_model  # here: the service module imports this package

    shape = service_model().operation_model(operation_name).input_shape
    if shape is None:
        return ()
    found = []
    for name, member in shape.members.items():
        enum = tuple(getattr(member, "enum", None) or ())
        withdrawn = {
            value: since
            for value, since in retirements(member.documentation).items()
            if value in enum
        }
        if withdrawn:
            found.append((name, enum, withdrawn))
    return tuple(found)


def check_available(operation_name: str, params: Mapping[str, Any]) -> None:
    """Refuse an enum value the model documents as no longer available (once its date is past).

    Read from the documentation of the operation's input members, so a value AWS withdraws in a
    later model is refused without code here: today CreateCollaboration's and
    UpdateCollaboration's ``analyticsEngine`` ``CLEAN_ROOMS_SQL`` ("After July 16, 2025, the
    CLEAN_ROOMS_SQL parameter will no longer be available"). An API rule only: a state document
    may still hold such values (:mod:`..seeding`). Raises ValidationError naming the member.
    """
    today = datetime.now(timezone.utc).date()
    for member, enum, withdrawn in _retired(operation_name):
        value = params.get(member)
        if not isinstance(value, str) or value not in withdrawn:
            continue
        since = withdrawn[value]
        if since is not None and today < since:
            continue
        available = [v for v in enum if v not in withdrawn]
        when = f" since {since.isoformat()}" if since is not None else ""
        instead = f"; use {' or '.join(available)}" if available else ""
        raise ValidationError.for_field(
            member, f"Member must not be {value}: it is no longer available{when}{instead}.", value
        )
