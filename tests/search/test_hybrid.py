"""Fusing keyword and vector rankings."""

from dailypapers.search import hybrid as fusion


def test_reciprocal_rank_fusion():
    fused = fusion.reciprocal_rank([[(1, 9.0), (2, 8.0)], [(2, 0.9), (3, 0.8)]], k=60)
    assert [doc for doc, _ in fused] == [2, 1, 3]
    assert fused[0][1] == 1 / 62 + 1 / 61


def test_weighted_fusion_normalises_each_list():
    fused = fusion.weighted(
        [(1, 20.0), (2, 10.0)], [(2, 0.9), (3, 0.5)], vector_weight=0.5, scale="weighted"
    )
    assert dict(fused) == {1: 0.5, 2: 0.5, 3: 0.0}
    for scale in fusion.SCALES:
        only = fusion.weighted([(1, 5.0)], [], vector_weight=0.5, scale=scale)
        assert only == [(1, 0.5)]


# Paper 2 is second by its words and second by meaning; paper 1 holds the
# query's words far more than any other (an outlier: a query's own paper, a
# paper repeating a rare word), paper 5 is found by meaning alone.
OUTLIER_LEXICAL = [(1, 30.0), (2, 9.0), (3, 8.5), (4, 8.0), (6, 7.5), (7, 7.0)]
VECTOR = [(5, 0.62), (2, 0.60), (8, 0.55), (9, 0.50), (10, 0.48), (11, 0.45)]


def test_one_outlier_does_not_set_the_keyword_scale():
    # Under min-max the outlier squeezes every other keyword score towards 0,
    # and paper 2's agreement between the two lists counts for little.
    min_max = fusion.weighted(OUTLIER_LEXICAL, VECTOR, vector_weight=0.5, scale="weighted")
    assert [doc for doc, _ in min_max[:3]] == [1, 5, 2]
    by_distribution = fusion.weighted(OUTLIER_LEXICAL, VECTOR, vector_weight=0.5)
    assert [doc for doc, _ in by_distribution[:3]] == [2, 1, 5]
    # Mean +- 3 deviations: an absent paper counts as 3 deviations below its
    # list's mean (0), below any paper the list ranked, its last included
    # (paper 7, which min-max put at 0 with the absent ones).
    scores = dict(by_distribution)
    assert scores[8] < scores[5] and 0 < scores[7] < scores[3]
    assert dict(min_max)[7] == 0 < scores[7]


def test_search_fuses_by_distribution_unless_configured(settings):
    from django.conf import settings as configured

    assert configured.SEARCH_FUSION == "distribution"
    first = {}
    for choice in ("distribution", "weighted"):
        settings.SEARCH_FUSION = choice
        first[choice] = fusion._fuse([OUTLIER_LEXICAL, VECTOR])[0]
    assert first == {"distribution": 2, "weighted": 1}
