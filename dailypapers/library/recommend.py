"""The "For you" model: a linear function of paper embeddings per member.

As arxiv-sanity-lite does with tf-idf, a linear SVM separates a member's
positive papers (saved, upvoted, imported) from negatives (papers they
marked "not interested", and a sample of everything else, which they did not
pick); its weight vector ranks any paper by one dot product, which a vector
index can search by (inner product). With few positives an SVM overfits: up
to MIN_LINEAR of them the model is their centroid, ranking by similarity to
what the member liked. benchmarks/recommend.py measures both against
trending and newest-first orders on real submitters' histories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Positives needed before the SVM replaces the centroid (docs/benchmarks.md).
MIN_LINEAR = 5
# SVM regularisation: arxiv-sanity-lite's C, small, as the positives are few
# and the features many.
SVM_C = 0.02
# Background papers drawn as negatives, besides the explicit ones.
BACKGROUND = 2000


@dataclass(frozen=True)
class Model:
    kind: str  # "linear" or "centroid"
    weights: np.ndarray  # float32, unit length: a paper's score is weights @ vector

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        return vectors @ self.weights


def fit(
    positives: np.ndarray, negatives: np.ndarray, *, min_linear: int = MIN_LINEAR
) -> Model | None:
    """The model of a member with these positive and negative papers'
    vectors (rows, unit length); None without a positive."""
    if not len(positives):
        return None
    if len(positives) < min_linear or not len(negatives):
        return Model("centroid", _unit(positives.mean(axis=0)))
    from sklearn.svm import LinearSVC

    features = np.concatenate([positives, negatives])
    labels = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
    svm = LinearSVC(C=SVM_C, class_weight="balanced", tol=1e-4, max_iter=5000)
    svm.fit(features, labels)
    return Model("linear", _unit(svm.coef_[0]))


def background(vectors: np.ndarray, *, exclude: np.ndarray, seed: int = 0) -> np.ndarray:
    """Up to BACKGROUND rows of ``vectors`` drawn at random, none of those
    whose indexes are in ``exclude``."""
    rng = np.random.default_rng(seed)
    allowed = np.setdiff1d(np.arange(len(vectors)), exclude)
    picked = rng.choice(allowed, size=min(BACKGROUND, len(allowed)), replace=False)
    return vectors[np.sort(picked)]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm else vector).astype(np.float32)
