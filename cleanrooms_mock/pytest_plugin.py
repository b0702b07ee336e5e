"""The pytest plugin (entry point ``pytest11``), loaded by pytest once the package is installed.

Loading it imports cleanrooms_mock before any test creates a boto3 session, so Clean Rooms calls
are always ours, under ``mock_cleanrooms`` and inside moto's ``mock_aws``. Each fixture is one
concept; the README's "Testing with pytest" shows them in use.

Account and region: ``@pytest.mark.cleanrooms(account=..., region=..., quotas={...},
verify_glue_tables=False)`` on a test, class or module (merged, the closest marker's keywords
first; a test with the marker gets the ``cleanrooms_mock`` fixture even when it does not ask for
it), else the ``cleanrooms_account`` / ``cleanrooms_region`` / ``cleanrooms_verify_glue_tables``
ini options, else ``MOTO_ACCOUNT_ID`` or moto's default account ``123456789012``, in
``us-east-1``, Glue tables verified. Each is checked when pytest reads it: a bad ini option stops
the run, a bad marker fails the set-up of its tests, before any Clean Rooms call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pytest

from .defaults import DEFAULT_REGION
from .faults import faults
from .glue_tables import GlueTable, create_table
from .mock import CleanRoomsMock, mock_cleanrooms
from .settings import check_account, check_flag, check_quotas, check_region

__all__ = [
    "SEED_CREATOR_ACCOUNT",
    "cleanrooms_client",
    "cleanrooms_client_for",
    "cleanrooms_collaboration",
    "cleanrooms_mock",
    "cleanrooms_table",
]

#: The account that creates seeded collaborations unless told otherwise (AWS's example account).
SEED_CREATOR_ACCOUNT = "111122223333"


_MARKER = "cleanrooms"
_MARKER_OPTIONS = ("account", "region", "quotas", "verify_glue_tables", "step_protected_queries")
_MARKER_USAGE = (
    '@pytest.mark.cleanrooms(account="123456789012", region="us-east-1", '
    'quotas={"memberships_per_account": 2}, verify_glue_tables=False), each keyword optional'
)
_VERIFY_GLUE_INI = "cleanrooms_verify_glue_tables"
_STEP_QUERIES_INI = "cleanrooms_step_protected_queries"
_MARKER_CHECKS: dict[str, Callable[[object, str], Any]] = {
    "account": check_account,
    "region": check_region,
    "verify_glue_tables": check_flag,
    "step_protected_queries": check_flag,
}
_INI_CHECKS: dict[str, Callable[[object, str], str]] = {
    "cleanrooms_account": check_account,
    "cleanrooms_region": check_region,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("cleanrooms_account", "Account the Clean Rooms fixtures act as", default="")
    parser.addini("cleanrooms_region", "Region of the Clean Rooms fixtures", default="")
    parser.addini(
        _VERIFY_GLUE_INI,
        "Whether configured tables must name real Glue tables (true, the default, or false)",
        default="",
    )
    parser.addini(
        _STEP_QUERIES_INI,
        "Whether protected queries move one status per read (true, or false: the default)",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cleanrooms(account=None, region=None, quotas=None, verify_glue_tables=None): account, "
        "region, quotas and Glue table checks of the cleanrooms_mock fixture for this test",
    )
    # The ini options are checked when pytest reads them: a mistake stops the run at once.
    for option, check in _INI_CHECKS.items():
        value = config.getini(option)
        if value:
            try:
                check(value, f"the {option} ini option")
            except ValueError as error:
                source = f" (ini file {config.inipath})" if config.inipath else ""
                raise pytest.UsageError(f"{error}{source}") from None
    _verify_glue_ini(config)
    _flag_ini(config, _STEP_QUERIES_INI)


def _verify_glue_ini(config: pytest.Config) -> bool | None:
    """The ``cleanrooms_verify_glue_tables`` ini option: None when not set; true or false as
    pytest's boolean ini options spell them; anything else stops the run."""
    return _flag_ini(config, _VERIFY_GLUE_INI)


def _flag_ini(config: pytest.Config, name: str) -> bool | None:
    """The true-or-false ini option ``name``: None when not set; true or false as pytest's
    boolean ini options spell them; anything else stops the run."""
    text = str(config.getini(name)).strip().lower()
    if not text:
        return None
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    source = f" (ini file {config.inipath})" if config.inipath else ""
    raise pytest.UsageError(f"the {name} ini option must be true or false, not {text!r}{source}")


def _marker_settings(node: pytest.Item) -> dict[str, Any]:
    """The test's ``cleanrooms`` markers merged, the closest first (test, class, module).

    A closer marker's keywords win; ``quotas`` merge by quota name. A positional argument, an
    unknown keyword or a bad value fails the test's set-up with a message naming the marker.
    """
    settings: dict[str, Any] = {}
    quotas: dict[str, int] = {}
    for owner, marker in node.iter_markers_with_node(_MARKER):
        where = owner.nodeid or owner.name
        if marker.args:
            pytest.fail(
                f"@pytest.mark.cleanrooms on {where} takes keywords only, not {marker.args!r}: "
                f"{_MARKER_USAGE}",
                pytrace=False,
            )
        unknown = sorted(set(marker.kwargs) - set(_MARKER_OPTIONS))
        if unknown:
            pytest.fail(
                f"@pytest.mark.cleanrooms on {where}: unknown keyword {', '.join(unknown)}; "
                f"{_MARKER_USAGE}",
                pytrace=False,
            )
        problem = None
        for name, value in marker.kwargs.items():
            if value is None:  # as if not given (the marker's documented default)
                continue
            setting = f"@pytest.mark.cleanrooms({name}=...) on {where}"
            try:
                if name == "quotas":
                    for quota, limit in check_quotas(value, setting).items():
                        quotas.setdefault(quota, limit)
                elif name not in settings:
                    settings[name] = _MARKER_CHECKS[name](value, setting)
            except (TypeError, ValueError) as error:
                problem = str(error)
                break
        if problem is not None:
            pytest.fail(problem, pytrace=False)
    settings["quotas"] = quotas
    return settings


@pytest.fixture(autouse=True)
def _cleanrooms_marker(request: pytest.FixtureRequest) -> None:
    """A test carrying the ``cleanrooms`` marker gets the ``cleanrooms_mock`` fixture, as
    pytest-django's ``django_db`` marker gives a test the database: the marker is then always
    checked (a misspelt keyword fails the set-up) and the mock always active."""
    if request.node.get_closest_marker(_MARKER) is not None:
        request.getfixturevalue("cleanrooms_mock")


@pytest.fixture
def cleanrooms_mock(request: pytest.FixtureRequest) -> Iterator[CleanRoomsMock]:
    """An active Clean Rooms mock for the test, empty at its start and discarded at its end."""
    options = _marker_settings(request.node)
    account = options.get("account") or request.config.getini("cleanrooms_account")
    region = options.get("region") or request.config.getini("cleanrooms_region")
    verify = options.get("verify_glue_tables")
    step, config = options.get("step_protected_queries"), request.config
    with mock_cleanrooms(
        quotas=options["quotas"],
        account=account or None,  # None: MOTO_ACCOUNT_ID, else moto's default account
        region=region or DEFAULT_REGION,
        verify_glue_tables=verify if verify is not None else _verify_glue_ini(request.config),
        step_protected_queries=step if step is not None else _flag_ini(config, _STEP_QUERIES_INI),
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
        if account is not None:
            check_account(account, "cleanrooms_collaboration(account=...)")
        check_account(creator_account, "cleanrooms_collaboration(creator_account=...)")
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


@pytest.fixture
def cleanrooms_table(cleanrooms_mock: CleanRoomsMock) -> Callable[..., GlueTable]:
    """A factory: a Glue table with rows in S3, in the test's account and region.

    ``cleanrooms_table({"user_id": "string", "amount": "double"}, [("u1", 9.5)])`` creates a
    Glue database and table, writes the rows to moto's S3 at the table's location (CSV with a
    header row by default; ``format="parquet"`` or ``"json"``) and returns a
    :class:`~cleanrooms_mock.glue_tables.GlueTable` (database, table, location, bucket, keys,
    columns). Options: ``name``, ``database``, ``partition_keys``, ``format``, ``csv_serde``,
    ``account``, ``region``, ``bucket``, ``configure=True`` (or a mapping of
    CreateConfiguredTable inputs) to configure it in Clean Rooms too, and ``associate=<a
    collaboration id>`` (or a mapping of ``collaborationId`` and CreateConfiguredTableAssociation
    inputs) to configure it and associate it to that collaboration through the account's
    membership; see :func:`~cleanrooms_mock.glue_tables.create_table`.
    """
    return functools.partial(create_table, cleanrooms_mock)
