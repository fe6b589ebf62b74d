"""Schema fuzzing: schemathesis generates requests from our own OpenAPI schema and checks
that no answer is a 5xx or strays from the schema (a bounded number per operation)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from heideken.wsgi import application


def load_schema() -> schemathesis.BaseSchema:
    """The same document /api/schema/ serves, called in-process through the WSGI app."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    schema.app = application
    return schema


schema = load_schema()


@pytest.fixture(autouse=True)
def _keep_test_connection_open():
    """Calls go through the real WSGI handler, which closes the database connection after
    each request; inside a test transaction it must stay open (as Django's test client
    arranges for its own requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db, world, staff_user, settings) -> str:
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    return Token.objects.create(user=staff_user).key


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_api_or_its_schema(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token}"},
        # Schema-valid data may still break a booking rule (a past time, a taken slot):
        # a documented 400 or 409 is the right answer, not a failure. Query parameters
        # are read leniently (an empty filter means no filter), as HTML forms send them.
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


# The operations that take a date or a time from outside: generated far years (0001,
# 9999), offsets and bodies must all be answered with a documented 4xx.
bounded = schema.include(path_regex=r"availability|booking-requests/$|quotes|payments|closures/$")


@bounded.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_dates_and_times_of_any_year_are_answered_without_a_server_error(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


# Generated dates stay near today, so a far year needs to be put in on purpose: every
# date, month, ISO week or moment the generator writes into a query or a body is moved,
# some of the time, to a year outside what the house books (2000–2100) or outside what
# Python's dates hold at all.
FAR_YEARS = ("0001", "1999", "2101", "9999")
DATE_LIKE = re.compile(r"^\d{4}-(\d{2}|W\d{2})")


def far_years(value: Any) -> st.SearchStrategy[Any]:
    """`value`, with each date-like string in it kept or moved to a far year."""
    if isinstance(value, dict):
        return st.fixed_dictionaries({key: far_years(item) for key, item in value.items()})
    if isinstance(value, list):
        return st.tuples(*(far_years(item) for item in value)).map(list)
    if isinstance(value, str) and DATE_LIKE.match(value):
        return st.just(value) | st.sampled_from(FAR_YEARS).map(lambda year: year + value[4:])
    return st.just(value)


far = load_schema().include(
    path_regex=r"availability|booking-requests/$|quotes|payments|closures/$|bookings/$|reports/"
)


@far.hook("flatmap_query")
def far_query(context: Any, query: Any) -> st.SearchStrategy[Any]:
    return far_years(query) if query else st.just(query)


@far.hook("flatmap_body")
def far_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    return far_years(body)


def test_the_fuzzer_does_reach_far_years():
    moved = find(
        far_years({"start": "2027-09-07T10:00:00+03:00", "week": "2027-W36", "n": 3}),
        lambda value: value["start"].startswith("9999") and value["week"].startswith("0001"),
    )
    assert moved == {"start": "9999-09-07T10:00:00+03:00", "week": "0001-W36", "n": 3}


@far.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_far_years_in_any_date_are_answered_without_a_server_error(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
