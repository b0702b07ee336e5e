"""The collaboration operations: create, read, list, update, delete; list and remove members.

Each public method is the model operation of the same name (botocore's ``xform_name``), served
by the protocol's dispatcher: keyword-only parameters for the input members it reads,
``**inputs`` for those it stores as given. Rules are broken by raising :mod:`..errors`.
"""

from __future__ import annotations

from typing import Any

from ..access import created_collaboration, visible_collaboration
from ..cascades import collaboration_deleted, member_removed
from ..errors import ValidationError
from ..pagination import Listing
from ..quotas import quota_exceeded, quotas
from ..resources import new_id, now
from ..service_defaults import with_defaults
from ..store import Scope, lock
from ..tags import check_tags
from .entities import ACTIVE_MEMBER_STATUSES, Collaboration, Member
from .rules import check_invitations, check_single_querier, resolve_payers

__all__ = ["CollaborationOps"]


class CollaborationOps(Scope):
    """The operations of the collaborations family."""

    def create_collaboration(
        self,
        *,
        members: list[dict[str, Any]],
        creator_member_abilities: list[str],
        creator_display_name: str,
        creator_ml_member_abilities: dict[str, Any] | None = None,
        creator_payment_configuration: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
        auto_approved_change_request_types: list[str] | None = None,
        fixed_id: str | None = None,
        **inputs: Any,
    ) -> Collaboration:
        """CreateCollaboration: the creator and the invited members, payment rules applied.

        Inputs left out get the service's defaults (:data:`..service_defaults.SERVICE_DEFAULTS`),
        stored so that every view and a dump agree. ``fixed_id`` (not a model member) fixes the
        new id, so that seeding keeps ids stable across a dump and a load; the caller makes sure
        it is unused. Requests never set it. Values the API no longer takes (``analyticsEngine``
        ``CLEAN_ROOMS_SQL``) are refused by the protocol before this runs, so a state document
        can still restore a legacy collaboration.
        """
        inputs = with_defaults("CreateCollaboration", inputs)
        invited = members
        if auto_approved_change_request_types is not None:  # the output shape's name for it
            inputs["autoApprovedChangeTypes"] = auto_approved_change_request_types
        tags = tags or {}
        check_tags(tags)
        check_invitations(self.account_id, invited)
        check_single_querier(
            [("creatorMemberAbilities", creator_member_abilities)]
            + [
                (f"members[{i}].memberAbilities", m["memberAbilities"])
                for i, m in enumerate(invited)
            ]
        )
        if len(invited) > quotas.members_per_collaboration:
            raise quota_exceeded("members_per_collaboration")
        payments = resolve_payers(
            [
                (
                    "creatorPaymentConfiguration",
                    creator_member_abilities,
                    creator_payment_configuration,
                )
            ]
            + [
                (
                    f"members[{i}].paymentConfiguration",
                    spec["memberAbilities"],
                    spec.get("paymentConfiguration"),
                )
                for i, spec in enumerate(invited)
            ]
        )
        with lock:
            store = self.store
            created = store.count("collaborations_per_account", self.account_id)
            if created >= quotas.collaborations_per_account:
                raise quota_exceeded("collaborations_per_account")
            timestamp = now()
            creator = Member(
                self.account_id,
                creator_display_name,
                list(creator_member_abilities),
                creator_ml_member_abilities,
                payments[0],
                timestamp,
                timestamp,
            )
            joined = {self.account_id: creator}
            for spec, payment in zip(invited, payments[1:], strict=True):
                joined[spec["accountId"]] = Member(
                    spec["accountId"],
                    spec["displayName"],
                    list(spec["memberAbilities"]),
                    spec.get("mlMemberAbilities"),
                    payment,
                    timestamp,
                    timestamp,
                )
            collaboration = Collaboration(
                id=fixed_id or new_id(),
                region=self.region_name,
                creator_account_id=self.account_id,
                creator_display_name=creator_display_name,
                attributes=inputs,
                members=joined,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=store.next_seq(),
            )
            store.table(Collaboration).add(
                collaboration.id, collaboration, collaboration.seq, tuple(joined)
            )
            store.adjust("collaborations_per_account", self.account_id, 1)
        return collaboration

    def get_collaboration(self, *, collaboration_identifier: str) -> Collaboration:
        """GetCollaboration."""
        return visible_collaboration(self, collaboration_identifier)

    def list_collaborations(self, *, member_status: str | None = None) -> Listing[Collaboration]:
        """ListCollaborations: those the caller created, is active in, or was invited to."""
        table = self.store.table(Collaboration)
        account = self.account_id

        def keep(collaboration: Collaboration) -> bool:
            status = collaboration.members[account].status
            return (
                collaboration.id in table.by_id
                and status in ACTIVE_MEMBER_STATUSES
                and (member_status is None or status == member_status)
            )

        return Listing(table.index(account), keep)

    def update_collaboration(
        self, *, collaboration_identifier: str, **inputs: Any
    ) -> Collaboration:
        """UpdateCollaboration: the creator changes the updatable fields of the model.

        A value the model documents as no longer available is refused by the protocol before
        this runs, also when the collaboration already has it (a legacy ``CLEAN_ROOMS_SQL``
        collaboration can move to ``SPARK``, not be set to ``CLEAN_ROOMS_SQL`` again).
        """
        with lock:
            collaboration = created_collaboration(self, collaboration_identifier, "update it")
            collaboration.attributes.update(inputs)
            collaboration.update_time = now()
        return collaboration

    def delete_collaboration(self, *, collaboration_identifier: str) -> None:
        """DeleteCollaboration: gone for everyone; every membership turns COLLABORATION_DELETED."""
        with lock:
            collaboration = created_collaboration(self, collaboration_identifier, "delete it")
            store = self.store
            collaboration_deleted(store, collaboration, now())
            store.table(Collaboration).remove(collaboration.id)
            store.adjust("collaborations_per_account", self.account_id, -1)

    def list_members(self, *, collaboration_identifier: str) -> Listing[Member]:
        """ListMembers: the creator and every invited member, whatever their status."""
        collaboration = visible_collaboration(self, collaboration_identifier)
        return Listing(list(enumerate(collaboration.members.values())))

    def delete_member(self, *, collaboration_identifier: str, account_id: str) -> None:
        """DeleteMember: the creator removes a member, whose membership turns REMOVED."""
        with lock:
            collaboration = created_collaboration(self, collaboration_identifier, "remove members")
            if account_id == self.account_id:
                raise ValidationError.for_field(
                    "accountId", "The collaboration creator cannot remove itself.", account_id
                )
            member = collaboration.members.get(account_id)
            if member is None or member.status not in ACTIVE_MEMBER_STATUSES:
                raise ValidationError.for_field(
                    "accountId",
                    f"Account {account_id} is not a member of collaboration "
                    f"{collaboration_identifier}.",
                    account_id,
                )
            member_removed(self.store, member, now())
