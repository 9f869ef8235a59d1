"""Core (reporting) paragraphs: a story's fixed facts plus a combinatorial sentence grammar.

A :class:`Story` fixes who and where (people, organisation, town, topic phrases) and draws numbers, dates and
phrases afresh per sentence. Paragraphs are 1-5 sentences made of ledes, details, quotes with varied
attribution, background, next steps, and some deliberate hard negatives: reporting that contains
filler-sounding phrases inside quotes or next to a concrete fact, and factual sentences that mention
subscriptions, apps, newsletters or podcasts. Those stay ``core`` so that the classifier learns to look for
facts rather than for words.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from engine import Slots, SlotValue, cap, fill
from topics import TOPICS
from vocab import (
    AGENCIES,
    LAST_NAMES,
    MONTHS,
    NUMBER_WORDS,
    REGIONS,
    WEEKDAYS,
    clock,
    count,
    date_phrase,
    money,
    pct,
    person,
    town,
)

GENERIC_DETAILS = [
    "The figures were confirmed by {orgs} on {weekday}.",
    "{p2}, {r2}, said the decision had been expected for some time.",
    "A spokesperson for {org} declined to comment further.",
    "{orgs} did not respond to a request for comment on {weekday}.",
    "A full report is due in {month}.",
    "The matter will be discussed again on {date}.",
    "Documents seen by {outlet} show that {claim}.",
    "The meeting lasted {nw} hours.",
    "Earlier on {weekday}, {p3}, {r3}, said {claim}.",
    "{orgs} said it had received {num} complaints since {month}.",
    "The announcement came {nw} days after {thing} was first made public.",
    "Copies of the report were sent to {nw} regional offices.",
    "A second statement was issued shortly after {time}.",
    "{p1l} first raised concerns about {thing} in {lastyear}.",
    "It was not immediately clear how many people would be affected.",
]

NEXT_STEPS = [
    "{orgs} is due to publish its findings on {date}.",
    "A decision is expected by the end of {month}.",
    "{p1l} is scheduled to appear before a committee on {date}.",
    "The next hearing is set for {date}.",
    "Further details will be set out at a briefing on {weekday}.",
    "A review of {thing} will report back within {days}.",
    "Officials will meet again on {date} to discuss the next steps.",
]

QUOTE_FORMS = [
    '"{q}," said {p}, {r}.',
    '"{q}," {pl} said.',
    '"{q}," {pl} told reporters on {weekday}.',
    '"{q}," {pl} told {outlet}.',
    "{p}, {r}, said {claim}.",
    "According to {p}, {r}, {claim}.",
    "{pl} told reporters that {claim}.",
    "In a statement, {orgs} said {claim}.",
    '"{q}," {pl} said. "{q2}"',
    '{pl} said {claim}. "{q}"',
    'Speaking after the meeting, {pl} said: "{q}"',
    '"{q}," {pl} wrote on social media on {weekday}.',
    'Asked about {thing}, {pl} said: "{q}"',
    "{p}, {r}, told {outlet} that {claim}.",
    '"{q}," said {pl}, who has {tenure}.',
    "{pl}, speaking on {weekday}, said {claim}.",
    '{p}, {r}, described {thing} as "{short_q}".',
]

SHORT_QUOTES = [
    "long overdue",
    "a step in the right direction",
    "deeply disappointing",
    "a mess",
    "exactly what we asked for",
    "unacceptable",
    "a fair outcome",
    "a missed opportunity",
]
TENURES = [
    "held the post since {lastyear}",
    "worked in {town} for {nw} years",
    "led the group since {lastyear}",
    "campaigned on the issue for a decade",
]

# Filler-sounding language used by sources, attached to a concrete fact: still reporting.
HARD_NEGATIVES = [
    '"It remains to be seen {uncertain}," said {p}, {r}, adding that {claim}.',
    '"Only time will tell," {pl} said of {thing}, noting that {claim}.',
    '{pl} said {thing} "underscores the importance of {abstract}", pointing to the {num} complaints received '
    "since {month}.",
    '"Stay tuned," {orgs} posted on its account on {weekday}, hours before confirming that {claim}.',
    "In conclusion, the report makes {nw} recommendations, including {rec}.",
    "Looking ahead, {pl} said {claim}.",
    '"The public has a right to know how {money} was spent," {pl} said, calling for the accounts to be '
    "published by {date}.",
    '"This is a situation that continues to evolve," {pl} said on {weekday}, confirming that {claim}.',
    "Overall, {pct} of those surveyed said they supported {thing}, according to a poll of {num} residents.",
    "It remains unclear {uncertain}; officials said a decision would be made by {date}.",
    '"Moving forward, we will publish these numbers every month," {pl} said, after {orgs} released {num} '
    "records on {weekday}.",
    "The development highlights a gap of {money} in the budget, according to figures released on {weekday}.",
]

# Factual sentences that mention reading, subscribing, apps, newsletters or podcasts.
MEDIA_FACTS = [
    "{outlet} said its print edition now sells about {big} copies a day, while digital subscriptions have "
    "reached {big}.",
    "People can sign up for text alerts about {thing} on its website, {orgs} said.",
    "{pl} told {outlet}'s daily podcast that {claim}.",
    "In an interview with {outlet}'s morning newsletter, {pl} said {claim}.",
    "{outlet} first reported the story on {weekday}.",
    "The council's app, used to report potholes and missed bins, logged {num} reports in {month}.",
    "Subscribers to the {town} water service will see bills rise by {money} a year from {month}.",
    "Anyone affected can call the helpline on 0800 {digits}, {orgs} said.",
    "A newsletter sent to {num} members on {weekday} confirmed that {claim}.",
    "The library said loans of e-books through its app rose by {pct} last year, while {big} print books were "
    "borrowed.",
    "Readers of the community newsletter raised {money} for the appeal in {nw} weeks.",
    "The company said {pct} of its {big} subscribers had moved to the cheaper plan since {month}.",
]

ABSTRACT = [
    "proper oversight",
    "early planning",
    "clear communication",
    "reliable funding",
    "local accountability",
]
RECS = [
    "an annual audit",
    "a new complaints line",
    "quarterly public meetings",
    "an independent review panel",
    "publishing spending data online",
    "a dedicated safety officer",
]

OPINION = [
    "I have lived in {town} for {nw} years, and I have rarely seen {thing} handled as badly as this.",
    "{orgs} says {claim}. That is not good enough.",
    "Consider the numbers. {detail}",
    "There is a better way. {orgs} could start with {rec}, which would cost a fraction of {money}.",
    "Critics will say this is unaffordable. But the {lastyear} figures show the opposite: {claim}.",
    "The argument for {thing} rests on one assumption, that {claim}. It deserves scrutiny.",
    "Nobody disputes that {claim}. The question is who pays.",
    "My own view is simple: {rec} should come first, and the rest can wait until {month}.",
    "When I spoke to {p3}, {r3}, the frustration was obvious.",
    "It would be easy to blame {p1l} alone. It would also be wrong.",
    "Here is what should happen next: publish the full figures by {date}, and let residents judge.",
]


class Story:
    """The fixed facts of one article and the slot table its templates are filled from."""

    def __init__(self, rng: random.Random, topic: str, outlet: str, year: int) -> None:
        self.rng = rng
        self.topic = topic
        self.spec = TOPICS[topic]
        self.year = year
        self.town = town(rng)
        self.town2 = town(rng)
        while self.town2 == self.town:
            self.town2 = town(rng)
        self.region = rng.choice(REGIONS)
        people = [person(rng) for _ in range(3)]
        slots: dict[str, SlotValue] = {
            "town": self.town,
            "town2": self.town2,
            "region": self.region,
            "weekday": rng.choice(WEEKDAYS),
            "weekday2": rng.choice(WEEKDAYS),
            "month": rng.choice(MONTHS),
            "year": str(year),
            "lastyear": lambda r: str(year - r.randint(1, 12)),
            "founded": lambda r: str(r.randint(1890, 2005)),
            "date": lambda r: date_phrase(r, year),
            "time": clock,
            "days": lambda r: r.choice(
                [
                    "two weeks",
                    "three weeks",
                    "six weeks",
                    "ten days",
                    "a month",
                    "five days",
                    "two months",
                    "eight weeks",
                ]
            ),
            "n": lambda r: str(r.randint(2, 30)),
            "n2": lambda r: str(r.randint(2, 9)),
            "nlast": lambda r: str(r.randint(10, 15)),
            "nw": lambda r: r.choice(NUMBER_WORDS),
            "num": lambda r: count(r, 40, 950),
            "big": lambda r: count(r, 1_200, 480_000),
            "seats": lambda r: str(r.randint(31, 70)),
            "cents": lambda r: str(r.randint(5, 95)),
            "temp": lambda r: str(r.randint(31, 41)),
            "ref": lambda r: f"{r.randint(10, 99)}/{r.randint(1000, 99999)}/{str(year)[2:]}",
            "digits": lambda r: f"{r.randint(100, 999)} {r.randint(1000, 9999)}",
            "vote": lambda r: f"{r.randint(8, 30)}-{r.randint(1, 7)}",
            "pct": lambda r: pct(r),
            "surname": rng.choice(LAST_NAMES),
            "surname2": rng.choice(LAST_NAMES),
            "agency": rng.choice(AGENCIES),
            "outlet": outlet,
            "abstract": ABSTRACT,
            "rec": RECS,
            "short_q": SHORT_QUOTES,
        }
        lo, hi = self.spec["money"]
        cur = rng.choice(["$", "£", "€", "$"])
        slots["money"] = lambda r: money(r, cur, lo, hi)
        for key, values in self.spec["slots"].items():
            # Most topic phrases stay fixed for the story (it is about one policy, one storm); a few vary.
            if key in {
                "policy",
                "deal",
                "finding",
                "work",
                "change",
                "storm",
                "launch",
                "river",
                "illness",
                "offence",
                "project",
                "species",
                "techname",
                "brandword",
                "party",
                "field",
                "street",
                "age",
                "route",
                "award",
                "warning",
                "hazard",
                "pollution",
                "sample",
                "product",
                "service",
                "measure",
                "exam",
                "comp",
                "rival",
                "score",
                "sport_action",
            }:
                slots[key] = rng.choice(values)
            else:
                slots[key] = list(values)
        if "field" in slots and "fieldlower" in slots:
            slots["fieldlower"] = str(slots["field"]).lower()
        org_long, org_short = rng.choice(self.spec["orgs"])
        # Fill organisation templates with the story's slots so that e.g. '{town} Rovers' is fixed.
        self.org = fill(org_long, slots, rng, False)
        self.orgs = org_short
        slots["org"] = self.org
        slots["orgs"] = org_short
        slots["thing"] = rng.choice(self.spec["thing"])
        roles = []
        for key in ("r1", "r2", "r3"):
            roles.append(fill(rng.choice(self.spec[key]), slots, rng, False))
        self.people = people
        for i, ((full, last), role) in enumerate(zip(people, roles, strict=True), start=1):
            slots[f"p{i}"] = full
            slots[f"p{i}l"] = last
            slots[f"r{i}"] = _lower_first(role)
        slots["tenure"] = TENURES
        slots["claim"] = lambda r: fill(r.choice(self.spec["claims"]), self.slots, r, False).rstrip(".")
        slots["uncertain"] = lambda r: fill(r.choice(self.spec["uncertain"]), self.slots, r, False)
        slots["detail"] = lambda r: fill(r.choice(self.spec["details"]), self.slots, r)
        self.slots: Slots = slots
        self.quotes_used: list[str] = []
        self.used: set[str] = set()
        self.event = rng.randrange(len(self.spec["ledes"]))
        assert len(self.spec["headlines"]) == len(self.spec["ledes"]), topic

    # ----------------------------------------------------------------------------------------------- pieces
    def f(self, template: str) -> str:
        return tidy(fill(template, self.slots, self.rng))

    def choose(self, pool: list[str]) -> str:
        """A template from ``pool``, avoiding ones this story already used while there are fresh ones."""
        for _ in range(6):
            t = self.rng.choice(pool)
            if t not in self.used:
                break
        self.used.add(t)
        return t

    def headline(self) -> str:
        text = self.f(self.spec["headlines"][self.event])
        if self.rng.random() < 0.35:
            text = " ".join(
                w if w.isupper() or w[:1].isdigit() else w[:1].upper() + w[1:] for w in text.split()
            )
        return text

    def lede(self, dateline: str = "") -> str:
        first = self.f(self.spec["ledes"][self.event])
        sentences = [first]
        if self.rng.random() < 0.45:
            sentences.append(self.detail())
        text = " ".join(sentences)
        if dateline:
            text = (
                f"{dateline} {text[0].upper()}{text[1:]}"
                if not text.startswith('"')
                else f"{dateline} {text}"
            )
        return text

    def detail(self) -> str:
        pool = self.spec["details"] if self.rng.random() < 0.75 else GENERIC_DETAILS
        return self.f(self.choose(pool))

    def _quote_text(self) -> str:
        for _ in range(5):
            q = self.f(self.choose(self.spec["quotes"]))
            if q not in self.quotes_used:
                break
        self.quotes_used.append(q)
        return q

    def quote(self) -> str:
        form = self.choose(QUOTE_FORMS)
        who = self.rng.choice([1, 1, 2, 2, 3])
        q = self._quote_text()
        q2 = self._quote_text()
        if form.startswith('"{q},"') or '"{q},"' in form:
            q = q.rstrip(".")
            if q.endswith(("?", "!")):
                form = form.replace('"{q},"', '"{q}"')
        values = {"p": f"{{p{who}}}", "pl": f"{{p{who}l}}", "r": f"{{r{who}}}", "q": q, "q2": q2}
        text = form
        for k, v in values.items():
            text = text.replace("{" + k + "}", v)
        return self.f(text)

    def hard_negative(self) -> str:
        who = self.rng.choice([1, 2, 3])
        t = self.choose(HARD_NEGATIVES)
        t = t.replace("{pl}", f"{{p{who}l}}").replace("{p}", f"{{p{who}}}").replace("{r}", f"{{r{who}}}")
        return self.f(t)

    def media_fact(self) -> str:
        who = self.rng.choice([1, 2, 3])
        t = self.choose(MEDIA_FACTS).replace("{pl}", f"{{p{who}l}}")
        return self.f(t)

    def background(self) -> str:
        return self.f(self.choose(self.spec["background"]))

    def next_step(self) -> str:
        return self.f(self.choose(NEXT_STEPS))

    def opinion(self) -> str:
        return self.f(self.choose(OPINION))

    def pull_quote(self) -> str | None:
        """A quote already used in the body, repeated as a pull quote (boilerplate by the guide)."""
        if not self.quotes_used:
            return None
        q = self.rng.choice(self.quotes_used)
        return self.rng.choice([f'"{q}"', f"“{q}”", f'"{q}" — {self.people[0][0]}'])

    # ------------------------------------------------------------------------------------------- paragraphs
    def paragraph(self) -> tuple[str, str]:
        """One body paragraph and its template kind; 1-5 sentences of mixed kinds."""
        r = self.rng.random()
        parts: list[Callable[[], str]]
        if r < 0.28:
            kind, parts = "quote", [self.quote]
            if self.rng.random() < 0.35:
                parts.append(self.detail)
        elif r < 0.58:
            kind = "detail"
            parts = [self.detail for _ in range(self.rng.choice([1, 1, 2, 2, 3]))]
        elif r < 0.68:
            kind, parts = "background", [self.background]
            if self.rng.random() < 0.5:
                parts.append(self.detail)
        elif r < 0.76:
            kind, parts = "next", [self.next_step]
        elif r < 0.88:
            kind = "long"
            parts = [self.detail, self.quote, self.detail, self.background]
            if self.rng.random() < 0.5:
                parts.append(self.next_step)
        else:
            kind, parts = "mixed", [self.detail, self.quote]
        seen: list[str] = []
        for make in parts:
            s = make()
            if s not in seen:
                seen.append(s)
        return " ".join(seen), kind


_SENT_THE = re.compile(r"(?<=[a-z0-9%\"”)][.!?] )(the|a|an)\b")


def tidy(text: str) -> str:
    """Fix what slot filling can break: 'p.m..' at a sentence end, lower-case 'the' after a full stop."""
    text = text.replace("m..", "m.").replace(".,", ",") if "m.." in text or ".," in text else text
    return _SENT_THE.sub(lambda m: m.group(1).capitalize(), text)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def dateline(rng: random.Random, story: Story, agency: str | None = None) -> str:
    """'MARBROOK —', 'Marbrook, March 4 —' or, for wire copy, 'MARBROOK (Meridian Press) —'."""
    place = story.town
    if agency:
        return (
            f"{place.upper()} ({agency}) —"
            if rng.random() < 0.8
            else f"{place.upper()}, {story.region} ({agency}) -"
        )
    r = rng.random()
    if r < 0.4:
        return f"{place.upper()} —"
    if r < 0.7:
        return f"{place}, {date_phrase(rng, story.year)} —"
    return f"{place.upper()}:"


__all__ = ["Story", "dateline", "cap"]
