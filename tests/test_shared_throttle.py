"""The public write limits hold across processes: several gunicorn workers with the
production settings count one address together, in the database cache migrate made, for
the API's throttle and for the request form's own limit."""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.servers import Server, gunicorn


@pytest.mark.django_db(transaction=True)
def test_four_workers_let_through_only_the_rate_however_the_header_is_forged():
    with gunicorn(workers=4, API_PUBLIC_WRITE_RATE="6/hour") as server:
        codes = [
            server.call(
                "POST",
                "/api/v1/booking-requests/",
                "{}",
                {"X-Forwarded-For": f"198.51.100.{n}"},
            )[0]
            for n in range(24)
        ]
    # Invalid bodies still count: the throttle runs before the input is read.
    assert codes.count(400) == 6
    assert codes.count(429) == 18


def form_page(server: Server, path: str) -> tuple[str, str]:
    """The request form as a browser gets it: its CSRF cookie and the form's token."""
    link = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        link.request("GET", path)
        response = link.getresponse()
        page = response.read().decode()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or ():
            cookies.load(header)
    finally:
        link.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the request form carries a CSRF token"
    return f"csrftoken={cookies['csrftoken'].value}", token.group(1)


@pytest.mark.django_db(transaction=True)
def test_four_workers_count_one_persons_request_form_posts_together(room):
    """The form's own limit (RENTER_FORM_RATE_LIMIT, 20 posts an hour by default) is kept
    in the shared cache too: counted per process, 24 posts over four workers would pass."""
    path = f"/en/rooms/{room.slug}/request/"
    with gunicorn(workers=4) as server:
        cookie, token = form_page(server, path)
        codes = [
            server.call(
                "POST",
                path,
                urlencode({"csrfmiddlewaretoken": token, "title": "Kokous"}),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )[0]
            for _n in range(24)
        ]
    # An incomplete form is answered 400 with its errors; past the limit, 429.
    assert codes.count(400) == 20, codes
    assert codes.count(429) == 4, codes
