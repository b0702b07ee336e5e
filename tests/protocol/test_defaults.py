"""What the service fills in when a request leaves a member out, and values it no longer takes.

Left out of CreateCollaboration, ``analyticsEngine`` is ``SPARK`` and ``isMetricsEnabled`` false;
left out of CreateMembership, ``isMetricsEnabled`` is false: in every answer whose shape has the
member, for every account, and in the saved state. ``jobLogStatus`` has a documented default that
AWS's recorded answers do not show, so it stays out. ``CLEAN_ROOMS_SQL`` is refused by the API
but still loads from a state document (legacy collaborations).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from botocore.model import StructureShape
from helpers import (
    CREATOR,
    MEMBER_A,
    MEMBER_B,
    STRANGER,
    client,
    collaboration_params,
    create_collaboration,
    error_of,
)

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.domain.service_defaults import (
    SERVICE_DEFAULTS,
    UNRETURNED_DEFAULTS,
    with_defaults,
)
from cleanrooms_mock.integration.service import implemented_operations
from cleanrooms_mock.protocol import withdrawn
from cleanrooms_mock.protocol.errors import ValidationError
from cleanrooms_mock.protocol.model import service_model
from cleanrooms_mock.protocol.shapes import FieldError, compile_validator
from cleanrooms_mock.protocol.withdrawn import check_available, retirements
from cleanrooms_mock.seeding import dump_state, load_state

LEGACY_ID = "11111111-2222-4333-8444-000000000001"
SPARK_ID = "11111111-2222-4333-8444-000000000002"


def seeded(collaboration_id: str, **overrides: Any) -> dict[str, Any]:
    """A state document: CREATOR's collaboration inviting A and B; CREATOR and A have joined."""
    entry = {
        "id": collaboration_id,
        "creatorAccountId": CREATOR,
        **collaboration_params(),
        "memberships": [
            {"accountId": CREATOR, "queryLogStatus": "ENABLED"},
            {"accountId": MEMBER_A, "queryLogStatus": "DISABLED"},
        ],
        **overrides,
    }
    return {"version": 1, "regions": {"us-east-1": {"collaborations": [entry]}}}


def every_view(collaboration_id: str, account: str) -> list[dict[str, Any]]:
    """``account``'s GetCollaboration answer and ListCollaborations entry for the collaboration."""
    party = client(account)
    got = party.get_collaboration(collaborationIdentifier=collaboration_id)["collaboration"]
    [listed] = [
        c for c in party.list_collaborations()["collaborationList"] if c["id"] == collaboration_id
    ]
    return [got, listed]


def validation_fields(call: Any) -> list[str]:
    """The ValidationException ``call`` earns: FIELD_VALIDATION_FAILED, and its field names."""
    error = error_of(call)
    assert error["Error"]["Code"] == "ValidationException"
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    return [field["name"] for field in error["fieldList"]]


# ---- collaborations ---------------------------------------------------------------------------


@pytest.mark.usefixtures("mock")
def test_a_collaboration_without_an_engine_runs_on_spark_in_every_view() -> None:
    creator = client(CREATOR)
    created = create_collaboration(creator)  # no analyticsEngine, no isMetricsEnabled

    assert created["analyticsEngine"] == "SPARK"
    assert created["isMetricsEnabled"] is False
    for account in (CREATOR, MEMBER_A, MEMBER_B):
        got, listed = every_view(created["id"], account)
        assert (got["analyticsEngine"], got["isMetricsEnabled"]) == ("SPARK", False)
        assert listed["analyticsEngine"] == "SPARK"
        assert "isMetricsEnabled" not in listed  # CollaborationSummary has no such member
    renamed = creator.update_collaboration(collaborationIdentifier=created["id"], name="renamed")
    assert renamed["collaboration"]["analyticsEngine"] == "SPARK"
    assert renamed["collaboration"]["isMetricsEnabled"] is False


@pytest.mark.usefixtures("mock")
@pytest.mark.parametrize(
    ("given", "metrics"),
    [
        ({"analyticsEngine": "SPARK"}, False),
        ({"isMetricsEnabled": True}, True),
        ({"isMetricsEnabled": False, "analyticsEngine": "SPARK"}, False),
    ],
)
def test_given_values_are_kept(given: dict[str, Any], metrics: bool) -> None:
    created = create_collaboration(client(CREATOR), **given)

    seen = client(MEMBER_A).get_collaboration(collaborationIdentifier=created["id"])
    for view in (created, seen["collaboration"]):
        assert (view["analyticsEngine"], view["isMetricsEnabled"]) == ("SPARK", metrics)


@pytest.mark.usefixtures("mock")
def test_job_logging_left_out_stays_out_of_the_answers() -> None:
    # documented "The default value is DISABLED", but AWS's recorded answers do not carry it
    created = create_collaboration(client(CREATOR))
    membership = client(MEMBER_A).create_membership(
        collaborationIdentifier=created["id"], queryLogStatus="ENABLED"
    )["membership"]

    assert "jobLogStatus" not in created
    assert "jobLogStatus" not in every_view(created["id"], MEMBER_B)[0]
    assert "jobLogStatus" not in membership
    logged = create_collaboration(client(CREATOR), jobLogStatus="ENABLED")
    assert logged["jobLogStatus"] == "ENABLED"


# ---- memberships ------------------------------------------------------------------------------


@pytest.mark.usefixtures("mock")
def test_a_membership_without_metrics_has_them_disabled_in_every_view() -> None:
    collaboration = create_collaboration(client(CREATOR), isMetricsEnabled=True)
    querier = client(CREATOR)  # the member who can query may enable metrics
    created = querier.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]

    got = querier.get_membership(membershipIdentifier=created["id"])["membership"]
    updated = querier.update_membership(
        membershipIdentifier=created["id"], queryLogStatus="DISABLED"
    )
    [listed] = querier.list_memberships()["membershipSummaries"]
    assert created["isMetricsEnabled"] is False
    assert got["isMetricsEnabled"] is False
    assert updated["membership"]["isMetricsEnabled"] is False
    assert "isMetricsEnabled" not in listed  # MembershipSummary has no such member
    other = create_collaboration(client(CREATOR), name="other", isMetricsEnabled=True)
    joined = querier.create_membership(
        collaborationIdentifier=other["id"],
        queryLogStatus="ENABLED",
        isMetricsEnabled=True,
    )["membership"]
    assert joined["isMetricsEnabled"] is True


# ---- the legacy engine ------------------------------------------------------------------------


@pytest.mark.usefixtures("mock")
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"isMetricsEnabled": True, "jobLogStatus": "ENABLED"},
        {"members": [], "tags": {"team": "ads"}},
    ],
)
def test_creating_on_the_legacy_engine_is_refused_and_stores_nothing(
    overrides: dict[str, Any],
) -> None:
    creator = client(CREATOR)
    before = dump_state()

    fields = validation_fields(
        lambda: creator.create_collaboration(
            **collaboration_params(analyticsEngine="CLEAN_ROOMS_SQL", **overrides)
        )
    )

    assert fields == ["analyticsEngine"]
    assert dump_state() == before
    assert creator.list_collaborations()["collaborationList"] == []
    assert client(MEMBER_A).list_collaborations()["collaborationList"] == []


@pytest.mark.usefixtures("mock")
def test_the_refusal_says_what_to_use_instead() -> None:
    error = error_of(
        lambda: client(CREATOR).create_collaboration(
            **collaboration_params(analyticsEngine="CLEAN_ROOMS_SQL")
        )
    )

    [field] = error["fieldList"]
    assert "CLEAN_ROOMS_SQL" in field["message"] and "no longer available" in field["message"]
    assert "use SPARK" in field["message"]
    assert "Value 'CLEAN_ROOMS_SQL' at 'analyticsEngine'" in error["Error"]["Message"]


def frozen_clock(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The local clock set to ``day``, as freezegun sets it: ``datetime.now()`` answers it."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:
            return cls(day.year, day.month, day.day, 12, tzinfo=tz)

    monkeypatch.setattr(withdrawn, "datetime", Frozen)


@pytest.mark.usefixtures("mock")
@pytest.mark.parametrize(
    "day", [date(1999, 12, 31), date(2024, 1, 1), date(2025, 7, 16), date(2025, 7, 17)], ids=str
)
def test_the_legacy_engine_is_refused_whatever_the_local_clock_says(
    monkeypatch: pytest.MonkeyPatch, day: date
) -> None:
    frozen_clock(monkeypatch, day)
    creator = client(CREATOR)
    created = create_collaboration(creator)

    for call in (
        lambda: creator.create_collaboration(
            **collaboration_params(analyticsEngine="CLEAN_ROOMS_SQL")
        ),
        lambda: creator.update_collaboration(
            collaborationIdentifier=created["id"], analyticsEngine="CLEAN_ROOMS_SQL"
        ),
    ):
        error = error_of(call)
        [field] = error["fieldList"]
        assert "no longer available since 2025-07-17" in field["message"]
    assert [c["id"] for c in creator.list_collaborations()["collaborationList"]] == [created["id"]]


@pytest.mark.parametrize(
    ("day", "since", "refused"),
    [
        (date(2024, 1, 1), date(2100, 1, 1), False),  # documented for a day still to come
        (date(2100, 1, 1), date(2100, 1, 1), True),
        (date(2024, 1, 1), date(2025, 7, 17), True),  # past for any clock: AWS has withdrawn it
        (date(2024, 1, 1), None, True),
    ],
)
def test_a_withdrawal_counts_from_its_day_but_never_comes_back(
    monkeypatch: pytest.MonkeyPatch, day: date, since: date | None, refused: bool
) -> None:
    frozen_clock(monkeypatch, day)
    listed = (("engine", ("OLD", "NEW"), {"OLD": since}),)

    if refused:
        with pytest.raises(ValidationError, match="OLD: it is no longer available"):
            check_available(listed, {"engine": "OLD"})
    else:
        check_available(listed, {"engine": "OLD"})
    check_available(listed, {"engine": "NEW"})


def test_refused_creations_use_no_quota() -> None:
    with mock_cleanrooms(quotas={"collaborations_per_account": 1}):
        creator = client(CREATOR)
        for _ in range(3):
            validation_fields(
                lambda: creator.create_collaboration(
                    **collaboration_params(analyticsEngine="CLEAN_ROOMS_SQL")
                )
            )

        assert create_collaboration(creator)["analyticsEngine"] == "SPARK"


@pytest.mark.usefixtures("mock")
@pytest.mark.parametrize(
    "changes",
    [
        {"analyticsEngine": "CLEAN_ROOMS_SQL"},
        {"analyticsEngine": "CLEAN_ROOMS_SQL", "name": "renamed", "description": "changed"},
    ],
)
def test_moving_a_collaboration_to_the_legacy_engine_is_refused(changes: dict[str, Any]) -> None:
    creator = client(CREATOR)
    created = create_collaboration(creator)
    before = dump_state()

    fields = validation_fields(
        lambda: creator.update_collaboration(collaborationIdentifier=created["id"], **changes)
    )

    assert fields == ["analyticsEngine"]
    assert dump_state() == before  # neither the engine nor the name changed, nor updateTime
    assert every_view(created["id"], CREATOR)[0] == created


@pytest.mark.usefixtures("mock")
@pytest.mark.parametrize("caller", [MEMBER_A, STRANGER])
def test_the_legacy_engine_is_refused_before_who_may_update_is_checked(caller: str) -> None:
    created = create_collaboration(client(CREATOR))

    fields = validation_fields(
        lambda: client(caller).update_collaboration(
            collaborationIdentifier=created["id"], analyticsEngine="CLEAN_ROOMS_SQL"
        )
    )

    assert fields == ["analyticsEngine"]
    assert every_view(created["id"], CREATOR)[0]["analyticsEngine"] == "SPARK"


def test_a_legacy_collaboration_loads_from_a_state_document() -> None:
    with mock_cleanrooms():
        load_state(seeded(LEGACY_ID, analyticsEngine="CLEAN_ROOMS_SQL"))

        for account in (CREATOR, MEMBER_A, MEMBER_B):
            for view in every_view(LEGACY_ID, account):
                assert view["analyticsEngine"] == "CLEAN_ROOMS_SQL"
        # it works as any other: renamed, joined
        renamed = client(CREATOR).update_collaboration(
            collaborationIdentifier=LEGACY_ID, name="still legacy"
        )["collaboration"]
        assert (renamed["name"], renamed["analyticsEngine"]) == ("still legacy", "CLEAN_ROOMS_SQL")
        joined = client(MEMBER_B).create_membership(
            collaborationIdentifier=LEGACY_ID, queryLogStatus="ENABLED"
        )["membership"]
        assert joined["collaborationName"] == "still legacy"
        [saved] = dump_state()["regions"]["us-east-1"]["collaborations"]
        assert saved["analyticsEngine"] == "CLEAN_ROOMS_SQL"


def test_a_legacy_collaboration_moves_to_spark_but_not_back() -> None:
    with mock_cleanrooms():
        load_state(seeded(LEGACY_ID, analyticsEngine="CLEAN_ROOMS_SQL"))
        creator = client(CREATOR)
        before = dump_state()

        # sending its own engine again is refused: the API no longer takes the value at all
        fields = validation_fields(
            lambda: creator.update_collaboration(
                collaborationIdentifier=LEGACY_ID, analyticsEngine="CLEAN_ROOMS_SQL"
            )
        )
        assert fields == ["analyticsEngine"]
        assert dump_state() == before

        moved = creator.update_collaboration(
            collaborationIdentifier=LEGACY_ID, analyticsEngine="SPARK"
        )["collaboration"]
        assert moved["analyticsEngine"] == "SPARK"
        assert every_view(LEGACY_ID, MEMBER_A)[1]["analyticsEngine"] == "SPARK"
        validation_fields(
            lambda: creator.update_collaboration(
                collaborationIdentifier=LEGACY_ID, analyticsEngine="CLEAN_ROOMS_SQL"
            )
        )
        assert every_view(LEGACY_ID, CREATOR)[0]["analyticsEngine"] == "SPARK"


# ---- seeding ----------------------------------------------------------------------------------


def test_a_state_document_gets_the_defaults_and_keeps_them_through_a_dump() -> None:
    with mock_cleanrooms():
        load_state(seeded(SPARK_ID))  # neither analyticsEngine nor isMetricsEnabled given

        got, listed = every_view(SPARK_ID, MEMBER_B)
        assert (got["analyticsEngine"], got["isMetricsEnabled"], listed["analyticsEngine"]) == (
            "SPARK",
            False,
            "SPARK",
        )
        [own] = client(MEMBER_A).list_memberships()["membershipSummaries"]
        membership = client(MEMBER_A).get_membership(membershipIdentifier=own["id"])
        assert membership["membership"]["isMetricsEnabled"] is False
        assert "jobLogStatus" not in membership["membership"]

        document = dump_state()
        [saved] = document["regions"]["us-east-1"]["collaborations"]
        assert (saved["analyticsEngine"], saved["isMetricsEnabled"]) == ("SPARK", False)
        assert "jobLogStatus" not in saved
        assert [m["isMetricsEnabled"] for m in saved["memberships"]] == [False, False]

    with mock_cleanrooms():
        load_state(document)
        assert dump_state() == document


def test_seeded_values_are_kept_as_given() -> None:
    document = seeded(
        SPARK_ID,
        analyticsEngine="SPARK",
        isMetricsEnabled=True,
        memberships=[{"accountId": CREATOR, "queryLogStatus": "ENABLED", "isMetricsEnabled": True}],
    )
    with mock_cleanrooms():
        load_state(document)

        [saved] = dump_state()["regions"]["us-east-1"]["collaborations"]
        assert saved["isMetricsEnabled"] is True
        assert saved["memberships"][0]["isMetricsEnabled"] is True
        [own] = client(CREATOR).list_memberships()["membershipSummaries"]
        got = client(CREATOR).get_membership(membershipIdentifier=own["id"])["membership"]
        assert got["isMetricsEnabled"] is True


# ---- the tables against the model -------------------------------------------------------------


def _structure(name: str) -> StructureShape:
    shape = service_model().shape_for(name)
    assert isinstance(shape, StructureShape)
    return shape


def _input(operation: str) -> StructureShape:
    shape = service_model().operation_model(operation).input_shape
    assert shape is not None
    return shape


def _documented_default(documentation: str) -> str | None:
    """The value of "The default value is <code>X</code>." in a member's documentation."""
    text = documentation.replace("<code>", "").replace("</code>", "")
    marker = "The default value is "
    if marker not in text:
        return None
    return text.split(marker, 1)[1].split(".", 1)[0].strip()


def test_every_default_names_a_member_of_its_input_and_output_with_a_valid_value() -> None:
    outputs = {"CreateCollaboration": "Collaboration", "CreateMembership": "Membership"}
    for default in SERVICE_DEFAULTS:
        member = _input(default.operation).members[default.member]
        assert default.member not in _input(default.operation).required_members
        output = _structure(outputs[default.operation]).members[default.member]
        errors: list[FieldError] = []
        compile_validator(output)(default.value, default.member, errors)
        compile_validator(member)(default.value, default.member, errors)
        assert errors == [], default
        assert default.source


def test_every_documented_creation_default_is_decided() -> None:
    # A default documented on an optional input of an implemented Create operation is either
    # filled in (with the documented value) or listed as not returned, with its evidence.
    filled = {(d.operation, d.member): d.value for d in SERVICE_DEFAULTS}
    for operation in implemented_operations():
        if not operation.startswith("Create"):
            continue  # an Update leaves out what it does not change
        shape = _input(operation)
        for name, member in shape.members.items():
            documented = _documented_default(member.documentation or "")
            if documented is None or name in shape.required_members:
                continue
            key = (operation, name)
            assert key in filled or key in UNRETURNED_DEFAULTS, f"undecided default: {key}"
            if key in filled:
                assert str(filled[key]).lower() == documented.lower(), key
    assert set(UNRETURNED_DEFAULTS).isdisjoint(filled)


def test_defaults_fill_only_what_is_left_out() -> None:
    given = {"queryLogStatus": "ENABLED", "analyticsEngine": None, "isMetricsEnabled": True}

    filled = with_defaults("CreateCollaboration", given)

    assert filled == {
        "queryLogStatus": "ENABLED",
        "analyticsEngine": "SPARK",
        "isMetricsEnabled": True,
    }
    assert given["analyticsEngine"] is None  # the caller's mapping is left alone
    assert with_defaults("GetCollaboration", {"collaborationIdentifier": "x"}) == {
        "collaborationIdentifier": "x"
    }


@pytest.mark.parametrize(
    ("documentation", "expected"),
    [
        (
            "<p>After July 16, 2025, the <code>CLEAN_ROOMS_SQL</code> parameter will no longer "
            "be available. </p>",
            {"CLEAN_ROOMS_SQL": date(2025, 7, 17)},
        ),
        (
            "After December 31, 2099, the <code>OLD</code> value will no longer be available.",
            {"OLD": date(2100, 1, 1)},
        ),
        ("The <code>LEGACY</code> parameter will no longer be available.", {"LEGACY": None}),
        ("After Smarch 3, 2025, the X parameter will no longer be available.", {"X": None}),
        ("After February 30, 2025, the X parameter will no longer be available.", {"X": None}),
        ("<p>The analytics engine.</p>", {}),
        (None, {}),
    ],
)
def test_withdrawn_values_are_read_from_the_documentation(
    documentation: str | None, expected: dict[str, date | None]
) -> None:
    assert retirements(documentation) == expected


def test_the_installed_model_withdraws_the_legacy_engine_from_both_operations() -> None:
    for operation in ("CreateCollaboration", "UpdateCollaboration"):
        member = _input(operation).members["analyticsEngine"]
        assert retirements(member.documentation) == {"CLEAN_ROOMS_SQL": date(2025, 7, 17)}
