import numpy as np
from django.db import models
from django.utils import timezone

from dailypapers.papers.models import Paper


class EmbeddingQuerySet(models.QuerySet):
    def vectors(self, paper_ids, *, model: str) -> dict[int, np.ndarray]:
        """float32 vectors of the given papers that ``model`` embedded.

        Read by primary key alone, the model compared here: with the model in
        the WHERE, SQLite chose the (model, embedded_at) index and read every
        stored vector's row per lookup (9.4 ms against 0.7 for four papers).
        """
        rows = self.filter(paper_id__in=list(paper_ids)).values_list("paper_id", "model", "vector")
        return {
            pk: np.frombuffer(bytes(vector), dtype="<f2").astype(np.float32)
            for pk, made_by, vector in rows
            if made_by == model
        }


class Embedding(models.Model):
    """A paper's vector, the source of truth the vector index is built from.

    Stored in the database on both backends, so a new index (another model,
    another ANN structure) never needs the text embedded again, and PostgreSQL
    deployments keep every replica's vectors in one place.
    """

    paper = models.OneToOneField(
        Paper, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    model = models.CharField(max_length=64)
    # Of the text embedded: a changed title or abstract gets a new vector.
    text_hash = models.CharField(max_length=16)
    # float16, little-endian, L2-normalised.
    vector = models.BinaryField()
    # The tokens the model read at most: the first reading's 128 for a text
    # it cut, the model's whole window (256) once read again or when the
    # text fit (services.embeddings_reread).
    window = models.PositiveSmallIntegerField()
    embedded_at = models.DateTimeField(default=timezone.now)

    objects = EmbeddingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["model", "embedded_at"], name="embedding_model_idx")]


class WordQuerySet(models.QuerySet):
    # Words looked up at once (within any database's parameter limit).
    CHUNK = 500

    def papers_holding(self, words) -> dict[str, int]:
        """How many papers hold each of ``words`` the table holds."""
        words = sorted(set(words))
        found: dict[str, int] = {}
        for start in range(0, len(words), self.CHUNK):
            chunk = words[start : start + self.CHUNK]
            found.update(self.filter(word__in=chunk).values_list("word", "papers"))
        return found


class Word(models.Model):
    """A word of the papers' titles, abstracts and author names, and how many
    papers hold it: what spelling suggestions are drawn from (spelling.py).

    Rebuilt whole by the worker when papers changed (vocabulary.vocabulary_refresh),
    not kept in step by every write: a day-old count suggests as well.
    """

    word = models.CharField(max_length=32, primary_key=True)
    papers = models.PositiveIntegerField()
    # In some author's name: a name is not corrected to a commoner word.
    name = models.BooleanField(default=False)

    objects = WordQuerySet.as_manager()


class Compound(models.Model):
    """A word the papers write hyphenated ("fine-tuning"), under its joined
    form ("finetuning"): a query's word is one token to the indexes and the
    hyphenated form two, so a query asks for the other form too
    (variants.py). Counted with the words (vocabulary.vocabulary_refresh).
    """

    word = models.CharField(max_length=64, primary_key=True)
    # The parts as written, space-separated: "fine tuning".
    parts = models.CharField(max_length=200)
    # Papers writing it hyphenated, split so.
    papers = models.PositiveIntegerField()
