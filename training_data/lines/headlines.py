"""Headlines of *other* stories, as carried by teasers and related links: many shapes, invented vocabulary.

Shapes: plain news ("Marrowby council scraps night bus plan"), number-led, listicle ("7 things ..."),
question, clickbait ("You won't believe ..."), how-to, explainer, quote headlines, live and opinion labels.
Each shape is a small grammar (see :mod:`grammar`), so the same shape gives differently ordered wordings.
"""

from __future__ import annotations

import random

from grammar import expand
from vocab import BASE_SLOTS

__all__ = ["headline", "HEADLINE_SLOTS"]

_GROUPS = [
    "councillors",
    "residents",
    "nurses",
    "farmers",
    "landlords",
    "cyclists",
    "parents",
    "teachers",
    "commuters",
    "pensioners",
    "students",
    "shopkeepers",
    "fishermen",
    "bus drivers",
    "midwives",
    "tenants",
    "volunteers",
    "firefighters",
    "anglers",
    "dog owners",
]
_THINGS = [
    "bus lane",
    "flood barrier",
    "library hours",
    "parking charges",
    "school merger",
    "wind farm",
    "hospital wing",
    "tram extension",
    "market hall",
    "bin collections",
    "speed cameras",
    "cycle path",
    "ferry timetable",
    "swimming pool",
    "housing estate",
    "night bus",
    "village post office",
    "harbour wall",
    "ring road",
    "skate park",
    "care home",
    "rail depot",
    "bridge repairs",
    "water meters",
    "allotment rents",
    "stadium plan",
    "food bank",
    "youth centre",
    "airport runway",
    "quarry expansion",
]
_VERBS_PAST = [
    "approves",
    "scraps",
    "delays",
    "backs",
    "rejects",
    "pauses",
    "unveils",
    "defends",
    "revives",
    "shelves",
    "fast-tracks",
    "halts",
    "expands",
    "cuts",
    "doubles",
]
_ADJ = [
    "shock",
    "surprise",
    "fresh",
    "major",
    "last-minute",
    "long-awaited",
    "controversial",
    "bold",
    "quiet",
]
_EVENTS = [
    "storm",
    "power cut",
    "heatwave",
    "strike",
    "fire",
    "flooding",
    "cyber attack",
    "recall",
    "festival",
    "derby",
    "by-election",
    "cup run",
    "transfer saga",
    "budget row",
    "pay deal",
]
_OBJECTS = [
    "your garden",
    "your commute",
    "your energy bill",
    "your weekend",
    "your dog",
    "your kitchen",
    "your pension",
    "your phone battery",
    "your sleep",
    "your lunch break",
    "your car",
    "your houseplants",
]
_SHAPES = {
    "news": [
        "{town} council {verb} {thing} plan",
        "{Group} [angry|furious|relieved|divided] [over|after] {thing} [decision|vote|row]",
        "{company} to [close|open|sell|move] [its|a] {town} [site|store|office|depot|factory]",
        "{team} [sign|sack|appoint|lose] [striker|keeper|manager|captain|coach] [after|before|amid] {event}",
        "{Thing} [to reopen|to close|reopens|closes] [after|for] {event}",
        "[Police|Coastguard|Paramedics|Firefighters] [called to|respond to|investigate] {event} [in|near|at] {town}",
        "[Why|How] {town} [became|is becoming|stopped being] [the|a] {adj} [hotspot|battleground|success story]",
        "{adj_cap} {event} hits {town} [as|while|after] {groups} [wait|struggle|count the cost]",
        "{Person} [named|appointed|confirmed|quits] as {town} [mayor|chief executive|head teacher|coach]",
        "[Plans for|Row over|Delay to|Go-ahead for] {town} {thing}",
        "{Thing} [costs|bill|overspend] [soar|doubles|rises] [again|for third year|as inquiry begins]",
        "[Hundreds|Dozens|Thousands] [join|sign|back] [protest|petition|campaign] [against|over|for] {thing}",
    ],
    "number": [
        "{n} [arrested|injured|rescued|evacuated] [after|in|during] {town} {event}",
        "{n} [homes|schools|shops|firms] [left without power after|hit by|cleared after] {event}",
        "[£|$|€]{n}m {thing} [plan|scheme|project] [approved|scrapped|delayed|under review]",
        "{n} [years|months|weeks] on, {town} {thing} still [unfinished|closed|waiting]",
        "{pn}% of {groups} [say|believe|fear|want] {thing} [should go|is failing|must stay]",
    ],
    "list": [
        "{n} [things|reasons|ways|signs|facts|mistakes] [you need to know about|to know about|behind|everyone makes with] {obj}",
        "{n} [best|cheapest|most beautiful|hidden|underrated] [walks|beaches|pubs|cafes|villages|parks] [near|in|around] {town}",
        "The {n} [biggest|strangest|most important|worst] [moments|stories|decisions|signings] of the [year|season|decade|week]",
        "{n} [tips|tricks|hacks|rules] to [save on|protect|fix|improve] {obj}",
        "[Our|The] top {n} [picks|buys|gadgets|recipes|books|films] [for the weekend|this summer|this autumn|this winter|for spring]",
    ],
    "question": [
        "[Is|Could|Will|Should] {thing} [be|become] the [answer|end|future|next big thing] for {town}?",
        "[What|Who|Why] [really|actually|exactly] [happened|went wrong|is to blame] [at|in|with] {town} {thing}?",
        "[Can|Will|Should] {groups} [stop|save|afford|trust] {thing}?",
        "Is {obj} [costing|hurting|helping] you more than you think?",
        "Where [next|now] for {team}?",
    ],
    "clickbait": [
        "You won't believe what [happened|was found|turned up] [in|at|under] {town} {thing}",
        "[This|One] [simple|weird|tiny|cheap] [trick|change|habit] [could|will] [transform|save|change] {obj}",
        "[Experts|Doctors|Vets|Gardeners|Chefs] [warn|reveal|explain] [why|how] {obj} [matters|needs changing|could be at risk]",
        "[Fans|Viewers|Shoppers|Locals] [stunned|baffled|thrilled|outraged] [as|after|by] {adj} {event} [twist|announcement|photo]",
        "The [real|surprising|hidden|shocking] reason {obj} [keeps failing|costs more|looks worse]",
        "[What|Here's what] happens when you [stop|start] [checking|charging|watering|washing] {obj} [every day|at night|too often]",
        "[Nobody|No one] saw this {event} [coming|twist coming] in {town}",
    ],
    "howto": [
        "How to [save on|cut the cost of|protect|sort out|plan] {obj} [this winter|before the weekend|in ten minutes|on a budget|for less]",
        "How [to|you can] [beat|survive|avoid|prepare for] the {event} [queues|chaos|rush|price rises]",
        "[A beginner's|The complete|Your essential|A simple] guide to {obj}",
        "[Everything|All] you need to know about the {town} {thing}",
        "What [the|this] {event} means for {obj}",
    ],
    "quote": [
        "'[We were|They were|I was] [never|not|always] [told|warned|consulted]': {groups} [speak out|react|hit back] over {thing}",
        "'[It's|This is] [a disgrace|heartbreaking|a miracle|long overdue]': {town} [reacts|responds] to {thing} [news|decision]",
        "[Manager|Mayor|Coach|Owner] [says|insists|admits] '[we|I] [got it wrong|will fight on|have no regrets]' [after|over] {event}",
        '"[Enough is enough|We need answers|It felt like home]" - {groups} [on|about] the {thing}',
    ],
    "label": [
        "[LIVE|Live|Watch live|Live updates|LIVE UPDATES][:| -|:] {town} {event} [latest|as it happened|updates]",
        "[Opinion|Comment|Analysis|Explainer|Review|Exclusive|Breaking|Video|Watch|Pictures|In pictures][:| -|:] {inner}",
    ],
}
_INNER = [s for k in ("news", "question", "howto", "number") for s in _SHAPES[k]]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


HEADLINE_SLOTS = dict(BASE_SLOTS)
HEADLINE_SLOTS.update(
    {
        "verb": _VERBS_PAST,
        "thing": _THINGS,
        "Thing": lambda rng: _cap(rng.choice(_THINGS)),
        "groups": _GROUPS,
        "Group": lambda rng: _cap(rng.choice(_GROUPS)),
        "adj": _ADJ,
        "adj_cap": lambda rng: _cap(rng.choice(_ADJ)),
        "event": _EVENTS,
        "obj": _OBJECTS,
        "n": lambda rng: str(rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 25, 30, 40, 50, 100, 200])),
        "Person": BASE_SLOTS["person"],
        "inner": _INNER,
        "pn": lambda rng: str(rng.choice([8, 12, 15, 20, 25, 30, 40, 45, 55, 60, 65, 70, 75, 80, 90])),
    }
)


def title_case(s: str) -> str:
    small = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "as", "by", "with"}
    words = s.split(" ")
    return " ".join(w if (i and w in small) else _cap(w) for i, w in enumerate(words))


def headline(rng: random.Random, shapes: tuple[str, ...] | None = None) -> str:
    """One headline of another story; ~25% in Title Case as many sites print them."""
    shape = rng.choice(shapes or tuple(_SHAPES))
    text = _cap(expand(rng.choice(_SHAPES[shape]), rng, HEADLINE_SLOTS))
    return title_case(text) if rng.random() < 0.25 else text
