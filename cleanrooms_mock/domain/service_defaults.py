"""What the service fills in: the value AWS stores for an input member a creation leaves out.

One table for every family, each entry with its evidence (as :mod:`.quotas` is for limits). A
family's create operation calls :func:`with_defaults` on its inputs, so the stored state, its
dump, and every answer about the resource agree; the output shapes decide where a default shows
(``analyticsEngine`` is in Collaboration and CollaborationSummary, ``isMetricsEnabled`` in
Collaboration and Membership, not in their summaries). tests/protocol/test_defaults.py checks
both tables against the installed model: members exist in the input and output shapes, values
are valid, and a documented default ("The default value is ...") is either in
:data:`SERVICE_DEFAULTS`, with the documented value, or in :data:`UNRETURNED_DEFAULTS`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["SERVICE_DEFAULTS", "UNRETURNED_DEFAULTS", "ServiceDefault", "with_defaults"]


@dataclass(frozen=True)
class ServiceDefault:
    """A value the service stores for an input member a creation request leaves out."""

    #: The creation operation, and its input member (which the output shapes name alike).
    operation: str
    member: str
    value: Any
    #: Where we know it from: the model's documentation and recorded AWS answers.
    source: str


#: Every default the mock fills in, each with its evidence; listed only where evidence says AWS
#: returns it (the documented defaults AWS does not return are in UNRETURNED_DEFAULTS).
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

#: Values deepcopy() returns as they are.
_ATOMIC = (str, int, float, bool)

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
            value = default.value
            # deepcopy() returns a string, number or boolean itself: skip its dispatch (a
            # measurable part of CreateMembership, whose default is a boolean).
            filled[default.member] = value if isinstance(value, _ATOMIC) else copy.deepcopy(value)
    return filled
