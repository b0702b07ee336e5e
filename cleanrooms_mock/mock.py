"""Activation: ``mock_cleanrooms`` and how cleanrooms-mock plugs into botocore and moto.

Two entry points serve requests in-process, and exactly one of them answers a call:

* alone, ``mock_cleanrooms`` answers through a botocore ``before-send`` hook registered for
  every session created after import (Clean Rooms itself, STS through moto so that
  ``assume_role`` can switch accounts; any other AWS call is refused, never sent);
* inside ``moto.mock_aws()`` moto's own stubber answers every call, and we wrap its
  ``process_request`` once, at import, so Clean Rooms goes to us even where moto ships its own
  ``cleanrooms`` (moto >= 5.2.3). State then lives and is reset with moto's backends. Our hook
  runs before moto's stubber and answers only the Clean Rooms requests the stubber cannot tell
  apart: unsigned ones to an ``endpoint_url`` of the client's own.

A request goes to the service it is signed for (or its client's service), never by its URL, so a
client with any ``endpoint_url`` is served; a request handed to moto is rebuilt on that service's
AWS host when moto does not know its URL (:func:`moto_url`), and moto acts as the account
:mod:`.accounts` names, the one Clean Rooms acts as. Activations of both styles nest
(:class:`CleanRoomsMock`).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import os
import re
import sys
import threading
import unittest
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import urlsplit

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.base_backend import BackendDict, backend_lock
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import MockAWS, botocore_stubber
from moto.core.responses import BaseResponse

from .accounts import ACCOUNT_HEADER, ambient_account, named_account, signing_scope
from .defaults import DEFAULT_REGION

if TYPE_CHECKING:
    from .faults import Fault
    from .service import Response

# The service core (model, shapes, backend) is imported on first use, not with the package:
# `import cleanrooms_mock` then costs little more than importing moto (see benchmarks/).

__all__ = ["CleanRoomsMock", "NotMockedError", "forward_to_moto", "mock_cleanrooms", "moto_url"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
#: What moto's stubber answers: (status, headers, body).
MotoAnswer = tuple[int, Mapping[str, str], str | bytes]

#: Clean Rooms' signing name and endpoint prefix (botocore model metadata).
_SERVICE = "cleanrooms"
#: Only for unsigned requests, which name no service: Clean Rooms' AWS endpoints.
_CLEANROOMS_URL = re.compile(
    r"^https?://cleanrooms(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com|api\.aws)"
)
#: Services ``mock_cleanrooms`` serves through moto besides Clean Rooms: STS, so that
#: ``assume_role`` credentials can act as another account.
_SERVED_THROUGH_MOTO = frozenset({"sts"})
_HOOK_ID = "cleanrooms-mock-before-send"
#: Marks a request our before-send hook answered, so that moto's stubber does not answer it too.
_ANSWERED = "_cleanrooms_mock_answered"
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "FOOBARKEY", "AWS_SECRET_ACCESS_KEY": "FOOBARSECRET"}
#: The account moto acts as for the request being handed to it (see _moto_acts_as).
_MOTO_ACCOUNT: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "cleanrooms_mock_moto_account", default=None
)


class NotMockedError(RuntimeError):
    """An AWS call ``mock_cleanrooms`` does not serve: raised instead of letting it leave."""


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        if hasattr(body, "seek"):
            body.seek(0)
        return data if isinstance(data, bytes) else str(data).encode("utf-8")
    return bytes(body)


def _headers(request: Any) -> dict[str, str]:
    """The request's headers, names lower-cased as handle() wants them, values as text."""
    headers = request.headers
    # botocore's HeadersDict keeps its entries in ``_dict`` under keys that carry their
    # lower-cased name; reading it directly is several times faster than items(), which
    # rebuilds a key object per header (a sixth of the mock's time per call, by profile).
    store = getattr(headers, "_dict", None)
    if isinstance(store, dict):
        pairs = ((getattr(key, "_lower", None) or str(key).lower(), v) for key, v in store.items())
    else:
        pairs = ((str(key).lower(), v) for key, v in headers.items())
    return {key: (v.decode("utf-8") if isinstance(v, bytes) else str(v)) for key, v in pairs}


def _header(request: Any, name: str) -> str:
    """One header of the request as text ("" when absent); names match in any case."""
    value = request.headers.get(name)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return "" if value is None else str(value)


def _service_of(request: Any) -> str | None:
    """The service a request is signed for; an unsigned one to a Clean Rooms endpoint of AWS is
    Clean Rooms'; None for any other unsigned request."""
    scope = signing_scope(_header(request, "authorization"), request.url)
    if scope is not None:
        return scope.service
    return _SERVICE if _CLEANROOMS_URL.match(request.url) else None


def _serve(request: Any) -> Response:
    from .responses import handle

    return handle(
        request.method, request.url, _headers(request), _body_bytes(request.body), lowered=True
    )


def _answer_clean_rooms(request: Any) -> MotoAnswer:
    response = _serve(request)
    return response.status, response.headers, response.body


# ---- handing a request to moto ---------------------------------------------------------------

#: moto's own ``process_request``, before we wrap it (set by _install_into_moto).
_moto_process_request: Callable[[Any], MotoAnswer | None] = botocore_stubber.process_request


def moto_url(url: str, service: str, region: str) -> str | None:
    """The URL moto answers for a request to ``url`` signed for ``service`` in ``region``.

    moto finds a service by its AWS host name, so a URL none of its services claims (a client's
    ``endpoint_url``, the server's own address) is rebuilt on the host the service has on AWS
    (``https://sts.us-east-1.amazonaws.com`` + path and query). Returns ``url`` itself when moto
    knows it, None when moto has no service signed as ``service`` (services whose host is not
    their signing name may not be found).
    """
    from moto.backend_index import backend_url_patterns

    parts = urlsplit(url)
    if _moto_knows(f"{parts.scheme}://{parts.netloc}{parts.path}", backend_url_patterns):
        return url
    host = f"https://{service}.{region}.amazonaws.com"
    if not _moto_knows(f"{host}{parts.path or '/'}", backend_url_patterns):
        return None
    return f"{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _moto_knows(url: str, patterns: list[tuple[str, re.Pattern[str]]]) -> bool:
    return any(pattern.match(url) for _, pattern in patterns)


def forward_to_moto(request: Any, service: str | None) -> MotoAnswer | None:
    """moto's answer to ``request``, acting as the caller Clean Rooms would act as; None when
    moto lets the request through (as moto's stubber does).

    ``service`` is the client's service, for a request that is not signed (a signed one goes to
    the service its signature names).
    The URL is rebuilt with :func:`moto_url` unless moto knows it or is configured to pass it
    through (``mock_aws(config={"core": {"passthrough": ...}})``).
    """
    from moto.core.config import passthrough_url

    scope = signing_scope(_header(request, "authorization"), request.url)
    service = scope.service if scope is not None else service
    if service is not None:
        parts = urlsplit(request.url)
        if not passthrough_url(f"{parts.scheme}://{parts.netloc}{parts.path}"):
            url = moto_url(request.url, service, scope.region if scope else DEFAULT_REGION)
            if url is not None and url != request.url:
                request = _with_url(request, url)
    with _moto_acts_as(named_account(_header(request, ACCOUNT_HEADER), scope)):
        return _moto_process_request(request)


def _with_url(request: Any, url: str) -> AWSPreparedRequest:
    """A copy of ``request`` sent to ``url`` (the Host header, if any, follows)."""
    host = urlsplit(url).netloc
    headers = HeadersDict()
    for name, value in request.headers.items():
        headers[name] = host if str(name).lower() == "host" else value
    return AWSPreparedRequest(request.method, url, headers, request.body, request.stream_output)


@contextmanager
def _moto_acts_as(account: str | None) -> Iterator[None]:
    """moto acts as ``account`` for what it answers inside (None: as moto itself decides).

    moto reads ``MOTO_ACCOUNT_ID`` before the request's own ``x-moto-account-id`` header and
    access key (``BaseResponse.get_current_account``); the account the request names must win
    here, as it does for Clean Rooms, so moto is told directly (per thread and task).
    """
    token = _MOTO_ACCOUNT.set(account)
    try:
        yield
    finally:
        _MOTO_ACCOUNT.reset(token)


# ---- the botocore hook (first of the before-send handlers) ----------------------------------


def _before_send(event_name: str, request: Any, **kwargs: Any) -> AWSResponse | None:
    moto_active = botocore_stubber.enabled
    if not moto_active and not CleanRoomsMock.active():
        return None
    # The client's service, from the event ("before-send.<service>.<Operation>"): it names the
    # service even for an unsigned request or a client with its own endpoint_url.
    service = event_name.split(".")[1] if event_name.count(".") >= 1 else ""
    if service == _SERVICE:
        if moto_active and _service_of(request) == _SERVICE:
            return None  # moto's stubber, after us, gives it to us (process_request below)
        # botocore runs every before-send handler and takes the first answer: moto's stubber,
        # after us, must leave this request alone (see process_request in _install_into_moto).
        setattr(request, _ANSWERED, True)
        return _aws_response(request.url, _serve(request))
    if moto_active:
        return None  # inside mock_aws moto's stubber, after us, answers every other service
    if service not in _SERVED_THROUGH_MOTO:
        raise NotMockedError(
            f"mock_cleanrooms serves Clean Rooms and STS (for account switching); "
            f"{service or 'this service'} is not mocked, so the request to {request.url} was not "
            f"sent. To mock {service or 'it'} too, wrap the code in moto's mock_aws() as well: "
            "Clean Rooms calls stay with cleanrooms-mock inside it."
        )
    answer = forward_to_moto(request, service)
    if answer is None:
        raise NotMockedError(
            f"moto is configured to pass {service} requests through; the request to "
            f"{request.url} was not sent. Remove it from moto's passthrough configuration."
        )
    status, headers, body = answer
    return AWSResponse(request.url, status, headers, MockRawResponse(body))


def _aws_response(url: str, response: Response) -> AWSResponse:
    return AWSResponse(url, response.status, response.headers, MockRawResponse(response.body))


# ---- inside moto's mock_aws ------------------------------------------------------------------


def _install_into_moto() -> None:
    """Take our part in moto (once per process; idempotent): route Clean Rooms to us, make
    moto act as our caller, and keep the state of an outer ``mock_cleanrooms``."""
    global _moto_process_request
    original = botocore_stubber.process_request
    if getattr(original, "_cleanrooms_mock", False):
        return
    _moto_process_request = original

    @functools.wraps(original)
    def process_request(request: Any) -> Any:
        if getattr(request, _ANSWERED, False):
            return None  # our before-send hook answered it already
        service = _service_of(request)
        if service == _SERVICE:
            return _answer_clean_rooms(request)
        return forward_to_moto(request, service)

    process_request._cleanrooms_mock = True  # type: ignore[attr-defined]
    botocore_stubber.process_request = process_request  # type: ignore[method-assign]
    _act_as_our_caller()
    _reset_settings_with_moto()
    _keep_state_under_mock_cleanrooms()


def _act_as_our_caller() -> None:
    """moto's ``get_current_account`` answers the account of :func:`_moto_acts_as` first."""
    original = BaseResponse.get_current_account

    @functools.wraps(original)
    def get_current_account(self: Any) -> str:
        account = _MOTO_ACCOUNT.get()
        return account if account is not None else str(original(self))

    BaseResponse.get_current_account = get_current_account  # type: ignore[method-assign]


def _reset_settings_with_moto() -> None:
    """When moto resets its backends (each ``mock_aws()`` start), reset quotas and faults too.

    They are process-wide settings, not backend state, so moto's reset would miss them and a
    quota or fault set inside one ``mock_aws()`` would leak into the next. An active
    ``mock_cleanrooms`` owns them instead, and they are left to it.
    """
    original = BackendDict.__dict__["reset"].__func__

    def reset(cls: type) -> None:
        original(cls)
        if CleanRoomsMock.active():
            return
        # Only what was ever loaded can have been changed.
        faults_module = sys.modules.get(f"{__package__}.faults")
        quotas_module = sys.modules.get(f"{__package__}.models.quotas")
        if faults_module is not None:
            faults_module.faults.clear()
        if quotas_module is not None:
            quotas_module.quotas.reset()

    BackendDict.reset = classmethod(reset)  # type: ignore[assignment,method-assign]


def _keep_state_under_mock_cleanrooms() -> None:
    """A ``mock_aws()`` started or stopped inside an active ``mock_cleanrooms`` resets nothing.

    The outermost activation owns the state (Clean Rooms', and moto's: STS credentials it
    issued, resources made inside): ``mock_cleanrooms`` discards it when it ends.
    """
    original = MockAWS.reset

    @functools.wraps(original)
    def reset(self: Any) -> None:
        if not CleanRoomsMock.active():
            original(self)
            return
        in_use: list[Any] = BackendDict._instances  # type: ignore[misc]
        with backend_lock:  # moto's reset then finds no backend to reset
            kept = list(in_use)
            in_use.clear()
            try:
                original(self)
            finally:
                in_use[:] = kept

    MockAWS.reset = reset  # type: ignore[method-assign]


def install() -> None:
    """Register our hook for new botocore sessions and take Clean Rooms over from moto.

    The hook goes before moto's stubber, so inside ``mock_aws`` it still sees which client sent
    a request (an unsigned Clean Rooms call with its own ``endpoint_url`` is ours too).
    """
    if ("before-send", _before_send) not in BUILTIN_HANDLERS:
        stubber = next(
            (i for i, entry in enumerate(BUILTIN_HANDLERS) if entry[1] is botocore_stubber),
            len(BUILTIN_HANDLERS),
        )
        BUILTIN_HANDLERS.insert(stubber, ("before-send", _before_send))
        # boto3's default session, if one was made before this import, lacks the hook.
        session = boto3.DEFAULT_SESSION
        if session is not None:
            session.events.register_first("before-send", _before_send, unique_id=_HOOK_ID)
    _install_into_moto()
    from .tagging_api import install as show_to_tagging_api  # moto's Tagging API

    show_to_tagging_api()


# ---- activation ------------------------------------------------------------------------------


@dataclass
class _Activation:
    """What one ``start()`` changed, for its ``stop()`` to give back."""

    #: The outermost activation of either style owns the state: it started it and discards it.
    owner: bool
    quotas: dict[str, int]
    faults: list[Fault]
    #: The environment variables it set, with their values before (None: unset).
    environment: dict[str, str | None]


class CleanRoomsMock:
    """A decorator, context manager and ``start()``/``stop()`` handle for the Clean Rooms mock.

    Activations nest, ``mock_cleanrooms`` and moto's ``mock_aws`` in any order: the outermost
    start begins from an empty state and the outermost stop discards it, so nothing leaks from
    one test into the next; an inner activation keeps that state, and what it set (quotas,
    faults, fake credentials) ends with it.
    """

    _lock = threading.RLock()
    _active = 0

    def __init__(
        self,
        quotas: Mapping[str, int] | None = None,
        account: str | None = None,
        region: str = DEFAULT_REGION,
    ) -> None:
        from .settings import check_account, check_quotas, check_region

        self.quotas = check_quotas({} if quotas is None else quotas, "mock_cleanrooms(quotas=...)")
        self._account = (
            None if account is None else check_account(account, "mock_cleanrooms(account=...)")
        )
        self.region = check_region(region, "mock_cleanrooms(region=...)")
        self._activations: list[_Activation] = []

    @property
    def account(self) -> str:
        """The account :meth:`client` acts as by default: the one given, else
        ``MOTO_ACCOUNT_ID``, else moto's default ``123456789012``."""
        return self._account or ambient_account()

    @account.setter
    def account(self, account: str | None) -> None:
        from .settings import check_account

        self._account = None if account is None else check_account(account, "account")

    def client(self, account: str | None = None, region: str | None = None, **kwargs: Any) -> Any:
        """A boto3 ``cleanrooms`` client acting as ``account`` (no STS plumbing needed).

        The account travels in moto's ``x-moto-account-id`` header, which the mock honours
        in-process, inside ``mock_aws`` and in server mode alike, before ``MOTO_ACCOUNT_ID``
        and the client's credentials (README "Accounts and regions"). An account that is not 12
        digits or a region without Clean Rooms raises ValueError (TypeError: not a string).
        """
        from .settings import check_account, check_region

        if account is not None:
            check_account(account, "client(account=...)")
        if region is not None:
            check_region(region, "client(region=...)")
        client = boto3.client("cleanrooms", region_name=region or self.region, **kwargs)
        acting_as = account or self.account

        def add_account(request: Any, **_: Any) -> None:
            request.headers[ACCOUNT_HEADER] = acting_as

        client.meta.events.register("before-sign.cleanrooms", add_account)
        return client

    def inject(self, error: str, operation: str | None = None, **options: Any) -> Fault:
        """Make calls fail with a modeled error; see :meth:`FaultPlan.inject` for the options.

        ``mock.inject("ThrottlingException", "create_membership", times=2)`` fails the next two
        ``create_membership`` calls; ``rate=0.2, seed=1`` fails a fifth of them, reproducibly.
        """
        from .faults import faults

        return faults.inject(error, operation, **options)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        from .faults import faults

        faults.clear()

    def load(self, source: str | os.PathLike[str] | Mapping[str, Any]) -> None:
        """Seed the state from a JSON/YAML file or a mapping (format: :mod:`.seeding`)."""
        from .seeding import load_state  # imported on first use: it costs ~15 ms at import

        load_state(source)

    def dump(self) -> dict[str, Any]:
        """The current state, in the format :meth:`load` reads."""
        from .seeding import dump_state

        return dump_state()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the current state to ``path`` (JSON, or YAML by extension), atomically."""
        from .seeding import save_state

        save_state(path)

    @classmethod
    def active(cls) -> bool:
        return cls._active > 0

    def start(self, reset: bool = True) -> None:
        """Activate; with ``reset`` (the default) the outermost activation starts empty.

        An activation inside another one, or inside moto's ``mock_aws()``, keeps that state.
        """
        from .faults import faults
        from .models import quotas, reset_state

        with CleanRoomsMock._lock:
            owner = CleanRoomsMock._active == 0 and not botocore_stubber.enabled
            activation = _Activation(owner, dict(vars(quotas)), faults.snapshot(), {})
            if owner:
                faults.clear()
                if reset:
                    reset_state()
                quotas.reset()
            if not os.environ.get("AWS_ACCESS_KEY_ID"):
                for name, value in _FAKE_CREDENTIALS.items():
                    activation.environment[name] = os.environ.get(name)
                    os.environ[name] = value
            # boto3's default session is kept (unlike moto, which replaces it at every start):
            # a new session reloads botocore's data files, ~50 ms per activation. Every session
            # has our hook (see install()), so nothing it sends leaves the process.
            quotas.update(self.quotas)  # even for a nested activation, until it stops
            self._activations.append(activation)
            CleanRoomsMock._active += 1

    def stop(self, remove_data: bool = True) -> None:
        """Deactivate; the outermost stop discards the state unless ``remove_data`` is false.

        The state is Clean Rooms' and moto's (STS credentials the mock issued, whatever an inner
        ``mock_aws()`` made): an inner activation leaves both to the outermost one.
        """
        from .faults import faults
        from .models import quotas, reset_state

        with CleanRoomsMock._lock:
            if CleanRoomsMock._active == 0 or not self._activations:
                raise RuntimeError("mock_cleanrooms: stop() called without a matching start()")
            activation = self._activations.pop()
            CleanRoomsMock._active -= 1
            if not activation.owner:
                faults.restore(activation.faults)
            else:
                faults.clear()
                if remove_data:
                    reset_state()
                    if not botocore_stubber.enabled:  # a mock_aws() started later owns moto's
                        BackendDict.reset()
            quotas.update(activation.quotas)
            for name, value in activation.environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def __enter__(self) -> CleanRoomsMock:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorate a function, a method or a class (each ``test*`` method, with ``setUp``)."""
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if callable(target):
            return self._wrap(target, reset=True, remove_data=True)
        raise TypeError(f"mock_cleanrooms cannot decorate {target!r}")

    def _wrap(self, function: F, reset: bool, remove_data: bool) -> F:
        # pytest passes setup_method an argument when a wrapper's own code accepts one: give
        # the wrapped function only as many positional arguments as it takes.
        limit = _positional_limit(function)
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                self.start(reset=reset)
                try:
                    return await function(*args[:limit], **kwargs)
                finally:
                    self.stop(remove_data=remove_data)

            return run_async  # type: ignore[return-value]

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            self.start(reset=reset)
            try:
                return function(*args[:limit], **kwargs)
            finally:
                self.stop(remove_data=remove_data)

        return run  # type: ignore[return-value]

    def _decorate_class(self, klass: type) -> type:
        if issubclass(klass, unittest.TestCase):
            # One activation around setUp, the test and tearDown: they share one state.
            klass.run = self._wrap(klass.run, reset=True, remove_data=True)  # type: ignore[method-assign]
            return klass
        # pytest-style classes: a setup method seeds the state the test then sees.
        has_setup = any(
            name in vars(cls) for cls in klass.__mro__ for name in ("setup_method", "setup")
        )
        for name, value in list(vars(klass).items()):
            if isinstance(value, (staticmethod, classmethod)) or not callable(value):
                continue
            if name in ("setup_method", "setup"):
                setattr(klass, name, self._wrap(value, reset=True, remove_data=False))
            elif name.startswith(unittest.TestLoader.testMethodPrefix):
                setattr(klass, name, self._wrap(value, reset=not has_setup, remove_data=True))
        return klass


def _positional_limit(function: Callable[..., Any]) -> int | None:
    """How many positional arguments ``function`` accepts (None: any number)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in positional)


@overload
def mock_cleanrooms(target: T) -> T: ...


@overload
def mock_cleanrooms(
    *,
    quotas: Mapping[str, int] | None = None,
    account: str | None = None,
    region: str = DEFAULT_REGION,
) -> CleanRoomsMock: ...


def mock_cleanrooms(
    target: Any = None,
    *,
    quotas: Mapping[str, int] | None = None,
    account: str | None = None,
    region: str = DEFAULT_REGION,
) -> Any:
    """Mock AWS Clean Rooms: ``@mock_cleanrooms``, ``with mock_cleanrooms():`` or ``start()``.

    ``quotas`` overrides service quotas for this activation, e.g.
    ``mock_cleanrooms(quotas={"memberships_per_account": 2})``; ``account`` and ``region`` are
    what :meth:`CleanRoomsMock.client` acts as by default (no ``account``: ``MOTO_ACCOUNT_ID``,
    else moto's default ``123456789012``). Each is checked here (a 12-digit account string, a
    region where Clean Rooms runs, known quota names): TypeError or ValueError, with a message
    saying what to give instead.
    """
    mock = CleanRoomsMock(quotas=quotas, account=account, region=region)
    return mock if target is None else mock(target)
