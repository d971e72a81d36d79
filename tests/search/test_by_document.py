"""Query by document: a judged collection asked with its own documents."""

from dailypapers.search.evaluation.by_document import by_document, excluded
from dailypapers.search.evaluation.collections import Collection, Document
from dailypapers.search.evaluation.metrics import evaluate


def test_a_relevant_document_asks_for_the_others_and_is_left_out_of_its_ranking():
    docs = [Document(str(n), f"Title {n}", f"text {n}") for n in range(1, 6)]
    collection = Collection(
        name="tiny",
        layout="beir",
        documents=docs,
        queries={"q1": "first", "q2": "second", "q3": "third"},
        qrels={"q1": {"3", "1", "4"}, "q2": {"2"}, "q3": set()},
    )
    asked = by_document(collection)
    # q2 has one relevant document, q3 none: neither can ask for others.
    assert asked.queries == {"q1": "Title 1 text 1"}
    assert asked.qrels == {"q1": {"3", "4"}} and excluded(asked) == {"q1": "1"}
    assert excluded(collection) is None
    # A system finding the query's own document first is not penalised for it.
    metrics = evaluate({"q1": ["1", "3", "4"]}, asked.qrels, exclude=excluded(asked))
    assert metrics["nDCG@10"] == 1.0
    assert evaluate({"q1": ["1", "3", "4"]}, asked.qrels)["nDCG@10"] < 1.0
