"""A local HTTP server replaying real recorded arXiv responses."""

import pytest

from tests.replay import ReplayServer


@pytest.fixture
def server():
    with ReplayServer() as server:
        yield server
