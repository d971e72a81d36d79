"""Fusing keyword and vector rankings."""

from dailypapers.search import hybrid as fusion


def test_reciprocal_rank_fusion():
    fused = fusion.reciprocal_rank([[(1, 9.0), (2, 8.0)], [(2, 0.9), (3, 0.8)]], k=60)
    assert [doc for doc, _ in fused] == [2, 1, 3]
    assert fused[0][1] == 1 / 62 + 1 / 61


def test_weighted_fusion_normalises_each_list():
    fused = fusion.weighted([(1, 20.0), (2, 10.0)], [(2, 0.9), (3, 0.5)], vector_weight=0.5)
    assert dict(fused) == {1: 0.5, 2: 0.5, 3: 0.0}
    assert [doc for doc, _ in fusion.weighted([(1, 5.0)], [], vector_weight=0.5)] == [1]
