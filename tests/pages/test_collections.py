"""Collections: named lists, private or public, with a page, RSS and Atom
feeds, BibTeX and RIS; only their owner changes them."""

import feedparser
import pytest

from dailypapers.library import collections
from dailypapers.library.models import Collection, CollectionPaper

pytestmark = pytest.mark.django_db


def test_a_collection_from_creation_to_its_feeds(client, member, other, corpus):
    client.force_login(member)
    made = client.post("/library/collections", {"name": "Reading group: week 3", "public": "1"})
    assert made.status_code == 302 and made["Location"] == "/c/ada/reading-group-week-3"
    found = Collection.objects.get(user=member)
    paper_page = client.get("/papers/2501.00001").content.decode()
    assert "Add to" in paper_page and "Reading group: week 3" in paper_page
    added = client.post(
        "/library/collect",
        {"collection": found.pk, "paper": corpus["mi"], "next": "/papers/2501.00001"},
    )
    assert added.status_code == 302 and added["Location"] == "/papers/2501.00001"
    client.post("/library/collect", {"collection": found.pk, "paper": corpus["rl"]})
    page = client.get("/c/ada/reading-group-week-3").content.decode()
    assert "2 papers collected by" in page and "Estimating mutual information" in page
    client.logout()  # public: anyone reads it, in every form
    assert client.get("/c/ada/reading-group-week-3").status_code == 200
    rss = feedparser.parse(client.get("/c/ada/reading-group-week-3.rss").content)
    assert [e.title for e in rss.entries] == [
        "Policy optimisation for robot control",
        "Estimating mutual information with neural networks",
    ]
    atom = feedparser.parse(client.get("/c/ada/reading-group-week-3.atom").content)
    assert atom.version == "atom10" and len(atom.entries) == 2
    assert client.get("/c/ada/reading-group-week-3.bib").content.decode().count("@") == 2
    assert "TY  - " in client.get("/c/ada/reading-group-week-3.ris").content.decode()


def test_a_private_collection_is_its_owners_alone(client, member, other, corpus):
    mine = collections.collection_create(user=member, name="Secret")
    collections.collection_set(
        user=member, collection_id=mine.pk, paper_id=corpus["mi"], member=True
    )
    for url in ("/c/ada/secret", "/c/ada/secret.rss", "/c/ada/secret.bib"):
        assert client.get(url).status_code == 404
    client.force_login(other)
    assert client.get("/c/ada/secret").status_code == 404
    refused = client.post("/library/collect", {"collection": mine.pk, "paper": corpus["rl"]})
    assert refused.status_code == 400 and b"no such collection" in refused.content
    bad = client.post(f"/library/collections/{mine.pk}", {"action": "delete"})
    assert bad.status_code == 400 and Collection.objects.filter(pk=mine.pk).exists()
    client.force_login(member)
    assert client.get("/c/ada/secret").status_code == 200
    client.post(f"/library/collections/{mine.pk}", {"action": "remove", "paper": corpus["mi"]})
    assert not CollectionPaper.objects.exists()
    client.post(f"/library/collections/{mine.pk}", {"action": "public"})
    assert Collection.objects.get(pk=mine.pk).public
    client.post(f"/library/collections/{mine.pk}", {"action": "delete"})
    assert not Collection.objects.exists()


def test_bad_input_to_collections_is_a_clear_400(client, member, corpus):
    client.force_login(member)
    collections.collection_create(user=member, name="Twice")
    again = client.post("/library/collections", {"name": "Twice"})
    assert again.status_code == 400 and "already have a collection" in again.content.decode()
    empty = client.post("/library/collections", {"name": "   "})
    assert empty.status_code == 400 and b"needs a name" in empty.content
    found = Collection.objects.get()
    nonsense = client.post("/library/collect", {"collection": found.pk, "paper": "abc"})
    assert nonsense.status_code == 400 and b"by their numbers" in nonsense.content
    missing = client.post("/library/collect", {"collection": found.pk, "paper": 10**9})
    assert missing.status_code == 400 and b"does not exist" in missing.content
    assert Collection.objects.count() == 1 and not CollectionPaper.objects.exists()
