"""Training-time augmentation: insert labelled lines of many wording families into real clean articles.

Why this is the main training signal for promotion and filler: the real corpora have plenty of real
reporting but little injected promotion and almost no filler, while the project-written documents have both
but synthetic reporting. A model trained on whole synthetic pages learnt "synthetic page => remove" and the
generator's strings, and kept promotion and filler worded any other way (issue 9). Inserting *lines* of many
families into *real* articles makes the line itself the only thing that separates the inserted paragraph
from its neighbours, so the model has to learn what a newsletter prompt or a fact-free closing paragraph
is, in real context, at every position.

Every inserted line carries its ``family``, so an evaluation can train with whole families removed and
measure removal on exactly those (see ``bench/bench_generalise.py``). Host articles keep their own group,
so nothing crosses the train/evaluation split; lines from real corpora keep the group of the page they came
from and are only used on the side of the split that group falls on.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..types import Label
from .data import Document, split_of

__all__ = [
    "Line",
    "read_line_files",
    "lines_from_documents",
    "headline_lines",
    "is_host",
    "insert_lines",
    "short_documents",
    "family_fold",
]

#: ``Line.source`` of hand-written library lines (``training_data/lines/hand_*.jsonl``), which training can
#: insert more often than template lines (``ModelParams.hand_line_copies``).
HAND_SOURCE = "project:hand"

#: Where on a page a kind of line sits; "any" lines are inserted anywhere.
POSITIONS = ("any", "opening", "middle", "closing")


@dataclass(frozen=True)
class Line:
    """One insertable labelled line (or paragraph) and where it comes from."""

    text: str
    label: Label
    family: str
    position: str = "any"
    source: str = "project:lines"
    group: str = ""

    @property
    def key(self) -> str:
        """The family name qualified by label, unique across labels (``promotion/newsletter``)."""
        return f"{self.label.value}/{self.family}"


def read_line_files(paths: Iterable[str | Path]) -> list[Line]:
    """Lines from line-library JSONL files (``training_data/lines/*.jsonl``; schema in its README)."""
    out: list[Line] = []
    for path in paths:
        p = Path(path)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            with open(f, encoding="utf-8") as fh:
                for n, raw in enumerate(fh, 1):
                    if not raw.strip():
                        continue
                    row = json.loads(raw)
                    text = str(row.get("text", "")).strip()
                    if not text:
                        continue
                    try:
                        label = Label.parse(row["label"])
                    except (KeyError, ValueError) as exc:
                        raise ValueError(f"{f}:{n}: {exc}") from None
                    position = str(row.get("position") or "any")
                    method = str((row.get("provenance") or {}).get("method", ""))
                    out.append(
                        Line(
                            text=text,
                            label=label,
                            family=str(row.get("family") or "unknown"),
                            position=position if position in POSITIONS else "any",
                            source=HAND_SOURCE if method.startswith("hand-written") else "project:lines",
                            group=f"lines:{row.get('family')}",
                        )
                    )
    return out


def _template_family(template: str) -> str:
    return template.split(".", 1)[-1] if "." in template else template


def lines_from_documents(docs: Sequence[Document]) -> list[Line]:
    """Insertable lines found in already-loaded documents.

    * project-generator documents: every non-core paragraph, with its generator template as the family
      (``promo.newsletter`` -> ``gen-newsletter``);
    * one-paragraph real documents that the importers build from generated-news endings (chatgpt_news_iu,
      ghostbuster) and mined promotion lines: real wording, inserted into real articles instead of standing
      alone (alone, they taught the model that a one-paragraph document is filler).
    """
    out: list[Line] = []
    for d in docs:
        if d.source.startswith("project"):
            templates = d.provenance.get("templates") or []
            for i, (text, lab) in enumerate(zip(d.paragraphs, d.labels)):
                if lab is Label.CORE:
                    continue
                fam = _template_family(str(templates[i])) if i < len(templates) else "unknown"
                pos = "closing" if i >= len(d.paragraphs) - 2 else ("opening" if i <= 1 else "middle")
                out.append(
                    Line(text, lab, f"gen-{fam}", pos if lab is Label.FILLER else "any", d.source, d.group)
                )
        elif d.style == "generated_closing":
            out.extend(
                Line(t, lab, f"real-{d.source}", "closing", d.source, d.group)
                for t, lab in zip(d.paragraphs, d.labels)
            )
        elif d.style == "mined_lines":
            out.extend(
                Line(t, lab, "real-mined", "any", d.source, d.group) for t, lab in zip(d.paragraphs, d.labels)
            )
    return out


#: Forms in which a headline of another story appears as a link line. Only the *shape* is fixed here
#: (a prefix, a glyph, a pipe list); the wording of prefixes comes from the line library's own related-link
#: families, so holding those families out also holds out their prefixes.
_PREFIX_RE = re.compile(r"^(?P<prefix>[^\w\"'“‘(]{1,3}\s*|[A-Za-z][A-Za-z' ]{1,30}:\s*|\[[^\]]{1,30}\]\s*)\S")


def headline_lines(headlines: Sequence[tuple[str, str]], prefixes: Sequence[str], seed: int) -> list[Line]:
    """Promotion lines from real headlines (``(headline, group)``): bare, or behind a prefix taken from
    the line library's own related-link lines, so teasers carry real headline wording."""
    rng = random.Random(seed)
    out = []
    for text, group in headlines:
        if prefixes and rng.random() < 0.55:
            line = f"{rng.choice(prefixes)}{text}"
            fam = "real-headline-prefixed"
        else:
            line, fam = text, "real-headline-bare"
        out.append(Line(line, Label.PROMOTION, fam, "any", "clickbait_headlines", group))
    return out


def prefixes_of(lines: Sequence[Line]) -> list[str]:
    """The link prefixes ("READ MORE: ", "▶ ") used by promotion lines, to put in front of real headlines."""
    found = set()
    for line in lines:
        if line.label is not Label.PROMOTION or not any(k in line.family for k in _LINK_FAMILY_WORDS):
            continue
        m = _PREFIX_RE.match(line.text)
        prefix = m.group("prefix") if m else ""
        if (
            prefix.strip()
            and "http" not in prefix
            and not prefix.strip()[0].isdigit()
            and prefix.strip() not in "$#+*"
        ):
            found.add(prefix)
    return sorted(found)


#: Families whose lines are links to other stories: only their prefixes are put in front of real headlines.
_LINK_FAMILY_WORDS = (
    "related",
    "glyph",
    "most_read",
    "headline",
    "teaser",
    "more_from",
    "list_item",
    "prefix",
)


def is_host(doc: Document) -> bool:
    """A real clean article that lines can be inserted into: all core, at least two paragraphs."""
    return (
        not doc.source.startswith("project")
        and sum(lab is Label.CORE for lab in doc.labels) >= 2
        and "+" not in doc.source
    )


def _core_span(labels: Sequence[Label]) -> tuple[int, int]:
    """[first core paragraph, last core paragraph + 1]: where lines are inserted into a rendered page, so
    they sit in the article body as injected lines do, not among the menus."""
    idx = [i for i, lab in enumerate(labels) if lab is Label.CORE]
    return (idx[0], idx[-1] + 1) if idx else (0, len(labels))


class _Deck:
    """Lines dealt like cards: every line of the pool once, in a shuffled order, before any line twice.

    Why not ``rng.choice``: with ~2 insertions per line, independent draws leave about one line in seven
    (e^-2) never inserted and others three or four times, so which wordings a model saw changed with the
    seed. Dealing gives every line the same number of insertions (to within one). It did not remove the
    4-9 point spread between training seeds (README, "2026-12-02"): that comes mostly from pass 2 and the
    card threshold; it keeps every written wording in training.
    """

    def __init__(self, pool: Sequence[Line], rng: random.Random) -> None:
        self.pool = list(pool)
        self.rng = rng
        self.hand: list[Line] = []

    def __bool__(self) -> bool:
        return bool(self.pool)

    def draw(self) -> Line:
        if not self.hand:
            self.hand = list(self.pool)
            self.rng.shuffle(self.hand)
        return self.hand.pop()


def _filler_decks(pool: Sequence[Line], rng: random.Random) -> dict[str, _Deck]:
    """One deck per wanted position, each holding the lines of that position and the "any" lines."""
    return {
        pos: _Deck([line for line in pool if line.position in (pos, "any")] or pool, rng)
        for pos in POSITIONS[1:]
    }


def insert_lines(
    hosts: Sequence[Document],
    lines: Sequence[Line],
    *,
    seed: int = 0,
    copies: int = 1,
    tag: str = "augmented",
) -> list[Document]:
    """Copies of ``hosts`` with lines of ``lines`` inserted at realistic positions.

    Clean articles (all paragraphs core) get ``copies`` copies, each with other lines; a rendered page
    gets one (its hundreds of chrome lines would otherwise be repeated for two or three inserted lines,
    which cost memory and drowned the inserted lines' weight): the caller trains on that copy *instead*
    of the page.

    Per copy: 0-3 promotion lines between paragraphs (sometimes a run of 2-5, as a related-links block
    would be), 0-2 filler paragraphs placed by their ``position`` (openings in the first two slots,
    closings at the end, the rest anywhere), 0-2 boilerplate lines at the top or the bottom, and sometimes
    a core hard negative from the line library among the article's own paragraphs. The mix was chosen by
    judgement so that an article holds on average ~2 non-core insertions against ~8 real paragraphs:
    enough signal per line, while most paragraphs stay real reporting (a model that removed every short
    paragraph would lose on these documents too).
    """
    rng = random.Random(seed)
    hosts = [d for d in hosts for _ in range(copies if all(lab is Label.CORE for lab in d.labels) else 1)]
    by_label: dict[Label, list[Line]] = {lab: [] for lab in Label}
    for line in lines:
        by_label[line.label].append(line)
    promo, boiler, core = (
        _Deck(by_label[lab], rng) for lab in (Label.PROMOTION, Label.BOILERPLATE, Label.CORE)
    )
    filler = _filler_decks(by_label[Label.FILLER], rng) if by_label[Label.FILLER] else {}
    out: list[Document] = []
    seen: dict[str, int] = {}
    for d in hosts:
        copy = seen[d.id] = seen.get(d.id, -1) + 1
        draft = _Draft(d, rng)
        if promo:
            for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
                draft.put(draft.inside(), promo.draw())
            if rng.random() < 0.15:  # a related-links block
                at = rng.choice((draft.hi, draft.inside()))
                for _ in range(rng.randint(2, 5)):
                    draft.put(at, promo.draw())
        if filler:
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                line = filler[rng.choice(("opening", "middle", "closing", "closing"))].draw()
                if line.position == "opening":
                    draft.put(draft.lo + rng.randint(0, 2), line)
                elif line.position == "closing":
                    draft.put(draft.hi - rng.choice((0, 0, 0, 1)), line)
                else:
                    draft.put(rng.randint(draft.lo, draft.hi), line)
        if boiler and rng.random() < 0.5:
            for _ in range(rng.choice((1, 1, 2))):
                draft.put(rng.choice((draft.lo, draft.hi)), boiler.draw())
        # Core hard negatives (facts about subscriptions, prices, quoted hedges, list rows): most copies
        # get one, so that promotion and filler words alone never decide (v5 kept only 0.94 of the
        # independent set's hard negatives with 0.3 of copies holding one).
        if core and rng.random() < 0.8:
            for _ in range(rng.choice((1, 1, 2))):
                draft.put(draft.inside(), core.draw())
        out.append(draft.document(f"{d.id}#{tag}{copy}", tag, seed))
    return out


class _Draft:
    """A host document being filled with lines; ``lo``/``hi`` bound its article body as lines go in."""

    def __init__(self, host: Document, rng: random.Random) -> None:
        self.host = host
        self.rng = rng
        self.paras: list[str] = list(host.paragraphs)
        self.labels: list[Label] = list(host.labels)
        self.fams: list[str] = [""] * len(self.paras)
        self.lo, self.hi = _core_span(self.labels)

    def inside(self) -> int:
        """A slot between two body paragraphs (never before the first)."""
        return self.rng.randint(self.lo + 1, self.hi)

    def put(self, i: int, line: Line) -> None:
        i = min(max(i, self.lo), self.hi)
        self.paras.insert(i, line.text)
        self.labels.insert(i, line.label)
        self.fams.insert(i, line.key)
        self.hi += 1

    def document(self, doc_id: str, tag: str, seed: int) -> Document:
        return _derived(
            self.host,
            doc_id,
            self.paras,
            self.labels,
            tag,
            "augmented",
            "insert_lines",
            seed,
            families=self.fams,
        )


def _derived(
    host: Document,
    doc_id: str,
    paras: list[str],
    labels: list[Label],
    tag: str,
    style: str,
    method: str,
    seed: int,
    **extra: object,
) -> Document:
    """A training document made from ``host``: same group (never crosses the split), its licence kept."""
    return Document(
        id=doc_id,
        paragraphs=paras,
        labels=labels,
        source=f"{host.source}+{tag}",
        group=host.group,
        language=host.language,
        provenance={
            "method": f"filter.augment.{method}",
            "from": host.id,
            "seed": seed,
            **extra,
            "licence": host.provenance.get("licence", ""),
        },
        style=style,
    )


def short_documents(
    hosts: Sequence[Document], lines: Sequence[Line], *, seed: int = 0, share: float = 0.15
) -> list[Document]:
    """One- and two-paragraph documents: real reporting paragraphs alone, and lone non-core lines.

    A one-paragraph input has no neighbours and position features that say "first and last"; without
    such documents the model met them only as single generated endings (filler) or mined link lines
    and cleaned one-paragraph reports to nothing (issue 9).
    """
    rng = random.Random(seed + 1)
    out: list[Document] = []
    noncore = [line for line in lines if line.label is not Label.CORE]
    for d in hosts:
        if rng.random() >= share:
            continue
        k = rng.choice((1, 1, 2))
        start = rng.randrange(0, max(1, len(d.paragraphs) - k + 1))
        paras = list(d.paragraphs[start : start + k])
        labels = [Label.CORE] * len(paras)
        if noncore and rng.random() < 0.3:
            line = rng.choice(noncore)
            at = rng.choice((0, len(paras)))
            paras.insert(at, line.text)
            labels.insert(at, line.label)
        out.append(_derived(d, f"{d.id}#short", paras, labels, "short", "short", "short_documents", seed))
    for i in range(len(out) // 4 if noncore else 0):  # lone lines: a link line or banner stays non-core alone
        line = rng.choice(noncore)
        out.append(
            Document(
                id=f"lone:{i}",
                paragraphs=[line.text],
                labels=[line.label],
                source=f"{line.source}+lone",
                group=line.group or f"lone:{i}",
                provenance={
                    "method": "filter.augment.short_documents",
                    "family": line.key,
                    "seed": seed,
                    "licence": "project-written (MIT)" if line.source.startswith("project") else line.source,
                },
                style="short",
            )
        )
    return out


def family_fold(key: str, folds: int) -> int:
    """Stable fold of a family (by hash of its label-qualified name), for held-out-family evaluation."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % folds


def split_lines(
    lines: Sequence[Line], keep: Callable[[Line], bool] | None = None
) -> tuple[list[Line], list[Line]]:
    """(train, eval) lines: real lines follow their page's group hash; project lines are on both sides
    (their held-out evaluation is by family, see :func:`family_fold`)."""
    train, evald = [], []
    for line in lines:
        if keep is not None and not keep(line):
            continue
        if line.source.startswith("project"):
            train.append(line)
            evald.append(line)
        elif split_of(line.group) == "train":
            train.append(line)
        else:
            evald.append(line)
    return train, evald
