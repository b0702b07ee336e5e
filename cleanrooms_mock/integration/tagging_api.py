"""What the Resource Groups Tagging API sees of Clean Rooms, wherever moto serves that API.

moto answers the Resource Groups Tagging API (the ``tagging`` endpoint: GetResources,
GetTagKeys, GetTagValues, TagResources, UntagResources) inside ``mock_aws`` and, through moto,
in server mode. It knows only moto's own services, so without this module Clean Rooms resources
are missing from its listings and TagResources reports their ARNs as failed. :func:`install`
extends moto's tagging backend class, once per process, by wrapping the three generators its
listings page through and its two tag changers (the same names from moto 5.0 to 5.2):

* listings: after moto's own resources come the ones
  :func:`cleanrooms_mock.domain.tags.taggable_resources` yields for the calling account and
  region, with the API's filters applied;
* changes: ARNs of the service ``cleanrooms`` go to Clean Rooms' own TagResource and
  UntagResource through the dispatcher (:meth:`.service.dispatcher.call`: injected faults, the
  model's constraints, the domain's rules), and a refusal
  becomes the entry AWS documents in FailedResourcesMap: the Clean Rooms error's code, HTTP
  status and message (FailureInfo, Resource Groups Tagging API reference).

Clean Rooms ARNs never reach moto's own ``cleanrooms`` backend (moto >= 5.2.3) here. The patch
is applied when moto's tagging modules are imported (an import hook, :class:`_PatchOnImport`),
whatever imports them first: moto's stubber, a request the server or :mod:`.forwarding` hands
to moto, moto's server, a test. Importing cleanrooms_mock stays cheap (it does not import them:
in moto 5.0 that loads a dozen other services).
``mock_cleanrooms`` alone does not serve the Tagging API: it raises NotMockedError, as for any
service but Clean Rooms and STS.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import inspect
import json
import sys
import threading
import types
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..domain.tags import TaggableResource
    from ..protocol.errors import CleanRoomsError

__all__ = ["install"]

_SERVICE = "cleanrooms"
_PACKAGE = __package__.rpartition(".")[0]
#: moto's tagging backend methods this module wraps.
_WRAPPED = (
    "_get_resources_generator",
    "_get_tag_keys_generator",
    "_get_tag_values_generator",
    "tag_resources",
)
#: What moto's TagResources reports for an ARN of a service it does not tag.
_NOT_SUPPORTED = {
    "StatusCode": 404,
    "ErrorCode": "InternalServiceException",
    "ErrorMessage": "Service not yet supported",
}

_lock = threading.Lock()
_patched = False

Failures = dict[str, dict[str, Any]]


def install() -> None:
    """Make moto's Tagging API serve Clean Rooms: now for the modules moto has loaded, the
    others when they are imported. Idempotent.

    The import hook costs one dictionary lookup per module imported afterwards.
    """
    if not any(isinstance(finder, _PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())
    for name, patch in _PATCHES.items():
        module = sys.modules.get(name)
        if module is not None:
            patch(module)


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches moto's tagging modules as they are imported, by whichever path moto takes."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        patch = _PATCHES.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:  # the spec the import system would find without us
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if isinstance(spec.loader, importlib.abc.Loader):
                    spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    """A module's own loader, then ``patch`` on the loaded module (other methods delegated)."""

    def __init__(self, loader: importlib.abc.Loader, patch: Callable[[Any], None]) -> None:
        self._loader = loader
        self._patch = patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... for tracebacks
        return getattr(self._loader, name)


def _patch_backend(models: Any) -> None:
    """Wrap moto's tagging backend class (once per process)."""
    global _patched
    with _lock:
        if _patched:
            return
        _patched = True  # a moto we cannot extend is reported once
        backend: Any = getattr(models, "ResourceGroupsTaggingAPIBackend", None)
        missing = [name for name in _WRAPPED if not callable(getattr(backend, name, None))]
        if missing:
            warnings.warn(
                f"cleanrooms-mock cannot show Clean Rooms to this moto's Resource Groups Tagging "
                f"API (its backend has no {', '.join(missing)}); it serves moto's services only.",
                RuntimeWarning,
                stacklevel=2,
            )
            return
        wrappers = {
            "_get_resources_generator": _listing(backend._get_resources_generator, models),
            "_get_tag_keys_generator": _with_keys(backend._get_tag_keys_generator),
            "_get_tag_values_generator": _with_values(backend._get_tag_values_generator),
            "tag_resources": _tagging(backend.tag_resources),
            "untag_resources": _untagging(getattr(backend, "untag_resources", _untag_nothing)),
        }
        for name, wrapper in wrappers.items():
            setattr(backend, name, wrapper)


def _patch_answers(responses: Any) -> None:
    """Give moto 5.0's Tagging API, which has no UntagResources, one."""
    answers: Any = getattr(responses, "ResourceGroupsTaggingAPIResponse", None)
    if answers is not None and not hasattr(answers, "untag_resources"):
        answers.untag_resources = _untag_resources_answer


#: moto's modules to patch when loaded, and how.
_PATCHES: dict[str, Callable[[Any], None]] = {
    "moto.resourcegroupstaggingapi.models": _patch_backend,
    "moto.resourcegroupstaggingapi.responses": _patch_answers,
}


# ---- listings ---------------------------------------------------------------------------------


def _listing(original: Callable[..., Iterator[Any]], models: Any) -> Callable[..., Iterator[Any]]:
    """GetResources' generator: moto's resources (none of its own ``cleanrooms``), then ours.

    moto >= 5.2 pages ``TaggedResource`` objects it has filtered; older ones, dicts shaped like
    the API's ResourceTagMapping.
    """
    parameters = inspect.signature(original)
    tagged_resource = getattr(models, "TaggedResource", None)

    def arn_of(item: Any) -> Any:
        return item.arn if tagged_resource is not None else item.get("ResourceARN")

    def item_of(resource: TaggableResource) -> Any:
        if tagged_resource is not None:
            return tagged_resource(resource.arn, resource.tags, _resource_type(resource.arn))
        tags = [{"Key": key, "Value": value} for key, value in resource.tags.items()]
        return {"ResourceARN": resource.arn, "Tags": tags}

    @functools.wraps(original)
    def resources(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        given = parameters.bind(self, *args, **kwargs).arguments
        for item in original(self, *args, **kwargs):
            if not _is_ours(arn_of(item)):
                yield item
        for resource in _listed(
            self,
            given.get("tag_filters"),
            given.get("resource_type_filters"),
            given.get("resource_arn_list"),
        ):
            yield item_of(resource)

    return resources


def _listed(
    tagging: Any,
    tag_filters: list[dict[str, Any]] | None,
    type_filters: list[str] | None,
    arns: list[str] | None,
) -> Iterator[TaggableResource]:
    """Our resources GetResources lists, as its reference describes its filters.

    Tagged or previously tagged resources only; ResourceTypeFilters ``service[:resourceType]``
    as in the ARN; every TagFilter must match, a key with no Values matching any value.
    """
    if type_filters and _SERVICE not in {kind.split(":", 1)[0] for kind in type_filters}:
        return
    if arns and not any(_is_ours(arn) for arn in arns):
        return
    for resource in _resources(tagging):
        if not resource.ever_tagged:
            continue
        if type_filters and not {_SERVICE, _resource_type(resource.arn)} & set(type_filters):
            continue
        if arns and resource.arn not in arns:
            continue
        if all(_tag_matches(resource.tags, wanted) for wanted in tag_filters or ()):
            yield resource


def _tag_matches(tags: dict[str, str], wanted: dict[str, Any]) -> bool:
    key = wanted.get("Key")
    values = wanted.get("Values") or ()
    return key in tags and (not values or tags[key] in values)


def _with_keys(original: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    """GetTagKeys' generator: moto's keys, then those of our resources it did not name."""

    @functools.wraps(original)
    def keys(self: Any) -> Iterator[str]:
        ours = (key for resource in _resources(self) for key in resource.tags)
        return _distinct(original(self), ours)

    return keys


def _with_values(
    original: Callable[[Any, str], Iterator[str]],
) -> Callable[[Any, str], Iterator[str]]:
    """GetTagValues' generator: moto's values of the key, then those of our resources."""

    @functools.wraps(original)
    def values(self: Any, tag_key: str) -> Iterator[str]:
        ours = (r.tags[tag_key] for r in _resources(self) if tag_key in r.tags)
        return _distinct(original(self, tag_key), ours)

    return values


def _distinct(theirs: Iterable[str], ours: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for text in theirs:
        seen.add(text)
        yield text
    for text in ours:
        if text not in seen:
            seen.add(text)
            yield text


def _resources(tagging: Any) -> Iterator[TaggableResource]:
    """Every Clean Rooms resource the calling account may tag in the region moto serves."""
    backend = sys.modules.get(f"{_PACKAGE}.domain.backend")
    if backend is None:
        return iter(())  # no Clean Rooms state was ever made in this process
    # Looked up, not created: a region with no state has nothing to tag.
    tagged: Iterator[TaggableResource] = backend.tagged_by(tagging.account_id, tagging.region_name)
    return tagged


# ---- changes ----------------------------------------------------------------------------------


def _tagging(original: Callable[..., Failures]) -> Callable[..., Failures]:
    @functools.wraps(original)
    def tag_resources(self: Any, resource_arns: list[str], tags: dict[str, str]) -> Failures:
        return _change(self, original, resource_arns, "TagResource", "tags", tags)

    return tag_resources


def _untagging(original: Callable[..., Failures]) -> Callable[..., Failures]:
    @functools.wraps(original)
    def untag_resources(self: Any, resource_arn_list: list[str], tag_keys: list[str]) -> Failures:
        return _change(self, original, resource_arn_list, "UntagResource", "tagKeys", tag_keys)

    return untag_resources


def _change(
    tagging: Any,
    original: Callable[..., Failures],
    arns: list[str] | None,
    operation_name: str,
    member: str,
    value: Any,
) -> Failures:
    """Our ARNs through Clean Rooms' ``operation_name``, the others through moto."""
    ours = [arn for arn in arns or () if _is_ours(arn)]
    if not ours:
        return original(tagging, arns, value)
    from ..protocol.errors import CleanRoomsError

    theirs = [arn for arn in arns or () if not _is_ours(arn)]
    failed = dict(original(tagging, theirs, value)) if theirs else {}
    for arn in ours:
        try:
            _serve(tagging, operation_name, {"resourceArn": arn, member: value})
        except CleanRoomsError as error:
            failed[arn] = _failure(error)
    return failed


def _serve(tagging: Any, operation_name: str, params: dict[str, Any]) -> None:
    """Clean Rooms' TagResource or UntagResource, as :func:`.service.handle` serves it."""
    from .service import dispatcher

    dispatcher.call(operation_name, params, tagging.account_id, tagging.region_name)


def _failure(error: CleanRoomsError) -> dict[str, Any]:
    """A FailureInfo: "any valid error code returned by the AWS service that hosts the resource"."""
    from ..protocol.model import serialize_error

    status = serialize_error(error).status
    return {"StatusCode": status, "ErrorCode": error.code, "ErrorMessage": error.message}


def _untag_nothing(self: Any, resource_arn_list: list[str], tag_keys: list[str]) -> Failures:
    """moto 5.0 untags nothing: every ARN fails as its TagResources fails for such services."""
    return {arn: dict(_NOT_SUPPORTED) for arn in resource_arn_list or ()}


def _untag_resources_answer(self: Any) -> str:
    """UntagResources for a moto whose Tagging API lacks it, answered as its TagResources."""
    failed = self.backend.untag_resources(
        resource_arn_list=self._get_param("ResourceARNList", []),
        tag_keys=self._get_param("TagKeys", []),
    )
    return json.dumps({"FailedResourcesMap": failed})


# ---- shared -----------------------------------------------------------------------------------


def _is_ours(arn: Any) -> bool:
    """An ARN of Clean Rooms (``arn:<partition>:cleanrooms:...``)."""
    parts = arn.split(":", 3) if isinstance(arn, str) else ()
    return len(parts) == 4 and parts[0] == "arn" and parts[2] == _SERVICE


def _resource_type(arn: str) -> str:
    """``cleanrooms:collaboration``: the service and the resource type the ARN names; for a
    resource nested in a membership (``membership/<id>/analysistemplate/<id>``) the nested type,
    as the IAM reference names it (``analysistemplate``)."""
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else ""
    segments = resource.split("/")
    kind = segments[-2] if len(segments) >= 4 else segments[0]
    return f"{_SERVICE}:{kind}"
