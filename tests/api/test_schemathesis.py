"""Schemathesis over every API endpoint: generated requests, valid and invalid,
never a server error, and every response matches the OpenAPI schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dailypapers.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _papers(imported):
    """The real test data, so that generated ids sometimes hit real papers."""


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI app is called directly, not through Django's test client, which
    # is what normally stops a finished request from closing the database
    # connection the test's transaction lives on (PostgreSQL).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case):
    # Every other check runs. This one expects any schema-valid request to be
    # accepted, but rules OpenAPI cannot state (at most one of date, week and
    # month; a real calendar day) are answered 400 with a message, by design.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
