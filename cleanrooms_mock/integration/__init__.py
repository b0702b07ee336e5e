"""How cleanrooms-mock plugs into botocore and moto: every hook and patch, in one place.

Two entry points serve Clean Rooms requests in-process, and exactly one of them answers a call:

* alone, ``mock_cleanrooms`` answers through a botocore ``before-send`` hook registered for
  every session created after import (:mod:`.hooks`);
* inside ``moto.mock_aws()`` moto's own stubber answers every call, and we wrap its
  ``process_request`` once, at import, so Clean Rooms goes to us even where moto ships its own
  ``cleanrooms`` (moto >= 5.2.3; :mod:`.moto_patches`).

Both hand the request to :func:`.service.handle`, as the HTTP server does. Importing this
package stays cheap: the service (protocol and domain) is imported on the first request.
"""

from __future__ import annotations

from .hooks import NotMockedError, install_hook
from .moto_patches import install_into_moto

__all__ = ["NotMockedError", "install"]


def install() -> None:
    """Register our hook for new botocore sessions and take Clean Rooms over from moto."""
    install_hook()
    install_into_moto()
