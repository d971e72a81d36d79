"""The site's own error pages: what an unknown address, a crash and too many requests show."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_address_says_there_is_nothing_there(client):
    response = client.get("/no/such/page")
    body = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing at /no/such/page." in body
    assert "Resolver404" not in body and "tried" not in body


def test_a_missing_paper_keeps_its_own_message(client):
    response = client.get("/papers/2501.99999")
    assert "No paper with the id “2501.99999” is known here." in response.content.decode()


def test_an_unknown_api_address_is_json(client):
    response = client.get("/api/no/such/endpoint")
    assert response.status_code == 404
    assert response.json() == {"error": "no endpoint at /api/no/such/endpoint"}
