"""Settings read from the environment (SPEC §3.2): the database options."""

from __future__ import annotations

import importlib

import pytest

import heideken.settings


@pytest.fixture
def settings_module(monkeypatch):
    """The settings module as it reads a given environment (restored afterwards)."""

    def read(**environment: str):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(heideken.settings)

    yield read
    monkeypatch.undo()
    importlib.reload(heideken.settings)


POSTGRES = "postgres://user:secret@127.0.0.1:5432/heideken"


def test_postgresql_keeps_plans_with_server_side_binding_by_default(settings_module):
    options = settings_module(DATABASE_URL=POSTGRES).DATABASES["default"]["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_pgbouncer(settings_module):
    database = settings_module(
        DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS="false"
    ).DATABASES["default"]
    assert "server_side_binding" not in database.get("OPTIONS", {})


def test_sqlite_takes_no_postgresql_options(settings_module):
    options = settings_module(DATABASE_URL="sqlite:///tmp-settings.sqlite3").DATABASES["default"][
        "OPTIONS"
    ]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "server_side_binding" not in options
