"""Seeding the mock from a JSON or YAML file, and saving its state to reload it later.

Each test is a usage example: write a seed file, load it inside ``mock_cleanrooms``, then look at
the state through boto3 clients of the accounts involved, as a test suite would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
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
from moto import mock_aws

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.seeding import SeedError, dump_state, load_state, save_state

COLLABORATION_ID = "11111111-2222-4333-8444-555555555555"
MEMBERSHIP_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
ACCOUNTS = (CREATOR, MEMBER_A, MEMBER_B, STRANGER)
REGIONS = ("us-east-1", "eu-west-1")
NEVER_JOINED = "555555555555"


def seed_collaboration(**overrides: Any) -> dict[str, Any]:
    """A seed entry: CREATOR's collaboration inviting A and B; A has joined."""
    entry: dict[str, Any] = {
        "id": COLLABORATION_ID,
        "creatorAccountId": CREATOR,
        **collaboration_params(),
        "tags": {"team": "ads"},
        "createTime": "2025-01-01T09:00:00Z",
        "memberships": [
            {
                "id": MEMBERSHIP_ID,
                "accountId": MEMBER_A,
                "queryLogStatus": "DISABLED",
                "createTime": "2025-01-02T09:00:00Z",
            }
        ],
    }
    entry.update(overrides)
    return entry


def seed(*collaborations: dict[str, Any], region: str = "us-east-1") -> dict[str, Any]:
    return {"version": 1, "regions": {region: {"collaborations": list(collaborations)}}}


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def answers(call: Callable[[], Any]) -> Any:
    """What a call answers, without the per-request metadata (request id, HTTP headers)."""
    try:
        response = call()
    except Exception:
        return error_of(call)["Error"]["Code"]
    response.pop("ResponseMetadata", None)
    return response


def everything_seen() -> dict[str, Any]:
    """Every account's view of every region: collaborations, members, memberships, tags."""
    seen: dict[str, Any] = {}
    for region in REGIONS:
        for account in ACCOUNTS:
            party = client(account, region=region)
            view: dict[str, Any] = {
                "collaborations": answers(party.list_collaborations),
                "memberships": answers(party.list_memberships),
            }
            for collaboration in view["collaborations"]["collaborationList"]:
                cid = collaboration["id"]
                view[cid] = {
                    "get": answers(partial(party.get_collaboration, collaborationIdentifier=cid)),
                    "members": answers(partial(party.list_members, collaborationIdentifier=cid)),
                    "tags": answers(
                        partial(party.list_tags_for_resource, resourceArn=collaboration["arn"])
                    ),
                }
            for membership in view["memberships"]["membershipSummaries"]:
                mid = membership["id"]
                view[mid] = {
                    "get": answers(partial(party.get_membership, membershipIdentifier=mid)),
                    "tags": answers(
                        partial(party.list_tags_for_resource, resourceArn=membership["arn"])
                    ),
                }
            seen[f"{region}/{account}"] = view
    return seen


# ---- seeding --------------------------------------------------------------------------------


def test_seed_from_a_json_file(tmp_path: Path) -> None:
    path = write_json(tmp_path / "seed.json", seed(seed_collaboration()))

    with mock_cleanrooms():
        [loaded] = load_state(path)
        assert loaded.id == COLLABORATION_ID

        creator, a, b, stranger = (client(x) for x in ACCOUNTS)
        [summary] = creator.list_collaborations()["collaborationList"]
        assert summary["id"] == COLLABORATION_ID
        assert summary["createTime"].isoformat() == "2025-01-01T09:00:00+00:00"
        assert summary["memberStatus"] == "INVITED"

        # the seeded membership is A's, with its id, and its member entry points at it
        [own] = a.list_memberships()["membershipSummaries"]
        assert own["id"] == MEMBERSHIP_ID
        assert own["arn"] == f"arn:aws:cleanrooms:us-east-1:{MEMBER_A}:membership/{MEMBERSHIP_ID}"
        membership = a.get_membership(membershipIdentifier=MEMBERSHIP_ID)["membership"]
        assert (membership["status"], membership["queryLogStatus"]) == ("ACTIVE", "DISABLED")
        members = {
            m["accountId"]: m
            for m in b.list_members(collaborationIdentifier=COLLABORATION_ID)["memberSummaries"]
        }
        assert {account: m["status"] for account, m in members.items()} == {
            CREATOR: "INVITED",
            MEMBER_A: "ACTIVE",
            MEMBER_B: "INVITED",
        }
        assert members[MEMBER_A]["membershipId"] == MEMBERSHIP_ID
        assert members[MEMBER_A]["updateTime"].isoformat() == "2025-01-02T09:00:00+00:00"
        assert creator.list_tags_for_resource(resourceArn=summary["arn"])["tags"] == {"team": "ads"}

        # the invited member joins as if the creator had invited it through the API
        joined = b.create_membership(
            collaborationIdentifier=COLLABORATION_ID, queryLogStatus="ENABLED"
        )["membership"]
        assert joined["collaborationName"] == "ads"
        # a stranger sees nothing of it
        assert stranger.list_collaborations()["collaborationList"] == []
        assert (
            error_of(lambda: stranger.get_collaboration(collaborationIdentifier=COLLABORATION_ID))[
                "Error"
            ]["Code"]
            == "AccessDeniedException"
        )


def test_seed_from_a_mapping_without_ids_or_times() -> None:
    entry = seed_collaboration(memberships=[{"accountId": CREATOR, "queryLogStatus": "ENABLED"}])
    for key in ("id", "createTime"):
        del entry[key]

    with mock_cleanrooms():
        [loaded] = load_state(seed(entry))

        [membership] = client(CREATOR).list_memberships()["membershipSummaries"]
        assert membership["collaborationId"] == loaded.id
        assert membership["memberAbilities"] == ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]


def test_seeding_adds_to_the_state_and_pages_in_creation_order(tmp_path: Path) -> None:
    second = seed_collaboration(
        id="22222222-2222-4333-8444-555555555555", name="second", memberships=[]
    )
    path = write_json(tmp_path / "seed.json", seed(seed_collaboration(), second))

    with mock_cleanrooms():
        creator = client(CREATOR)
        first = create_collaboration(creator, name="made-before")
        load_state(path)
        last = create_collaboration(creator, name="made-after")

        pages = creator.get_paginator("list_collaborations").paginate(
            PaginationConfig={"PageSize": 1}
        )
        names = [c["name"] for page in pages for c in page["collaborationList"]]
        assert names == ["made-before", "ads", "second", "made-after"]
        assert {first["id"], last["id"]}.isdisjoint({COLLABORATION_ID})


def test_seeding_under_moto_mock_aws(tmp_path: Path) -> None:
    path = write_json(tmp_path / "seed.json", seed(seed_collaboration()))
    with mock_aws():
        load_state(path)
        [own] = client(MEMBER_A).list_memberships()["membershipSummaries"]
        assert own["id"] == MEMBERSHIP_ID


def test_yaml_seed_file(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / "seed.yaml"
    path.write_text(
        f"""
version: 1
regions:
  us-east-1:
    collaborations:
      - id: {COLLABORATION_ID}
        creatorAccountId: "{CREATOR}"
        name: ads
        creatorDisplayName: Publisher
        creatorMemberAbilities: [CAN_QUERY, CAN_RECEIVE_RESULTS]
        queryLogStatus: ENABLED
        createTime: 2025-01-01T09:00:00Z     # a YAML timestamp
        members:
          - {{accountId: "{MEMBER_A}", displayName: Advertiser, memberAbilities: []}}
        memberships:
          - {{id: {MEMBERSHIP_ID}, accountId: "{MEMBER_A}", queryLogStatus: DISABLED}}
""",
        encoding="utf-8",
    )

    with mock_cleanrooms():
        load_state(path)
        [own] = client(MEMBER_A).list_memberships()["membershipSummaries"]
        assert own["id"] == MEMBERSHIP_ID
        assert own["collaborationId"] == COLLABORATION_ID
        saved = tmp_path / "saved.yml"
        save_state(saved)
        before = everything_seen()

    with mock_cleanrooms():
        load_state(saved)
        assert everything_seen() == before


# ---- dump, save and reload ------------------------------------------------------------------


def build_a_lived_in_state() -> None:
    """Every status the service can reach, tags, updates, two regions, interleaved joins."""
    creator, a, b = client(CREATOR), client(MEMBER_A), client(MEMBER_B)
    first = create_collaboration(creator, tags={"team": "ads"})["id"]
    invitees = [
        {"accountId": MEMBER_A, "displayName": "Advertiser", "memberAbilities": []},
        {"accountId": MEMBER_B, "displayName": "Measurer", "memberAbilities": []},
        {"accountId": NEVER_JOINED, "displayName": "Late", "memberAbilities": []},
    ]
    second = create_collaboration(creator, name="second", members=invitees)["id"]
    doomed = create_collaboration(creator, name="doomed")["id"]
    # B joins the second collaboration before the first: its list keeps that order
    b.create_membership(collaborationIdentifier=second, queryLogStatus="ENABLED")
    b.create_membership(collaborationIdentifier=first, queryLogStatus="ENABLED")
    own = creator.create_membership(collaborationIdentifier=first, queryLogStatus="ENABLED")
    creator.tag_resource(resourceArn=own["membership"]["arn"], tags={"mine": "yes"})
    left = a.create_membership(collaborationIdentifier=first, queryLogStatus="DISABLED")
    a.delete_membership(membershipIdentifier=left["membership"]["id"])  # A LEFT the first
    a.create_membership(collaborationIdentifier=second, queryLogStatus="DISABLED")
    creator.delete_member(collaborationIdentifier=first, accountId=MEMBER_B)  # B REMOVED
    creator.delete_member(collaborationIdentifier=second, accountId=MEMBER_B)
    creator.delete_member(collaborationIdentifier=second, accountId=NEVER_JOINED)
    creator.update_collaboration(collaborationIdentifier=second, description="renamed")
    # the doomed collaboration: A joins, then it is deleted (COLLABORATION_DELETED)
    a.create_membership(collaborationIdentifier=doomed, queryLogStatus="ENABLED")
    mine = creator.create_membership(collaborationIdentifier=doomed, queryLogStatus="ENABLED")
    creator.delete_collaboration(collaborationIdentifier=doomed)
    creator.delete_membership(membershipIdentifier=mine["membership"]["id"])  # the creator LEFT
    # another region, another creator
    b_west = client(MEMBER_B, region="eu-west-1")
    west = create_collaboration(
        b_west,
        creatorDisplayName="West",
        members=[{"accountId": CREATOR, "displayName": "Publisher", "memberAbilities": []}],
    )["id"]
    client(CREATOR, region="eu-west-1").create_membership(
        collaborationIdentifier=west, queryLogStatus="ENABLED"
    )


def test_dump_then_load_gives_every_account_the_same_answers(tmp_path: Path) -> None:
    with mock_cleanrooms():
        build_a_lived_in_state()
        before = everything_seen()
        document = dump_state()
        save_state(tmp_path / "state.json")

    assert json.loads(json.dumps(document)) == document  # JSON-serialisable as it is
    assert document["version"] == 1
    assert sorted(document["regions"]) == ["eu-west-1", "us-east-1"]
    doomed = document["regions"]["us-east-1"]["collaborations"][2]
    assert doomed["deleted"] is True
    assert {m["status"] for m in doomed["memberships"]} == {"COLLABORATION_DELETED"}

    with mock_cleanrooms():  # a new activation starts empty
        assert client(CREATOR).list_collaborations()["collaborationList"] == []
        load_state(tmp_path / "state.json")
        assert everything_seen() == before  # ids, statuses, timestamps and order included
        assert dump_state() == document
        # ... and the same text, key order included, so a saved state diffs cleanly
        assert json.dumps(dump_state()) == json.dumps(document)

    with mock_cleanrooms():  # the dict works as well as the file
        load_state(document)
        assert everything_seen() == before


def test_reloaded_state_keeps_the_rules() -> None:
    with mock_cleanrooms():
        build_a_lived_in_state()
        document = dump_state()

    with mock_cleanrooms():
        load_state(document)
        first = document["regions"]["us-east-1"]["collaborations"][0]["id"]
        # A left the first collaboration: re-joining is refused, as before the dump
        assert (
            error_of(
                lambda: client(MEMBER_A).create_membership(
                    collaborationIdentifier=first, queryLogStatus="ENABLED"
                )
            )["Error"]["Code"]
            == "AccessDeniedException"
        )


# ---- bad files ------------------------------------------------------------------------------


def load_error(path: Path) -> SeedError:
    with pytest.raises(SeedError) as caught:
        load_state(path)
    return caught.value


@pytest.mark.usefixtures("mock")
def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"version": 1,\n "regions": {\n', encoding="utf-8")

    message = str(load_error(path))

    assert str(path) in message
    assert "malformed JSON at line 3, column 1" in message


@pytest.mark.usefixtures("mock")
@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '{"version": 1, "regions": ' + "[" * 10000 + "]" * 10000 + "}",
            "arrays and objects are nested too deeply",
        ),
        ('{"version": NaN, "regions": {}}', "NaN is not a JSON value"),
        ('{"version": 1, "regions": {"us-east-1": Infinity}}', "Infinity is not a JSON value"),
        ('{"version": 1' + "0" * 5000 + "}", "a number has more digits than can be read"),
    ],
    ids=["nested", "NaN", "Infinity", "5000 digits"],
)
def test_json_python_reads_but_json_has_not_is_malformed(
    tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "seed.json"
    path.write_text(text, encoding="utf-8")

    message = str(load_error(path))

    assert str(path) in message
    assert f"malformed JSON: {says}" in message


@pytest.mark.parametrize(
    ("change", "entry", "field"),
    [
        ({"name": "x" * 101}, "collaborations[0]", "name"),
        ({"queryLogStatus": "SOMETIMES"}, "collaborations[0]", "queryLogStatus"),
        ({"creatorAccountId": "not-an-account"}, "collaborations[0]", "creatorAccountId"),
        ({"id": "not-a-uuid"}, "collaborations[0]", "id"),
        ({"queryLogStatsu": "ENABLED"}, "collaborations[0]", "queryLogStatsu"),
        (
            {"memberships": [{"accountId": MEMBER_A, "queryLogStatus": "LOUD"}]},
            "collaborations[0].memberships[0]",
            "queryLogStatus",
        ),
        (
            {"memberships": [{"accountId": STRANGER, "queryLogStatus": "ENABLED"}]},
            "collaborations[0].memberships[0]",
            "accountId",
        ),
        (
            {"memberships": [{"accountId": MEMBER_A, "queryLogStatus": "ENABLED", "status": "X"}]},
            "collaborations[0].memberships[0]",
            "status",
        ),
        ({"createTime": "yesterday"}, "collaborations[0]", "createTime"),
    ],
)
@pytest.mark.usefixtures("mock")
def test_an_invalid_entry_names_file_entry_and_field(
    tmp_path: Path, change: dict[str, Any], entry: str, field: str
) -> None:
    path = write_json(tmp_path / "seed.json", seed(seed_collaboration(**change)))

    error = load_error(path)

    message = str(error)
    assert str(path) in message
    assert f"regions.us-east-1.{entry}.{field}" in message
    assert [p.path for p in error.problems] == [f"regions.us-east-1.{entry}.{field}"]


@pytest.mark.usefixtures("mock")
def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    broken = seed_collaboration(name="", queryLogStatus="LOUD")
    document = seed(broken)
    document["regions"]["mars-north-1"] = {"collaborations": []}
    path = write_json(tmp_path / "seed.json", document)

    error = load_error(path)

    assert {p.path for p in error.problems} == {
        "regions.us-east-1.collaborations[0].name",
        "regions.us-east-1.collaborations[0].queryLogStatus",
        "regions.mars-north-1",
    }
    assert "unknown region 'mars-north-1'" in str(error)


@pytest.mark.usefixtures("mock")
def test_ids_must_be_unique_in_the_file_and_the_mock(tmp_path: Path) -> None:
    twice = seed(seed_collaboration(), seed_collaboration(memberships=[]))
    error = load_error(write_json(tmp_path / "twice.json", twice))
    assert str(error).endswith(
        f"regions.us-east-1.collaborations[1].id: {COLLABORATION_ID} is already used by "
        "regions.us-east-1.collaborations[0]"
    )

    path = write_json(tmp_path / "seed.json", seed(seed_collaboration()))
    load_state(path)
    again = load_error(path)
    assert {p.path for p in again.problems} == {
        "regions.us-east-1.collaborations[0].id",
        "regions.us-east-1.collaborations[0].memberships[0].id",
    }


@pytest.mark.usefixtures("mock")
def test_statuses_must_be_reachable(tmp_path: Path) -> None:
    members = [
        {"accountId": MEMBER_A, "displayName": "A", "memberAbilities": [], "status": "LEFT"},
        {"accountId": MEMBER_B, "displayName": "B", "memberAbilities": []},
    ]
    error = load_error(
        write_json(
            tmp_path / "seed.json", seed(seed_collaboration(members=members, memberships=[]))
        )
    )
    assert [p.path for p in error.problems] == [
        "regions.us-east-1.collaborations[0].members[0].status"
    ]
    assert "no membership" in str(error)

    live = [{"accountId": MEMBER_A, "queryLogStatus": "ENABLED", "status": "COLLABORATION_DELETED"}]
    error = load_error(
        write_json(tmp_path / "seed.json", seed(seed_collaboration(memberships=live)))
    )
    assert "is COLLABORATION_DELETED, but the collaboration is not" in str(error)


def test_a_failed_load_leaves_the_state_as_it_was(tmp_path: Path) -> None:
    # The second collaboration passes the model but breaks a rule of the service (a member who
    # only receives results must say where they go), found only when it is created.
    fine = seed_collaboration(
        id="22222222-2222-4333-8444-555555555555",
        name="fine",
        memberships=[{"id": MEMBERSHIP_ID, "accountId": MEMBER_B, "queryLogStatus": "ENABLED"}],
    )
    receiver = {
        "accountId": MEMBER_A,
        "displayName": "A",
        "memberAbilities": ["CAN_RECEIVE_RESULTS"],
    }
    refused = seed_collaboration(
        creatorMemberAbilities=["CAN_QUERY"],
        members=[receiver],
        memberships=[{"accountId": MEMBER_A, "queryLogStatus": "ENABLED"}],
    )
    path = write_json(tmp_path / "seed.json", seed(fine, refused))

    with mock_cleanrooms():
        create_collaboration(client(CREATOR), name="already-there")
        before = everything_seen()

        error = load_error(path)

        assert str(error) == (
            f"{path}: regions.us-east-1.collaborations[1].memberships[0]"
            ".defaultResultConfiguration: Member must not be null: a member who can receive "
            "results but cannot query must give a default result configuration."
        )
        assert everything_seen() == before
        b = client(MEMBER_B)
        gone = error_of(lambda: b.get_membership(membershipIdentifier=MEMBERSHIP_ID))
        assert gone["Error"]["Code"] == "ResourceNotFoundException"
        # the ids are free again: the corrected file loads
        del refused["memberships"]
        load_state(write_json(path, seed(fine, refused)))
        assert len(client(MEMBER_A).list_collaborations()["collaborationList"]) == 3
        [joined] = b.list_memberships()["membershipSummaries"]
        assert (joined["id"], joined["collaborationName"]) == (MEMBERSHIP_ID, "fine")


def test_quotas_apply_to_seeds(tmp_path: Path) -> None:
    entries = [
        seed_collaboration(id=f"{index:08d}-2222-4333-8444-555555555555", memberships=[])
        for index in range(3)
    ]
    path = write_json(tmp_path / "seed.json", seed(*entries))

    with mock_cleanrooms(quotas={"collaborations_per_account": 2}):
        error = load_error(path)
        assert "regions.us-east-1.collaborations[2]: ServiceQuotaExceededException" in str(error)
        assert client(CREATOR).list_collaborations()["collaborationList"] == []
        # the failed load gave back the places it took in the quota
        create_collaboration(client(CREATOR))
        create_collaboration(client(CREATOR), name="second")


def test_loading_needs_an_active_mock(tmp_path: Path) -> None:
    path = write_json(tmp_path / "seed.json", seed(seed_collaboration()))
    with pytest.raises(RuntimeError, match="needs an active mock"):
        load_state(path)


@pytest.mark.usefixtures("mock")
def test_yaml_file_without_pyyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleanrooms_mock.seeding.core._yaml", lambda: None)
    path = tmp_path / "seed.yml"
    path.write_text("version: 1\n", encoding="utf-8")
    assert "needs PyYAML" in str(load_error(path))


# ---- saving ---------------------------------------------------------------------------------


def test_save_state_replaces_the_file_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    target.write_text("old contents", encoding="utf-8")

    with mock_cleanrooms():
        create_collaboration(client(CREATOR))
        save_state(target)
        assert json.loads(target.read_text(encoding="utf-8")) == dump_state()
        assert os.listdir(tmp_path) == ["state.json"]  # no temporary file left behind

        # a failure while replacing leaves the previous file whole, and no temporary file
        saved = target.read_text(encoding="utf-8")
        create_collaboration(client(CREATOR), name="unsaved")

        def refuse(source: Any, destination: Any) -> None:
            raise OSError("disk on fire")

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(OSError, match="disk on fire"):
            save_state(target)
        assert target.read_text(encoding="utf-8") == saved
        assert os.listdir(tmp_path) == ["state.json"]
