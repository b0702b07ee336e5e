"""The Clean Rooms domain: collaborations, their members, and the memberships that join them.

One :class:`CleanRoomsBackend` per (account, region) lives in moto's ``BackendDict``, so moto's
account switching and ``mock_aws`` resets apply unchanged. A collaboration is created by one
account but seen by every account it invites, so collaborations live once, in a registry per
region that every account's backend reads (never copies that could drift). A membership belongs
to the account that created it and is referenced, not copied, by its member entry.

Nothing here knows HTTP: methods take the operation's input members (named as in the model) and
return values named as in the model's output shapes; rules are broken by raising the typed
errors of :mod:`.exceptions`.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend

from .exceptions import AccessDenied, Conflict, NotFound, QuotaExceeded, ValidationError
from .pagination import paginate

__all__ = [
    "DEFAULT_QUOTAS",
    "CleanRoomsBackend",
    "Collaboration",
    "Member",
    "Membership",
    "Quotas",
    "cleanrooms_backends",
    "quotas",
    "reset_state",
]


@dataclass
class Quotas:
    """Service quotas enforced by the mock (per account and region, as AWS counts them).

    Defaults are AWS Clean Rooms' documented defaults; change them on a running mock with
    ``mock_cleanrooms(quotas={...})`` or by assigning attributes of :data:`quotas`.
    """

    collaborations_per_account: int = 10
    members_per_collaboration: int = 5
    memberships_per_account: int = 100

    def reset(self) -> None:
        """Back to the defaults."""
        self.update(DEFAULT_QUOTAS)

    def update(self, values: Mapping[str, int]) -> None:
        """Set the quotas named in ``values``."""
        for name, value in Quotas.checked(values).items():
            setattr(self, name, value)

    @staticmethod
    def checked(values: Mapping[str, int]) -> dict[str, int]:
        """``values`` as quota settings; an unknown name or a non-positive value is refused."""
        for name, value in values.items():
            if name not in DEFAULT_QUOTAS:
                known = ", ".join(sorted(DEFAULT_QUOTAS))
                raise ValueError(f"Unknown Clean Rooms quota {name!r}; known quotas: {known}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Quota {name!r} must be a non-negative integer, not {value!r}")
        return dict(values)


DEFAULT_QUOTAS: dict[str, int] = dict(vars(Quotas()))
quotas = Quotas()

# The quotas' names in the Clean Rooms user guide ("Quotas in AWS Clean Rooms"), reported as
# ServiceQuotaExceededException.quotaName.
_QUOTA_NAMES = {
    "collaborations_per_account": "Collaborations created per account",
    "members_per_collaboration": "Members invited per collaboration",
    "memberships_per_account": "Memberships per account",
}

_ACTIVE_MEMBER_STATUSES = frozenset({"INVITED", "ACTIVE"})


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _arn(region: str, account_id: str, resource: str) -> str:
    return f"arn:{_partition(region)}:cleanrooms:{region}:{account_id}:{resource}"


@dataclass
class Member:
    """An account's place in a collaboration, as the creator configured it."""

    account_id: str
    display_name: str
    abilities: list[str]
    ml_abilities: dict[str, Any] | None
    payment_configuration: dict[str, Any]
    create_time: datetime
    update_time: datetime
    status: str = "INVITED"
    membership: Membership | None = None

    def summary(self) -> dict[str, Any]:
        """The MemberSummary shape."""
        return {
            "accountId": self.account_id,
            "status": self.status,
            "displayName": self.display_name,
            "abilities": self.abilities,
            "mlAbilities": self.ml_abilities,
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "membershipId": self.membership.id if self.membership else None,
            "membershipArn": self.membership.arn if self.membership else None,
            "paymentConfiguration": self.payment_configuration,
        }


@dataclass
class Collaboration:
    """A collaboration: created by one account, visible to every account it invites."""

    id: str
    arn: str
    region: str
    creator_account_id: str
    creator_display_name: str
    #: Every other input member of CreateCollaboration, stored as given and returned wherever the
    #: output shapes have a member of the same name (new model fields flow through untouched).
    attributes: dict[str, Any]
    members: dict[str, Member]
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime

    def member(self, account_id: str) -> Member | None:
        return self.members.get(account_id)

    def describe(self, viewer: str) -> dict[str, Any]:
        """The Collaboration shape, as seen by ``viewer`` (its own member status and membership)."""
        seen_as = self.members[viewer]
        return {
            **self.attributes,
            "id": self.id,
            "arn": self.arn,
            "creatorAccountId": self.creator_account_id,
            "creatorDisplayName": self.creator_display_name,
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "memberStatus": seen_as.status,
            "membershipId": seen_as.membership.id if seen_as.membership else None,
            "membershipArn": seen_as.membership.arn if seen_as.membership else None,
        }


@dataclass
class Membership:
    """An account's membership: its own settings for one collaboration it joined."""

    id: str
    arn: str
    account_id: str
    collaboration: Collaboration
    #: The input members of CreateMembership other than the collaboration and tags, as accepted.
    settings: dict[str, Any]
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime
    status: str = "ACTIVE"

    def describe(self) -> dict[str, Any]:
        """The Membership (and MembershipSummary) shape."""
        collaboration = self.collaboration
        member = collaboration.members[self.account_id]
        return {
            **self.settings,
            "id": self.id,
            "arn": self.arn,
            "collaborationArn": collaboration.arn,
            "collaborationId": collaboration.id,
            "collaborationCreatorAccountId": collaboration.creator_account_id,
            "collaborationCreatorDisplayName": collaboration.creator_display_name,
            "collaborationName": collaboration.attributes.get("name"),
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "status": self.status,
            "memberAbilities": member.abilities,
            "mlMemberAbilities": member.ml_abilities,
        }


@dataclass
class _Region:
    """The collaborations of one region, shared by every account's backend there."""

    collaborations: dict[str, Collaboration] = field(default_factory=dict)


# Guards the registries and every mutation of shared state: calls may come from many threads.
_lock = threading.RLock()
_regions: dict[str, _Region] = {}


def reset_state() -> None:
    """Forget every collaboration, membership and account backend."""
    with _lock:
        _regions.clear()
        cleanrooms_backends.clear()


# --------------------------------------------------------------------------------------------
# Payment configuration rules (documented on QueryComputePaymentConfig and friends in the model)
# --------------------------------------------------------------------------------------------


def _responsibilities(
    config: Mapping[str, Any] | None, prefix: str = ""
) -> Iterator[tuple[str, bool]]:
    """Yield (dimension path, isResponsible) for every payment dimension in ``config``.

    Walking the structure generically covers dimensions AWS adds later (jobCompute, the
    machine-learning ones) with the same "exactly one payer" rule.
    """
    for key, value in (config or {}).items():
        if not isinstance(value, Mapping):
            continue
        path = f"{prefix}.{key}" if prefix else key
        if "isResponsible" in value:
            yield path, value["isResponsible"]
        else:
            yield from _responsibilities(value, path)


def _resolve_payers(
    entries: list[tuple[str, list[str], dict[str, Any] | None]],
) -> list[dict[str, Any]]:
    """Apply the creator-side payment rules; return each member's effective configuration.

    ``entries`` are (input path, abilities, paymentConfiguration as given) for the creator and
    then each invited member.
    """
    payers: dict[str, list[str]] = {}
    for path, _abilities, config in entries:
        for dimension, responsible in _responsibilities(config):
            if responsible:
                payers.setdefault(dimension, []).append(path)
    for dimension, paths in payers.items():
        if len(paths) > 1:
            raise ValidationError.for_field(
                f"{paths[1]}.{dimension}.isResponsible",
                f"Exactly one member can be configured to pay for {dimension} costs; "
                f"{len(paths)} members are ({', '.join(paths)}).",
                True,
            )
    resolved = []
    for path, abilities, config in entries:
        effective = copy.deepcopy(dict(config or {}))
        if "queryCompute" not in payers and "CAN_QUERY" in abilities:
            # Nobody named as payer: the member who can query pays, and may not be set not to.
            given = effective.get("queryCompute", {}).get("isResponsible")
            if given is False:
                raise ValidationError.for_field(
                    f"{path}.queryCompute.isResponsible",
                    "The member who can query pays for query compute when no other member is "
                    "configured to pay; it cannot be set to false.",
                    False,
                )
            effective["queryCompute"] = {"isResponsible": True}
        effective.setdefault("queryCompute", {"isResponsible": False})
        resolved.append(effective)
    return resolved


def _accept_payment(
    member: Member, given: dict[str, Any] | None, field_name: str
) -> dict[str, Any]:
    """The paymentConfiguration a membership accepts, checked against what the creator set."""
    expected = dict(_responsibilities(member.payment_configuration))
    if given is None:
        pays = [d for d, responsible in expected.items() if responsible]
        if pays and "CAN_QUERY" not in member.abilities:
            raise ValidationError.for_field(
                field_name,
                "paymentConfiguration is required: the collaboration creator configured this "
                f"member to pay for {', '.join(pays)} costs.",
            )
        return copy.deepcopy(member.payment_configuration)
    for dimension, accepted in _responsibilities(given):
        if accepted != expected.get(dimension, False):
            responsible = "responsible" if expected.get(dimension, False) else "not responsible"
            raise ValidationError.for_field(
                f"{field_name}.{dimension}.isResponsible",
                f"Member must accept the payment responsibility the collaboration creator set: "
                f"this member is {responsible} for {dimension} costs.",
                accepted,
            )
    return copy.deepcopy(given)


# --------------------------------------------------------------------------------------------
# The backend
# --------------------------------------------------------------------------------------------


class CleanRoomsBackend(BaseBackend):
    """Clean Rooms as seen by one account in one region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.memberships: dict[str, Membership] = {}

    def reset(self) -> None:
        """Called by moto's ``mock_aws`` resets: the shared region goes with the accounts."""
        with _lock:
            _regions.pop(self.region_name, None)
        super().reset()

    @property
    def _region(self) -> _Region:
        region = _regions.get(self.region_name)
        if region is None:
            region = _regions.setdefault(self.region_name, _Region())
        return region

    def _backend_of(self, account_id: str) -> CleanRoomsBackend:
        backend: CleanRoomsBackend = cleanrooms_backends[account_id][self.region_name]
        return backend

    # ---- collaborations -----------------------------------------------------------------

    def create_collaboration(self, params: dict[str, Any]) -> Collaboration:
        """CreateCollaboration: the creator and the invited members, payment rules applied."""
        inputs = dict(params)
        invited = inputs.pop("members")
        creator_abilities = inputs.pop("creatorMemberAbilities")
        creator_ml = inputs.pop("creatorMLMemberAbilities", None)
        creator_name = inputs.pop("creatorDisplayName")
        creator_payment = inputs.pop("creatorPaymentConfiguration", None)
        tags = inputs.pop("tags", None) or {}
        if "autoApprovedChangeRequestTypes" in inputs:  # the output shape names it differently
            inputs["autoApprovedChangeTypes"] = inputs.pop("autoApprovedChangeRequestTypes")

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
        if len(invited) > quotas.members_per_collaboration:
            raise _quota_exceeded("members_per_collaboration")
        with _lock:
            created = sum(
                1
                for c in self._region.collaborations.values()
                if c.creator_account_id == self.account_id
            )
            if created >= quotas.collaborations_per_account:
                raise _quota_exceeded("collaborations_per_account")

            entries = [("creatorPaymentConfiguration", creator_abilities, creator_payment)]
            entries += [
                (
                    f"members[{i}].paymentConfiguration",
                    spec["memberAbilities"],
                    spec.get("paymentConfiguration"),
                )
                for i, spec in enumerate(invited)
            ]
            payments = _resolve_payers(entries)
            # The creator's entry names its payment config "creatorPaymentConfiguration" itself.
            now = _now()
            collaboration_id = str(uuid.uuid4())
            members = {
                self.account_id: Member(
                    self.account_id,
                    creator_name,
                    list(creator_abilities),
                    creator_ml,
                    payments[0],
                    now,
                    now,
                )
            }
            for spec, payment in zip(invited, payments[1:], strict=True):
                members[spec["accountId"]] = Member(
                    spec["accountId"],
                    spec["displayName"],
                    list(spec["memberAbilities"]),
                    spec.get("mlMemberAbilities"),
                    payment,
                    now,
                    now,
                )
            collaboration = Collaboration(
                id=collaboration_id,
                arn=_arn(self.region_name, self.account_id, f"collaboration/{collaboration_id}"),
                region=self.region_name,
                creator_account_id=self.account_id,
                creator_display_name=creator_name,
                attributes=inputs,
                members=members,
                tags=dict(tags),
                create_time=now,
                update_time=now,
            )
            self._region.collaborations[collaboration_id] = collaboration
        return collaboration

    def _visible_collaboration(self, collaboration_id: str) -> Collaboration:
        """The collaboration, if this account created it or is invited to or active in it.

        For anything else (unknown id, never invited, left, removed) the real service answers
        AccessDeniedException rather than revealing whether the collaboration exists.
        """
        collaboration = self._region.collaborations.get(collaboration_id)
        member = collaboration.member(self.account_id) if collaboration else None
        if (
            collaboration is None
            or member is None
            or (member.status not in _ACTIVE_MEMBER_STATUSES)
        ):
            raise AccessDenied(
                f"User {self.account_id} is not authorized to access collaboration "
                f"{collaboration_id} because it does not exist or the caller is not a member."
            )
        return collaboration

    def get_collaboration(self, collaboration_id: str) -> Collaboration:
        """GetCollaboration."""
        return self._visible_collaboration(collaboration_id)

    # ---- memberships --------------------------------------------------------------------

    def create_membership(self, params: dict[str, Any]) -> Membership:
        """CreateMembership: join a collaboration this account was invited to."""
        settings = dict(params)
        collaboration_id = settings.pop("collaborationIdentifier")
        tags = settings.pop("tags", None) or {}
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
            active = sum(1 for m in self.memberships.values() if m.status == "ACTIVE")
            if active >= quotas.memberships_per_account:
                raise _quota_exceeded("memberships_per_account")
            settings["paymentConfiguration"] = _accept_payment(
                member, settings.get("paymentConfiguration"), "paymentConfiguration"
            )
            self._check_metrics(collaboration, member, settings)
            _check_result_configuration(member, settings)

            now = _now()
            membership_id = str(uuid.uuid4())
            membership = Membership(
                id=membership_id,
                arn=_arn(self.region_name, self.account_id, f"membership/{membership_id}"),
                account_id=self.account_id,
                collaboration=collaboration,
                settings=settings,
                tags=dict(tags),
                create_time=now,
                update_time=now,
            )
            self.memberships[membership_id] = membership
            member.membership = membership
            member.status = "ACTIVE"
            member.update_time = now
        return membership

    @staticmethod
    def _check_metrics(
        collaboration: Collaboration, member: Member, settings: Mapping[str, Any]
    ) -> None:
        # Model doc of CreateMembership.isMetricsEnabled: only when the collaboration has metrics
        # enabled, and only for members who can query or are configured as payers.
        if not settings.get("isMetricsEnabled"):
            return
        if not collaboration.attributes.get("isMetricsEnabled"):
            raise ValidationError.for_field(
                "isMetricsEnabled",
                "Metrics can be enabled for a membership only when the collaboration has "
                "metrics enabled.",
                True,
            )
        pays = any(
            responsible for _, responsible in _responsibilities(member.payment_configuration)
        )
        if "CAN_QUERY" not in member.abilities and not pays:
            raise ValidationError.for_field(
                "isMetricsEnabled",
                "Metrics can be enabled only by a member who can query or is configured as a "
                "payer.",
                True,
            )

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
        items = [m for m in self.memberships.values() if status is None or m.status == status]
        return paginate(items, "ListMemberships", max_results, next_token)

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
                member.update_time = _now()
            del self.memberships[membership_id]

    def delete_member(self, collaboration_id: str, account_id: str) -> None:
        """DeleteMember: the creator removes a member, whose membership turns REMOVED."""
        with _lock:
            collaboration = self._visible_collaboration(collaboration_id)
            if collaboration.creator_account_id != self.account_id:
                raise AccessDenied(
                    f"Only the creator of collaboration {collaboration_id} can remove members."
                )
            if account_id == self.account_id:
                raise ValidationError.for_field(
                    "accountId", "The collaboration creator cannot remove itself.", account_id
                )
            member = collaboration.members.get(account_id)
            if member is None or member.status not in _ACTIVE_MEMBER_STATUSES:
                raise ValidationError.for_field(
                    "accountId",
                    f"Account {account_id} is not a member of collaboration {collaboration_id}.",
                    account_id,
                )
            now = _now()
            member.status = "REMOVED"
            member.update_time = now
            if member.membership is not None:
                member.membership.status = "REMOVED"
                member.membership.update_time = now

    # ---- tags ---------------------------------------------------------------------------

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, str]:
        """ListTagsForResource on a collaboration or membership ARN of this account."""
        return dict(self._taggable(resource_arn).tags)

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


def _check_result_configuration(member: Member, settings: Mapping[str, Any]) -> None:
    # A member who receives results but cannot query must say where results go: nobody else
    # can (AWS's maintainers of the awscc Terraform provider, hashicorp/terraform-provider-awscc
    # #1904: "If you only have CAN_RECEIVE_RESULTS - You must provide the result config").
    receives_only = (
        "CAN_RECEIVE_RESULTS" in member.abilities and "CAN_QUERY" not in member.abilities
    )
    if receives_only and settings.get("defaultResultConfiguration") is None:
        raise ValidationError.for_field(
            "defaultResultConfiguration",
            "Member must not be null: a member who can receive results but cannot query must "
            "give a default result configuration.",
        )


def _quota_exceeded(name: str) -> QuotaExceeded:
    return QuotaExceeded(_QUOTA_NAMES[name], getattr(quotas, name))


cleanrooms_backends: BackendDict[CleanRoomsBackend] = BackendDict(CleanRoomsBackend, "cleanrooms")
