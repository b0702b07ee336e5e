"""The collaboration and membership lifecycle across four accounts, as a hypothesis state machine.

Hypothesis creates collaborations, joins, leaves, removes members, updates and deletes, as random
accounts, in random order; the machine keeps a small model of what AWS Clean Rooms should then
hold, predicts every answer (success, or exactly which error), and after every step checks what
each account sees: its collaborations and memberships (lists equal to Gets), members and
memberships whose statuses agree, and quotas never exceeded.

Small quotas make the quota paths common. ``CLEANROOMS_FUZZ_STEPS`` sets the steps per run,
``CLEANROOMS_FUZZ_EXAMPLES`` the runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError
from helpers import CREATOR, MEMBER_A, MEMBER_B, STRANGER, error_of
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from strategies import EXAMPLES, FUZZ, STEPS

from cleanrooms_mock import CleanRoomsMock, mock_cleanrooms

ACCOUNTS = [CREATOR, MEMBER_A, MEMBER_B, STRANGER]
QUOTAS = {
    "collaborations_per_account": 3,
    "members_per_collaboration": 2,
    "memberships_per_account": 2,
}
QUOTA_NAMES = {
    "collaborations_per_account": "Collaborations created per account",
    "members_per_collaboration": "Members invited per collaboration",
    "memberships_per_account": "Memberships per account",
}
#: Names the model allows (its pattern: printable text, not blank).
NAMES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), max_size=8).map(
    lambda text: "c" + text
)
#: Member statuses that still let an account see a collaboration.
VISIBLE = {"INVITED", "ACTIVE"}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
S3_RESULTS = {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "results-bucket"}}}
#: analyticsEngine as a request gives it: left out (the service fills in SPARK), SPARK, or the
#: legacy CLEAN_ROOMS_SQL, which the API no longer accepts (ValidationException, before any other
#: rule).
ENGINES = st.sampled_from([None, "SPARK", "CLEAN_ROOMS_SQL"])
RETIRED_ENGINE = "CLEAN_ROOMS_SQL"


@dataclass
class Collaboration:
    """What the machine expects of one collaboration."""

    id: str
    creator: str
    name: str
    #: Every member's status, the creator's included (INVITED until it joins).
    members: dict[str, str]
    #: Members who receive results without querying (they must say where results go).
    receivers: set[str]
    deleted: bool = False

    def visible_to(self, account: str) -> bool:
        return not self.deleted and self.members.get(account) in VISIBLE


def administers(account: str, collaboration: Collaboration | None) -> bool:
    """Only the creator of a live collaboration removes members, renames or deletes it."""
    return (
        collaboration is not None
        and collaboration.visible_to(account)
        and collaboration.creator == account
    )


@dataclass
class Membership:
    """What the machine expects of one membership."""

    id: str
    account: str
    collaboration: Collaboration
    query_log_status: str
    status: str = "ACTIVE"
    #: Its account left (DeleteMembership): gone from its lists, its member LEFT.
    left: bool = False


@dataclass
class Expected:
    """An answer the machine predicts: a success, or an error code (and quota)."""

    code: str | None = None
    quota: str | None = None


OK = Expected()


def refused(code: str, quota: str | None = None) -> Expected:
    return Expected(code, quota)


def call(expected: Expected, action: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """Run ``action``; the answer must be the one the model predicts."""
    event(f"expected: {expected.code or 'success'} {expected.quota or ''}".strip())
    try:
        response = action()
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code == expected.code, f"expected {expected.code or 'success'}, got {code}: {error}"
        if expected.quota is not None:
            assert error.response["quotaName"] == QUOTA_NAMES[expected.quota]
            assert error.response["quotaValue"] == QUOTAS[expected.quota]
        return None
    assert expected.code is None, f"expected {expected.code}, got success"
    return response


def pages(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list operation, two per page (pagination is part of what is checked)."""
    paginator = client.get_paginator(operation)
    items = [
        i for p in paginator.paginate(**params, PaginationConfig={"PageSize": 2}) for i in p[key]
    ]
    ids = [i.get("id") or i.get("accountId") for i in items]
    assert len(ids) == len(set(ids)), f"{operation} repeats items: {ids}"
    return items


def assert_summary_matches(summary: dict[str, Any], full: dict[str, Any]) -> None:
    """A list entry says what the Get says, member by member."""
    different = {k: (v, full.get(k)) for k, v in summary.items() if full.get(k) != v}
    assert not different, f"list and get disagree on {different}"


class CollaborationLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.mock: CleanRoomsMock = mock_cleanrooms(quotas=QUOTAS)
        self.mock.start()
        self.clients = {account: self.mock.client(account) for account in ACCOUNTS}
        self.collaborations: dict[str, Collaboration] = {}
        self.memberships: dict[str, Membership] = {}

    def teardown(self) -> None:
        self.mock.stop()

    # ---- what the model knows --------------------------------------------------------------

    def created_by(self, account: str) -> int:
        return sum(
            1 for c in self.collaborations.values() if c.creator == account and not c.deleted
        )

    def active_memberships(self, account: str) -> int:
        return sum(
            1
            for m in self.memberships.values()
            if m.account == account and m.status == "ACTIVE" and not m.left
        )

    def membership_of(self, account: str, collaboration: Collaboration) -> Membership | None:
        found = [
            m
            for m in self.memberships.values()
            if m.account == account and m.collaboration is collaboration
        ]
        return found[-1] if found else None

    def pick_collaboration(self, data: st.DataObject) -> tuple[str, Collaboration | None]:
        """Mostly a live collaboration; sometimes a deleted or an unknown one."""
        live = [c.id for c in self.collaborations.values() if not c.deleted]
        anything = st.sampled_from([*self.collaborations, UNKNOWN_ID])
        choices = st.one_of(st.sampled_from(live), anything) if live else anything
        collaboration_id = data.draw(choices, label="collaboration")
        return collaboration_id, self.collaborations.get(collaboration_id)

    def pick_membership(self, data: st.DataObject) -> tuple[str, Membership | None]:
        """Mostly a membership not left yet; sometimes a left or an unknown one."""
        kept = [m.id for m in self.memberships.values() if not m.left]
        anything = st.sampled_from([*self.memberships, UNKNOWN_ID])
        choices = st.one_of(st.sampled_from(kept), anything) if kept else anything
        membership_id = data.draw(choices, label="membership")
        return membership_id, self.memberships.get(membership_id)

    @staticmethod
    def pick_account(data: st.DataObject, likely: list[str], label: str) -> str:
        """Mostly an account that may act (``likely``), sometimes any account."""
        choices = st.sampled_from(ACCOUNTS)
        if likely:
            choices = st.one_of(st.sampled_from(likely), st.sampled_from(likely), choices)
        return data.draw(choices, label=label)

    # ---- rules -----------------------------------------------------------------------------

    # Two collaborations to start from: most rules need one, the quotas need a few.
    @initialize(data=st.data(), creator=st.sampled_from(ACCOUNTS), name=NAMES)
    def first_collaboration(self, data: st.DataObject, creator: str, name: str) -> None:
        self.create_collaboration(data, creator, name)

    @initialize(data=st.data(), creator=st.sampled_from(ACCOUNTS), name=NAMES)
    def second_collaboration(self, data: st.DataObject, creator: str, name: str) -> None:
        self.create_collaboration(data, creator, name)

    @rule(data=st.data(), creator=st.sampled_from(ACCOUNTS), name=NAMES)
    def create_collaboration(self, data: st.DataObject, creator: str, name: str) -> None:
        others = [a for a in ACCOUNTS if a != creator]
        invited = data.draw(st.lists(st.sampled_from(others), unique=True, max_size=3))
        receivers = data.draw(st.sets(st.sampled_from(invited))) if invited else set()
        engine = data.draw(ENGINES, label="analyticsEngine")
        if engine == RETIRED_ENGINE:
            expected = refused("ValidationException")
        elif len(invited) > QUOTAS["members_per_collaboration"]:
            expected = refused("ServiceQuotaExceededException", "members_per_collaboration")
        elif self.created_by(creator) >= QUOTAS["collaborations_per_account"]:
            expected = refused("ServiceQuotaExceededException", "collaborations_per_account")
        else:
            expected = OK

        response = call(
            expected,
            lambda: self.clients[creator].create_collaboration(
                name=name,
                description="stateful",
                creatorDisplayName=f"Creator {creator[:3]}",
                creatorMemberAbilities=["CAN_QUERY"],
                members=[
                    {
                        "accountId": account,
                        "displayName": f"Member {account[:3]}",
                        "memberAbilities": ["CAN_RECEIVE_RESULTS"] if account in receivers else [],
                    }
                    for account in invited
                ],
                queryLogStatus="ENABLED",
                **({"analyticsEngine": engine} if engine else {}),
            ),
        )

        if response is not None:
            created = response["collaboration"]
            assert (created["creatorAccountId"], created["memberStatus"]) == (creator, "INVITED")
            assert (created["analyticsEngine"], created["isMetricsEnabled"]) == ("SPARK", False)
            self.collaborations[created["id"]] = Collaboration(
                created["id"],
                creator,
                name,
                {creator: "INVITED"} | {account: "INVITED" for account in invited},
                receivers,
            )

    def has_live_collaborations(self) -> bool:
        return any(not c.deleted for c in self.collaborations.values())

    def has_memberships(self) -> bool:
        return any(not m.left for m in self.memberships.values())

    def open_invitations(self) -> list[tuple[str, str]]:
        """(collaboration, account) an account may join; the busiest accounts first (quota)."""
        invitations = [
            (c.id, account)
            for c in self.collaborations.values()
            if not c.deleted
            for account, status in c.members.items()
            if status == "INVITED"
        ]
        return sorted(invitations, key=lambda i: -self.active_memberships(i[1]))

    @precondition(lambda self: self.open_invitations())
    @rule(
        data=st.data(),
        query_log_status=st.sampled_from(["ENABLED", "DISABLED"]),
        says_where_results_go=st.booleans(),
    )
    def accept_an_invitation(
        self, data: st.DataObject, query_log_status: str, says_where_results_go: bool
    ) -> None:
        collaboration_id, account = data.draw(st.sampled_from(self.open_invitations()))
        self.join(collaboration_id, account, query_log_status, says_where_results_go)

    @precondition(lambda self: self.has_live_collaborations())
    @rule(
        data=st.data(),
        account=st.sampled_from(ACCOUNTS),
        query_log_status=st.sampled_from(["ENABLED", "DISABLED"]),
        says_where_results_go=st.booleans(),
    )
    def join_any_collaboration(
        self, data: st.DataObject, account: str, query_log_status: str, says_where_results_go: bool
    ) -> None:
        collaboration_id, _ = self.pick_collaboration(data)
        self.join(collaboration_id, account, query_log_status, says_where_results_go)

    def join(
        self,
        collaboration_id: str,
        account: str,
        query_log_status: str,
        says_where_results_go: bool,
    ) -> None:
        collaboration = self.collaborations.get(collaboration_id)
        if collaboration is None or not collaboration.visible_to(account):
            expected = refused("AccessDeniedException")
        elif collaboration.members[account] == "ACTIVE":
            expected = refused("ConflictException")
        elif self.active_memberships(account) >= QUOTAS["memberships_per_account"]:
            expected = refused("ServiceQuotaExceededException", "memberships_per_account")
        elif account in collaboration.receivers and not says_where_results_go:
            expected = refused("ValidationException")
        else:
            expected = OK
        extra = {"defaultResultConfiguration": S3_RESULTS} if says_where_results_go else {}

        response = call(
            expected,
            lambda: self.clients[account].create_membership(
                collaborationIdentifier=collaboration_id, queryLogStatus=query_log_status, **extra
            ),
        )

        if response is not None:
            assert collaboration is not None
            joined = response["membership"]
            assert (joined["collaborationId"], joined["status"]) == (collaboration_id, "ACTIVE")
            collaboration.members[account] = "ACTIVE"
            self.memberships[joined["id"]] = Membership(
                joined["id"], account, collaboration, query_log_status
            )

    @precondition(lambda self: self.has_memberships())
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        membership_id, membership = self.pick_membership(data)
        account = self.pick_account(data, [membership.account] if membership else [], "account")
        if membership is None or membership.account != account or membership.left:
            expected = refused("ResourceNotFoundException")
        elif membership.collaboration.creator == account and membership.status == "ACTIVE":
            expected = refused("ConflictException")
        else:
            expected = OK

        response = call(
            expected,
            lambda: self.clients[account].delete_membership(membershipIdentifier=membership_id),
        )

        if response is not None:
            assert membership is not None
            membership.left = True
            if membership.collaboration.members[account] == "ACTIVE":
                membership.collaboration.members[account] = "LEFT"

    @precondition(lambda self: self.has_live_collaborations())
    @rule(data=st.data())
    def remove_member(self, data: st.DataObject) -> None:
        collaboration_id, collaboration = self.pick_collaboration(data)
        caller = self.pick_account(data, [collaboration.creator] if collaboration else [], "caller")
        member = self.pick_account(
            data, list(collaboration.members) if collaboration else [], "member"
        )
        if collaboration is None or not administers(caller, collaboration):
            expected = refused("AccessDeniedException")
        elif member == caller or collaboration.members.get(member) not in VISIBLE:
            expected = refused("ValidationException")
        else:
            expected = OK

        response = call(
            expected,
            lambda: self.clients[caller].delete_member(
                collaborationIdentifier=collaboration_id, accountId=member
            ),
        )

        if response is not None:
            assert collaboration is not None
            collaboration.members[member] = "REMOVED"
            membership = self.membership_of(member, collaboration)
            if membership is not None:
                membership.status = "REMOVED"

    @precondition(lambda self: self.has_live_collaborations())
    @rule(data=st.data())
    def delete_collaboration(self, data: st.DataObject) -> None:
        collaboration_id, collaboration = self.pick_collaboration(data)
        caller = self.pick_account(data, [collaboration.creator] if collaboration else [], "caller")
        expected = OK if administers(caller, collaboration) else refused("AccessDeniedException")

        response = call(
            expected,
            lambda: self.clients[caller].delete_collaboration(
                collaborationIdentifier=collaboration_id
            ),
        )

        if response is not None:
            assert collaboration is not None
            collaboration.deleted = True
            for membership in self.memberships.values():
                if membership.collaboration is collaboration and membership.status == "ACTIVE":
                    membership.status = "COLLABORATION_DELETED"

    @precondition(lambda self: self.has_live_collaborations())
    @rule(data=st.data(), name=NAMES)
    def rename_collaboration(self, data: st.DataObject, name: str) -> None:
        collaboration_id, collaboration = self.pick_collaboration(data)
        caller = self.pick_account(data, [collaboration.creator] if collaboration else [], "caller")
        engine = data.draw(ENGINES, label="analyticsEngine")
        if engine == RETIRED_ENGINE:
            expected = refused("ValidationException")
        elif administers(caller, collaboration):
            expected = OK
        else:
            expected = refused("AccessDeniedException")

        response = call(
            expected,
            lambda: self.clients[caller].update_collaboration(
                collaborationIdentifier=collaboration_id,
                name=name,
                **({"analyticsEngine": engine} if engine else {}),
            ),
        )

        if response is not None:
            assert collaboration is not None
            assert response["collaboration"]["name"] == name
            assert response["collaboration"]["analyticsEngine"] == "SPARK"
            collaboration.name = name

    @precondition(lambda self: self.has_memberships())
    @rule(data=st.data(), query_log_status=st.sampled_from(["ENABLED", "DISABLED"]))
    def update_membership(self, data: st.DataObject, query_log_status: str) -> None:
        membership_id, membership = self.pick_membership(data)
        account = self.pick_account(data, [membership.account] if membership else [], "account")
        if membership is None or membership.account != account or membership.left:
            expected = refused("ResourceNotFoundException")
        elif membership.status != "ACTIVE":
            expected = refused("ConflictException")
        else:
            expected = OK

        response = call(
            expected,
            lambda: self.clients[account].update_membership(
                membershipIdentifier=membership_id, queryLogStatus=query_log_status
            ),
        )

        if response is not None:
            assert membership is not None
            assert response["membership"]["queryLogStatus"] == query_log_status
            membership.query_log_status = query_log_status

    # ---- invariants, after every step ------------------------------------------------------

    @invariant()
    def each_account_sees_exactly_its_collaborations(self) -> None:
        for account, client in self.clients.items():
            listed = pages(client, "list_collaborations", "collaborationList")
            expected = {c.id: c for c in self.collaborations.values() if c.visible_to(account)}
            assert {c["id"] for c in listed} == set(expected), account
            for summary in listed:
                model = expected[summary["id"]]
                assert summary["memberStatus"] == model.members[account]
                assert summary["name"] == model.name
                assert summary["analyticsEngine"] == "SPARK"  # the API creates no other
                got = client.get_collaboration(collaborationIdentifier=summary["id"])
                assert_summary_matches(summary, got["collaboration"])
            for hidden in self.collaborations.keys() - expected.keys():
                error = error_of(
                    lambda c=client, h=hidden: c.get_collaboration(collaborationIdentifier=h)
                )
                assert error["Error"]["Code"] == "AccessDeniedException"

    @invariant()
    def each_account_sees_exactly_its_memberships(self) -> None:
        for account, client in self.clients.items():
            listed = pages(client, "list_memberships", "membershipSummaries")
            expected = {
                m.id: m for m in self.memberships.values() if m.account == account and not m.left
            }
            assert {m["id"] for m in listed} == set(expected), account
            for summary in listed:
                model = expected[summary["id"]]
                assert summary["status"] == model.status
                assert summary["collaborationName"] == model.collaboration.name
                got = client.get_membership(membershipIdentifier=summary["id"])["membership"]
                assert_summary_matches(summary, got)
                assert got["queryLogStatus"] == model.query_log_status

    @invariant()
    def member_and_membership_statuses_agree(self) -> None:
        for account, client in self.clients.items():
            memberships = {
                m["id"]: m for m in pages(client, "list_memberships", "membershipSummaries")
            }
            for collaboration in self.collaborations.values():
                if not collaboration.visible_to(account):
                    continue
                members = pages(
                    client,
                    "list_members",
                    "memberSummaries",
                    collaborationIdentifier=collaboration.id,
                )
                assert {m["accountId"]: m["status"] for m in members} == collaboration.members
                for member in members:
                    if member["accountId"] != account:
                        continue
                    joined = memberships.get(member.get("membershipId", ""))
                    if member["status"] == "ACTIVE":
                        assert joined is not None and joined["status"] == "ACTIVE"
                    elif member["status"] == "INVITED":
                        assert "membershipId" not in member

    @invariant()
    def quotas_are_never_exceeded(self) -> None:
        for account, client in self.clients.items():
            collaborations = pages(client, "list_collaborations", "collaborationList")
            created = [c for c in collaborations if c["creatorAccountId"] == account]
            assert len(created) <= QUOTAS["collaborations_per_account"]
            active = pages(client, "list_memberships", "membershipSummaries", status="ACTIVE")
            assert len(active) <= QUOTAS["memberships_per_account"]
            for collaboration in created:
                members = pages(
                    client,
                    "list_members",
                    "memberSummaries",
                    collaborationIdentifier=collaboration["id"],
                )
                assert len(members) - 1 <= QUOTAS["members_per_collaboration"]


CollaborationLifecycle.TestCase.settings = settings(
    FUZZ, max_examples=EXAMPLES, stateful_step_count=STEPS
)
test_collaboration_lifecycle = CollaborationLifecycle.TestCase


@pytest.fixture(autouse=True)
def no_mock_left_active() -> Iterator[None]:
    """Every run of the machine stops the mock it started, pass or fail."""
    yield
    assert not CleanRoomsMock.active()
