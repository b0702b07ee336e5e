"""The pytest plugin (entry point ``pytest11``), loaded by pytest once the package is installed.

Loading it imports cleanrooms_mock before any test creates a boto3 session, so Clean Rooms calls
are always ours, under ``mock_cleanrooms`` and inside moto's ``mock_aws``. Each fixture is one
concept; the README's "Testing with pytest" shows them in use.

Account and region: ``@pytest.mark.cleanrooms(account=..., region=..., quotas={...})`` on a test,
class or module, else the ``cleanrooms_account`` / ``cleanrooms_region`` ini options, else
``MOTO_ACCOUNT_ID`` or moto's default account ``123456789012``, in ``us-east-1``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pytest

from .defaults import DEFAULT_REGION
from .faults import faults
from .mock import CleanRoomsMock, mock_cleanrooms

__all__ = [
    "SEED_CREATOR_ACCOUNT",
    "cleanrooms_client",
    "cleanrooms_client_for",
    "cleanrooms_collaboration",
    "cleanrooms_mock",
]

#: The account that creates seeded collaborations unless told otherwise (AWS's example account).
SEED_CREATOR_ACCOUNT = "111122223333"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("cleanrooms_account", "Account the Clean Rooms fixtures act as", default="")
    parser.addini("cleanrooms_region", "Region of the Clean Rooms fixtures", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cleanrooms(account=None, region=None, quotas=None): account, region and quotas of the "
        "cleanrooms_mock fixture for this test",
    )


@pytest.fixture
def cleanrooms_mock(request: pytest.FixtureRequest) -> Iterator[CleanRoomsMock]:
    """An active Clean Rooms mock for the test, empty at its start and discarded at its end."""
    marker = request.node.get_closest_marker("cleanrooms")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    account = options.get("account") or request.config.getini("cleanrooms_account")
    region = options.get("region") or request.config.getini("cleanrooms_region")
    with mock_cleanrooms(
        quotas=options.get("quotas"),
        account=account or None,  # None: MOTO_ACCOUNT_ID, else moto's default account
        region=region or DEFAULT_REGION,
    ) as mock:
        yield mock


@pytest.fixture
def cleanrooms_client(cleanrooms_mock: CleanRoomsMock) -> Any:
    """A boto3 ``cleanrooms`` client for the test's account and region."""
    return cleanrooms_mock.client()


@pytest.fixture
def cleanrooms_client_for(cleanrooms_mock: CleanRoomsMock) -> Callable[..., Any]:
    """``cleanrooms_client_for("222222222222")``: a client acting as another account."""
    return cleanrooms_mock.client


@pytest.fixture
def cleanrooms_collaboration(cleanrooms_mock: CleanRoomsMock) -> Callable[..., dict[str, Any]]:
    """A factory seeding a collaboration created by another account, with the test's invited.

    ``cleanrooms_collaboration(member_abilities=["CAN_QUERY"])`` returns what
    ``get_collaboration`` answers the invited account. Options: ``account`` (who is invited;
    default the test's), ``creator_account``, ``creator_abilities``, ``payment_configuration``
    (the invited member's), ``creator_payment_configuration``, ``query_log_status``,
    ``extra_members`` (more MemberSpecification entries), and any other CreateCollaboration
    input by its model name (``jobLogStatus=...``, ``tags=...``).
    """

    def seed(
        member_abilities: Iterable[str] = (),
        *,
        account: str | None = None,
        creator_account: str = SEED_CREATOR_ACCOUNT,
        creator_abilities: Iterable[str] | None = None,
        payment_configuration: Mapping[str, Any] | None = None,
        creator_payment_configuration: Mapping[str, Any] | None = None,
        query_log_status: str = "ENABLED",
        extra_members: Iterable[Mapping[str, Any]] = (),
        name: str = "seeded collaboration",
        **collaboration: Any,
    ) -> dict[str, Any]:
        abilities = list(member_abilities)
        invited = account or cleanrooms_mock.account
        if creator_abilities is None:  # one member can query: the invitee, or else the creator
            creator_abilities = (
                ["CAN_RECEIVE_RESULTS"] if "CAN_QUERY" in abilities else ["CAN_QUERY"]
            )
        member: dict[str, Any] = {
            "accountId": invited,
            "displayName": f"Member {invited}",
            "memberAbilities": abilities,
        }
        if payment_configuration is not None:
            member["paymentConfiguration"] = dict(payment_configuration)
        params: dict[str, Any] = {
            "name": name,
            "description": "Seeded by the cleanrooms_collaboration fixture",
            "creatorDisplayName": f"Creator {creator_account}",
            "creatorMemberAbilities": list(creator_abilities),
            "members": [member, *(dict(m) for m in extra_members)],
            "queryLogStatus": query_log_status,
            **collaboration,
        }
        if creator_payment_configuration is not None:
            params["creatorPaymentConfiguration"] = dict(creator_payment_configuration)
        with faults.suspended():  # seeding is set-up, not the code under test
            created = cleanrooms_mock.client(creator_account).create_collaboration(**params)
            seen = cleanrooms_mock.client(invited).get_collaboration(
                collaborationIdentifier=created["collaboration"]["id"]
            )
        result: dict[str, Any] = seen["collaboration"]
        return result

    return seed
