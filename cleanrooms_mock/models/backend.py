"""CleanRoomsBackend: Clean Rooms as one account sees it in one region.

One backend per (account, region) lives in moto's ``BackendDict``, so moto's account switching
and ``mock_aws`` resets apply unchanged. A collaboration is created by one account but seen by
every account it invites, so collaborations live once, in a registry per region that every
account's backend reads (never copies that could drift). A membership belongs to the account
that created it and is referenced, not copied, by its member entry.

Methods take the operation's input members (named as in the model) and return resources; rules
are broken by raising the typed errors of :mod:`..exceptions`. Nothing here knows HTTP.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from moto.core.base_backend import BackendDict, BaseBackend

from ..exceptions import AccessDenied, CleanRoomsError, Conflict, NotFound, ValidationError
from ..pagination import paginate
from .entities import ACTIVE_MEMBER_STATUSES, Collaboration, Member, Membership, new_id, now
from .quotas import quota_exceeded, quotas
from .rules import (
    accept_payment,
    check_available,
    check_metrics,
    check_result_configuration,
    check_single_querier,
    check_tags,
    merge_payment,
    resolve_payers,
    with_defaults,
)

__all__ = ["CleanRoomsBackend", "TaggableResource", "cleanrooms_backends", "reset_state"]


@dataclass
class _Region:
    """The collaborations of one region, shared by every account's backend there."""

    collaborations: dict[str, Collaboration] = field(default_factory=dict)
    #: Per account, the collaborations it created or was invited to, in creation order.
    by_account: dict[str, list[tuple[int, Collaboration]]] = field(default_factory=dict)
    sequence: itertools.count[int] = field(default_factory=itertools.count)


# Guards the registries and every mutation of shared state: calls may come from many threads.
_lock = threading.RLock()
_regions: dict[str, _Region] = {}


def reset_state() -> None:
    """Forget every collaboration, membership and account backend."""
    with _lock:
        _regions.clear()
        # moto caches every account's backend dict (an lru_cache on one of its methods): empty
        # them, or their stores would outlive the mock.
        for per_account in list(cleanrooms_backends.values()):
            per_account.clear()
        cleanrooms_backends.clear()


class CleanRoomsBackend(BaseBackend):
    """Clean Rooms as seen by one account in one region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.memberships: dict[str, Membership] = {}
        self._membership_order: list[tuple[int, Membership]] = []
        self._sequence = itertools.count()
        # What the quotas count, kept as counters so a create costs the same at 10 or 100k.
        #: Collaborations this account created that are not deleted.
        self._live_collaborations = 0
        #: ACTIVE memberships among self.memberships.
        self._active_memberships = 0
        #: ARNs of resources that had a tag removed (see :meth:`taggable_resources`).
        self._untagged: set[str] = set()

    def reset(self) -> None:
        """Called by moto's ``mock_aws`` resets: the shared region goes with the accounts."""
        with _lock:
            _regions.pop(self.region_name, None)
        super().reset()

    @property
    def _region(self) -> _Region:
        region = _regions.get(self.region_name)
        if region is None:
            with _lock:
                region = _regions.setdefault(self.region_name, _Region())
        return region

    # ---- collaborations -----------------------------------------------------------------

    def create_collaboration(
        self,
        params: dict[str, Any],
        *,
        resource_id: str | None = None,
        from_state: bool = False,
    ) -> Collaboration:
        """CreateCollaboration: the creator and the invited members, payment rules applied.

        Inputs left out get the service's defaults (:data:`.rules.SERVICE_DEFAULTS`), stored so
        that every view and a dump agree. ``resource_id`` fixes the new id, so that seeding keeps
        ids stable across a dump and a load (:mod:`..seeding`); the caller makes sure it is
        unused. ``from_state`` (seeding) accepts values the API no longer does, such as
        ``analyticsEngine`` ``CLEAN_ROOMS_SQL``: a legacy collaboration restored from a state
        document. Requests set neither.
        """
        if not from_state:
            check_available("CreateCollaboration", params)
        inputs = with_defaults("CreateCollaboration", params)
        invited = inputs.pop("members")
        creator_abilities = inputs.pop("creatorMemberAbilities")
        creator_ml = inputs.pop("creatorMLMemberAbilities", None)
        creator_name = inputs.pop("creatorDisplayName")
        creator_payment = inputs.pop("creatorPaymentConfiguration", None)
        tags = inputs.pop("tags", None) or {}
        if "autoApprovedChangeRequestTypes" in inputs:  # the output shape names it differently
            inputs["autoApprovedChangeTypes"] = inputs.pop("autoApprovedChangeRequestTypes")
        check_tags(tags)
        self._check_invitations(invited)
        check_single_querier(
            [("creatorMemberAbilities", creator_abilities)]
            + [
                (f"members[{i}].memberAbilities", m["memberAbilities"])
                for i, m in enumerate(invited)
            ]
        )
        if len(invited) > quotas.members_per_collaboration:
            raise quota_exceeded("members_per_collaboration")
        payments = resolve_payers(
            [("creatorPaymentConfiguration", creator_abilities, creator_payment)]
            + [
                (
                    f"members[{i}].paymentConfiguration",
                    spec["memberAbilities"],
                    spec.get("paymentConfiguration"),
                )
                for i, spec in enumerate(invited)
            ]
        )
        with _lock:
            region = self._region
            if self._live_collaborations >= quotas.collaborations_per_account:
                raise quota_exceeded("collaborations_per_account")
            timestamp = now()
            creator = Member(
                self.account_id,
                creator_name,
                list(creator_abilities),
                creator_ml,
                payments[0],
                timestamp,
                timestamp,
            )
            members = {self.account_id: creator}
            for spec, payment in zip(invited, payments[1:], strict=True):
                members[spec["accountId"]] = Member(
                    spec["accountId"],
                    spec["displayName"],
                    list(spec["memberAbilities"]),
                    spec.get("mlMemberAbilities"),
                    payment,
                    timestamp,
                    timestamp,
                )
            collaboration_id = resource_id or new_id()
            collaboration = Collaboration(
                id=collaboration_id,
                region=self.region_name,
                creator_account_id=self.account_id,
                creator_display_name=creator_name,
                attributes=inputs,
                members=members,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=next(region.sequence),
            )
            region.collaborations[collaboration_id] = collaboration
            self._live_collaborations += 1
            for account in members:
                region.by_account.setdefault(account, []).append((collaboration.seq, collaboration))
        return collaboration

    def _check_invitations(self, invited: list[dict[str, Any]]) -> None:
        seen: dict[str, int] = {}
        for index, spec in enumerate(invited):
            account = spec["accountId"]
            if account == self.account_id:
                raise ValidationError.for_field(
                    f"members[{index}].accountId",
                    "The collaboration creator is a member already and must not be listed in "
                    "members.",
                    account,
                )
            if account in seen:
                raise ValidationError.for_field(
                    f"members[{index}].accountId",
                    f"Account {account} is listed twice (also at members[{seen[account]}]).",
                    account,
                )
            seen[account] = index

    def _visible_collaboration(self, collaboration_id: str) -> Collaboration:
        """The collaboration, if this account created it or is invited to or active in it.

        For anything else (unknown id, deleted, never invited, left, removed) the real service
        answers AccessDeniedException rather than revealing whether the collaboration exists.
        """
        collaboration = self._region.collaborations.get(collaboration_id)
        member = collaboration.member(self.account_id) if collaboration else None
        if collaboration is None or member is None or member.status not in ACTIVE_MEMBER_STATUSES:
            raise AccessDenied(
                f"User {self.account_id} is not authorized to access collaboration "
                f"{collaboration_id} because it does not exist or the caller is not a member."
            )
        return collaboration

    def _owned_collaboration(self, collaboration_id: str, action: str) -> Collaboration:
        collaboration = self._visible_collaboration(collaboration_id)
        if collaboration.creator_account_id != self.account_id:
            raise AccessDenied(
                f"Only the creator of collaboration {collaboration_id} can {action}."
            )
        return collaboration

    def get_collaboration(self, collaboration_id: str) -> Collaboration:
        """GetCollaboration."""
        return self._visible_collaboration(collaboration_id)

    def list_collaborations(
        self, member_status: str | None, max_results: int | None, next_token: str | None
    ) -> tuple[list[Collaboration], str | None]:
        """ListCollaborations: those the caller created, is active in, or was invited to."""
        region = self._region

        def keep(collaboration: Collaboration) -> bool:
            status = collaboration.members[self.account_id].status
            return (
                collaboration.id in region.collaborations
                and status in ACTIVE_MEMBER_STATUSES
                and (member_status is None or status == member_status)
            )

        entries = region.by_account.get(self.account_id, [])
        scope = f"ListCollaborations/{self.account_id}/{member_status}"
        return paginate(entries, scope, max_results, next_token, keep)

    def update_collaboration(self, params: dict[str, Any]) -> Collaboration:
        """UpdateCollaboration: the creator changes the updatable fields of the model.

        A value the model documents as no longer available is refused before anything else,
        also when the collaboration already has it (a legacy ``CLEAN_ROOMS_SQL`` collaboration
        can move to ``SPARK``, not be set to ``CLEAN_ROOMS_SQL`` again).
        """
        check_available("UpdateCollaboration", params)
        changes = dict(params)
        collaboration_id = changes.pop("collaborationIdentifier")
        with _lock:
            collaboration = self._owned_collaboration(collaboration_id, "update it")
            collaboration.attributes.update(changes)
            collaboration.update_time = now()
        return collaboration

    def delete_collaboration(self, collaboration_id: str) -> None:
        """DeleteCollaboration: gone for everyone; every membership turns COLLABORATION_DELETED."""
        with _lock:
            collaboration = self._owned_collaboration(collaboration_id, "delete it")
            timestamp = now()
            for member in collaboration.members.values():
                if member.membership is not None and member.membership.status == "ACTIVE":
                    _end_membership(member.membership, "COLLABORATION_DELETED", timestamp)
            del self._region.collaborations[collaboration_id]
            self._live_collaborations -= 1

    # ---- members ------------------------------------------------------------------------

    def list_members(
        self, collaboration_id: str, max_results: int | None, next_token: str | None
    ) -> tuple[list[Member], str | None]:
        """ListMembers: the creator and every invited member, whatever their status."""
        collaboration = self._visible_collaboration(collaboration_id)
        entries = list(enumerate(collaboration.members.values()))
        scope = f"ListMembers/{self.account_id}/{collaboration_id}"
        return paginate(entries, scope, max_results, next_token)

    def delete_member(self, collaboration_id: str, account_id: str) -> None:
        """DeleteMember: the creator removes a member, whose membership turns REMOVED."""
        with _lock:
            collaboration = self._owned_collaboration(collaboration_id, "remove members")
            if account_id == self.account_id:
                raise ValidationError.for_field(
                    "accountId", "The collaboration creator cannot remove itself.", account_id
                )
            member = collaboration.members.get(account_id)
            if member is None or member.status not in ACTIVE_MEMBER_STATUSES:
                raise ValidationError.for_field(
                    "accountId",
                    f"Account {account_id} is not a member of collaboration {collaboration_id}.",
                    account_id,
                )
            timestamp = now()
            member.status = "REMOVED"
            member.update_time = timestamp
            if member.membership is not None:
                _end_membership(member.membership, "REMOVED", timestamp)

    # ---- memberships --------------------------------------------------------------------

    def create_membership(
        self, params: dict[str, Any], *, resource_id: str | None = None
    ) -> Membership:
        """CreateMembership: join a collaboration this account was invited to.

        Inputs left out get the service's defaults, as for :meth:`create_collaboration`;
        ``resource_id`` fixes the new id, as there.
        """
        settings = with_defaults("CreateMembership", params)
        collaboration_id = settings.pop("collaborationIdentifier")
        tags = settings.pop("tags", None) or {}
        check_tags(tags)
        with _lock:
            collaboration = self._visible_collaboration(collaboration_id)
            member = collaboration.members[self.account_id]
            if member.status == "ACTIVE" and member.membership is not None:
                raise Conflict(
                    f"Account {self.account_id} already has membership {member.membership.id} "
                    f"in collaboration {collaboration_id}.",
                    reason="ALREADY_EXISTS",
                    resource_type="MEMBERSHIP",
                    resource_id=member.membership.id,
                )
            if self._active_memberships >= quotas.memberships_per_account:
                raise quota_exceeded("memberships_per_account")
            settings["paymentConfiguration"] = accept_payment(
                member, settings.get("paymentConfiguration"), "paymentConfiguration"
            )
            check_metrics(collaboration, member, settings)
            check_result_configuration(member, settings)

            timestamp = now()
            membership_id = resource_id or new_id()
            membership = Membership(
                id=membership_id,
                account_id=self.account_id,
                collaboration=collaboration,
                settings=settings,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=next(self._sequence),
            )
            self.memberships[membership_id] = membership
            self._active_memberships += 1
            self._membership_order.append((membership.seq, membership))
            member.membership = membership
            member.status = "ACTIVE"
            member.update_time = timestamp
        return membership

    def get_membership(self, membership_id: str) -> Membership:
        """GetMembership: only this account's own memberships exist for it."""
        membership = self.memberships.get(membership_id)
        if membership is None:
            raise NotFound("MEMBERSHIP", membership_id)
        return membership

    def list_memberships(
        self, status: str | None, max_results: int | None, next_token: str | None
    ) -> tuple[list[Membership], str | None]:
        """ListMemberships: this account's memberships, oldest first."""

        def keep(membership: Membership) -> bool:
            return membership.id in self.memberships and (
                status is None or membership.status == status
            )

        scope = f"ListMemberships/{self.account_id}/{status}"
        return paginate(self._membership_order, scope, max_results, next_token, keep)

    def update_membership(self, params: dict[str, Any]) -> Membership:
        """UpdateMembership: every updatable field of the model, under the creation rules."""
        changes = dict(params)
        membership = self.get_membership(changes.pop("membershipIdentifier"))
        with _lock:
            if membership.status != "ACTIVE":
                raise Conflict(
                    f"Membership {membership.id} is {membership.status} and cannot be updated.",
                    reason="INVALID_STATE",
                    resource_type="MEMBERSHIP",
                    resource_id=membership.id,
                )
            collaboration = membership.collaboration
            member = collaboration.members[self.account_id]
            # UpdateMembership names it membershipPaymentConfiguration (botocore >= 1.44).
            payment = changes.pop("membershipPaymentConfiguration", None)
            settings = {**membership.settings, **changes}
            if payment is not None:
                merged = merge_payment(membership.settings.get("paymentConfiguration"), payment)
                settings["paymentConfiguration"] = accept_payment(
                    member, merged, "membershipPaymentConfiguration"
                )
            check_metrics(collaboration, member, settings)
            check_result_configuration(member, settings)
            membership.settings = settings
            membership.update_time = now()
        return membership

    def delete_membership(self, membership_id: str) -> None:
        """DeleteMembership: leave the collaboration for good (the member turns LEFT)."""
        with _lock:
            membership = self.get_membership(membership_id)
            collaboration = membership.collaboration
            if (
                collaboration.creator_account_id == self.account_id
                and membership.status == "ACTIVE"
            ):
                # The real service's words (terraform-provider-aws, cleanrooms/membership.go).
                raise Conflict(
                    "Cannot delete membership for the creator of the collaboration while their "
                    "membership is still ACTIVE",
                    reason="INVALID_STATE",
                    resource_type="MEMBERSHIP",
                    resource_id=membership_id,
                )
            member = collaboration.members[self.account_id]
            if member.status == "ACTIVE":
                member.status = "LEFT"
                member.update_time = now()
            self._forget(membership)

    # ---- undoing creations (a seed load that fails half-way) ----------------------------

    def forget(
        self,
        collaborations: Collection[Collaboration] = (),
        memberships: Collection[Membership] = (),
    ) -> None:
        """Remove collaborations and memberships this backend created, as if never created.

        For a seed load that fails half-way (:mod:`..seeding`): lists, indexes and quota counts
        are as they were before.
        """
        with _lock:
            for membership in memberships:
                self._forget(membership)
            gone = {id(membership) for membership in memberships}
            if gone:
                order = self._membership_order
                order[:] = [entry for entry in order if id(entry[1]) not in gone]
            region = self._region
            for collaboration in collaborations:
                if region.collaborations.get(collaboration.id) is collaboration:
                    del region.collaborations[collaboration.id]
                    self._live_collaborations -= 1
            removed = {id(collaboration) for collaboration in collaborations}
            accounts = {account for c in collaborations for account in c.members}
            for account in accounts:
                entries = region.by_account.get(account)
                if entries is not None:
                    entries[:] = [entry for entry in entries if id(entry[1]) not in removed]

    def _forget(self, membership: Membership) -> None:
        if self.memberships.get(membership.id) is membership:
            del self.memberships[membership.id]
            if membership.status == "ACTIVE":
                self._active_memberships -= 1

    # ---- tags ---------------------------------------------------------------------------

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, str]:
        """ListTagsForResource on a collaboration or membership ARN of this account."""
        return dict(self._taggable(resource_arn).tags)

    def tag_resource(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        """TagResource: add or overwrite tags."""
        with _lock:
            resource = self._taggable(resource_arn)
            check_tags(tags, resource.tags)
            resource.tags.update(tags)

    def untag_resource(self, resource_arn: str, keys: list[str]) -> None:
        """UntagResource: remove tags; keys the resource does not have are ignored."""
        with _lock:
            resource = self._taggable(resource_arn)
            if resource.tags:
                self._untagged.add(resource.arn)
            for key in keys:
                resource.tags.pop(key, None)

    def taggable_resources(self) -> Iterator[TaggableResource]:
        """Every resource whose tags this account may read and change here.

        What other AWS APIs see of Clean Rooms (the Resource Groups Tagging API,
        :mod:`..tagging_api`): the candidates are all this account's view holds, and the rule is
        TagResource's own (:meth:`_taggable`: a collaboration for its creator while it exists,
        a membership for its owner), applied as each one is reached, so one deleted meanwhile
        is left out. A new taggable resource family adds its candidates here.
        """
        region = self._region
        with _lock:
            candidates: list[Collaboration | Membership] = [
                entry[1] for entry in region.by_account.get(self.account_id, ())
            ]
            candidates.extend(self.memberships.values())
        for candidate in candidates:
            try:
                resource = self._taggable(candidate.arn)
            except CleanRoomsError:
                continue
            with _lock:
                tags = dict(resource.tags)
            yield TaggableResource(resource.arn, tags, bool(tags) or resource.arn in self._untagged)

    def _taggable(self, resource_arn: str) -> Collaboration | Membership:
        parts = resource_arn.split(":", 5)
        resource = parts[5] if len(parts) == 6 else ""
        kind, _, resource_id = resource.partition("/")
        resource_type = {"collaboration": "COLLABORATION", "membership": "MEMBERSHIP"}.get(kind)
        if resource_type is None:
            raise ValidationError.for_field(
                "resourceArn",
                "Member must be the ARN of a taggable Clean Rooms resource.",
                resource_arn,
            )
        found: Collaboration | Membership | None
        if kind == "collaboration":
            found = self._region.collaborations.get(resource_id)
        else:
            found = self.memberships.get(resource_id)
        if (
            found is None
            or found.arn != resource_arn
            or (isinstance(found, Collaboration) and found.creator_account_id != self.account_id)
        ):
            raise NotFound(resource_type, resource_arn)
        return found


class TaggableResource(NamedTuple):
    """A resource as :meth:`CleanRoomsBackend.taggable_resources` yields it."""

    arn: str
    #: A copy of its tags.
    tags: dict[str, str]
    #: True if it carries tags or ever carried one: the Resource Groups Tagging API's
    #: GetResources lists "all the tagged or previously tagged resources" (API reference).
    ever_tagged: bool


def _end_membership(membership: Membership, status: str, timestamp: datetime) -> None:
    """An ACTIVE membership turns REMOVED or COLLABORATION_DELETED (its owner's quota frees up)."""
    owner = cleanrooms_backends[membership.account_id][membership.collaboration.region]
    if owner.memberships.get(membership.id) is membership:
        owner._active_memberships -= 1
    membership.status = status
    membership.update_time = timestamp


cleanrooms_backends: BackendDict[CleanRoomsBackend] = BackendDict(CleanRoomsBackend, "cleanrooms")
