"""Training-time insertion of labelled lines into real articles (filter.augment)."""

from __future__ import annotations

import json

from filter.training import augment
from filter.training.data import Document
from filter.types import Label

HOST = Document(
    id="host-1",
    paragraphs=[
        "Flood barriers on the Lune were raised on Tuesday, the agency said.",
        "About 40 homes were evacuated overnight.",
        "The river peaked at 4.2 metres shortly after 3am.",
        "Roads reopened by midday.",
    ],
    labels=[Label.CORE] * 4,
    source="realcorpus",
    group="site:example",
)
PAGE = Document(
    id="page-1",
    paragraphs=["Home", "News", "Council approves budget", "The vote was 9-2.", "Copyright 2020"],
    labels=[Label.BOILERPLATE, Label.BOILERPLATE, Label.CORE, Label.CORE, Label.BOILERPLATE],
    source="rendered",
    group="site:page",
)
LINES = [
    augment.Line("Sign up for the morning briefing", Label.PROMOTION, "newsletter"),
    augment.Line("Only time will tell what comes next.", Label.FILLER, "hedge", "closing"),
    augment.Line("In a world that never sleeps, news matters.", Label.FILLER, "opening-world", "opening"),
    augment.Line("We use cookies to improve your experience.", Label.BOILERPLATE, "cookie"),
    augment.Line("The league table after round 5:", Label.CORE, "lead-in"),
]


def _host_paragraphs_in_order(doc: Document, host: Document) -> bool:
    it = iter(doc.paragraphs)
    return all(any(p == q for q in it) for p in host.paragraphs)


def test_insert_keeps_host_text_in_order_and_labels_every_line() -> None:
    out = augment.insert_lines([HOST] * 30, LINES, seed=3)
    assert len(out) == 30
    inserted = 0
    for doc in out:
        assert _host_paragraphs_in_order(doc, HOST)
        fams = doc.provenance["families"]
        assert len(fams) == len(doc.paragraphs) == len(doc.labels)
        for text, label, fam in zip(doc.paragraphs, doc.labels, fams):
            if fam:
                inserted += 1
                line = next(ln for ln in LINES if ln.key == fam)
                assert (text, label) == (line.text, line.label)
            else:
                assert label is Label.CORE
        assert doc.group == HOST.group  # never crosses the split
    assert inserted > 30  # on average more than one line per article


def test_insert_is_deterministic_per_seed() -> None:
    a = augment.insert_lines([HOST] * 5, LINES, seed=1)
    b = augment.insert_lines([HOST] * 5, LINES, seed=1)
    c = augment.insert_lines([HOST] * 5, LINES, seed=2)
    assert [d.paragraphs for d in a] == [d.paragraphs for d in b]
    assert [d.paragraphs for d in a] != [d.paragraphs for d in c]


def test_every_line_is_dealt_as_often_as_any_other() -> None:
    """Lines are dealt like cards (augment._Deck): with 40 promotion lines and a few hundred articles,
    every line goes in the same number of times to within one per full deal, unlike independent draws."""
    promo = [
        augment.Line(f"Promo offer number {i} for readers", Label.PROMOTION, f"fam{i % 4}") for i in range(40)
    ]
    out = augment.insert_lines([HOST] * 300, promo, seed=4)
    counts = {line.text: 0 for line in promo}
    for doc in out:
        for text in doc.paragraphs:
            if text in counts:
                counts[text] += 1
    assert sum(counts.values()) > 200
    assert max(counts.values()) - min(counts.values()) <= 1


def test_hand_written_lines_are_marked(tmp_path) -> None:
    row = {
        "id": "h1",
        "label": "promotion",
        "family": "newsletter",
        "text": "Get the briefing",
        "position": "any",
    }
    hand = dict(row, id="h2", text="Join our readers", provenance={"method": "hand-written for the project"})
    (tmp_path / "l.jsonl").write_text(
        json.dumps(dict(row, provenance={"method": "generate.py"})) + "\n" + json.dumps(hand) + "\n",
        encoding="utf-8",
    )
    lines = augment.read_line_files([tmp_path])
    assert [ln.source for ln in lines] == ["project:lines", augment.HAND_SOURCE]


def test_lines_go_into_the_article_body_of_a_rendered_page() -> None:
    for doc in augment.insert_lines([PAGE] * 20, LINES, seed=5):
        # The menu lines before the body and the footer after it stay where they were.
        assert doc.paragraphs[:2] == ["Home", "News"]
        assert doc.paragraphs[-1] == "Copyright 2020"


def test_hosts_are_real_documents_with_two_core_paragraphs() -> None:
    project = Document("g", ["a", "b"], [Label.CORE, Label.CORE], source="project:generator")
    single = Document("s", ["a"], [Label.CORE], source="real")
    assert augment.is_host(HOST) and augment.is_host(PAGE)
    assert not augment.is_host(project) and not augment.is_host(single)


def test_family_folds_are_stable_and_cover_every_fold() -> None:
    keys = [f"promotion/family-{i}" for i in range(60)]
    folds = [augment.family_fold(k, 3) for k in keys]
    assert folds == [augment.family_fold(k, 3) for k in keys]
    assert set(folds) == {0, 1, 2}


def test_short_documents_hold_one_or_two_real_paragraphs() -> None:
    docs = augment.short_documents([HOST] * 200, LINES, seed=0, share=0.5)
    core_only = [d for d in docs if all(lab is Label.CORE for lab in d.labels)]
    assert core_only and all(1 <= len(d.paragraphs) <= 2 for d in core_only)
    lone = [
        d for d in docs if d.style == "short" and len(d.paragraphs) == 1 and d.labels[0] is not Label.CORE
    ]
    assert lone  # lone link lines and banners stay non-core on their own


def test_generator_lines_take_their_template_as_family() -> None:
    gen = Document(
        "gen-1",
        ["Headline", "Sign up now", "It remains to be seen."],
        [Label.CORE, Label.PROMOTION, Label.FILLER],
        source="project:generator",
        provenance={"templates": ["core.headline", "promo.newsletter", "filler.remains"]},
    )
    lines = augment.lines_from_documents([gen])
    assert [(ln.label, ln.family) for ln in lines] == [
        (Label.PROMOTION, "gen-newsletter"),
        (Label.FILLER, "gen-remains"),
    ]


def test_read_line_files(tmp_path) -> None:
    f = tmp_path / "promotion.jsonl"
    rows = [
        {"id": "l1", "label": "promotion", "family": "app", "text": "Get the app", "position": "any"},
        {"id": "l2", "label": "filler", "family": "hedge", "text": "Time will tell.", "position": "closing"},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    lines = augment.read_line_files([tmp_path])
    assert [(ln.text, ln.label, ln.family, ln.position) for ln in lines] == [
        ("Get the app", Label.PROMOTION, "app", "any"),
        ("Time will tell.", Label.FILLER, "hedge", "closing"),
    ]
