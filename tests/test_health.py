from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection


def closed_port() -> int:
    """A loopback port that nothing listens on: connecting to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def unreachable_database(tmp_path: Path) -> Iterator[None]:
    """Point the real connection somewhere it cannot connect, then put it back.

    The connection is closed on the way in and out, so the next query reconnects with
    whichever settings are current; the test database itself is never touched.
    """
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    # A cached "ok" would hide an outage from the load balancer.
    assert "no-cache" in response["Cache-Control"]


# Not inside a test transaction: closing the connection there would break its rollback.
@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_the_database_is_unreachable(client, tmp_path, caplog):
    with unreachable_database(tmp_path):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "did not answer" in caplog.text, "the outage must reach the log"
    assert client.get("/healthz").status_code == 200, "recovers once the database is back"


@pytest.mark.django_db
def test_health_answers_head(client):
    response = client.head("/healthz")

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_health_refuses_other_methods(client, method):
    response = getattr(client, method)("/healthz")

    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
