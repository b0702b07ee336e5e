"""The membership operations: join a collaboration, read, list, update and leave.

Each public method is the model operation of the same name (botocore's ``xform_name``), served
by the protocol's dispatcher: keyword-only parameters for the input members it reads,
``**inputs`` for those it stores as given. Rules are broken by raising :mod:`..errors`.
"""

from __future__ import annotations

from typing import Any

from ..access import active_membership, own_membership, visible_collaboration
from ..cascades import membership_left
from ..errors import Conflict
from ..pagination import Listing
from ..quotas import quota_exceeded, quotas
from ..resources import new_id, now
from ..service_defaults import with_defaults
from ..store import Scope, lock
from ..tags import check_tags
from .entities import Membership
from .rules import accept_payment, check_membership_settings, merge_payment

__all__ = ["MembershipOps"]


class MembershipOps(Scope):
    """The operations of the memberships family."""

    def create_membership(
        self,
        *,
        collaboration_identifier: str,
        payment_configuration: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
        fixed_id: str | None = None,
        **inputs: Any,
    ) -> Membership:
        """CreateMembership: join a collaboration this account was invited to.

        Inputs left out get the service's defaults, as for
        :meth:`.CollaborationOps.create_collaboration`; ``fixed_id`` fixes the new id, as there.
        """
        settings = with_defaults("CreateMembership", inputs)
        tags = tags or {}
        check_tags(tags)
        with lock:
            collaboration = visible_collaboration(self, collaboration_identifier)
            store = self.store
            member = collaboration.members[self.account_id]
            if member.status == "ACTIVE" and member.membership is not None:
                raise Conflict(
                    f"Account {self.account_id} already has membership {member.membership.id} "
                    f"in collaboration {collaboration_identifier}.",
                    reason="ALREADY_EXISTS",
                    resource_type="MEMBERSHIP",
                    resource_id=member.membership.id,
                )
            active = store.count("memberships_per_account", self.account_id)
            if active >= quotas.memberships_per_account:
                raise quota_exceeded("memberships_per_account")
            settings["paymentConfiguration"] = accept_payment(
                member, payment_configuration, "paymentConfiguration"
            )
            check_membership_settings(collaboration, member, settings)

            timestamp = now()
            membership = Membership(
                id=fixed_id or new_id(),
                account_id=self.account_id,
                collaboration=collaboration,
                settings=settings,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=store.next_seq(),
            )
            store.table(Membership).add(
                membership.id, membership, membership.seq, (self.account_id,)
            )
            store.adjust("memberships_per_account", self.account_id, 1)
            member.membership = membership
            member.status = "ACTIVE"
            member.update_time = timestamp
        return membership

    def get_membership(self, *, membership_identifier: str) -> Membership:
        """GetMembership: only this account's own memberships exist for it."""
        return own_membership(self, membership_identifier)

    def list_memberships(self, *, status: str | None = None) -> Listing[Membership]:
        """ListMemberships: this account's memberships, oldest first."""
        table = self.store.table(Membership)

        def keep(membership: Membership) -> bool:
            return membership.id in table.by_id and (status is None or membership.status == status)

        return Listing(table.index(self.account_id), keep)

    def update_membership(
        self,
        *,
        membership_identifier: str,
        membership_payment_configuration: dict[str, Any] | None = None,
        **inputs: Any,
    ) -> Membership:
        """UpdateMembership: every updatable field of the model, under the creation rules."""
        with lock:
            membership = active_membership(self, membership_identifier, "be updated")
            collaboration = membership.collaboration
            member = collaboration.members[self.account_id]
            # UpdateMembership names it membershipPaymentConfiguration (botocore >= 1.44).
            payment = membership_payment_configuration
            settings = {**membership.settings, **inputs}
            if payment is not None:
                merged = merge_payment(membership.settings.get("paymentConfiguration"), payment)
                settings["paymentConfiguration"] = accept_payment(
                    member, merged, "membershipPaymentConfiguration"
                )
            check_membership_settings(collaboration, member, settings)
            membership.settings = settings
            membership.update_time = now()
        return membership

    def delete_membership(self, *, membership_identifier: str) -> None:
        """DeleteMembership: leave the collaboration for good (the member turns LEFT)."""
        with lock:
            membership = own_membership(self, membership_identifier)
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
                    resource_id=membership.id,
                )
            store = self.store
            membership_left(store, membership, now())
            store.table(Membership).remove(membership.id)
            if membership.status == "ACTIVE":
                store.adjust("memberships_per_account", self.account_id, -1)
