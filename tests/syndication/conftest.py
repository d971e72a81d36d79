from tests.community.conftest import member  # noqa: F401  (fixture)
