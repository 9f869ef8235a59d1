"""Importers: alignment rules on tiny synthetic pages, converters never raising, real corpora (../shared).

The synthetic pages are written here so that no corpus text ever enters the repository.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from filter.training import converters, corpora, labelling
from filter.training import importers as imp
from filter.types import Label

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"

BODY = [
    "The city council voted seven to two on Tuesday to approve a new budget for the coming year.",
    "Officials said the plan adds funding for eleven schools and repairs to the northern bridge.",
    "Opposition members argued that the increase in property taxes would hurt small businesses.",
]
GOLD = "Council approves budget\n" + "\n".join(BODY)

PAGE = f"""<!DOCTYPE html><html><head><title>Budget</title><style>p {{color: red}}</style>
<script>var x = "<p>not text</p>";</script></head><body>
<nav><ul><li>Home</li><li>World</li><li>Sport</li></ul></nav>
<h1>Council approves budget</h1>
{"".join(f"<p>{p}</p>" for p in BODY)}
<p><a href="/x">Read more: Mayor faces new questions over contract</a></p>
<h3>More stories</h3>
<ul><li><a href="/a">Storm damage closes the coastal road for a week</a></li>
<li><a href="/b">Local team wins the regional final after extra time</a></li>
<li><a href="/c">New library opens its doors in the old station building</a></li></ul>
<footer><p>Copyright 2024 Example Media. All rights reserved.</p></footer>
</body></html>"""


def _labels_by_text(paras: list[str], labels: list[Label]) -> dict[str, Label]:
    return {p.strip(): lab for p, lab in zip(paras, labels, strict=True)}


def test_align_labels_core_promotion_boilerplate() -> None:
    paras = [
        "Home",
        "World",
        "Council approves budget",
        *BODY,
        "Read more: Mayor faces new questions over contract",
        "Storm damage closes the coastal road for a week",
        "Local team wins the regional final after extra time",
        "New library opens its doors in the old station building",
        "Copyright 2024 Example Media. All rights reserved.",
    ]
    labels = labelling.align_labels(paras, GOLD)
    got = _labels_by_text(paras, labels)
    assert all(got[p] is Label.CORE for p in BODY)
    assert got["Council approves budget"] is Label.CORE  # short, in gold, next to core
    assert got["Home"] is Label.BOILERPLATE
    assert got["Read more: Mayor faces new questions over contract"] is Label.PROMOTION
    assert got["Storm damage closes the coastal road for a week"] is Label.PROMOTION  # headline run of 3
    assert got["Copyright 2024 Example Media. All rights reserved."] is Label.BOILERPLATE
    assert Label.FILLER not in labels
    assert labelling.gold_coverage(paras, labels, GOLD) == pytest.approx(1.0)


def test_short_line_in_gold_far_from_core_is_not_core() -> None:
    gold = "Budget\n" + "\n".join(BODY)
    paras = ["Budget", "Home", "Sport", "Contact", "Weather", *BODY, "Archive", "Jobs", "Budget"]
    labels = labelling.align_labels(paras, gold)
    assert labels[0] is Label.BOILERPLATE  # 1 word, 5 lines away from any core paragraph
    assert labels[-1] is Label.BOILERPLATE
    assert labels[5] is Label.CORE


def test_interface_words_never_core() -> None:
    gold = "\n".join(BODY) + "\nReply\n" + BODY[0]
    paras = [BODY[1], "Reply", BODY[0]]
    assert labelling.align_labels(paras, gold)[1] is Label.BOILERPLATE


def test_two_headlines_after_promo_header_are_promotion() -> None:
    paras = [*BODY, "Related stories", "Storm damage closes the coastal road", "Team wins the regional final"]
    labels = labelling.align_labels(paras, GOLD)
    assert labels[3:] == [Label.PROMOTION] * 3


def test_split_noncore_keeps_fixed_labels() -> None:
    paras = ["Subscribe to our newsletter", "A caption of the photo", BODY[0]]
    labels = labelling.split_noncore(paras, [False, False, True], fixed={0: Label.BOILERPLATE})
    assert labels == [Label.BOILERPLATE, Label.BOILERPLATE, Label.CORE]


@pytest.mark.parametrize("converter", sorted(converters.CONVERTERS))
def test_converters_render_synthetic_page(converter: str) -> None:
    pytest.importorskip("html_text")
    pytest.importorskip("inscriptis")
    pytest.importorskip("bs4")
    text = converters.render(PAGE, converter)
    assert "The city council voted seven" in text
    assert "not text" not in text and "color: red" not in text
    paras = labelling._paragraphs(text)
    labels = labelling.align_labels(paras, GOLD)
    core_text = " ".join(p for p, lab in zip(paras, labels, strict=True) if lab is Label.CORE)
    for sentence in BODY:
        assert sentence[:40] in " ".join(core_text.split())
    assert Label.PROMOTION in labels and Label.BOILERPLATE in labels


GARBAGE = [
    b"\x00\xff\xfe<<<>>>\x00".decode("latin-1"),
    "<html><body><div><p>unclosed <b>bold <i>tags<table><tr><td>cell",
    "<" * 5000,
    "<html>" + "<div>" * 3000 + "deep",
    "\ud800 lone surrogate <p>x</p>",
    "",
    "<!-- unclosed comment <p>never ends",
]


@pytest.mark.parametrize("converter", sorted(converters.CONVERTERS))
@pytest.mark.parametrize("html", GARBAGE)
def test_converters_never_raise(converter: str, html: str) -> None:
    pytest.importorskip("html_text")
    pytest.importorskip("inscriptis")
    pytest.importorskip("bs4")
    out = converters.render(html, converter)
    assert isinstance(out, str)
    labelling._paragraphs(out)


def test_unknown_converter() -> None:
    with pytest.raises(ValueError, match="unknown converter"):
        converters.render("<p>x</p>", "nope")


def test_site_group() -> None:
    assert labelling.site_group("http://news.bbc.co.uk/2/hi/x.stm") == "site:bbc"
    assert labelling.site_group("https://www.nytimes.com/2008/a.html") == "site:nytimes"
    assert labelling.site_group("https://www.washingtonpost.com/x") == "site:washingtonpost"
    assert labelling.site_group(None) is None


def test_filler_lexicon() -> None:
    assert labelling.FILLER_RE.search("Only time will tell whether the plan succeeds.")
    assert labelling.FILLER_RE.search("Overall, the move is a reminder of the risks.")
    assert not labelling.FILLER_RE.search("The company reported a profit of $3 million on Tuesday.")


def test_cache_dir_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ARTICLE_FILTER_CACHE", str(tmp_path))
    assert imp.cache_dir() == tmp_path / "imports"
    assert not imp.is_corpus(tmp_path)


# ------------------------------------------------------------------------------------ real corpora (shared)

needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent")

HTML_CORPORA = [
    "l3s_gn1",
    "dragnet2013",
    "readability_testpages",
    "cleaneval/dev",
    "cleaneval/cleanportaleval",
]
TEXT_CORPORA = [
    "bbc_fulltext",
    "dragnet2020_gold",
    "turku_line_quality",
    "chatgpt_news_iu",
    "ghostbuster_more",
    "ghostbuster_gpt_sample",
]


@pytest.mark.shared
@needs_corpora
def test_is_corpus_on_shared() -> None:
    assert imp.is_corpus(CORPORA)
    assert imp.is_corpus(CORPORA / "cleaneval")
    assert imp.is_corpus(CORPORA / "l3s_gn1")
    assert not imp.is_corpus(CORPORA.parent)


@pytest.mark.shared
@needs_corpora
@pytest.mark.parametrize("name", HTML_CORPORA)
def test_html_corpora_sample(name: str) -> None:
    docs = imp.import_corpus(CORPORA / name, converters=("html_text",), limit=4, cache=False)
    assert docs
    counts = Counter(lab for d in docs for lab in d.labels)
    assert counts[Label.CORE] > 0 and counts[Label.BOILERPLATE] > 0
    assert counts[Label.FILLER] == 0
    for d in docs:
        assert d.group and ":" in d.group
        assert d.provenance["converter"] == "html_text"
        assert d.id.endswith(":html_text")
        assert len(d.paragraphs) == len(d.labels)
        assert all(p.strip() for p in d.paragraphs)


@pytest.mark.shared
@needs_corpora
def test_gold_pages_cover_gold() -> None:
    for page in imp.gold_pages(CORPORA / "dragnet2013", converters=("html_text",), limit=3):
        paras = labelling._paragraphs(page.text)
        labels = labelling.align_labels(paras, page.gold_text)
        assert labelling.gold_coverage(paras, labels, page.gold_text) > 0.8


@pytest.mark.shared
@needs_corpora
@pytest.mark.parametrize("name", TEXT_CORPORA)
def test_text_corpora_sample(name: str) -> None:
    docs = imp.import_corpus(CORPORA / name, limit=20, cache=False)
    assert docs
    for d in docs:
        assert d.group and len(d.paragraphs) == len(d.labels) and d.source == name.split("/")[-1]
    labels = {lab for d in docs for lab in d.labels}
    if name in ("bbc_fulltext", "dragnet2020_gold"):
        assert labels == {Label.CORE}
    if name == "turku_line_quality":
        assert Label.CORE in labels and labels & {Label.BOILERPLATE, Label.PROMOTION}
    for d in docs:  # generated text only ever yields filler, as a single closing paragraph
        if d.style == "generated_closing":
            assert d.labels == [Label.FILLER]


@pytest.mark.shared
@needs_corpora
def test_chatgpt_versions_share_group() -> None:
    docs = imp.import_corpus(CORPORA / "chatgpt_news_iu", cache=False)
    human_groups = {d.group for d in docs if d.provenance.get("variant") == "human"}
    gen_groups = {d.group for d in docs if d.style == "generated_closing"}
    assert gen_groups and gen_groups <= human_groups


@pytest.mark.shared
@needs_corpora
def test_mined_examples_groups_follow_source_pages() -> None:
    docs = imp.import_corpus(CORPORA / "mined_examples", limit=30, cache=False)
    assert {lab for d in docs for lab in d.labels} <= {
        Label.PROMOTION,
        Label.FILLER,
        Label.CORE,
        Label.BOILERPLATE,
    }
    assert any(d.group.startswith("site:") for d in docs)
    # Lines the phrase list caught that are site chrome (comment counts, logins, copyright) are boilerplate.
    for d in docs:
        if d.style == "mined_lines":
            for text, lab in zip(d.paragraphs, d.labels):
                assert (lab is Label.BOILERPLATE) == bool(corpora._MINED_CHROME_RE.search(text))


def test_import_synthetic_corpus_and_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A synthetic dragnet-shaped folder goes through render -> segment -> align -> gzip cache -> reload."""
    import gzip
    import json

    pytest.importorskip("html_text")
    pytest.importorskip("inscriptis")
    monkeypatch.setenv("ARTICLE_FILTER_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "corpora" / "dragnet2013"
    folder.mkdir(parents=True)
    with gzip.open(folder / "pages.jsonl.gz", "wt", encoding="utf-8") as fh:
        for i in range(3):
            row = {"id": str(i), "url": None, "html": PAGE, "gold_text": GOLD}
            fh.write(json.dumps(row) + "\n")
    assert imp.is_corpus(folder)
    first = imp.import_corpus(folder, converters=("html_text", "inscriptis"))
    assert [d.id for d in first] == [
        f"dragnet2013:{i}:{c}" for c in ("html_text", "inscriptis") for i in range(3)
    ]
    assert all(d.group == f"dragnet2013:{d.provenance['page_id']}" for d in first)
    cached = sorted((tmp_path / "cache" / "imports").glob("*.jsonl.gz"))
    assert len(cached) == 2
    again = imp.import_corpus(folder, converters=("html_text", "inscriptis"))
    assert [(d.id, d.paragraphs, d.labels) for d in again] == [(d.id, d.paragraphs, d.labels) for d in first]
    pages = list(imp.gold_pages(folder, converters=("html_text",)))
    assert len(pages) == 3 and pages[0].gold_text == GOLD
