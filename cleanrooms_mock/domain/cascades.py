"""What a status change does to other families: one named function per trigger.

The operation that changes a status calls its trigger explicitly, under the store's lock; there
is no event bus. A family that comes later in data order adds its consequences to the trigger
that causes them (a configured-table association, say, to :func:`membership_left`). A trigger
that another family's resources forbid raises before it changes anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .analysis_templates.entities import AnalysisTemplate
from .associations.entities import ConfiguredTableAssociation, Schema, live, live_associations
from .collaborations.entities import Collaboration, Member
from .configured_tables.entities import ConfiguredTable
from .errors import Conflict
from .memberships.entities import Membership
from .protected_queries.entities import ProtectedQuery
from .protected_queries.ops import finish
from .store import RegionStore

__all__ = [
    "TEMPLATES_QUOTA",
    "association_deleted",
    "collaboration_deleted",
    "configured_table_deleted",
    "member_removed",
    "membership_left",
    "template_deleted",
]

#: The quota on a membership's analysis templates (analysis_templates/family.py), counted per
#: membership id.
TEMPLATES_QUOTA = "analysis_templates_per_membership"


def collaboration_deleted(store: RegionStore, collaboration: Collaboration, when: datetime) -> None:
    """DeleteCollaboration: every ACTIVE membership in it turns COLLABORATION_DELETED, and
    every table association in it goes, with its rule and schema, and every analysis template;
    every unfinished protected query in it is CANCELLED ("you and all members can't run
    queries, receive results, or contribute data", user guide: delete-collaboration)."""
    _queries_stopped(store, _unfinished_queries(store, collaboration))
    for template in _templates(store, collaboration.id):
        template_deleted(store, template)
    for schema in live(store.table(Schema), collaboration.id, lambda schema: schema.key):
        association_deleted(store, schema.association)
    for member in collaboration.members.values():
        if member.membership is not None and member.membership.status == "ACTIVE":
            _end_membership(store, member.membership, "COLLABORATION_DELETED", when)


def member_removed(store: RegionStore, member: Member, when: datetime) -> None:
    """DeleteMember: the member turns REMOVED, and so does its membership; its table
    associations go, with their rules and schemas ("remove a member": the removed member's
    datasets leave the collaboration, user guide), and so do its analysis templates; its
    unfinished protected queries, and those it pays for, are CANCELLED (:func:`_member_gone`)."""
    member.status = "REMOVED"
    member.update_time = when
    if member.membership is not None:
        _member_gone(store, member.membership.collaboration, member.account_id)
        for template in _templates(store, member.membership.id):
            template_deleted(store, template)
        for association in _associations(store, member.membership.id):
            association_deleted(store, association)
        _end_membership(store, member.membership, "REMOVED", when)


def membership_left(store: RegionStore, membership: Membership, when: datetime) -> None:
    """DeleteMembership: the account's member entry turns LEFT (it cannot join again).

    A membership that still has table associations or analysis templates cannot be deleted:
    ConflictException SUBRESOURCES_EXIST (resourceType MEMBERSHIP), raised before anything
    changes (the 409 AWS answers for a membership holding analysis templates,
    hashicorp/terraform-provider-awscc issue 3000). Protected queries do not hold it back (no
    operation deletes them; AWS names none among what must be deleted first): its unfinished
    ones, and those it pays for, are CANCELLED (:func:`_member_gone`).
    """
    templates = _templates(store, membership.id)
    if templates:
        raise Conflict(
            f"Membership {membership.id} still has {len(templates)} analysis template(s) "
            f"({', '.join(t.name for t in templates)}): delete them before leaving the "
            "collaboration.",
            reason="SUBRESOURCES_EXIST",
            resource_type="MEMBERSHIP",
            resource_id=membership.id,
        )
    held = _associations(store, membership.id)
    if held:
        raise Conflict(
            f"Membership {membership.id} still has {len(held)} configured table association(s) "
            f"({', '.join(a.name for a in held)}): delete them before leaving the collaboration.",
            reason="SUBRESOURCES_EXIST",
            resource_type="MEMBERSHIP",
            resource_id=membership.id,
        )
    _member_gone(store, membership.collaboration, membership.account_id)
    member = membership.collaboration.members[membership.account_id]
    if member.status == "ACTIVE":
        member.status = "LEFT"
        member.update_time = when


def _end_membership(
    store: RegionStore, membership: Membership, status: str, when: datetime
) -> None:
    """An ACTIVE membership turns REMOVED or COLLABORATION_DELETED (its owner's quota frees up)."""
    if store.table(Membership).get(membership.id) is membership:
        store.adjust("memberships_per_account", membership.account_id, -1)
    membership.status = status
    membership.update_time = when


def configured_table_deleted(store: RegionStore, table: ConfiguredTable) -> None:
    """DeleteConfiguredTable: refused while the table is associated to a collaboration:
    ConflictException SUBRESOURCES_EXIST (resourceType CONFIGURED_TABLE), raised before anything
    changes (the model declares ConflictException for it; its reasons are ALREADY_EXISTS,
    SUBRESOURCES_EXIST and INVALID_STATE)."""
    held = _associations(store, table.id)
    if held:
        raise Conflict(
            f"Configured table {table.id} is associated to {len(held)} collaboration(s) "
            f"(configured table association {held[0].id}): delete its associations first.",
            reason="SUBRESOURCES_EXIST",
            resource_type="CONFIGURED_TABLE",
            resource_id=table.id,
        )


def association_deleted(store: RegionStore, association: ConfiguredTableAssociation) -> None:
    """DeleteConfiguredTableAssociation (and the triggers above): the association goes, with
    its collaboration analysis rule and its schema."""
    associations = store.table(ConfiguredTableAssociation)
    if associations.get(association.id) is association:
        associations.remove(association.id)
    schema = association.schema
    if schema is not None and store.table(Schema).get(schema.key) is schema:
        store.table(Schema).remove(schema.key)
    association.analysis_rule = None


def _associations(store: RegionStore, key: str) -> list[ConfiguredTableAssociation]:
    """The live associations indexed under ``key`` (a membership or configured table id)."""
    return live_associations(store.table(ConfiguredTableAssociation), key)


def template_deleted(store: RegionStore, template: AnalysisTemplate) -> None:
    """DeleteAnalysisTemplate (and the triggers above): the template goes, for every member,
    and its membership's quota frees up; one already gone is left alone."""
    templates = store.table(AnalysisTemplate)
    if templates.get(template.id) is template:
        templates.remove(template.id)
        store.adjust(TEMPLATES_QUOTA, template.membership.id, -1)


def _templates(store: RegionStore, key: str) -> list[AnalysisTemplate]:
    """The live analysis templates indexed under ``key`` (a membership or collaboration id)."""
    return live(store.table(AnalysisTemplate), key, lambda template: template.id)


def _member_gone(store: RegionStore, collaboration: Collaboration, account: str) -> None:
    """``account`` leaves ``collaboration`` or is removed from it: its membership's unfinished
    protected queries are CANCELLED (the removed member "can't interact with the collaboration",
    DeleteMember; a left membership is gone), and so is every unfinished query it pays for
    ("If the member pays for query compute costs, this action stops all query execution in the
    collaboration", user guide: remove-member; "no more queries are allowed to run",
    leave-collab) or would deliver its result to (a member that is gone cannot "receive
    results", user guide: delete-collaboration; the choice to cancel rather than fail is a
    README Assumption)."""
    _queries_stopped(
        store,
        (
            query
            for query in _unfinished_queries(store, collaboration)
            if account in (query.account_id, query.payer_account_id) or account in query.receivers
        ),
    )


def _unfinished_queries(store: RegionStore, collaboration: Collaboration) -> list[ProtectedQuery]:
    """Every protected query of ``collaboration``'s memberships that has not finished
    (SUBMITTED, STARTED or CANCELLING), member by member, each oldest first."""
    queries = store.table(ProtectedQuery)
    return [
        query
        for member in collaboration.members.values()
        if member.membership is not None
        for _, query in queries.index(member.membership.id)
        if not query.finished
    ]


def _queries_stopped(store: RegionStore, queries: Iterable[ProtectedQuery]) -> None:
    """Each of ``queries`` ends CANCELLED at once (no CANCELLING step: the service stops it, no
    read of the member's drives it), without a result, and no longer counts as running."""
    for query in list(queries):
        finish(query, "CANCELLED", store)
