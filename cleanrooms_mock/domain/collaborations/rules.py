"""Rules of the real service for collaborations that the model's shapes cannot express.

Each rule cites where AWS documents it; each failure is the ValidationException AWS answers,
naming the offending field as a constraint failure would.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import ValidationError

__all__ = [
    "check_invitations",
    "check_single_querier",
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


def check_invitations(creator: str, invited: list[dict[str, Any]]) -> None:
    """The creator is a member already; no account is invited twice (CreateCollaboration)."""
    seen: dict[str, int] = {}
    for index, spec in enumerate(invited):
        account = spec["accountId"]
        if account == creator:
            raise ValidationError.for_field(
                f"members[{index}].accountId",
                "The collaboration creator is a member already and must not be listed in members.",
                account,
            )
        if account in seen:
            raise ValidationError.for_field(
                f"members[{index}].accountId",
                f"Account {account} is listed twice (also at members[{seen[account]}]).",
                account,
            )
        seen[account] = index


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
