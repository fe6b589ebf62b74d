"""A real gunicorn serving the test database with the production settings, for the tests
that need what only separate processes show (a shared throttle, the access log)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process outside this one."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(settings['NAME'])}"
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}:{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def call(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        """One request on a new connection, so that the workers share the requests."""
        sent = {"Content-Type": "application/json"} if body is not None else {}
        sent |= headers or {}
        link = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            link.request(method, path, body=body, headers=sent)
            response = link.getresponse()
            return response.status, response.read()
        finally:
            link.close()

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    return
            except (ConnectionError, http.client.HTTPException):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)


def production_environment(**overrides: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "CACHE_URL", "NUM_PROXIES")
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DEBUG": "false",
        "SECRET_KEY": "gunicorn-test-secret-key-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": "dummy:",
        "LOG_LEVEL": "INFO",
    }
    return environment | overrides


@contextmanager
def gunicorn(*, workers: int = 2, log: Path | None = None, **environment: str) -> Iterator[Server]:
    """gunicorn as the README runs it, from the project root (so it reads gunicorn.conf.py),
    with the production settings; its output goes to `log` when given."""
    port = free_port()
    # The servers' shared cache outlives a test's rows: each server starts with none of an
    # earlier one's counts.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM heideken_cache")
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            sys.executable, "-m", "gunicorn", "heideken.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        ],
        cwd=PROJECT,
        env=production_environment(**environment),
        stdout=output,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Server(port, process)
    try:
        server.wait_ready()
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log:
            output.close()
