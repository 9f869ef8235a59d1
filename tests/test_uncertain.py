"""``article-filter uncertain``: picks the least sure paragraphs, spreads them over sites and documents, and
writes rows that the review page opens and ``retrain --data`` reads."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from filter.api import ArticleFilter
from filter.cli import main
from filter.training.data import read_documents
from filter.types import LABELS, Label, Paragraph
from filter.uncertain import Candidate, InputDocument, candidates, entropy, margin, read_inputs, select

_PAGE = (
    "Home\n\nNews\n\n"
    "The council voted {a} to 2 on Tuesday to approve the new budget, officials said.\n\n"
    "Tickets for the summer music festival go on sale at the town hall box office on Friday.\n\n"
    "READ MORE: {a} things to know about the vote\n\n"
    "Police said a {a}-year-old man was arrested after the incident in the city centre.\n\n"
    "Only time will tell what the future holds for the {a} residents of the area.\n\n"
    "Subscribers get the weekly digest, and the mayor said {a} more meetings are planned.\n\n"
    "Share this article\n"
)


def _margin_of(p: Paragraph) -> float:
    return margin([p.probabilities[lab] for lab in LABELS])


def test_margin_and_entropy() -> None:
    assert margin([0.5, 0.5, 0.0, 0.0]) == 0.0
    assert margin([0.7, 0.2, 0.1, 0.0]) == pytest.approx(0.5)
    assert margin([1.0, 0.0, 0.0, 0.0]) == 1.0
    assert entropy([1.0, 0.0, 0.0, 0.0]) == 0.0
    assert entropy([0.25] * 4) == pytest.approx(math.log(4))


def _cand(site: str, doc: str, index: int, score: float) -> Candidate:
    return Candidate(doc, site, Paragraph(f"{doc} {index}", 0, 1, index), score)


def test_select_round_robins_over_sites_then_documents() -> None:
    # Site a is by far the least sure (a plain top-n would take all six from it); b and c are surer.
    cands = [_cand("a", f"a{d}", i, 0.01 * i + 0.001 * d) for d in range(3) for i in range(5)]
    cands += [_cand("b", "b0", i, 0.5 + 0.01 * i) for i in range(5)]
    cands += [_cand("c", "c0", i, 0.6 + 0.01 * i) for i in range(2)]
    chosen = select(cands, 6)
    assert Counter(c.site for c in chosen) == {"a": 2, "b": 2, "c": 2}
    assert [c.site for c in chosen] == ["a", "b", "c", "a", "b", "c"]  # least sure site first in each round
    a = [c for c in chosen if c.site == "a"]
    assert {c.doc_id for c in a} == {"a0", "a1"}  # site a's picks come from two of its documents
    assert all(c.paragraph.index == 0 for c in a)  # each document's least sure paragraph

    # When a site runs out, the others keep taking turns; all candidates can be taken exactly once.
    every = select(cands, 100)
    assert len(every) == len(cands) and len({(c.doc_id, c.paragraph.index) for c in every}) == len(cands)
    assert Counter(c.site for c in every[:6]) == {"a": 2, "b": 2, "c": 2}
    assert [c.site for c in every[6:8]] == ["a", "b"]
    assert select(cands, 0) == []


def test_candidates_are_each_documents_least_sure(tiny_filter: ArticleFilter) -> None:
    docs = [InputDocument(f"d{k}", "s", _PAGE.format(a=10 + k)) for k in range(3)]
    got = list(candidates(tiny_filter, docs, per_document=3))
    assert [c.doc_id for c in got] == ["d0"] * 3 + ["d1"] * 3 + ["d2"] * 3
    for doc, paragraphs in zip(docs, tiny_filter.classify_many([d.text for d in docs])):
        picked = [c for c in got if c.doc_id == doc.doc_id]
        margins = sorted(_margin_of(p) for p in paragraphs)
        assert [c.score for c in picked] == pytest.approx(margins[:3])  # the three lowest margins
        assert all(c.score <= margins[3] for c in picked)
    by_entropy = list(candidates(tiny_filter, docs[:1], by="entropy", per_document=1))[0]
    paragraphs = tiny_filter.classify(docs[0].text)
    most = max(paragraphs, key=lambda p: entropy([p.probabilities[lab] for lab in LABELS]))
    assert by_entropy.paragraph.index == most.index
    with pytest.raises(ValueError, match="unknown measure"):
        list(candidates(tiny_filter, docs, by="variance"))


def _crawl(root: Path) -> Path:
    crawl = root / "crawl"
    for s, site in enumerate(("site-a", "site-b", "site-c")):
        for k in range(4 if site == "site-a" else 2):
            page = crawl / site / f"page{k}.txt"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_PAGE.format(a=20 + 10 * s + k), encoding="utf-8")
    return crawl


def test_cli_writes_reviewable_rows_spread_over_sites(
    tiny_filter: ArticleFilter, tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl = _crawl(tmp_path)
    out = tmp_path / "to_label.jsonl"
    code = main(["uncertain", str(crawl), "-n", "9", "-o", str(out), "--model", str(tiny_model_dir)])
    assert code == 0
    assert "wrote 9 paragraphs" in capsys.readouterr().out
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 9
    assert Counter(r["site"] for r in rows) == {"site-a": 3, "site-b": 3, "site-c": 3}
    assert len({r["doc_id"] for r in rows if r["site"] == "site-a"}) == 3  # spread over site-a's pages

    by_doc: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_doc.setdefault(str(r["doc_id"]), []).append(r)
    for doc_id, doc_rows in by_doc.items():
        paragraphs = tiny_filter.classify((crawl / doc_id).read_text(encoding="utf-8"))
        for r in doc_rows:
            p = paragraphs[int(str(r["index"]))]
            assert p.label is not None and r["text"] == p.text
            assert r["label"] == r["model_label"] == p.label.value  # the model's guess
            assert r["uncertainty"]["margin"] == pytest.approx(_margin_of(p), abs=1e-6)  # type: ignore[index]
        picked = {int(str(r["index"])) for r in doc_rows}
        worst_picked = max(_margin_of(paragraphs[i]) for i in picked)
        # Each document gives its least sure paragraphs (ties aside): none left behind is less sure.
        assert all(_margin_of(p) >= worst_picked - 1e-9 for p in paragraphs if p.index not in picked)
        assert [int(str(r["index"])) for r in doc_rows] == sorted(picked)  # reading order

    # The same file, corrected or not, is valid training data for `retrain --data`.
    docs = list(read_documents(out))
    assert len(docs) == len(by_doc) and sum(len(d.paragraphs) for d in docs) == 9
    assert all(isinstance(lab, Label) for d in docs for lab in d.labels)


def test_jsonl_inputs_use_the_site_field_or_url_host(tmp_path: Path) -> None:
    table = tmp_path / "crawl.jsonl"
    records = [
        {"id": "r1", "site": "daily", "text": "a"},
        {"id": "r2", "url": "https://www.Example.org/x", "text": "b"},
        {"id": "r3", "text": "c"},
    ]
    table.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    docs = list(read_inputs([str(table)], id_field="id"))
    assert [(d.doc_id, d.site) for d in docs] == [("r1", "daily"), ("r2", "example.org"), ("r3", "r3")]
    (tmp_path / "bad.jsonl").write_text('{"body": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1: no string field 'text'"):
        list(read_inputs([str(tmp_path / "bad.jsonl")]))


def test_cli_usage_errors(tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "o.jsonl")
    assert main(["uncertain", str(tmp_path / "missing"), "-o", out, "--model", str(tiny_model_dir)]) == 2
    assert "no such input" in capsys.readouterr().err
    assert main(["uncertain", str(tmp_path), "-n", "0", "-o", out]) == 2


def test_cli_reports_bad_inputs_and_goes_on(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad input file or record is one line on stderr; the rest is read and written; exit 1 at the end."""
    crawl = _crawl(tmp_path)
    binary = crawl / "site-a" / "broken.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    table = tmp_path / "t.jsonl"
    table.write_text(
        '{bad\n{"body": "x"}\n' + json.dumps({"text": _PAGE.format(a=7)}) + "\n", encoding="utf-8"
    )
    out = tmp_path / "to_label.jsonl"
    args = ["uncertain", str(crawl), str(table), "-n", "100", "-o", str(out), "--model", str(tiny_model_dir)]
    assert main(args) == 1  # was exit 2 at the first bad file, nothing written
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"article-filter: {binary}: binary data, not text (skipped)",
        f"article-filter: {table}:1: broken JSON: Expecting property name enclosed in double quotes",
        f"article-filter: {table}:2: no string field 'text'",
    ]
    assert "3 bad inputs skipped" in captured.out
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["doc_id"] for r in rows} >= {"t.jsonl:3"}
    assert not any(str(r["doc_id"]).endswith("broken.txt") for r in rows)
