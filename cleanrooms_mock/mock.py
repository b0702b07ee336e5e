"""Activation: ``mock_cleanrooms`` and how cleanrooms-mock plugs into botocore and moto.

Two entry points serve Clean Rooms requests in-process, and exactly one of them answers a call:

* alone, ``mock_cleanrooms`` answers through a botocore ``before-send`` hook registered for
  every session created after import (Clean Rooms itself, STS through moto so that
  ``assume_role`` can switch accounts; any other AWS call is refused, never sent);
* inside ``moto.mock_aws()`` moto's own stubber answers every call, and we wrap its
  ``process_request`` once, at import, so Clean Rooms goes to us even where moto ships its own
  ``cleanrooms`` (moto >= 5.2.3). State then lives and is reset with moto's backends.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
import threading
import unittest
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

import boto3
from botocore.awsrequest import AWSResponse
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.base_backend import BackendDict
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

from .defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION

if TYPE_CHECKING:
    from .faults import Fault
    from .service import Response

# The service core (model, shapes, backend) is imported on first use, not with the package:
# `import cleanrooms_mock` then costs little more than importing moto (see benchmarks/).

__all__ = ["CleanRoomsMock", "NotMockedError", "mock_cleanrooms"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

_CLEANROOMS_URL = re.compile(
    r"^https?://cleanrooms(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com|api\.aws)"
)
#: Services ``mock_cleanrooms`` serves through moto besides Clean Rooms: STS, so that
#: ``assume_role`` credentials can act as another account.
_SERVED_THROUGH_MOTO = frozenset({"sts"})
_HOOK_ID = "cleanrooms-mock-before-send"
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "FOOBARKEY", "AWS_SECRET_ACCESS_KEY": "FOOBARSECRET"}


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


def _serve(request: Any) -> Response:
    from .responses import handle

    return handle(
        request.method, request.url, _headers(request), _body_bytes(request.body), lowered=True
    )


def _aws_response(url: str, response: Response) -> AWSResponse:
    return AWSResponse(url, response.status, response.headers, MockRawResponse(response.body))


# ---- the botocore hook (mock_cleanrooms alone) ---------------------------------------------


def _before_send(event_name: str, request: Any, **kwargs: Any) -> AWSResponse | None:
    if not CleanRoomsMock.active() or botocore_stubber.enabled:
        return None  # inactive, or inside mock_aws where moto's stubber answers every call
    service = event_name.split(".")[1] if event_name.count(".") >= 1 else ""
    if service == "cleanrooms":
        return _aws_response(request.url, _serve(request))
    if service in _SERVED_THROUGH_MOTO:
        answer = botocore_stubber.process_request(request)
        if answer is not None:
            status, headers, body = answer
            return AWSResponse(request.url, status, headers, MockRawResponse(body))
    raise NotMockedError(
        f"mock_cleanrooms serves Clean Rooms (and STS for account switching), not "
        f"{service or 'this service'}: the request to {request.url} was not sent. "
        "Wrap the code in moto's mock_aws() as well to mock other AWS services."
    )


# ---- inside moto's mock_aws ------------------------------------------------------------------


def _install_into_moto() -> None:
    """Route moto's stubber to us for Clean Rooms (once per process; idempotent)."""
    original = botocore_stubber.process_request
    if getattr(original, "_cleanrooms_mock", False):
        return

    @functools.wraps(original)
    def process_request(request: Any) -> Any:
        if _CLEANROOMS_URL.match(request.url):
            response = _serve(request)
            return response.status, response.headers, response.body
        return original(request)

    process_request._cleanrooms_mock = True  # type: ignore[attr-defined]
    botocore_stubber.process_request = process_request  # type: ignore[method-assign]
    _reset_settings_with_moto()


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


def install() -> None:
    """Register our hook for new botocore sessions and take Clean Rooms over from moto."""
    if ("before-send", _before_send) not in BUILTIN_HANDLERS:
        BUILTIN_HANDLERS.append(("before-send", _before_send))
        # boto3's default session, if one was made before this import, lacks the hook.
        session = boto3.DEFAULT_SESSION
        if session is not None:
            session.events.register("before-send", _before_send, unique_id=_HOOK_ID)
    _install_into_moto()
    from .tagging_api import install as show_to_tagging_api  # moto's Tagging API

    show_to_tagging_api()


# ---- activation ------------------------------------------------------------------------------


class CleanRoomsMock:
    """A decorator, context manager and ``start()``/``stop()`` handle for the Clean Rooms mock.

    Activations nest: the outermost start begins from an empty state and the outermost stop
    discards it, so nothing leaks from one test into the next.
    """

    _lock = threading.RLock()
    _active = 0
    _saved_env: ClassVar[dict[str, str | None]] = {}

    def __init__(
        self,
        quotas: Mapping[str, int] | None = None,
        account: str = DEFAULT_ACCOUNT_ID,
        region: str = DEFAULT_REGION,
    ) -> None:
        from .settings import check_account, check_quotas, check_region

        self.quotas = check_quotas({} if quotas is None else quotas, "mock_cleanrooms(quotas=...)")
        #: The account and region :meth:`client` acts as by default.
        self.account = check_account(account, "mock_cleanrooms(account=...)")
        self.region = check_region(region, "mock_cleanrooms(region=...)")
        self._saved_quotas: list[dict[str, int]] = []

    def client(self, account: str | None = None, region: str | None = None, **kwargs: Any) -> Any:
        """A boto3 ``cleanrooms`` client acting as ``account`` (no STS plumbing needed).

        The account travels in moto's ``x-moto-account-id`` header, which the mock honours
        in-process, inside ``mock_aws`` and in server mode alike. An account that is not 12
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
            request.headers["x-moto-account-id"] = acting_as

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
        """Activate; with ``reset`` (the default) the outermost activation starts empty."""
        from .models import quotas

        with CleanRoomsMock._lock:
            CleanRoomsMock._active += 1
            if CleanRoomsMock._active == 1:
                self._activate(reset)
            # Quotas apply even to a nested activation, and are restored when it stops.
            self._saved_quotas.append(dict(vars(quotas)))
            quotas.update(self.quotas)

    def stop(self, remove_data: bool = True) -> None:
        """Deactivate; the outermost stop discards the state unless ``remove_data`` is false."""
        from .models import quotas

        with CleanRoomsMock._lock:
            if CleanRoomsMock._active == 0 or not self._saved_quotas:
                raise RuntimeError("mock_cleanrooms: stop() called without a matching start()")
            quotas.update(self._saved_quotas.pop())
            CleanRoomsMock._active -= 1
            if CleanRoomsMock._active == 0:
                self._deactivate(remove_data)

    @staticmethod
    def _activate(reset: bool) -> None:
        from .faults import faults
        from .models import quotas, reset_state

        faults.clear()
        if reset:
            reset_state()
        quotas.reset()
        CleanRoomsMock._saved_env = {}
        if not os.environ.get("AWS_ACCESS_KEY_ID"):
            for name, value in _FAKE_CREDENTIALS.items():
                CleanRoomsMock._saved_env[name] = os.environ.get(name)
                os.environ[name] = value
        # boto3's default session is kept (unlike moto, which replaces it at every start):
        # a new session reloads botocore's data files, ~50 ms per activation. Every session
        # has our hook (see install()), so nothing it sends leaves the process.

    @staticmethod
    def _deactivate(remove_data: bool) -> None:
        from .faults import faults
        from .models import reset_state

        faults.clear()
        if remove_data:
            reset_state()
        for name, value in CleanRoomsMock._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        CleanRoomsMock._saved_env = {}

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
    account: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> CleanRoomsMock: ...


def mock_cleanrooms(
    target: Any = None,
    *,
    quotas: Mapping[str, int] | None = None,
    account: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> Any:
    """Mock AWS Clean Rooms: ``@mock_cleanrooms``, ``with mock_cleanrooms():`` or ``start()``.

    ``quotas`` overrides service quotas for this activation, e.g.
    ``mock_cleanrooms(quotas={"memberships_per_account": 2})``; ``account`` and ``region`` are
    what :meth:`CleanRoomsMock.client` acts as by default. Each is checked here (a 12-digit
    account string, a region where Clean Rooms runs, known quota names): TypeError or
    ValueError, with a message saying what to give instead.
    """
    mock = CleanRoomsMock(quotas=quotas, account=account, region=region)
    return mock if target is None else mock(target)
