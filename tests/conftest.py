"""Shared fixtures: a tiny model trained in seconds, so tests never depend on the shipped model's quality."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from filter.training.data import Document, write_documents
from filter.types import Label

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
SEED_ARTICLE = SHARED / "seed" / "seed_article.txt"

_CORE = [
    "The council voted {a} to {b} on Tuesday to approve the new budget, officials said.",
    "Police said a {a}-year-old man was arrested after the incident in the city centre on Friday.",
    "Shares of the company rose {a} percent after it reported quarterly profit of ${b} million.",
    "The minister told reporters that {a} schools would receive new funding from next year.",
    "According to the report, {a} households were affected by the flooding in the northern districts.",
]
_PROMO = [
    "Also Check Out: Stocks tumble as {a} firms warn on profits",
    "READ MORE: {a} things to know about the vote",
    "Related: Mayor faces {a} questions over contract",
    "Sign up for our daily newsletter",
]
_FILLER = [
    "The facts highlight the ongoing discussions and the importance of transparency for everyone.",
    "Only time will tell what the future holds, and it remains to be seen how this will unfold.",
    "In conclusion, this development underscores the crucial role of dialogue in today's world.",
]
_BOILER = [
    "Home",
    "News",
    "Sport",
    "Copyright {a} Example Media. All rights reserved.",
    "Privacy Policy | Terms of Use",
    "Share this article",
]


def make_tiny_documents(n: int = 80, seed: int = 0, shuffle_labels: bool = False) -> list[Document]:
    """A toy labelled corpus (hand-written templates); ``shuffle_labels`` makes a deliberately bad one."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        paras: list[str] = []
        labels: list[Label] = []
        for b in rng.sample(_BOILER, 3):
            paras.append(b.format(a=2000 + i))
            labels.append(Label.BOILERPLATE)
        for k in range(5):
            paras.append(rng.choice(_CORE).format(a=rng.randint(2, 90), b=rng.randint(2, 900)))
            labels.append(Label.CORE)
            if k == 2:
                paras.append(rng.choice(_PROMO).format(a=rng.randint(2, 9)))
                labels.append(Label.PROMOTION)
        paras.append(rng.choice(_FILLER))
        labels.append(Label.FILLER)
        if shuffle_labels:
            rng.shuffle(labels)
        docs.append(
            Document(
                id=f"tiny-{seed}-{i}",
                paragraphs=paras,
                labels=labels,
                group=f"site-{i % 16}",
                source="tests:tiny",
                provenance={"method": "tests/conftest.py", "seed": seed},
            )
        )
    return docs


@pytest.fixture(scope="session")
def tiny_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("tiny_data")
    write_documents(make_tiny_documents(), d / "tiny.jsonl")
    return d


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model directory (weights.npz, model.json, card.json) trained on the toy corpus in about a second."""
    from filter.store import save_model_dir
    from filter.training.train import train_model

    d = tmp_path_factory.mktemp("tiny_model")
    model, card, _ = train_model([], docs=make_tiny_documents())
    save_model_dir(model, d, card)
    return d


@pytest.fixture(scope="session")
def tiny_filter(tiny_model_dir: Path):  # type: ignore[no-untyped-def]
    from filter.api import load_model

    return load_model(tiny_model_dir)


def needs_shared(path: Path = CORPORA) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not available (tests run without ../shared)")
