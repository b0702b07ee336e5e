"""The association operations: associate a configured table, read, list, update, delete; its
collaboration analysis rule: create, read, update, delete; and the schemas members read:
get, list, batch get, and their analysis rules.

Each public method is the model operation of the same name (botocore's ``xform_name``), served
by the protocol's dispatcher. The rules are :mod:`.rules` and :mod:`.schemas`; what deleting an
association does is :func:`..cascades.association_deleted`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..access import (
    active_membership,
    own_association,
    own_association_rule,
    own_configured_table,
    own_membership,
    schema_reader,
)
from ..cascades import association_deleted
from ..collaborations.entities import Collaboration
from ..configured_tables.rules import table_facts
from ..errors import CleanRoomsError, NotFound
from ..pagination import Listing
from ..resources import new_id, now
from ..store import Scope, lock
from ..tags import check_tags
from .entities import (
    ConfiguredTableAssociation,
    ConfiguredTableAssociationAnalysisRule,
    Schema,
    live_associations,
    schema_key,
)
from .rules import (
    association_name,
    check_association_free,
    check_collaboration_rule,
    check_collaboration_rule_change,
    check_single_collaboration_rule,
)
from .schemas import schema_analysis_rule, schema_detail

__all__ = ["ConfiguredTableAssociationOps", "SchemaOps", "add_collaboration_rule"]


class ConfiguredTableAssociationOps(Scope):
    """The operations of configured table associations and their collaboration analysis rules."""

    def create_configured_table_association(
        self,
        *,
        membership_identifier: str,
        configured_table_identifier: str,
        name: str,
        role_arn: str,
        description: str | None = None,
        tags: dict[str, str] | None = None,
        fixed_id: str | None = None,
    ) -> ConfiguredTableAssociation:
        """CreateConfiguredTableAssociation: one of the caller's configured tables, in the
        collaboration of one of its ACTIVE memberships, under ``name`` (stored in lower case,
        unique in the collaboration; the table associated there once).

        ``configuredTableIdentifier`` "Currently accepts a configured table ID" of the caller's
        (model): another account's table is ResourceNotFound (CONFIGURED_TABLE). ``fixed_id``
        fixes the new id (seeding).
        """
        tags = tags or {}
        check_tags(tags)
        with lock:
            membership = active_membership(self, membership_identifier, "associate tables")
            table = own_configured_table(self, configured_table_identifier)
            collaboration = membership.collaboration
            stored_name = association_name(name)
            store = self.store
            schemas = store.table(Schema)
            by_name = schemas.by_id.get(schema_key(collaboration.id, stored_name))
            by_table = next(
                (
                    a
                    for a in live_associations(store.table(ConfiguredTableAssociation), table.id)
                    if a.membership.collaboration is collaboration
                ),
                None,
            )
            check_association_free(
                stored_name, table.id, by_name.association if by_name else None, by_table
            )
            timestamp = now()
            association = ConfiguredTableAssociation(
                id=fixed_id or new_id(),
                membership=membership,
                configured_table=table,
                name=stored_name,
                role_arn=role_arn,
                description=description,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=store.next_seq(),
            )
            association.schema = Schema(association)
            keys = (self.account_id, membership.id, table.id)
            store.table(ConfiguredTableAssociation).add(
                association.id, association, association.seq, keys
            )
            schemas.add(
                association.schema.key, association.schema, association.seq, (collaboration.id,)
            )
        return association

    def get_configured_table_association(
        self, *, membership_identifier: str, configured_table_association_identifier: str
    ) -> ConfiguredTableAssociation:
        """GetConfiguredTableAssociation: an association of one of the caller's memberships."""
        return own_association(self, membership_identifier, configured_table_association_identifier)

    def list_configured_table_associations(
        self, *, membership_identifier: str
    ) -> Listing[ConfiguredTableAssociation]:
        """ListConfiguredTableAssociations: the membership's associations, oldest first."""
        membership = own_membership(self, membership_identifier)
        table = self.store.table(ConfiguredTableAssociation)

        def keep(association: ConfiguredTableAssociation) -> bool:
            return table.by_id.get(association.id) is association

        return Listing(table.index(membership.id), keep)

    def update_configured_table_association(
        self,
        *,
        membership_identifier: str,
        configured_table_association_identifier: str,
        description: str | None = None,
        role_arn: str | None = None,
    ) -> ConfiguredTableAssociation:
        """UpdateConfiguredTableAssociation: its ``description`` and ``roleArn``, the only
        members the model lets it change; through an ACTIVE membership."""
        with lock:
            association = own_association(
                self,
                membership_identifier,
                configured_table_association_identifier,
                "update table associations",
            )
            if description is not None:
                association.description = description
            if role_arn is not None:
                association.role_arn = role_arn
            association.update_time = now()
        return association

    def delete_configured_table_association(
        self, *, membership_identifier: str, configured_table_association_identifier: str
    ) -> None:
        """DeleteConfiguredTableAssociation (HTTP 204): gone, with its collaboration analysis
        rule and its schema (:func:`..cascades.association_deleted`)."""
        with lock:
            association = own_association(
                self,
                membership_identifier,
                configured_table_association_identifier,
                "delete table associations",
            )
            association_deleted(self.store, association)

    # ---- the collaboration analysis rule ------------------------------------------------------

    def create_configured_table_association_analysis_rule(
        self,
        *,
        membership_identifier: str,
        configured_table_association_identifier: str,
        analysis_rule_type: str,
        analysis_rule_policy: dict[str, Any],
    ) -> ConfiguredTableAssociationAnalysisRule:
        """CreateConfiguredTableAssociationAnalysisRule: the association's one collaboration
        analysis rule (a second is ConflictException ALREADY_EXISTS), of the type of the
        table's analysis rule (:func:`.rules.check_rule_matches_table`), its result receivers
        members who can receive results (:func:`.rules.check_collaboration_rule`)."""
        with lock:
            association = own_association(
                self,
                membership_identifier,
                configured_table_association_identifier,
                "change table associations",
            )
            check_single_collaboration_rule(association)
            check_collaboration_rule_change(association, analysis_rule_type, analysis_rule_policy)
            return _attach_rule(association, analysis_rule_type, analysis_rule_policy, now())

    def get_configured_table_association_analysis_rule(
        self,
        *,
        membership_identifier: str,
        configured_table_association_identifier: str,
        analysis_rule_type: str,
    ) -> ConfiguredTableAssociationAnalysisRule:
        """GetConfiguredTableAssociationAnalysisRule: the association's rule of that type."""
        return own_association_rule(
            self, membership_identifier, configured_table_association_identifier, analysis_rule_type
        )

    def update_configured_table_association_analysis_rule(
        self,
        *,
        membership_identifier: str,
        configured_table_association_identifier: str,
        analysis_rule_type: str,
        analysis_rule_policy: dict[str, Any],
    ) -> ConfiguredTableAssociationAnalysisRule:
        """UpdateConfiguredTableAssociationAnalysisRule: a new policy, under the creation rules
        (:func:`.rules.check_collaboration_rule_change`, as Create: also the type of the table's
        analysis rule as it is now)."""
        with lock:
            rule = own_association_rule(
                self,
                membership_identifier,
                configured_table_association_identifier,
                analysis_rule_type,
                "change table associations",
            )
            check_collaboration_rule_change(
                rule.association, analysis_rule_type, analysis_rule_policy
            )
            rule.policy = analysis_rule_policy
            rule.update_time = now()
        return rule

    def delete_configured_table_association_analysis_rule(
        self,
        *,
        membership_identifier: str,
        configured_table_association_identifier: str,
        analysis_rule_type: str,
    ) -> None:
        """DeleteConfiguredTableAssociationAnalysisRule (HTTP 204): the schema turns NOT_READY."""
        with lock:
            rule = own_association_rule(
                self,
                membership_identifier,
                configured_table_association_identifier,
                analysis_rule_type,
                "change table associations",
            )
            rule.association.analysis_rule = None


def add_collaboration_rule(
    association: ConfiguredTableAssociation,
    rule_type: str,
    policy: dict[str, Any],
    when: datetime | None = None,
) -> ConfiguredTableAssociationAnalysisRule:
    """Check ``policy`` (:func:`.rules.check_collaboration_rule`) and give ``association`` its
    collaboration analysis rule. Seeding calls it directly: a state document replays rules
    whose table rule has changed type since (the schema then says so), which Create refuses."""
    check_collaboration_rule(rule_type, policy, association.membership.collaboration)
    return _attach_rule(association, rule_type, policy, when or now())


def _attach_rule(
    association: ConfiguredTableAssociation,
    rule_type: str,
    policy: dict[str, Any],
    timestamp: datetime,
) -> ConfiguredTableAssociationAnalysisRule:
    """Give ``association`` its collaboration analysis rule, checked by the caller."""
    rule = ConfiguredTableAssociationAnalysisRule(
        association, rule_type, policy, timestamp, timestamp
    )
    association.analysis_rule = rule
    return rule


class SchemaOps(Scope):
    """The schemas of a collaboration's associations, for its ACTIVE members."""

    def get_schema(self, *, collaboration_identifier: str, name: str) -> dict[str, Any]:
        """GetSchema: the schema called ``name`` (the association's lower-case name), with its
        columns and status as they are now (:func:`.schemas.schema_detail`)."""
        collaboration = schema_reader(self, collaboration_identifier)
        with lock:
            return self._detail(self._schema(collaboration, name))

    def list_schemas(
        self, *, collaboration_identifier: str, schema_type: str | None = None
    ) -> Listing[Schema]:
        """ListSchemas: the collaboration's schemas, oldest first; ``schemaType`` filters
        (every schema here is a TABLE: ID mapping and intermediate tables are not served)."""
        collaboration = schema_reader(self, collaboration_identifier)
        table = self.store.table(Schema)

        def keep(schema: Schema) -> bool:
            return table.by_id.get(schema.key) is schema and schema_type in (None, "TABLE")

        return Listing(table.index(collaboration.id), keep)

    def batch_get_schema(
        self, *, collaboration_identifier: str, names: list[str]
    ) -> dict[str, Any]:
        """BatchGetSchema: the schemas found, and an ``errors`` entry (``name``, ``code``,
        ``message``) for each name that is not one, never an exception for it."""
        collaboration = schema_reader(self, collaboration_identifier)
        found: list[dict[str, Any]] = []
        errors: list[dict[str, str]] = []
        with lock:
            for name in names:
                try:
                    found.append(self._detail(self._schema(collaboration, name)))
                except CleanRoomsError as error:
                    errors.append({"name": name, "code": error.code, "message": error.message})
        return {"schemas": found, "errors": errors}

    def get_schema_analysis_rule(
        self, *, collaboration_identifier: str, name: str, type: str
    ) -> dict[str, Any]:
        """GetSchemaAnalysisRule: the table's rule of ``type`` with the collaboration rule and
        the ``consolidatedPolicy`` of both (:func:`.schemas.schema_analysis_rule`)."""
        collaboration = schema_reader(self, collaboration_identifier)
        with lock:
            schema = self._schema(collaboration, name)
            return schema_analysis_rule(schema.association, type)

    def batch_get_schema_analysis_rule(
        self, *, collaboration_identifier: str, schema_analysis_rule_requests: list[dict[str, str]]
    ) -> dict[str, Any]:
        """BatchGetSchemaAnalysisRule: the rules found, and an ``errors`` entry (``name``,
        ``type``, ``code``, ``message``) for each request that names none."""
        collaboration = schema_reader(self, collaboration_identifier)
        found: list[dict[str, Any]] = []
        errors: list[dict[str, str]] = []
        with lock:
            for request in schema_analysis_rule_requests:
                name, kind = request["name"], request["type"]
                try:
                    association = self._schema(collaboration, name).association
                    found.append(schema_analysis_rule(association, kind))
                except CleanRoomsError as error:
                    errors.append(
                        {"name": name, "type": kind, "code": error.code, "message": error.message}
                    )
        return {"analysisRules": found, "errors": errors}

    def _schema(self, collaboration: Collaboration, name: str) -> Schema:
        """The collaboration's schema ``name`` (compared in lower case, as names are stored);
        ResourceNotFound (resourceType CONFIGURED_TABLE_ASSOCIATION: the model's ResourceType
        has no value for schemas) for any other."""
        schema = self.store.table(Schema).by_id.get(schema_key(collaboration.id, name.lower()))
        if schema is None:
            raise NotFound(
                "CONFIGURED_TABLE_ASSOCIATION",
                name,
                f"Schema {name} not found in collaboration {collaboration.id}.",
            )
        return schema

    def _detail(self, schema: Schema) -> dict[str, Any]:
        table = schema.association.configured_table
        facts = table_facts(
            table.attributes,
            account_id=table.account_id,
            region=table.region,
            verify_catalog=self.verify_glue_tables,
        )
        return schema_detail(schema, facts)
