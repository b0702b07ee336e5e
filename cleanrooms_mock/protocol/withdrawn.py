"""Enum values the model documents as withdrawn from an input member: read, dated and refused.

The model says it in a member's documentation, e.g. CreateCollaboration's and
UpdateCollaboration's ``analyticsEngine``: "After July 16, 2025, the <code>CLEAN_ROOMS_SQL</code>
parameter will no longer be available." Reading it from there refuses a value AWS withdraws in a
later model without code here. An API rule only: the dispatcher applies it to requests
(:meth:`.model.Operation.check_available`); a state document may still hold such values
(seeding restores legacy resources).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from botocore.model import StructureShape

from .errors import ValidationError

__all__ = ["Withdrawn", "check_available", "retirements", "withdrawn_members"]

#: Per top-level input member with withdrawn values: (member, its enum, value -> since).
Withdrawn = tuple[tuple[str, tuple[str, ...], dict[str, date | None]], ...]

#: The model's wording for an enum value withdrawn from an input member.
_NO_LONGER_AVAILABLE = re.compile(
    r"(?:After (?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4}), )?"
    r"the (?P<value>[A-Z][A-Z0-9_]*) (?:parameter|value) will no longer be available",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
#: A day certainly past whenever this code runs (it was written after it: the SQL reference
#: documents the end of the legacy engine's support on December 17, 2025). "Today" is never
#: earlier, so a local clock set back (freezegun, a wrong system date) cannot bring back a value
#: AWS has withdrawn: AWS decides by its own clock, not the client's.
_CERTAINLY_PAST = date(2025, 12, 17)
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


def withdrawn_members(shape: StructureShape | None) -> Withdrawn:
    """The members of an input shape with withdrawn enum values (see :func:`retirements`)."""
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


def check_available(withdrawn: Withdrawn, params: Mapping[str, Any]) -> None:
    """Refuse a value of ``params`` that ``withdrawn`` lists, once its date is past (by the
    local clock, but never earlier than a day this code knows is past: ``CLEAN_ROOMS_SQL``,
    withdrawn after July 16, 2025, is refused whatever the clock says).

    Raises ValidationError naming the member, the date and the values still available.
    """
    if not withdrawn:
        return
    today = max(datetime.now(timezone.utc).date(), _CERTAINLY_PAST)
    for member, enum, values in withdrawn:
        value = params.get(member)
        if not isinstance(value, str) or value not in values:
            continue
        since = values[value]
        if since is not None and today < since:
            continue
        available = [v for v in enum if v not in values]
        when = f" since {since.isoformat()}" if since is not None else ""
        instead = f"; use {' or '.join(available)}" if available else ""
        raise ValidationError.for_field(
            member, f"Member must not be {value}: it is no longer available{when}{instead}.", value
        )
