"""The configured-table operations: configure a table, read, list, update, delete; and its
analysis rule: create, read, update, delete.

Each public method is the model operation of the same name (botocore's ``xform_name``), served
by the protocol's dispatcher: keyword-only parameters for the input members it reads,
``**inputs`` for those it stores as given. The rules are :mod:`.rules` and
:mod:`.analysis_rules`; the Glue Data Catalog is read through :mod:`.glue` unless the mock's
``verify_glue_tables`` option is off (:attr:`.store.Scope.verify_glue_tables`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..access import own_analysis_rule, own_configured_table
from ..cascades import configured_table_deleted
from ..pagination import Listing
from ..quotas import quota_exceeded, quotas
from ..resources import new_id, now
from ..store import Scope, lock
from ..tags import check_tags
from .analysis_rules import check_analysis_rule, check_rule_size, check_single_analysis_rule
from .entities import ConfiguredTable, ConfiguredTableAnalysisRule
from .rules import TableFacts, check_configured_table, check_configured_table_update, table_facts

__all__ = ["ConfiguredTableOps"]

_TABLES_QUOTA = "configured_tables_per_account"


class ConfiguredTableOps(Scope):
    """The operations of the configured-tables family."""

    def create_configured_table(
        self,
        *,
        table_reference: dict[str, Any],
        allowed_columns: list[str],
        analysis_method: str,
        selected_analysis_methods: list[str] | None = None,
        tags: dict[str, str] | None = None,
        fixed_id: str | None = None,
        **inputs: Any,
    ) -> ConfiguredTable:
        """CreateConfiguredTable: the caller's reference to a table, with the columns it allows.

        A ``glue`` reference (or an ``athena`` one in the Glue Data Catalog) must name a table
        of the caller's account in the reference's region (default: the call's), and every
        allowed column must be one of its columns or partition keys (:func:`.rules.
        check_configured_table`). ``tableType`` and ``analysisRuleTypes`` are derived.
        Quotas: configured tables per account, columns per allowlist. ``fixed_id`` fixes the
        new id, as for :meth:`.CollaborationOps.create_collaboration`.
        """
        tags = tags or {}
        check_tags(tags)
        _check_allowlist(allowed_columns)
        attributes: dict[str, Any] = {
            **inputs,
            "tableReference": table_reference,
            "allowedColumns": allowed_columns,
            "analysisMethod": analysis_method,
        }
        if selected_analysis_methods is not None:
            attributes["selectedAnalysisMethods"] = selected_analysis_methods
        with lock:
            check_configured_table(
                attributes,
                account_id=self.account_id,
                region=self.region_name,
                verify_catalog=self.verify_glue_tables,
            )
            store = self.store
            if store.count(_TABLES_QUOTA, self.account_id) >= quotas.configured_tables_per_account:
                raise quota_exceeded(_TABLES_QUOTA)
            timestamp = now()
            table = ConfiguredTable(
                id=fixed_id or new_id(),
                account_id=self.account_id,
                region=self.region_name,
                attributes=attributes,
                tags=dict(tags),
                create_time=timestamp,
                update_time=timestamp,
                seq=store.next_seq(),
            )
            store.table(ConfiguredTable).add(table.id, table, table.seq, (self.account_id,))
            store.adjust(_TABLES_QUOTA, self.account_id, 1)
        return table

    def get_configured_table(self, *, configured_table_identifier: str) -> ConfiguredTable:
        """GetConfiguredTable: only this account's own configured tables exist for it."""
        return own_configured_table(self, configured_table_identifier)

    def list_configured_tables(self) -> Listing[ConfiguredTable]:
        """ListConfiguredTables: this account's configured tables, oldest first."""
        table = self.store.table(ConfiguredTable)

        def keep(configured: ConfiguredTable) -> bool:
            return table.by_id.get(configured.id) is configured

        return Listing(table.index(self.account_id), keep)

    def update_configured_table(
        self,
        *,
        configured_table_identifier: str,
        allowed_columns: list[str] | None = None,
        **inputs: Any,
    ) -> ConfiguredTable:
        """UpdateConfiguredTable: every updatable member, under the creation rules.

        The members given replace the stored ones; the merged table must pass the creation
        checks, and its analysis rule, if it has one, must stay valid
        (:func:`.rules.check_configured_table_update`). Nothing changes when a check fails.
        """
        with lock:
            table = own_configured_table(self, configured_table_identifier)
            changes = dict(inputs)
            if allowed_columns is not None:
                _check_allowlist(allowed_columns)
                changes["allowedColumns"] = allowed_columns
            rule = table.analysis_rule
            merged, _ = check_configured_table_update(
                table.attributes,
                changes,
                account_id=self.account_id,
                region=table.region,
                analysis_rule=(rule.type, rule.policy) if rule else None,
                verify_catalog=self.verify_glue_tables,
            )
            table.attributes = merged
            table.update_time = now()
        return table

    def delete_configured_table(self, *, configured_table_identifier: str) -> None:
        """DeleteConfiguredTable (HTTP 204): gone, and its analysis rule with it; refused while
        it is associated to a collaboration (:func:`..cascades.configured_table_deleted`)."""
        with lock:
            table = own_configured_table(self, configured_table_identifier)
            store = self.store
            configured_table_deleted(store, table)
            store.table(ConfiguredTable).remove(table.id)
            store.adjust(_TABLES_QUOTA, self.account_id, -1)
            table.analysis_rule = None

    # ---- the table's analysis rule ------------------------------------------------------------

    def create_configured_table_analysis_rule(
        self,
        *,
        configured_table_identifier: str,
        analysis_rule_type: str,
        analysis_rule_policy: dict[str, Any],
    ) -> ConfiguredTableAnalysisRule:
        """CreateConfiguredTableAnalysisRule: the table's one analysis rule.

        A second rule, of any type, is a ConflictException (ALREADY_EXISTS); the policy must
        suit the table (:func:`.analysis_rules.check_analysis_rule`: only CUSTOM for tables
        not in S3, columns among ``allowedColumns``, ...) and stay within the analysis rule
        size quota.
        """
        with lock:
            table = own_configured_table(self, configured_table_identifier)
            existing = [table.analysis_rule.type] if table.analysis_rule else []
            check_single_analysis_rule(table.id, existing, analysis_rule_type)
            self._check_rule(table, analysis_rule_type, analysis_rule_policy)
            timestamp = now()
            rule = ConfiguredTableAnalysisRule(
                table, analysis_rule_type, analysis_rule_policy, timestamp, timestamp
            )
            table.analysis_rule = rule
        return rule

    def get_configured_table_analysis_rule(
        self, *, configured_table_identifier: str, analysis_rule_type: str
    ) -> ConfiguredTableAnalysisRule:
        """GetConfiguredTableAnalysisRule: the table's rule of that type."""
        return own_analysis_rule(self, configured_table_identifier, analysis_rule_type)

    def update_configured_table_analysis_rule(
        self,
        *,
        configured_table_identifier: str,
        analysis_rule_type: str,
        analysis_rule_policy: dict[str, Any],
    ) -> ConfiguredTableAnalysisRule:
        """UpdateConfiguredTableAnalysisRule: a new policy, under the creation rules (the
        checks Create makes, :meth:`_check_rule`, against the table as it is now)."""
        with lock:
            rule = own_analysis_rule(self, configured_table_identifier, analysis_rule_type)
            self._check_rule(rule.configured_table, analysis_rule_type, analysis_rule_policy)
            rule.policy = analysis_rule_policy
            rule.update_time = now()
        return rule

    def delete_configured_table_analysis_rule(
        self, *, configured_table_identifier: str, analysis_rule_type: str
    ) -> None:
        """DeleteConfiguredTableAnalysisRule (HTTP 204): the table has no rule any more."""
        with lock:
            rule = own_analysis_rule(self, configured_table_identifier, analysis_rule_type)
            rule.configured_table.analysis_rule = None

    def _check_rule(
        self, table: ConfiguredTable, rule_type: str, policy: Mapping[str, Any]
    ) -> None:
        """The checks Create and UpdateConfiguredTableAnalysisRule share: the analysis rule
        size quota and :func:`.analysis_rules.check_analysis_rule` against ``table``'s Glue
        columns and ``allowedColumns`` as they are now."""
        check_rule_size(policy)
        check_analysis_rule(rule_type, policy, self._facts(table))

    def _facts(self, table: ConfiguredTable) -> TableFacts:
        """What the analysis-rule checks need to know about ``table`` (its Glue columns)."""
        return table_facts(
            table.attributes,
            account_id=table.account_id,
            region=table.region,
            verify_catalog=self.verify_glue_tables,
        )


def _check_allowlist(allowed_columns: Sequence[str]) -> None:
    """The quota "Columns per configured table allowlist" (default 100)."""
    if len(allowed_columns) > quotas.allowed_columns_per_configured_table:
        raise quota_exceeded("allowed_columns_per_configured_table")
