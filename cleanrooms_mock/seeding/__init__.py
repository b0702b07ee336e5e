"""Seeding: load the mock's state from a JSON or YAML document, and dump it back to one.

A test starts from a known state (collaborations, invitations, memberships, configured tables)
without a page of boto3 calls, and a state a test reached can be saved and reloaded. Loading
replays the document through the domain: every entry is validated against the installed
botocore model, then created with the backend's own methods, so a seeded state is one the
service could have reached (same rules, same quotas, same indexes and list order).

Format (version 1), as :func:`dump_state` returns it::

    {"version": 1,
     "regions": {
       "us-east-1": {
         "collaborations": [
           {"id": "0f5d...",                        # optional: kept, else a new one
            "creatorAccountId": "123456789012",
            "name": "ads", "creatorDisplayName": "Publisher",
            "creatorMemberAbilities": ["CAN_QUERY"], "queryLogStatus": "ENABLED",
            "members": [{"accountId": "222222222222", "displayName": "Advertiser",
                         "memberAbilities": [], "status": "ACTIVE",
                         "updateTime": "2025-01-02T00:00:00+00:00"}],
            "tags": {"team": "ads"},
            "createTime": "2025-01-01T00:00:00+00:00",   # optional, ISO 8601
            "updateTime": "2025-01-01T00:00:00+00:00",   # optional
            "deleted": false,                            # optional
            "memberships": [
              {"id": "9a1c...", "accountId": "222222222222", "queryLogStatus": "DISABLED",
               "status": "ACTIVE", "deleted": false,
               "createTime": "2025-01-02T00:00:00+00:00",
               "updateTime": "2025-01-02T00:00:00+00:00"}]}],
         "configuredTables": [
           {"id": "5e2b...",                           # optional: kept, else a new one
            "accountId": "222222222222",               # the owner
            "name": "orders",
            "tableReference": {"glue": {"databaseName": "sales", "tableName": "orders"}},
            "allowedColumns": ["user_id", "amount"], "analysisMethod": "DIRECT_QUERY",
            "tags": {"team": "data"},
            "analysisRule": {"analysisRuleType": "CUSTOM",           # optional
                             "analysisRulePolicy": {"v1": {"custom": {"allowedAnalyses": []}}},
                             "createTime": "2025-01-03T00:00:00+00:00",
                             "updateTime": "2025-01-03T00:00:00+00:00"},
            "createTime": "2025-01-03T00:00:00+00:00",
            "updateTime": "2025-01-03T00:00:00+00:00"}],
         "configuredTableAssociations": [
           {"id": "7c4d...", "accountId": "222222222222",   # the owner
            "membershipIdentifier": "9a1c...", "configuredTableIdentifier": "5e2b...",
            "name": "orders", "roleArn": "arn:aws:iam::222222222222:role/cleanrooms",
            "analysisRule": {"analysisRuleType": "CUSTOM",            # optional
                             "analysisRulePolicy": {"v1": {"custom": {
                                 "allowedResultReceivers": ["123456789012"]}}}},
            "createTime": "2025-01-04T00:00:00+00:00"}]}}}

* A **collaboration** is ``creatorAccountId`` plus the input members of CreateCollaboration, named
  as in the installed botocore model (an input AWS adds works unchanged), plus the optional
  ``id``, ``createTime``, ``updateTime``, ``deleted`` and ``memberships``. Inputs left out get
  the service's defaults, as through the API (``analyticsEngine`` ``SPARK``, ``isMetricsEnabled``
  false; memberships too: ``domain.service_defaults.SERVICE_DEFAULTS``), and a dump writes them
  out. Values the API no longer accepts are loaded as they are: ``"analyticsEngine":
  "CLEAN_ROOMS_SQL"`` restores a legacy collaboration, which CreateCollaboration refuses (the
  refusal is the protocol's, :mod:`..protocol.withdrawn`; seeding calls the domain directly).
* A **member** (``members[]``) is a MemberSpecification plus an optional ``status`` (INVITED,
  ACTIVE, LEFT, REMOVED) and ``updateTime``. Its status follows from the account's membership
  entry and, when given, must agree with it: no membership entry makes it INVITED (or REMOVED:
  removed before joining), a membership ACTIVE, a REMOVED membership REMOVED, a deleted one
  LEFT. The creator is not listed there; its status follows from its membership entry alone.
* A **membership** (``memberships[]``) is ``accountId`` (the creator or an invited member, once)
  plus the input members of CreateMembership but ``collaborationIdentifier``, plus the optional
  ``id``, ``status`` (ACTIVE, the default; REMOVED; COLLABORATION_DELETED), ``deleted`` (the
  member left: the membership is gone from its lists but still referenced by its member entry),
  ``createTime`` and ``updateTime``.
* A **deleted collaboration** (``"deleted": true``) is gone for everyone; it is kept so that its
  memberships (COLLABORATION_DELETED, or REMOVED) still read as they did. An ACTIVE membership
  in it, or a COLLABORATION_DELETED one in a live collaboration, is refused.
* A **configured table** (a region's ``configuredTables[]``) is ``accountId`` (its owner) plus
  the input members of CreateConfiguredTable, plus the optional ``id``, ``createTime``,
  ``updateTime`` and ``analysisRule``: the input members of CreateConfiguredTableAnalysisRule
  but ``configuredTableIdentifier``, plus its ``createTime`` and ``updateTime`` (default: the
  table's ``createTime``). Entries are replayed in document order (each account lists its
  tables in that order) through the owner's operations and their rules (quotas, allowed
  columns, one rule per table), except that the Glue Data Catalog is not read: a document does
  not carry moto's Glue tables. A dump writes the live tables, oldest first; deleted ones are
  not kept.
* A **configured table association** (a region's ``configuredTableAssociations[]``) is
  ``accountId`` plus the input members of CreateConfiguredTableAssociation (the membership and
  configured table by id), plus the optional ``id``, ``createTime``, ``updateTime`` and
  ``analysisRule`` (its collaboration analysis rule: ``domain/associations/seed.py``). Entries
  are replayed after the region's collaborations and memberships, through the owner's
  operations; schemas follow from them.
* Unknown keys are refused (a typo is never silently ignored); a ``null`` value counts as absent.
  Timestamps are ISO 8601 (YAML timestamps too); naive ones are UTC. ``updateTime`` defaults to
  ``createTime``; members take the collaboration's ``createTime``, and their ``updateTime``
  defaults to their membership's ``createTime`` (joined) or ``updateTime`` (removed, left), else
  the collaboration's ``createTime``.

Loading (:func:`load_state`) adds to the current state; ids must be new. Entries are applied in
document order, or, when every collaboration and membership of a region has a ``createTime`` (as
dumps do), in ``createTime`` order, so that each account lists its memberships in the order it
joined. Statuses are reached the way the service reaches them: REMOVED by the creator's
DeleteMember, ``deleted`` memberships by the member's DeleteMembership, a deleted collaboration
by the creator's DeleteCollaboration once its memberships exist; quotas apply as at creation.

Loading is all-or-nothing: the whole document is checked first (structure, the model, references,
ids, statuses), reporting every problem at once; the domain rules then apply entry by entry to a
staged copy of the state, under the store's lock, and the copy replaces the state only when every
entry succeeded: a failure leaves the state as it was.

The package: :mod:`.core` is the format (version, problems, files, shared checks), each family's
section is ``domain/<family>/seed.py``, and :mod:`.state` puts them together. The loading
functions are imported on first use, so that a family's section can import :mod:`.core` without
importing every section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core import FORMAT_VERSION, SeedError, SeedProblem

if TYPE_CHECKING:
    from .state import dump_state, load_state, replace_state, save_state

__all__ = [
    "FORMAT_VERSION",
    "SeedError",
    "SeedProblem",
    "dump_state",
    "load_state",
    "replace_state",
    "save_state",
]

_FROM_STATE = frozenset({"dump_state", "load_state", "replace_state", "save_state"})


def __getattr__(name: str) -> Any:
    """The loading functions of :mod:`.state`, imported on first use."""
    if name in _FROM_STATE:
        from . import state

        return getattr(state, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
