"""Who the client is (heideken/clients.py): the address every limit counts by."""

from __future__ import annotations

import importlib

import pytest
from django.test import RequestFactory

import heideken.settings
from heideken.clients import client_address


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_proxies_a_forwarded_header_is_the_clients_own_word(settings):
    settings.NUM_PROXIES = 0
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_hop_it_wrote_is_the_client(settings):
    settings.NUM_PROXIES = 1
    # The client wrote 1.1.1.1 itself; the proxy appended the address it saw.
    request = request_from("10.0.0.2", "1.1.1.1, 198.51.100.9")
    assert client_address(request) == "198.51.100.9"


def test_behind_two_proxies_the_second_hop_from_the_right_is_the_client(settings):
    settings.NUM_PROXIES = 2
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.9, 10.0.0.1")
    assert client_address(request) == "198.51.100.9"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address"])
def test_a_missing_or_broken_header_behind_a_proxy_counts_the_proxy(settings, forwarded):
    settings.NUM_PROXIES = 1
    assert client_address(request_from("10.0.0.2", forwarded)) == "10.0.0.2"


@pytest.fixture
def settings_module(monkeypatch):
    def read(**environment: str):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(heideken.settings)

    yield read
    monkeypatch.undo()
    importlib.reload(heideken.settings)


def test_no_proxies_stays_zero_so_drf_never_trusts_the_header(settings_module):
    module = settings_module(NUM_PROXIES="0")
    assert module.NUM_PROXIES == 0
    assert module.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_the_default_cache_is_the_shared_database_cache(settings_module, monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    cache = settings_module().CACHES["default"]
    assert cache == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "heideken_cache",
    }


def test_a_redis_cache_url_uses_djangos_redis_backend(settings_module):
    cache = settings_module(CACHE_URL="redis://127.0.0.1:6379/1").CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_an_unknown_cache_url_stops_the_start(settings_module):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        settings_module(CACHE_URL="memcached://127.0.0.1")


@pytest.mark.django_db
def test_migrate_makes_the_cache_table(django_db_setup):
    from django.db import connection

    assert "heideken_cache" in connection.introspection.table_names()
