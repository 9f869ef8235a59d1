"""filter.clickbait: a tiny model separates invented headlines; arrays round-trip; the shipped model behaves."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from filter import clickbait as cb
from filter.training import clickbait as cbt

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "clickbait_headlines"

# Invented for these tests (not from any corpus).
_BAIT = [
    "You won't believe what this {x} did next",
    "{n} reasons your {x} is secretly judging you",
    "This {x} trick will change your life forever",
    "Which {x} are you? Take the quiz",
    "{n} photos of {x}s that will make you cry",
    "What happened when I tried a {x} for a week will shock you",
]
_NEWS = [
    "Council approves {n} million budget for {x} repairs",
    "Central bank holds rates as {x} exports slow",
    "Police arrest {n} after {x} warehouse fire",
    "Minister resigns over {x} contract inquiry",
    "Floods close {n} schools in northern {x} district",
    "Parliament passes {x} reform bill by {n} votes",
]
_FILL = ["dog", "cat", "phone", "garden", "coffee", "car", "city", "river", "market", "farm"]


def _make(templates: list[str], seed: int, k: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [
        templates[int(rng.integers(len(templates)))].format(x=_FILL[int(rng.integers(len(_FILL)))], n=int(n))
        for n in rng.integers(2, 60, k)
    ]


@pytest.fixture(scope="module")
def tiny() -> cb.ClickbaitModel:
    texts = _make(_BAIT, 0, 120) + _make(_NEWS, 1, 120)
    y = np.array([1] * 120 + [0] * 120)
    return cbt.fit(texts, y, c=4.0, char_bits=12, word_bits=10)


def test_tiny_model_separates_invented_headlines(tiny: cb.ClickbaitModel) -> None:
    bait = _make(_BAIT, 7, 40)
    news = _make(_NEWS, 8, 40)
    p_bait, p_news = tiny.score(bait), tiny.score(news)
    assert p_bait.min() > p_news.max()
    assert np.all(p_bait > 0.5) and np.all(p_news < 0.5)
    assert cbt._roc_auc(np.array([1] * 40 + [0] * 40), np.concatenate([p_bait, p_news])) == 1.0


def test_arrays_round_trip(tiny: cb.ClickbaitModel, tmp_path: Path) -> None:
    again = cb.ClickbaitModel.from_arrays(tiny.to_arrays())
    assert again == tiny  # dataclass equality: every field except the info dict
    assert np.array_equal(again.coef, tiny.coef)
    path = tmp_path / "m.npz"
    tiny.save(path)
    loaded = cb.ClickbaitModel.load(path)
    texts = _make(_BAIT, 3, 5) + _make(_NEWS, 4, 5) + ["", "x"]
    assert np.array_equal(loaded.score(texts), tiny.score(texts))
    with np.load(path, allow_pickle=False) as z:
        assert z["coef"].dtype == np.float32 and z["coef"].shape == ((1 << 12) + (1 << 10),)
    arrays = tiny.to_arrays()
    arrays["hash_version"] = np.array([999])
    with pytest.raises(ValueError, match="hash"):
        cb.ClickbaitModel.from_arrays(arrays)
    bad = tiny.to_arrays()
    bad["coef"] = bad["coef"][:-1]
    with pytest.raises(ValueError, match="shape"):
        cb.ClickbaitModel.from_arrays(bad)


def test_score_is_a_probability_and_vectorised(tiny: cb.ClickbaitModel) -> None:
    texts = _make(_BAIT, 5, 30) + ["", "   "]
    batch = tiny.score(texts)
    assert batch.shape == (32,) and np.all((batch >= 0) & (batch <= 1))
    one_by_one = np.array([tiny.score([t])[0] for t in texts])
    assert np.allclose(batch, one_by_one, rtol=0, atol=1e-12)
    # An empty line has no features: its score is the intercept's.
    assert batch[-2] == pytest.approx(1 / (1 + np.exp(-tiny.intercept)))


def test_is_headline_like_rules() -> None:
    lines = [
        "You won't believe what this dog did next",  # headline-shaped
        "Stocks fall sharply as oil prices climb",  # headline-shaped
        "Home",  # too few words
        "The council voted on Tuesday to approve the budget, officials said.",  # sentence stop
        '"We are not giving up," she told reporters.',  # sentence stop
        'He said it was "a good deal for everyone."',  # stop inside a closing quote
        "Here is what you need to know:",  # lead-in
        "Wait until you see what happens next...",  # teaser ellipsis: allowed
        "two\nlines of text here",  # not one line
        " ".join(["word"] * 21),  # too many words
        "a " + "x" * 160,  # too long
        "",
    ]
    got = cb.is_headline_like(lines).tolist()
    assert got == [True, True, False, False, False, False, False, True, False, False, False, False]


def test_score_lines_only_for_headline_like(tiny: cb.ClickbaitModel) -> None:
    lines = [
        "You won't believe what this dog did next",
        "Officials said the vote would take place on Friday.",
    ]
    out = tiny.score_lines(lines)
    assert np.isfinite(out[0]) and np.isnan(out[1])
    assert out[0] == tiny.score(lines[:1])[0]


def test_split_is_deterministic_and_by_normalised_text() -> None:
    texts = [f"Headline number {i}" for i in range(2000)]
    a = cbt.split_is_test(texts)
    assert np.array_equal(a, cbt.split_is_test(list(texts)))
    assert 0.15 < a.mean() < 0.25
    assert np.array_equal(a, cbt.split_is_test([f"  HEADLINE   number {i} " for i in range(2000)]))


def test_shipped_model_loads_without_pickle_and_ranks_invented_lines() -> None:
    path = cb.default_model_path()
    if not path.exists():
        pytest.skip("models/clickbait.npz not built")
    with np.load(path, allow_pickle=False) as z:
        assert z["coef"].dtype == np.float32
    model = cb.load_default()
    bait = [
        "You won't believe what this dog did next",
        "17 things only people who grew up in the 90s will understand",
        "This simple trick will make you rethink your morning coffee",
        "Which kitchen appliance are you based on your star sign",
        "We tried every crisp flavour and ranked them so you don't have to",
    ]
    news = [
        "Central bank raises interest rates to curb inflation",
        "Flooding forces evacuation of riverside villages in Wales",
        "Parliament approves budget after marathon overnight session",
        "Rail strike disrupts commuter services across the north",
        "Court upholds conviction of former mayor in bribery case",
    ]
    p_bait, p_news = model.score(bait), model.score(news)
    assert p_bait.min() > p_news.max()
    assert np.all(p_bait > 0.5) and np.all(p_news < 0.5)
    card = json.loads((path.parent / "clickbait.json").read_text(encoding="utf-8"))
    from filter.store import file_sha256

    assert card["sha256"] == file_sha256(path)
    assert card["corpus"]["licence"].startswith("MIT")


@pytest.mark.shared
@pytest.mark.skipif(not (CORPUS / "headlines.jsonl.gz").exists(), reason="needs ../shared/corpora")
def test_shipped_model_on_held_out_corpus_split() -> None:
    path = cb.default_model_path()
    if not path.exists():
        pytest.skip("models/clickbait.npz not built")
    texts, y = cbt.load_headlines(CORPUS)
    test = cbt.split_is_test(texts)
    ev = cbt.evaluate(cb.load_default(), [t for t, v in zip(texts, test) if v], y[test])
    card = json.loads((path.parent / "clickbait.json").read_text(encoding="utf-8"))
    # The shipped card's numbers are the ones this split gives today.
    assert ev["accuracy"] == pytest.approx(card["metrics"]["held_out"]["accuracy"], abs=1e-9)
    assert ev["accuracy"] > 0.95 and ev["roc_auc"] > 0.99


def test_cli_train_and_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [{"text": t, "label": "clickbait"} for t in _make(_BAIT, 11, 150)]
    rows += [{"text": t, "label": "news"} for t in _make(_NEWS, 12, 150)]
    with gzip.open(corpus / "headlines.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    from filter.cli import main

    out = tmp_path / "cb.npz"
    assert main(["clickbait", "train", "--corpus", str(corpus), "--out", str(out)]) == 0
    card = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["metrics"]["held_out"]["accuracy"] > 0.9
    capsys.readouterr()
    line = "You won't believe what this garden did next"
    assert (
        main(["clickbait", "score", "--model", str(out), line, "Police arrest 4 after farm warehouse fire"])
        == 0
    )
    got = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert got[0]["text"] == line and got[0]["clickbait"] > got[1]["clickbait"]
    assert got[0]["headline_like"] is True


def test_cli_train_command_is_reachable(capsys: pytest.CaptureFixture[str]) -> None:
    """Training the clickbait scorer is a CLI command (cli.py is the only module that knows argparse)."""
    from filter.cli import main

    assert main(["clickbait", "train", "--help"]) == 0
    assert "--corpus" in capsys.readouterr().out
