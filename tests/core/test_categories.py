"""One category rule in three renderings: Python, the ORM and the search filters' SQL agree."""

import pytest

from dailypapers import search
from dailypapers.core.categories import first_match, needles
from dailypapers.papers.selectors import papers_in_category
from dailypapers.search.backends.filters import allowed_ids
from tests.factories import add_paper

PAPERS = {
    "2601.00001": ("cs.CL", "cs.LG"),
    "2601.00002": ("cs.LG",),
    "2601.00003": ("stat.ML", "cs.LG"),
    "2601.00004": ("math.ST",),
    "2601.00005": ("hep-th",),
    "2601.00006": ("cs",),
}


def test_an_archive_covers_its_categories_and_a_category_only_itself():
    assert first_match(["stat.ML", "cs.LG"], ["cs"]) == "cs.LG"
    assert first_match(["cs.CLX"], ["cs.CL"]) == ""
    assert first_match(["csx.AI"], ["cs"]) == ""
    assert first_match(["hep-th"], ["hep-th"]) == "hep-th"
    assert needles("cs") == (" cs ", " cs.") and needles("cs.CL") == (" cs.CL ",)


@pytest.mark.django_db
@pytest.mark.parametrize("wanted", ["cs", "cs.LG", "cs.CL", "stat", "hep-th", "math.ST", "q-bio"])
def test_python_orm_and_sql_find_the_same_papers(wanted):
    ids = {
        add_paper(arxiv_id, f"Paper {arxiv_id}", categories=c): c for arxiv_id, c in PAPERS.items()
    }
    in_python = {pk for pk, categories in ids.items() if first_match(categories, [wanted])}
    in_orm = set(papers_in_category(category=wanted).values_list("pk", flat=True))
    in_sql = allowed_ids(list(ids), search.Filters(categories=(wanted,)))
    assert in_python == in_orm == in_sql
