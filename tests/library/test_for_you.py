"""A member's library and the "For you" ranking learned from it, on the
real embedding model and the database the suite runs on."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dailypapers.library import jobs, selectors, services
from dailypapers.library.models import Entry, Follow, Taste
from dailypapers.search import services as search_services
from tests.factories import add_paper

pytestmark = pytest.mark.django_db

PROTEINS = [
    ("Predicting protein structure from sequence", "Deep networks fold amino acid chains."),
    ("Protein design with diffusion models", "Generating novel proteins that fold as intended."),
    (
        "Enzyme function from protein language models",
        "Language models of amino acids predict catalysis.",
    ),
    (
        "Docking small molecules to protein pockets",
        "Binding poses of ligands in protein structures.",
    ),
    ("Antibody sequence generation", "Designing antibodies that bind a target antigen."),
    ("Protein dynamics from molecular simulation", "Conformational changes of folded proteins."),
]
ROBOTS = [
    ("Dexterous robot grasping from vision", "A robot hand picks up unseen objects."),
    (
        "Legged locomotion with reinforcement learning",
        "Quadruped robots learn to walk on rough ground.",
    ),
    ("Robot navigation in crowded spaces", "Mobile robots plan paths among pedestrians."),
    (
        "Imitation learning for robot manipulation",
        "Robots learn pick and place from demonstrations.",
    ),
    (
        "Sim-to-real transfer for drones",
        "Flight controllers trained in simulation fly real drones.",
    ),
    (
        "Tactile sensing for robotic assembly",
        "Touch sensors guide robots inserting pegs into holes.",
    ),
]


@pytest.fixture
def recent(db):
    """Twelve papers featured in the last days, on two topics."""
    today = timezone.localdate()
    found = {"protein": [], "robot": []}
    for n, (kind, rows) in enumerate((("protein", PROTEINS), ("robot", ROBOTS))):
        for i, (title, abstract) in enumerate(rows):
            day = (today - dt.timedelta(days=1 + i)).isoformat()
            pk = add_paper(
                f"26{n}1.{i:05d}",
                title,
                abstract,
                authors=("Rosalind Franklin",) if (kind, i) == ("robot", 5) else ("A. Author",),
                categories=("q-bio.BM",) if kind == "protein" else ("cs.RO",),
                published=day,
                day=day,
            )
            found[kind].append(pk)
    search_services.index_if_needed()
    return found


def test_a_save_changes_signals_and_the_worker_not_the_request_trains(recent, member):
    services.entry_set(user=member, paper_id=recent["protein"][0], saved=True)
    taste = Taste.objects.get(user=member)
    assert taste.trained_at is None and not taste.weights  # not in the request
    assert "1 models retrained" in jobs.for_you_round(None)
    taste.refresh_from_db()
    assert taste.kind == "centroid" and taste.positives == 1 and taste.trained_at
    assert "0 models retrained" in jobs.for_you_round(None)


def test_for_you_ranks_what_is_like_the_saved_papers_first_and_says_why(recent, member):
    for pk in recent["protein"][:2]:
        services.entry_set(user=member, paper_id=pk, saved=True)
    services.tastes_retrain()
    feed = selectors.for_you(user=member)
    top = [pick.paper.pk for pick in feed.picks[:4]]
    assert set(top) <= set(recent["protein"][2:])
    assert feed.picks[0].reason.startswith("Because you liked “")
    # Saved papers are in the library, not the feed.
    assert not {p.paper.pk for p in feed.picks} & set(recent["protein"][:2])


def test_enough_signals_train_a_linear_model(recent, member):
    for pk in recent["robot"][:5]:
        services.entry_set(user=member, paper_id=pk, saved=True)
    services.entry_set(user=member, paper_id=recent["protein"][0], dismissed=True)
    taste = services.taste_train(user=member)
    assert (taste.kind, taste.positives, taste.negatives) == ("linear", 5, 1)
    picks = [p.paper.pk for p in selectors.for_you(user=member).picks]
    assert picks[0] == recent["robot"][5]


def test_not_interested_and_negative_keywords_leave_the_feed(recent, member):
    services.entry_set(user=member, paper_id=recent["robot"][0], saved=True)
    services.entry_set(user=member, paper_id=recent["robot"][1], dismissed=True)
    services.follow_set(user=member, kind="muted", value="Drones", on=True)
    services.tastes_retrain()
    picks = {p.paper.pk for p in selectors.for_you(user=member).picks}
    assert recent["robot"][1] not in picks and recent["robot"][4] not in picks  # the drone paper
    assert recent["robot"][2] in picks


def test_a_followed_author_and_category_come_first_and_say_so(recent, member):
    services.entry_set(user=member, paper_id=recent["protein"][0], saved=True)
    services.follow_set(user=member, kind="author", value="rosalind  franklin", on=True)
    services.tastes_retrain()
    feed = selectors.for_you(user=member)
    assert feed.picks[0].paper.pk == recent["robot"][5]
    assert feed.picks[0].reason == "You follow rosalind franklin"
    services.follow_set(user=member, kind="author", value="rosalind franklin", on=False)
    services.follow_set(user=member, kind="category", value="cs.RO", on=True)
    reasons = {p.paper.pk: p.reason for p in selectors.for_you(user=member).picks}
    # The category nudges, and says so.
    assert reasons[recent["robot"][3]] == "In cs.RO, which you follow"


def test_before_any_signal_the_feed_is_trending_order(recent, member):
    feed = selectors.for_you(user=member)
    assert feed.kind == "" and len(feed.picks) == 12


def test_bad_input_is_refused_and_changes_nothing(recent, member):
    pk = recent["protein"][0]
    services.entry_set(user=member, paper_id=pk, saved=True, note="Read section 3.")
    with pytest.raises(ValidationError, match="at most 2,000 characters"):
        services.entry_set(user=member, paper_id=pk, note="x" * 2001)
    with pytest.raises(ValidationError, match="does not exist"):
        services.entry_set(user=member, paper_id=10**9, saved=True)
    with pytest.raises(ValidationError, match="not an arXiv category"):
        services.follow_set(user=member, kind="category", value="Not A Category", on=True)
    with pytest.raises(ValidationError, match="one word"):
        services.follow_set(user=member, kind="muted", value="two words", on=True)
    with pytest.raises(ValidationError):
        services.follow_set(user=member, kind="planet", value="Mars", on=True)
    entry = Entry.objects.get(user=member, paper_id=pk)
    assert entry.note == "Read section 3." and entry.saved_at
    assert not Follow.objects.filter(user=member).exists()


def test_a_followed_search_brings_its_papers_and_says_so(recent, member, client):
    services.entry_set(user=member, paper_id=recent["protein"][0], saved=True)
    services.tastes_retrain()
    client.force_login(member)
    page = client.get("/papers/search", {"q": "drones", "mode": "lexical"}).content.decode()
    assert 'name="kind" value="search"' in page and ">Follow</button>" in page
    client.post("/follows", {"kind": "search", "value": "drones", "on": "1"})
    reasons = {p.paper.pk: p.reason for p in selectors.for_you(user=member).picks}
    assert reasons[recent["robot"][4]] == "Matches your search “drones”"
    page = client.get("/papers/search", {"q": "drones", "mode": "lexical"}).content.decode()
    assert ">Following</button>" in page


def test_an_upvote_is_a_signal_the_worker_learns_from(recent, member):
    from dailypapers.community.services import vote_set

    vote_set(user=member, paper_id=recent["robot"][0], up=True)
    assert jobs.for_you_round(None) == "for you: 1 models retrained"
    assert Taste.objects.get(user=member).positives == 1
    assert jobs.for_you_round(None) == "for you: 0 models retrained"
    vote_set(user=member, paper_id=recent["robot"][1], up=True)
    assert jobs.for_you_round(None) == "for you: 1 models retrained"
    assert Taste.objects.get(user=member).positives == 2
