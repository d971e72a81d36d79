from django.db import models
from django.utils import timezone

from dailypapers.papers.models import Paper


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
    embedded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["model", "embedded_at"], name="embedding_model_idx")]
