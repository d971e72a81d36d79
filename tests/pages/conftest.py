from tests.digests.conftest import day_papers, sink  # noqa: F401  (fixtures)
