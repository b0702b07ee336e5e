"""The ``associate`` option of :func:`.create_table`: the configured table, associated to a
collaboration through its owner's membership (``create_configured_table_association``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

from ..faults import faults
from ..protocol.model import service_model

__all__ = [
    "InvalidFixtureInputs",
    "association_inputs",
    "check_associate",
    "check_inputs",
    "configure_in_clean_rooms",
    "membership_in",
]

_COLLABORATION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_USAGE = (
    "associate must be a collaboration id, or a mapping with 'collaborationId' and any "
    "CreateConfiguredTableAssociation inputs by model name (like {'collaborationId': id, "
    "'name': 'customers'}), not %r"
)


def check_associate(associate: object) -> dict[str, Any] | None:
    """``associate`` as a mapping with ``collaborationId``; None when it is None.

    Raises TypeError for anything but a string or a mapping with string keys, ValueError for a
    collaboration id that is not one (the model's ``CollaborationIdentifier``: a UUID) or a
    mapping that names the membership or the configured table (the fixture finds those).
    """
    if associate is None:
        return None
    if isinstance(associate, str):
        settings: dict[str, Any] = {"collaborationId": associate}
    elif isinstance(associate, Mapping) and all(isinstance(k, str) for k in associate):
        settings = dict(associate)
    else:
        raise TypeError(_USAGE % (associate,))
    collaboration = settings.get("collaborationId")
    if not isinstance(collaboration, str) or not _COLLABORATION_ID.fullmatch(collaboration):
        raise ValueError(
            f"associate: collaborationId must be a collaboration id (a UUID such as "
            f"CreateCollaboration answers), not {collaboration!r}"
        )
    named = sorted({"membershipIdentifier", "configuredTableIdentifier"} & set(settings))
    if named:
        raise ValueError(
            f"associate: leave out {', '.join(named)}: the fixture uses the owner's membership "
            "in the collaboration and the table it configures"
        )
    inputs = {key: value for key, value in settings.items() if key != "collaborationId"}
    check_inputs(
        "associate",
        "CreateConfiguredTableAssociation",
        {
            "name": "placeholder",
            "roleArn": "arn:aws:iam::111111111111:role/placeholder",
            **inputs,
            "membershipIdentifier": _PLACEHOLDER_ID,
            "configuredTableIdentifier": _PLACEHOLDER_ID,
        },
    )
    return settings


_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


class InvalidFixtureInputs(ValueError, ParamValidationError):  # type: ignore[misc]
    """A ``configure`` or ``associate`` mapping botocore would refuse: a ValueError of the
    fixture's argument, and the ``ParamValidationError`` the call itself would raise."""

    fmt = "{argument}: not valid {operation} inputs (model names, as boto3 takes them): {report}"

    def __init__(self, *, argument: str, operation: str, report: str) -> None:
        ParamValidationError.__init__(self, argument=argument, operation=operation, report=report)


def check_inputs(argument: str, operation: str, inputs: Mapping[str, Any]) -> None:
    """Check ``inputs`` of the model's ``operation`` as botocore will (unknown members, types,
    required members, lengths), before the fixture makes anything. Raises
    :class:`InvalidFixtureInputs` naming ``argument``, with botocore's report."""
    shape = service_model().operation_model(operation).input_shape
    report = ParamValidator().validate(dict(inputs), shape)
    if report.has_errors():
        raise InvalidFixtureInputs(
            argument=argument, operation=operation, report=report.generate_report()
        )


def membership_in(cleanrooms: Any, collaboration_id: str, account: str) -> str:
    """The id of ``account``'s ACTIVE membership in the collaboration (``cleanrooms`` is its
    client); ValueError saying how to join when it has none."""
    paginator = cleanrooms.get_paginator("list_memberships")
    for page in paginator.paginate(status="ACTIVE"):
        for membership in page["membershipSummaries"]:
            if membership["collaborationId"] == collaboration_id:
                membership_id: str = membership["id"]
                return membership_id
    raise ValueError(
        f"associate: account {account} has no ACTIVE membership in collaboration "
        f"{collaboration_id}; join it first (CreateMembership as {account})"
    )


def association_inputs(
    settings: Mapping[str, Any], membership_id: str, table: Mapping[str, Any], account: str
) -> dict[str, Any]:
    """CreateConfiguredTableAssociation's inputs: the settings' (but ``collaborationId``), the
    membership and the configured table; by default named as the configured table (in lower
    case: the name it is queried by), with the role ``cleanrooms-table-access`` of the owner."""
    inputs = {key: value for key, value in settings.items() if key != "collaborationId"}
    return {
        "name": table["name"].lower(),
        "roleArn": f"arn:aws:iam::{account}:role/cleanrooms-table-access",
        **inputs,
        "membershipIdentifier": membership_id,
        "configuredTableIdentifier": table["id"],
    }


def configure_in_clean_rooms(
    cleanrooms: Any,
    inputs: Mapping[str, Any],
    association: Mapping[str, Any] | None,
    membership_id: str | None,
    account: str,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Create the configured table (``inputs``), then, with ``association`` settings, its
    association through ``membership_id``: what each call answered. Set-up, not the code under
    test: injected faults do not apply. When Clean Rooms refuses the association, the
    configured table is deleted again before its error is raised."""
    with faults.suspended():
        configured: dict[str, Any] = cleanrooms.create_configured_table(**inputs)["configuredTable"]
        if association is None or membership_id is None:
            return configured, None
        try:
            associated: dict[str, Any] = cleanrooms.create_configured_table_association(
                **association_inputs(association, membership_id, configured, account)
            )["configuredTableAssociation"]
        except Exception:
            cleanrooms.delete_configured_table(configuredTableIdentifier=configured["id"])
            raise
    return configured, associated
