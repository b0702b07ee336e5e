"""What StartProtectedQuery checks before it accepts a query: pure functions over the
collaboration, the membership and the input, raising the errors of :mod:`..errors`.

Sources: the model's ``StartProtectedQuery`` and its shapes (``ProtectedQuerySQLParameters``,
``ProtectedQueryOutputConfiguration``, ``ProtectedQueryS3OutputConfiguration.singleFileOutput``,
``ProtectedQueryDistributeOutputConfiguration``), the user guide's "Quotas in AWS Clean Rooms"
and "Payment configuration"; choices the documentation leaves open are README Assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..collaborations.entities import ACTIVE_MEMBER_STATUSES, Collaboration
from ..collaborations.rules import responsibilities
from ..errors import AccessDenied, ValidationError
from ..memberships.entities import Membership

__all__ = [
    "QUERY_TEXT_LIMITS",
    "check_query_text",
    "check_runner",
    "engine_of",
    "query_payer",
    "result_receivers",
]

#: The most characters of query text, by ``analyticsEngine`` (user guide, "Quotas in AWS Clean
#: Rooms": "Query text length on Spark analytics engine" 500 KB, "Query text length on Clean
#: Rooms SQL analytics engine" 90 KB; with differential privacy 8 KB). Not adjustable there.
QUERY_TEXT_LIMITS = {"SPARK": 500_000, "CLEAN_ROOMS_SQL": 90_000, "DIFFERENTIAL_PRIVACY": 8_000}
_QUERY = "CAN_QUERY"
_RECEIVE = "CAN_RECEIVE_RESULTS"
_SPARK_ONLY = "only supported for analyses with the Spark analytics engine"


def engine_of(collaboration: Collaboration) -> str:
    """The collaboration's ``analyticsEngine`` (``SPARK`` when not set: the service default)."""
    return str(collaboration.attributes.get("analyticsEngine") or "SPARK")


def check_runner(membership: Membership) -> None:
    """The membership's member must have the ability CAN_QUERY: "Only the member who can
    query can run queries" (user guide, "Querying"). AccessDeniedException, as the service
    answers an action a member's abilities do not allow (README Assumptions)."""
    member = membership.collaboration.member(membership.account_id)
    if member is None or _QUERY not in member.abilities:
        raise AccessDenied(
            f"Account {membership.account_id} is not allowed to run protected queries in "
            f"collaboration {membership.collaboration.id}: its member abilities do not include "
            f"{_QUERY}."
        )


def check_query_text(collaboration: Collaboration, sql_parameters: Mapping[str, Any]) -> None:
    """``sqlParameters`` holds ``queryString`` or ``analysisTemplateArn``, not both;
    ``parameters`` only with a template; the text within its engine's length limit."""
    text, template = sql_parameters.get("queryString"), sql_parameters.get("analysisTemplateArn")
    if (text is None) == (template is None):
        raise ValidationError.for_field(
            "sqlParameters",
            "Exactly one of queryString and analysisTemplateArn must be given.",
            dict(sql_parameters),
        )
    if text is not None and sql_parameters.get("parameters"):
        raise ValidationError.for_field(
            "sqlParameters.parameters",
            "Parameters can be given only with an analysisTemplateArn.",
            sql_parameters.get("parameters"),
        )
    engine = engine_of(collaboration)
    limit = QUERY_TEXT_LIMITS.get(engine, QUERY_TEXT_LIMITS["SPARK"])
    if text is not None and len(str(text)) > limit:
        raise ValidationError.for_field(
            "sqlParameters.queryString",
            f"Query text is {len(str(text))} characters long; the {engine} analytics engine "
            f"takes at most {limit}.",
            text,
        )


def query_payer(collaboration: Collaboration, runner: str, given: str | None) -> str:
    """The account that pays for the query's compute: ``queryComputePayerAccountId`` if given,
    which must be a member configured to pay for query compute (``paymentConfiguration
    .queryCompute.isResponsible``: the collaboration's payment configuration); else that
    member, the runner when none is (model: "the member who can query is the default
    payer").

    Raises :class:`AccessDenied` when every member configured to pay for query compute has
    left or been removed: user guide, "Removing a member": "If the member pays for query
    compute costs, this action stops all query execution in the collaboration" (the error is a
    README Assumption)."""
    designated = {
        account: member.status
        for account, member in collaboration.members.items()
        if any(
            responsible and path == "queryCompute"
            for path, responsible in responsibilities(member.payment_configuration)
        )
    }
    payers = [a for a, status in designated.items() if status in ACTIVE_MEMBER_STATUSES]
    if designated and not payers:
        gone = ", ".join(designated)
        raise AccessDenied(
            f"Query execution is stopped in collaboration {collaboration.id}: the member paying "
            f"for query compute costs ({gone}) is no longer in the collaboration."
        )
    if given is None:
        return payers[0] if payers else runner
    if given not in payers and not (given == runner and not payers):
        raise ValidationError.for_field(
            "queryComputePayerAccountId",
            f"Account {given} is not a member of collaboration {collaboration.id} configured to "
            "pay for query compute costs.",
            given,
        )
    return given


def _member_receives(collaboration: Collaboration, account: str, path: str) -> None:
    member = collaboration.member(account)
    if member is None or member.status != "ACTIVE" or _RECEIVE not in member.abilities:
        raise ValidationError.for_field(
            path,
            f"Account {account} is not an active member of collaboration {collaboration.id} "
            f"with the ability {_RECEIVE}.",
            account,
        )


def _check_s3(collaboration: Collaboration, s3: Mapping[str, Any], path: str) -> None:
    if "singleFileOutput" in s3 and engine_of(collaboration) != "SPARK":
        raise ValidationError.for_field(
            f"{path}.singleFileOutput", f"singleFileOutput is {_SPARK_ONLY}."
        )


def result_receivers(
    membership: Membership, result_configuration: Mapping[str, Any] | None
) -> tuple[dict[str, Any], list[str]]:
    """The result configuration that applies, and the accounts that receive the result.

    Without one, the membership's ``defaultResultConfiguration`` applies (model:
    ``Membership.defaultResultConfiguration``); without either, ValidationException. ``s3``
    goes to the runner, who must be able to receive results; ``member`` to that member (able
    to receive results, not the runner); ``distribute`` is Spark only, with at most one S3
    location and no member location of the runner (model:
    ``ProtectedQueryDistributeOutputConfiguration``).
    """
    collaboration, runner = membership.collaboration, membership.account_id
    path = "resultConfiguration.outputConfiguration"
    if result_configuration is None:
        default = membership.settings.get("defaultResultConfiguration")
        if not default:
            raise ValidationError.for_field(
                "resultConfiguration",
                "resultConfiguration is required: membership "
                f"{membership.id} has no defaultResultConfiguration.",
            )
        result_configuration = {"outputConfiguration": default["outputConfiguration"]}
    output = result_configuration["outputConfiguration"]
    given = [key for key in ("s3", "member", "distribute", "intermediateTable") if key in output]
    if len(given) != 1:
        raise ValidationError.for_field(
            path, "Exactly one of s3, member and distribute must be given."
        )
    kind = given[0]
    if kind == "intermediateTable":
        raise ValidationError.for_field(
            f"{path}.intermediateTable",
            "intermediateTable is set only for queries a PopulateIdMappingTable starts.",
        )
    if kind == "s3":
        _check_s3(collaboration, output["s3"], f"{path}.s3")
        _member_receives(collaboration, runner, f"{path}.s3")
        return dict(result_configuration), [runner]
    if kind == "member":
        account = output["member"]["accountId"]
        _member_receives(collaboration, account, f"{path}.member.accountId")
        return dict(result_configuration), [account]
    if engine_of(collaboration) != "SPARK":
        raise ValidationError.for_field(f"{path}.distribute", f"distribute is {_SPARK_ONLY}.")
    locations = output["distribute"]["locations"]
    receivers: list[str] = []
    s3_count = 0
    for number, location in enumerate(locations):
        where = f"{path}.distribute.locations[{number}]"
        if ("s3" in location) == ("member" in location):
            raise ValidationError.for_field(where, "Each location is one of s3 and member.")
        if "s3" in location:
            s3_count += 1
            _check_s3(collaboration, location["s3"], f"{where}.s3")
            _member_receives(collaboration, runner, f"{where}.s3")
            receivers.append(runner)
            continue
        account = location["member"]["accountId"]
        if account == runner:
            raise ValidationError.for_field(
                f"{where}.member.accountId",
                "You can't specify the query runner's account as a member location.",
                account,
            )
        _member_receives(collaboration, account, f"{where}.member.accountId")
        receivers.append(account)
    if s3_count > 1:
        raise ValidationError.for_field(
            f"{path}.distribute.locations", "You can't specify more than one S3 location."
        )
    return dict(result_configuration), list(dict.fromkeys(receivers))
