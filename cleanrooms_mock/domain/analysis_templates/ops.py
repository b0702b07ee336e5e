"""The analysis template operations: a membership's own templates (create, read, list, update,
delete) and the collaboration's views of every member's templates (get, list, batch get).

Each public method is the model operation of the same name (botocore's ``xform_name``), served
by the protocol's dispatcher. The input rules are :mod:`.rules`; what leaving or being removed
does to templates is in :mod:`..cascades` (:func:`..cascades.template_deleted`).
"""

from __future__ import annotations

from typing import Any

from ..access import (
    active_member,
    active_membership,
    collaboration_template,
    own_analysis_template,
    own_membership,
)
from ..associations.entities import Schema
from ..cascades import TEMPLATES_QUOTA, template_deleted
from ..errors import CleanRoomsError
from ..pagination import Listing
from ..quotas import quota_exceeded, quotas
from ..resources import new_id, now
from ..store import Scope, Table, lock
from ..tags import check_tags
from .entities import AnalysisTemplate
from .rules import check_template

__all__ = ["AnalysisTemplateOps"]

_READ = "read its analysis templates"


class AnalysisTemplateOps(Scope):
    """CreateAnalysisTemplate ... BatchGetCollaborationAnalysisTemplate."""

    def create_analysis_template(
        self,
        *,
        membership_identifier: str,
        tags: dict[str, str] | None = None,
        fixed_id: str | None = None,
        **inputs: Any,
    ) -> AnalysisTemplate:
        """CreateAnalysisTemplate: a template of the caller's ACTIVE membership, any member
        (the model and the user guide name no ability for it), checked by
        :func:`.rules.check_template`; ``schema.referencedTables`` derived from the SQL when
        not given. Quota: analysis templates per membership. ``fixed_id`` fixes the new id: a
        state document replays the template (seeding), whose tables are then not checked to be
        schemas now (an association may have gone since it was created)."""
        tags = tags or {}
        check_tags(tags)
        with lock:
            membership = active_membership(self, membership_identifier, "create analysis templates")
            collaboration = membership.collaboration
            store = self.store
            schemas = None
            if fixed_id is None:
                table: Table[Schema] = store.table(Schema)
                schemas = {
                    s.association.name
                    for _, s in table.index(collaboration.id)
                    if table.by_id.get(s.key) is s
                }
            referenced = check_template(inputs, collaboration, schemas)
            if (
                store.count(TEMPLATES_QUOTA, membership.id)
                >= quotas.analysis_templates_per_membership
            ):
                raise quota_exceeded(TEMPLATES_QUOTA)
            timestamp = now()
            template = AnalysisTemplate(
                id=fixed_id or new_id(),
                membership=membership,
                attributes=dict(inputs),
                referenced_tables=referenced,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=store.next_seq(),
            )
            keys = (self.account_id, membership.id, collaboration.id)
            store.table(AnalysisTemplate).add(template.id, template, template.seq, keys)
            store.adjust(TEMPLATES_QUOTA, membership.id, 1)
        return template

    def get_analysis_template(
        self, *, membership_identifier: str, analysis_template_identifier: str
    ) -> AnalysisTemplate:
        """GetAnalysisTemplate: a template of one of the caller's memberships."""
        return own_analysis_template(self, membership_identifier, analysis_template_identifier)

    def list_analysis_templates(self, *, membership_identifier: str) -> Listing[AnalysisTemplate]:
        """ListAnalysisTemplates: the membership's own templates, oldest first."""
        membership = own_membership(self, membership_identifier)
        return self._listing(membership.id)

    def update_analysis_template(
        self,
        *,
        membership_identifier: str,
        analysis_template_identifier: str,
        description: str | None = None,
    ) -> AnalysisTemplate:
        """UpdateAnalysisTemplate: its ``description``, the only member the model lets it
        change (the text is immutable)."""
        with lock:
            template = own_analysis_template(
                self, membership_identifier, analysis_template_identifier
            )
            if description is not None:
                template.attributes["description"] = description
            template.update_time = now()
        return template

    def delete_analysis_template(
        self, *, membership_identifier: str, analysis_template_identifier: str
    ) -> None:
        """DeleteAnalysisTemplate (HTTP 204): gone for every member
        (:func:`..cascades.template_deleted`)."""
        with lock:
            template = own_analysis_template(
                self, membership_identifier, analysis_template_identifier
            )
            template_deleted(self.store, template)

    # ---- the collaboration's views ------------------------------------------------------------

    def get_collaboration_analysis_template(
        self, *, collaboration_identifier: str, analysis_template_arn: str
    ) -> AnalysisTemplate:
        """GetCollaborationAnalysisTemplate: any member's template, by ARN, for the
        collaboration's ACTIVE members (others AccessDeniedException)."""
        collaboration = active_member(self, collaboration_identifier, _READ)
        with lock:
            return collaboration_template(self, collaboration, analysis_template_arn)

    def list_collaboration_analysis_templates(
        self, *, collaboration_identifier: str
    ) -> Listing[AnalysisTemplate]:
        """ListCollaborationAnalysisTemplates: every member's templates, oldest first, for the
        collaboration's ACTIVE members."""
        collaboration = active_member(self, collaboration_identifier, _READ)
        return self._listing(collaboration.id)

    def batch_get_collaboration_analysis_template(
        self, *, collaboration_identifier: str, analysis_template_arns: list[str]
    ) -> dict[str, Any]:
        """BatchGetCollaborationAnalysisTemplate: the templates found, and an ``errors`` entry
        (``arn``, ``code``, ``message``) for each ARN that names none, never an exception."""
        collaboration = active_member(self, collaboration_identifier, _READ)
        found: list[dict[str, Any]] = []
        errors: list[dict[str, str]] = []
        with lock:
            for template_arn in analysis_template_arns:
                try:
                    template = collaboration_template(self, collaboration, template_arn)
                except CleanRoomsError as error:
                    errors.append(
                        {"arn": template_arn, "code": error.code, "message": error.message}
                    )
                else:
                    found.append(template.describe(self.account_id))
        return {"collaborationAnalysisTemplates": found, "errors": errors}

    def _listing(self, key: str) -> Listing[AnalysisTemplate]:
        """The live templates indexed under ``key`` (a membership or collaboration id)."""
        table = self.store.table(AnalysisTemplate)

        def keep(template: AnalysisTemplate) -> bool:
            return table.by_id.get(template.id) is template

        return Listing(table.index(key), keep)
