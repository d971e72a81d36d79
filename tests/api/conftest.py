from tests.community.conftest import member, paper  # noqa: F401  (fixtures)
