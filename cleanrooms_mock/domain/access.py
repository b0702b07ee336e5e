"""Who may see what: every visibility decision of the service, in one module.

An operation calls one of these on its first line, so what it lets a caller reach is one
greppable line:

* :func:`visible_collaboration`: the caller created it or is invited to or active in it; for
  anything else (unknown id, deleted, never invited, left, removed) AccessDeniedException, as
  AWS answers for cross-account resources rather than revealing whether they exist;
* :func:`created_collaboration`: creator-only actions (update, delete, remove a member);
  AccessDeniedException for members;
* :func:`own_membership`: a membership exists only for its own account (ResourceNotFound);
* :func:`active_membership`: an own membership that is still ACTIVE (ConflictException);
* :func:`own_configured_table`: a configured table exists only for its own account
  (ResourceNotFound, resourceType CONFIGURED_TABLE);
* :func:`own_analysis_rule`: the analysis rule of a type of an own configured table
  (ResourceNotFound when the table has none of that type);
* :func:`own_association`: a configured table association of one of the caller's memberships
  (ResourceNotFound, resourceType CONFIGURED_TABLE_ASSOCIATION, for any other);
* :func:`own_association_rule`: the collaboration analysis rule of a type of an own association;
* :func:`schema_reader`: a collaboration whose schemas the caller may read: it is an ACTIVE
  member (AccessDeniedException otherwise, as for the collaboration itself);
* :func:`own_analysis_template`: an analysis template of one of the caller's memberships
  (ResourceNotFound, resourceType MEMBERSHIP, for any other);
* :func:`collaboration_template`: an analysis template of a collaboration the caller is an
  ACTIVE member of, by ARN (ResourceNotFound for any other ARN);
* :func:`tagged_resource`: a resource the caller owns, by ARN (a collaboration it created, its
  own membership, configured table, configured table association or analysis template);
  ResourceNotFound for any other.
"""

from __future__ import annotations

from .analysis_templates.entities import AnalysisTemplate
from .associations.entities import (
    ConfiguredTableAssociation,
    ConfiguredTableAssociationAnalysisRule,
)
from .collaborations.entities import ACTIVE_MEMBER_STATUSES, Collaboration
from .configured_tables.entities import ConfiguredTable, ConfiguredTableAnalysisRule
from .errors import AccessDenied, Conflict, NotFound, ValidationError
from .memberships.entities import Membership
from .store import Scope

__all__ = [
    "active_member",
    "active_membership",
    "collaboration_template",
    "created_collaboration",
    "own_analysis_rule",
    "own_analysis_template",
    "own_association",
    "own_association_rule",
    "own_configured_table",
    "own_membership",
    "schema_reader",
    "tagged_resource",
    "visible_collaboration",
]

#: A resource TagResource takes, by the resource type its ARN names.
Tagged = (
    Collaboration | Membership | ConfiguredTable | ConfiguredTableAssociation | AnalysisTemplate
)
#: ARN resource type -> the model's ResourceType (ResourceNotFoundException.resourceType).
_TAGGABLE = {
    "collaboration": "COLLABORATION",
    "membership": "MEMBERSHIP",
    "configuredtable": "CONFIGURED_TABLE",
    "configuredtableassociation": "CONFIGURED_TABLE_ASSOCIATION",
}
_ASSOCIATION = "CONFIGURED_TABLE_ASSOCIATION"
#: The model's ResourceType has no value for analysis templates: they live under a membership.
_TEMPLATE = "MEMBERSHIP"


def visible_collaboration(scope: Scope, collaboration_id: str) -> Collaboration:
    """The collaboration, if the caller created it or is invited to or active in it.

    For anything else (unknown id, deleted, never invited, left, removed) the real service
    answers AccessDeniedException rather than revealing whether the collaboration exists.
    """
    collaboration = scope.store.table(Collaboration).by_id.get(collaboration_id)
    member = collaboration.members.get(scope.account_id) if collaboration else None
    if collaboration is None or member is None or member.status not in ACTIVE_MEMBER_STATUSES:
        raise AccessDenied(
            f"User {scope.account_id} is not authorized to access collaboration "
            f"{collaboration_id} because it does not exist or the caller is not a member."
        )
    return collaboration


def created_collaboration(scope: Scope, collaboration_id: str, action: str) -> Collaboration:
    """A collaboration the caller created, for a creator-only ``action`` ("delete it", ...)."""
    collaboration = visible_collaboration(scope, collaboration_id)
    if collaboration.creator_account_id != scope.account_id:
        raise AccessDenied(f"Only the creator of collaboration {collaboration_id} can {action}.")
    return collaboration


def own_membership(scope: Scope, membership_id: str) -> Membership:
    """One of the caller's own memberships; any other id does not exist for it."""
    membership = scope.store.table(Membership).by_id.get(membership_id)
    if membership is None or membership.account_id != scope.account_id:
        raise NotFound("MEMBERSHIP", membership_id)
    return membership


def active_membership(scope: Scope, membership_id: str, action: str) -> Membership:
    """One of the caller's own memberships, ACTIVE, for ``action`` ("be updated", ...)."""
    membership = own_membership(scope, membership_id)
    if membership.status != "ACTIVE":
        raise Conflict(
            f"Membership {membership.id} is {membership.status} and cannot {action}.",
            reason="INVALID_STATE",
            resource_type="MEMBERSHIP",
            resource_id=membership.id,
        )
    return membership


def running_membership(scope: Scope, membership_id: str, action: str) -> Membership:
    """:func:`active_membership` for an operation that declares no ConflictException
    (StartProtectedQuery, model): a membership that is not ACTIVE (its member left, was removed,
    or the collaboration was deleted) is AccessDeniedException, as a member without the ability
    is."""
    membership = own_membership(scope, membership_id)
    if membership.status != "ACTIVE":
        raise AccessDenied(
            f"Membership {membership.id} is {membership.status} and cannot {action}.",
        )
    return membership


def own_configured_table(scope: Scope, configured_table_id: str) -> ConfiguredTable:
    """One of the caller's own configured tables; any other id does not exist for it.

    A configured table is an account's own resource (the model's ResourceType
    CONFIGURED_TABLE): another account, even one sharing a collaboration, gets
    ResourceNotFoundException, as for an id that never existed.
    """
    table = scope.store.table(ConfiguredTable).by_id.get(configured_table_id)
    if table is None or table.account_id != scope.account_id:
        raise NotFound("CONFIGURED_TABLE", configured_table_id)
    return table


def own_analysis_rule(
    scope: Scope, configured_table_id: str, analysis_rule_type: str
) -> ConfiguredTableAnalysisRule:
    """The ``analysis_rule_type`` rule of one of the caller's configured tables.

    A table without a rule, or with a rule of another type, answers ResourceNotFoundException
    with resourceType CONFIGURED_TABLE (the model's ResourceType has no value for analysis
    rules) and the table's id, the message naming the rule asked for and the one it has.
    """
    table = own_configured_table(scope, configured_table_id)
    rule = table.analysis_rule
    if rule is None or rule.type != analysis_rule_type:
        has = f"its analysis rule is {rule.type}" if rule else "it has no analysis rule"
        raise NotFound(
            "CONFIGURED_TABLE",
            table.id,
            f"Configured table {table.id} has no {analysis_rule_type} analysis rule ({has}).",
        )
    return rule


def own_association(
    scope: Scope, membership_id: str, association_id: str, action: str | None = None
) -> ConfiguredTableAssociation:
    """A configured table association made through the caller's membership ``membership_id``.

    The membership must be the caller's own (ResourceNotFound MEMBERSHIP otherwise), and ACTIVE
    to ``action`` ("change table associations": :func:`active_membership`); an association of
    another membership, even of the same account, does not exist for it (ResourceNotFound,
    resourceType CONFIGURED_TABLE_ASSOCIATION, the id asked for).
    """
    membership = (
        own_membership(scope, membership_id)
        if action is None
        else active_membership(scope, membership_id, action)
    )
    association = scope.store.table(ConfiguredTableAssociation).by_id.get(association_id)
    if association is None or association.membership is not membership:
        raise NotFound(_ASSOCIATION, association_id)
    return association


def own_association_rule(
    scope: Scope,
    membership_id: str,
    association_id: str,
    analysis_rule_type: str,
    action: str | None = None,
) -> ConfiguredTableAssociationAnalysisRule:
    """The ``analysis_rule_type`` collaboration analysis rule of an own association (its
    membership ACTIVE to ``action``, as for :func:`own_association`); an association without
    one, or with one of another type, answers ResourceNotFound (resourceType
    CONFIGURED_TABLE_ASSOCIATION, the association's id)."""
    association = own_association(scope, membership_id, association_id, action)
    rule = association.analysis_rule
    if rule is None or rule.type != analysis_rule_type:
        has = f"its rule is {rule.type}" if rule else "it has no collaboration analysis rule"
        raise NotFound(
            _ASSOCIATION,
            association.id,
            f"Configured table association {association.id} has no {analysis_rule_type} "
            f"collaboration analysis rule ({has}).",
        )
    return rule


def schema_reader(scope: Scope, collaboration_id: str) -> Collaboration:
    """A collaboration whose schemas the caller may read: it is an ACTIVE member.

    Schemas are "the schema for a relation within a collaboration" (model: GetSchema), shared
    with the members who joined; an invited member that has not joined, and anyone
    :func:`visible_collaboration` refuses, get AccessDeniedException.
    """
    return active_member(scope, collaboration_id, "read its schemas")


def active_member(scope: Scope, collaboration_id: str, action: str) -> Collaboration:
    """A collaboration the caller is an ACTIVE member of, to ``action`` ("read its schemas");
    AccessDeniedException for an invited member that has not joined, and for anyone
    :func:`visible_collaboration` refuses."""
    collaboration = visible_collaboration(scope, collaboration_id)
    member = collaboration.members[scope.account_id]
    if member.status != "ACTIVE":
        raise AccessDenied(
            f"User {scope.account_id} is not an active member of collaboration "
            f"{collaboration_id}: join it (CreateMembership) to {action}."
        )
    return collaboration


def own_analysis_template(scope: Scope, membership_id: str, template_id: str) -> AnalysisTemplate:
    """An analysis template created through the caller's membership ``membership_id``.

    The membership must be the caller's own (ResourceNotFound MEMBERSHIP otherwise); a template
    of another membership, even of the same account, does not exist for it: ResourceNotFound,
    resourceType MEMBERSHIP (the model's ResourceType has no value for templates), the id asked
    for. The membership's status is not checked: Get, Update and Delete declare no
    ConflictException, and a membership that is not ACTIVE holds no templates (they go with a
    removed member or a deleted collaboration; leaving is refused while they exist).
    """
    membership = own_membership(scope, membership_id)
    template = scope.store.table(AnalysisTemplate).by_id.get(template_id)
    if template is None or template.membership is not membership:
        raise NotFound(_TEMPLATE, template_id, f"Analysis template {template_id} not found.")
    return template


def collaboration_template(
    scope: Scope, collaboration: Collaboration, template_arn: str
) -> AnalysisTemplate:
    """The analysis template ``template_arn`` names, if it is one of ``collaboration``'s (which
    the caller is an ACTIVE member of: :func:`active_member`); ResourceNotFound (resourceType
    MEMBERSHIP, the ARN) for a template deleted, of another collaboration, or never made."""
    template = scope.store.table(AnalysisTemplate).by_id.get(template_arn.rpartition("/")[2])
    if (
        template is None
        or template.arn != template_arn
        or template.membership.collaboration is not collaboration
    ):
        raise NotFound(
            _TEMPLATE,
            template_arn,
            f"Analysis template {template_arn} not found in collaboration {collaboration.id}.",
        )
    return template


def tagged_resource(scope: Scope, resource_arn: str) -> Tagged:
    """The resource ``resource_arn`` names, if the caller owns it (tag operations)."""
    parts = resource_arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 else ""
    kind, _, resource_id = resource.partition("/")
    resource_type = _TAGGABLE.get(kind)
    if resource_type is None:
        raise ValidationError.for_field(
            "resourceArn",
            "Member must be the ARN of a taggable Clean Rooms resource.",
            resource_arn,
        )
    found: Tagged | None
    if kind == "membership" and "/analysistemplate/" in resource_id:
        template = scope.store.table(AnalysisTemplate).get(resource_id.rpartition("/")[2])
        found = template if template and template.account_id == scope.account_id else None
    elif kind == "configuredtableassociation":
        association = scope.store.table(ConfiguredTableAssociation).get(
            resource_id.rpartition("/")[2]
        )
        mine = association is not None and association.account_id == scope.account_id
        found = association if mine else None
    elif kind == "collaboration":
        collaboration = scope.store.table(Collaboration).get(resource_id)
        mine = collaboration is not None and collaboration.creator_account_id == scope.account_id
        found = collaboration if mine else None
    else:
        owned: Membership | ConfiguredTable | None = (
            scope.store.table(Membership).get(resource_id)
            if kind == "membership"
            else scope.store.table(ConfiguredTable).get(resource_id)
        )
        found = owned if owned is not None and owned.account_id == scope.account_id else None
    if found is None or found.arn != resource_arn:
        raise NotFound(resource_type, resource_arn)
    return found
