"""How cleanrooms-mock plugs into botocore and moto: every hook and patch, in one place.

Two entry points serve requests in-process, and exactly one of them answers a call:

* alone, ``mock_cleanrooms`` answers through a botocore ``before-send`` hook registered for
  every session created after import (:mod:`.hooks`): Clean Rooms, and STS, Glue and S3
  through moto;
* inside ``moto.mock_aws()`` moto's own stubber answers every call, and we wrap its
  ``process_request`` once, at import, so Clean Rooms goes to us even where moto ships its own
  ``cleanrooms`` (moto >= 5.2.3; :mod:`.moto_patches`). Our hook runs before moto's stubber
  and answers only the Clean Rooms requests the stubber cannot tell apart.

A request goes to the service it is signed for, never by its URL, and moto acts as the caller
Clean Rooms acts as (:mod:`.forwarding`). Both hand Clean Rooms requests to
:func:`.service.handle`, as the HTTP server does; moto's Resource Groups Tagging API sees
Clean Rooms resources (:mod:`.tagging_api`). Importing this package stays cheap: the service
(protocol and domain) is imported on the first request.
"""

from __future__ import annotations

from .hooks import NotMockedError, install_hook
from .moto_patches import install_into_moto
from .tagging_api import install as show_to_tagging_api

__all__ = ["NotMockedError", "install"]


def install() -> None:
    """Register our hook for new botocore sessions, take Clean Rooms over from moto, and show
    Clean Rooms to moto's Resource Groups Tagging API."""
    install_hook()
    install_into_moto()
    show_to_tagging_api()
