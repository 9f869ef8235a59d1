"""Page styles: how core reporting and noise are assembled into one document.

Every builder returns a list of ``(text, label, template_id)`` in reading order. Positions of noise are
drawn per document so that the classifier cannot learn "promotion is always paragraph 4".
"""

# ruff: noqa: E501 - the templates are data; a split string literal is harder to grep and to edit.

from __future__ import annotations

import random
from collections.abc import Callable

import noise as nz
from core import Story, dateline
from engine import cap
from noise import Filler, Site
from vocab import clock

Row = tuple[str, str, str]
CORE, PROMO, FILLER, BP = "core", "promotion", "filler", "boilerplate"

STYLES = [
    "content_farm",
    "scraped_page",
    "wire",
    "live_blog",
    "brief",
    "press_release",
    "opinion",
    "clean",
    "chrome_heavy",
]

CORRECTIONS = [
    "Correction: An earlier version of this article gave the wrong figure for {thing}. The correct figure is {num}.",
    "Editor's note: This article was updated on {date} to include a response from {orgs}.",
    "Correction: {p2l}'s title was misstated in an earlier version of this story.",
    "An earlier version of this story misspelled the name of {p3}.",
    "Editor's note: {p1} is a former contributor to this publication.",
]


def _tag(pieces: list[tuple[str, str]], label: str) -> list[Row]:
    return [(t, label, tid) for t, tid in pieces]


def _body(story: Story, n: int) -> list[Row]:
    """``n`` core body paragraphs with the occasional hard negative, media fact or one-liner."""
    rng = story.rng
    rows: list[Row] = []
    hard_done = media_done = False
    for _ in range(n):
        r = rng.random()
        if not hard_done and r < 0.10:
            text, tid = story.hard_negative(), "core.hard_negative"
            if rng.random() < 0.4:
                text += " " + story.detail()
            hard_done = True
        elif not media_done and r < 0.15:
            text, tid = story.media_fact(), "core.media_fact"
            media_done = True
        elif r < 0.22:
            text, tid = story.detail(), "core.one_sentence"
        else:
            text, kind = story.paragraph()
            tid = f"core.{kind}"
        rows.append((text, CORE, tid))
    return rows


def _lede(story: Story, with_dateline: float, agency: str | None = None) -> Row:
    dl = dateline(story.rng, story, agency) if (agency or story.rng.random() < with_dateline) else ""
    return story.lede(dl), CORE, "core.lede_dateline" if dl else "core.lede"


def _headline(story: Story) -> Row:
    return story.headline(), CORE, "core.headline"


def _insert(rows: list[Row], block: list[Row], lo: int, rng: random.Random) -> None:
    """Insert ``block`` after a random paragraph at index >= lo (never before the lede)."""
    pos = rng.randint(min(lo, len(rows)), len(rows))
    rows[pos:pos] = block


def _maybe_correction(story: Story, rows: list[Row], p: float) -> None:
    if story.rng.random() < p:
        rows.append((story.f(story.rng.choice(CORRECTIONS)), CORE, "core.correction"))


# ------------------------------------------------------------------------------------------------ styles


def content_farm(story: Story, site: Site, year: int) -> list[Row]:
    """An AI-style rewrite: promo lines between paragraphs, filler at the start and (mostly) the end."""
    rng = story.rng
    fill = Filler(rng, story)
    rows: list[Row] = []
    if rng.random() < 0.5:
        rows.append(_headline(story))
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
        t, tid = fill.paragraph("start")
        rows.append((t, FILLER, tid))
    rows.append(_lede(story, 0.15))
    body = _body(story, rng.randint(3, 8))
    out: list[Row] = []
    for i, row in enumerate(body):
        text, label, tid = row
        if rng.random() < 0.06:
            text = f"{text} {nz.glued_link(rng, year)}"
            tid = "core.glued_link"
        out.append((text, label, tid))
        if i < len(body) - 1 and rng.random() < 0.38:
            out.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
        if rng.random() < 0.15:
            t, tid2 = fill.paragraph("middle")
            out.append((t, FILLER, tid2))
    rows.extend(out)
    if rng.random() < 0.25:
        t, tid = fill.subhead()
        rows.append((t, FILLER, tid))
    for _ in range(rng.choice([1, 2, 3, 3, 4, 4])):
        t, tid = fill.paragraph("end")
        rows.append((t, FILLER, tid))
    if rng.random() < 0.35:
        rows.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
    if rng.random() < 0.15:
        rows.extend(_tag(nz.promo_list(rng, site, year), PROMO))
    return rows


def scraped_page(story: Story, site: Site, year: int) -> list[Row]:
    """A page's text as a scraper sees it: menu, breadcrumb, byline, body with ads, lists and footer."""
    rng = story.rng
    fill = Filler(rng, story)
    top: list[Row] = []
    if rng.random() < 0.3:
        top.extend(_tag([nz.ui_line(rng, site, story)], BP))
    if rng.random() < 0.25:
        top.extend(_tag(nz.cookie_banner(rng), BP))
    if rng.random() < 0.75:
        top.extend(_tag(nz.menu(rng, site), BP))
    if rng.random() < 0.5:
        top.extend(_tag([nz.breadcrumb(rng, site, story)], BP))
    top.append(_headline(story))
    if rng.random() < 0.7:
        top.extend(_tag(nz.byline(rng, site, story), BP))
    if rng.random() < 0.35:
        top.extend(_tag(nz.share_bar(rng), BP))
    if rng.random() < 0.4:
        top.extend(_tag(nz.caption(rng, site, story), BP))
    body: list[Row] = [_lede(story, 0.35)]
    body.extend(_body(story, rng.randint(4, 10)))
    if rng.random() < 0.35:
        _insert(body, _tag([nz.ad_label(rng)], BP), 1, rng)
    if rng.random() < 0.4:
        _insert(body, _tag([nz.promo_line(rng, site, year)], PROMO), 1, rng)
    if rng.random() < 0.15:
        _insert(body, _tag(nz.promo_list(rng, site, year), PROMO), 2, rng)
    if rng.random() < 0.2:
        _insert(body, _tag(nz.newsletter_box(rng, site), PROMO), 2, rng)
    if rng.random() < 0.2:
        _insert(body, _tag(nz.caption(rng, site, story), BP), 2, rng)
    pq = story.pull_quote()
    if pq and rng.random() < 0.2:
        _insert(body, [(pq, BP, "bp.pull_quote")], 2, rng)
    if rng.random() < 0.5:
        for _ in range(rng.choice([1, 1, 2, 3])):
            t, tid = fill.paragraph("end")
            body.append((t, FILLER, tid))
    if rng.random() < 0.2:
        t, tid = fill.paragraph("start")
        body.insert(0, (t, FILLER, tid))
    _maybe_correction(story, body, 0.06)
    bottom: list[Row] = []
    if rng.random() < 0.2:
        bottom.extend(_tag([nz.updated_note(rng, site, story)], BP))
    if rng.random() < 0.3:
        bottom.extend(_tag([nz.tags(rng, site, story)], BP))
    if rng.random() < 0.4:
        bottom.extend(_tag(nz.share_bar(rng), BP))
    if rng.random() < 0.55:
        bottom.extend(_tag(nz.promo_list(rng, site, year), PROMO))
    if rng.random() < 0.3:
        bottom.extend(_tag(nz.newsletter_box(rng, site), PROMO))
    if rng.random() < 0.3:
        bottom.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
    if rng.random() < 0.35:
        bottom.extend(_tag(nz.comments(rng, site, story), BP))
    if rng.random() < 0.8:
        bottom.extend(_tag(nz.footer(rng, site, story), BP))
    if rng.random() < 0.2:
        bottom.extend(_tag(nz.cookie_banner(rng), BP))
    return top + body + bottom


def wire(story: Story, site: Site, year: int) -> list[Row]:
    """Agency copy: 'TOWN (Agency) —' dateline, plain body, reporting credit, sometimes a copyright line."""
    rng = story.rng
    rows: list[Row] = []
    if rng.random() < 0.85:
        rows.append(_headline(story))
    if rng.random() < 0.2:
        rows.extend(_tag(nz.byline(rng, site, story)[:1], BP))
    rows.append(_lede(story, 1.0, agency=site.agency))
    rows.extend(_body(story, rng.randint(3, 9)))
    _maybe_correction(story, rows, 0.05)
    if rng.random() < 0.7:
        rows.extend(_tag([nz.wire_credit(rng)], BP))
    if rng.random() < 0.3:
        rows.append(
            (
                rng.choice(
                    [
                        f"© {year} {site.agency}. All rights reserved.",
                        f"Copyright {site.agency} {year}",
                        "This material may not be published, broadcast, rewritten or redistributed.",
                    ]
                ),
                BP,
                "bp.copyright",
            )
        )
    if rng.random() < 0.2:
        rows.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
    return rows


def live_blog(story: Story, site: Site, year: int) -> list[Row]:
    """Timestamped entries; a timestamp on its own line is boilerplate, one glued to an entry is core."""
    rng = story.rng
    fill = Filler(rng, story)
    rows: list[Row] = [_headline(story)]
    for _ in range(rng.randint(1, 3)):
        rows.extend(_tag([nz.live_chrome(rng)], BP))
    rows.append(_lede(story, 0.2))
    times = sorted({clock(rng) for _ in range(rng.randint(3, 7))}, reverse=True)
    for t in times:
        entry, kind = story.paragraph()
        if rng.random() < 0.5:
            rows.append((t, BP, "bp.timestamp"))
            rows.append((entry, CORE, f"core.{kind}"))
            if rng.random() < 0.3:
                rows.append((story.detail(), CORE, "core.one_sentence"))
        else:
            sep = rng.choice([" — ", ": ", " - ", " "])
            rows.append((f"{t}{sep}{entry}", CORE, "core.live_entry"))
        if rng.random() < 0.12:
            rows.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
        if rng.random() < 0.1:
            rows.extend(_tag([nz.ad_label(rng)], BP))
    if rng.random() < 0.6:
        t, tid = fill.paragraph("end")
        rows.append((t, FILLER, tid))
    if rng.random() < 0.3:
        rows.extend(_tag(nz.share_bar(rng), BP))
    if rng.random() < 0.3:
        rows.extend(_tag(nz.newsletter_box(rng, site), PROMO))
    return rows


def brief(story: Story, site: Site, year: int) -> list[Row]:
    """A news-in-brief item: headline and one to three short paragraphs, sometimes one line of noise."""
    rng = story.rng
    rows: list[Row] = []
    if rng.random() < 0.8:
        rows.append(_headline(story))
    if rng.random() < 0.3:
        rows.extend(_tag(nz.byline(rng, site, story)[:1], BP))
    rows.append(_lede(story, 0.3))
    for _ in range(rng.randint(0, 2)):
        rows.append((story.detail() if rng.random() < 0.6 else story.quote(), CORE, "core.brief_detail"))
    r = rng.random()
    if r < 0.25:
        rows.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
    elif r < 0.4:
        t, tid = Filler(rng, story).paragraph("end")
        rows.append((t, FILLER, tid))
    elif r < 0.55:
        rows.extend(_tag([nz.ui_line(rng, site, story)], BP))
    return rows


def press_release(story: Story, site: Site, year: int) -> list[Row]:
    """A press release as republished: header, body with executive quotes, 'About X', media contact, ###."""
    rng = story.rng
    rows: list[Row] = []
    rows.extend(_tag(nz.press_release_chrome(rng, site, story, "top"), BP))
    rows.append(_headline(story))
    place = story.town.upper() if rng.random() < 0.5 else story.town
    dl = f"{place}, {nz.date_phrase(rng, year)} /{site.agency}/ —" if rng.random() < 0.6 else f"{place} —"
    rows.append((story.lede(dl), CORE, "core.lede_dateline"))
    rows.extend(_body(story, rng.randint(2, 6)))
    if rng.random() < 0.2:
        t, tid = Filler(rng, story).paragraph("end")
        rows.append((t, FILLER, tid))
    rows.extend(_tag(nz.press_release_chrome(rng, site, story, "bottom"), BP))
    if rng.random() < 0.2:
        rows.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
    return rows


def opinion(story: Story, site: Site, year: int) -> list[Row]:
    """A column: argued but concrete (core), with byline, disclaimer and author bio as boilerplate."""
    rng = story.rng
    rows: list[Row] = [_headline(story)]
    if rng.random() < 0.8:
        rows.extend(_tag(nz.byline(rng, site, story)[:1], BP))
    n = rng.randint(4, 9)
    for _ in range(n):
        r = rng.random()
        if r < 0.45:
            parts = [story.opinion()]
            if rng.random() < 0.5:
                parts.append(story.opinion())
            rows.append((" ".join(dict.fromkeys(parts)), CORE, "core.opinion"))
        elif r < 0.65:
            rows.append((story.detail(), CORE, "core.one_sentence"))
        elif r < 0.8:
            rows.append((story.quote(), CORE, "core.quote"))
        else:
            text, kind = story.paragraph()
            rows.append((text, CORE, f"core.{kind}"))
    if rng.random() < 0.3:
        t, tid = Filler(rng, story).paragraph("end")
        rows.append((t, FILLER, tid))
    if rng.random() < 0.5:
        rows.extend(_tag([nz.disclaimer(rng, site, story)], BP))
    if rng.random() < 0.6:
        rows.extend(_tag([nz.author_bio(rng, site, story)], BP))
    if rng.random() < 0.3:
        rows.extend(_tag([nz.promo_line(rng, site, year)], PROMO))
    return rows


def clean(story: Story, site: Site, year: int) -> list[Row]:
    """Reporting only: no noise at all, so that the model sees plenty of pages where everything is kept."""
    rng = story.rng
    rows: list[Row] = []
    if rng.random() < 0.7:
        rows.append(_headline(story))
    rows.append(_lede(story, 0.4))
    rows.extend(_body(story, rng.randint(2, 9)))
    _maybe_correction(story, rows, 0.08)
    return rows


def chrome_heavy(story: Story, site: Site, year: int) -> list[Row]:
    """Mostly chrome: a video or gallery page with a short caption-like story buried in navigation."""
    rng = story.rng
    rows: list[Row] = []
    rows.extend(_tag([nz.ui_line(rng, site, story) for _ in range(rng.randint(1, 3))], BP))
    rows.extend(_tag(nz.menu(rng, site), BP))
    if rng.random() < 0.5:
        rows.extend(_tag(nz.cookie_banner(rng), BP))
    rows.append(_headline(story))
    rows.extend(_tag(nz.byline(rng, site, story), BP))
    rows.extend(_tag(nz.share_bar(rng), BP))
    rows.append(_lede(story, 0.3))
    if rng.random() < 0.6:
        rows.append((story.detail(), CORE, "core.one_sentence"))
    rows.extend(_tag(nz.promo_list(rng, site, year), PROMO))
    if rng.random() < 0.5:
        rows.extend(_tag(nz.newsletter_box(rng, site), PROMO))
    if rng.random() < 0.5:
        rows.extend(_tag(nz.promo_list(rng, site, year), PROMO))
    if rng.random() < 0.5:
        rows.extend(_tag(nz.comments(rng, site, story), BP))
    rows.extend(_tag(nz.footer(rng, site, story), BP))
    return rows


BUILDERS: dict[str, Callable[[Story, Site, int], list[Row]]] = {
    "content_farm": content_farm,
    "scraped_page": scraped_page,
    "wire": wire,
    "live_blog": live_blog,
    "brief": brief,
    "press_release": press_release,
    "opinion": opinion,
    "clean": clean,
    "chrome_heavy": chrome_heavy,
}

__all__ = ["BUILDERS", "STYLES", "Row", "cap"]
