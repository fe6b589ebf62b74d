"""Who the client is: the one answer the API throttle, the request-form limit and the
login protection all count by.

Behind `NUM_PROXIES` reverse proxies, each proxy appends the address it received the
request from to `X-Forwarded-For`, so the hop the outermost trusted proxy wrote is the
`NUM_PROXIES`-th from the right; anything left of it was written by the client and can be
anything. With no proxy the header is the client's own words and is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as far as our own proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    # Fewer hops than proxies: the request did not pass through all of them, so none of
    # the header can be trusted.
    if len(hops) < proxies:
        return remote
    hop = hops[-proxies]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return remote


def login_client_address(request: HttpRequest) -> str | None:
    """The same address for the login protection, or None when there is none (a login
    made in code, such as a test's force_login): axes stores it as an IP address."""
    address = client_address(request)
    return None if address == "unknown" else address
