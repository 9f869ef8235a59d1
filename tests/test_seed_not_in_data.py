"""The seed article (the product's acceptance test) must not be in the project's training data.

If any of its sentences, or the wording of its injected promotion line (paragraph 4) and closing filler
(paragraph 8), is in ``training_data/``, the seed test measures memory instead of generalisation. The seed
lives outside the repository (``../shared/seed/seed_article.txt``), so this test reads it at run time, embeds
none of its text, and skips when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "training_data"
SEED = ROOT.parent / "shared" / "seed" / "seed_article.txt"

#: Shingle length for the injected paragraphs. Six words is long enough that ordinary English (e.g. "the
#: U.S. and South Korea") stays below it by chance only rarely, and short enough to catch a close
#: paraphrase that keeps half a sentence.
SHINGLE = 6
#: Paragraphs (1-based) of the seed that are injected noise rather than reporting.
NOISE_PARAGRAPHS = (4, 8)

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED}")

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[A-Z\"“])")


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return _WORD.findall(text)


def _data_files() -> list[Path]:
    return sorted(
        f for f in DATA.rglob("*") if f.is_file() and f.suffix in {".jsonl", ".md", ".py", ".txt", ".json"}
    )


@pytest.fixture(scope="module")
def seed_paragraphs() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


@pytest.fixture(scope="module")
def data_words() -> dict[str, str]:
    """Each data file as one space-joined, normalised word stream (padded so matches are word-aligned)."""
    return {
        str(f.relative_to(ROOT)): " " + " ".join(_words(f.read_text(encoding="utf-8"))) + " "
        for f in _data_files()
    }


def test_data_files_found(data_words: dict[str, str]) -> None:
    assert any(name.endswith(".jsonl") for name in data_words), "no training data files to check"


def test_no_seed_sentence_in_data(seed_paragraphs: list[str], data_words: dict[str, str]) -> None:
    sentences = [s for p in seed_paragraphs for s in _SENTENCE.split(p)]
    assert len(sentences) >= 10  # the splitter worked
    found = []
    for sentence in sentences:
        key = " " + " ".join(_words(sentence)) + " "
        found += [(name, sentence[:60]) for name, words in data_words.items() if key in words]
    assert not found, f"seed sentences found in training data: {found[:10]}"


def test_no_shingle_of_seed_noise_paragraphs(seed_paragraphs: list[str], data_words: dict[str, str]) -> None:
    found = []
    for n in NOISE_PARAGRAPHS:
        words = _words(seed_paragraphs[n - 1])
        for i in range(len(words) - SHINGLE + 1):
            key = " " + " ".join(words[i : i + SHINGLE]) + " "
            found += [(name, n, key.strip()) for name, text in data_words.items() if key in text]
    assert not found, f"wording of seed noise paragraphs found in training data: {found[:10]}"
