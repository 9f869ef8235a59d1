"""Invented vocabulary for the line library: outlets, places, people, products, prices and dates.

Written for this project and deliberately different from ``training_data/generator/vocab.py`` (other
syllables, other name lists), so that line families do not share proper nouns with the document generator
and a model cannot key on them. No name refers to a real outlet, person or company.
"""

from __future__ import annotations

import random

__all__ = [
    "town",
    "outlet",
    "person",
    "first_name",
    "handle",
    "url",
    "price",
    "percent",
    "promo_code",
    "weekday",
    "month",
    "date_text",
    "clock",
    "company",
    "team",
    "BASE_SLOTS",
]

_HEADS = (
    "Brael Corv Dun Esk Fal Gwen Hollo Iver Jask Kelv Lorr Mav Nethe Orr Pask Quell Rav Sull Tarn Ulv Vell "
    "Wyn Yarr Zell Amber Brock Cinder Dove Ember Frost Gorse Heron Juni Larch Moss Nettle Otter Plover Rook "
    "Sedge Teal Wren"
).split()
_TAILS = (
    "marrow combe stoke thwaite by mere ham cot wold fell sey ness hurst garth leigh minster wick den".split()
)
_FIRST = (
    "Abel Adaeze Agnes Alarik Amara Anouk Aurelio Bastian Beatrix Bram Calla Cassius Celeste Corin Dagny "
    "Delphine Desmond Eamon Eira Elio Esmé Ewan Fenna Florian Gideon Greta Hale Haruki Ilse Imani Ione Jago "
    "Jessamy Joss Kaia Kasimir Keturah Lazlo Linnea Lorcan Lumi Magnus Marisol Merritt Nell Niamh Obi Odessa "
    "Orrin Pia Quill Rasmus Reuben Rhosyn Saoirse Seren Silas Solveig Tavi Thea Tobiah Una Valentin Wilhelmina "
    "Wolfe Xanthe Yannick Ysolde Zeno Zofia Bartholomew Clementine Dorian Evander"
).split()
_LAST = (
    "Achterberg Alcott Ballantyne Barraclough Beddoes Blenkinsop Brackenbury Cairncross Challis Coverdale "
    "Crabtree Dallimore Darrow Eckersley Elphick Fairweather Featherstone Gillingham Goodall Greaves Hackett "
    "Hallorann Inchbald Jessop Kettering Kinloch Lambourne Larkspur Ledbetter Marchbank Mayhew Merrivale "
    "Nettleton Oakes Ormerod Pargeter Penhaligon Quartermain Ravensworth Rawcliffe Rushworth Saltonstall "
    "Scrivener Sowerby Tarrant Tindall Tregarthen Underwood Vantongeren Wainwright Whitcombe Yarwood "
    "Ziegler Okonjo Adebayo Mwangi Castellanos Ferrante Lindholm Haugland Szymanski Nakagawa Petrakis"
).split()
_OUTLET_NOUNS = (
    "Courier Chronicle Gazette Observer Dispatch Ledger Bulletin Sentinel Tribune Argus Express Echo Mercury "
    "Record Clarion Messenger Register Herald Times Post Journal Standard Daily Review"
).split()
_OUTLET_FORMS = [
    "The {t} {n}",
    "{t} {n}",
    "The {t} {n}",
    "{t} Today",
    "{t} Live",
    "The {n}",
    "{t}Now",
    "{t} Daily",
]
_COMPANY_TAILS = (
    "Holdings Group Foods Energy Motors Labs Outfitters Bank Homes Logistics Retail Pharma Studios".split()
)
_TEAM_TAILS = (
    "United Rovers Athletic Wanderers Town Albion City Harriers Rangers Vale Thistle Hornets".split()
)


def town(rng: random.Random) -> str:
    return rng.choice(_HEADS) + rng.choice(_TAILS)


def first_name(rng: random.Random) -> str:
    return rng.choice(_FIRST)


def person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def outlet(rng: random.Random) -> str:
    form = rng.choice(_OUTLET_FORMS)
    return form.replace("{t}", town(rng)).replace("{n}", rng.choice(_OUTLET_NOUNS))


def company(rng: random.Random) -> str:
    return f"{town(rng)} {rng.choice(_COMPANY_TAILS)}"


def team(rng: random.Random) -> str:
    return f"{town(rng)} {rng.choice(_TEAM_TAILS)}"


def handle(rng: random.Random) -> str:
    base = rng.choice([town(rng), rng.choice(_LAST) + rng.choice(["News", "Live", "HQ", "Daily", ""])])
    base = rng.choice([base, base.lower()])
    return "@" + base + rng.choice(["", "", "_", "_news", "official"])


def url(rng: random.Random) -> str:
    host = town(rng).lower() + rng.choice(["courier", "news", "post", "today", "live", "times", "-echo"])
    path = rng.choice(
        ["", "/subscribe", "/newsletters", "/app", "/offer", "/podcast", "/join", "/tips", "/deals"]
    )
    www = rng.choice(["", "www.", "https://", "https://www."])
    return f"{www}{host}.{rng.choice(['com', 'co.uk', 'net', 'news', 'org'])}{path}"


def price(rng: random.Random) -> str:
    cur = rng.choice(["$", "£", "€", "$", "£", "A$", "C$", "US$"])
    whole = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 19, 29, 49, 59, 79, 99, 129])
    cents = rng.choice(["", ".99", ".49", ".50", ".95", ".00", ".99"])
    if whole == 0:
        cents = rng.choice([".99", ".49", ".50"])
    if cur == "€" and rng.random() < 0.4:
        return f"{whole}{cents.replace('.', ',')} €"
    return f"{cur}{whole}{cents}"


def percent(rng: random.Random) -> str:
    n = rng.choice([10, 15, 20, 25, 30, 33, 40, 50, 60, 65, 70, 75, 80, 85, 90])
    return rng.choice([f"{n}%", f"{n}%", f"{n} per cent", f"{n} percent"])


def promo_code(rng: random.Random) -> str:
    word = rng.choice(
        "SAVE READ NEWS SPRING AUTUMN WINTER SUMMER WELCOME HELLO FIRST LOYAL BONUS INSIDER FRIDAY EARLY NEW".split()
    )
    return word + rng.choice(["", str(rng.choice([10, 15, 20, 25, 30, 40, 50])), str(rng.randint(1, 9)) * 2])


WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()


def weekday(rng: random.Random) -> str:
    return rng.choice(WEEKDAYS)


def month(rng: random.Random) -> str:
    return rng.choice(MONTHS)


def date_text(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.choice(MONTHS), rng.choice([2021, 2022, 2023, 2024, 2025])
    return rng.choice(
        [f"{d} {m} {y}", f"{m} {d}, {y}", f"{m[:3]} {d}, {y}", f"{d:02d}/{MONTHS.index(m) + 1:02d}/{y}"]
    )


def clock(rng: random.Random) -> str:
    h, mi = rng.randint(0, 23), rng.choice(range(0, 60, rng.choice([1, 5])))
    if rng.random() < 0.5:
        return f"{h:02d}:{mi:02d}"
    return f"{(h % 12) or 12}:{mi:02d} {'am' if h < 12 else 'pm'}"


def _n(lo: int, hi: int):  # noqa: ANN202 - tiny factory
    return lambda rng: str(rng.randint(lo, hi))


BASE_SLOTS = {
    "town": town,
    "outlet": outlet,
    "person": person,
    "first": first_name,
    "company": company,
    "team": team,
    "handle": handle,
    "url": url,
    "price": price,
    "pct": percent,
    "code": promo_code,
    "weekday": weekday,
    "month": month,
    "date": date_text,
    "clock": clock,
    "n2_9": _n(2, 9),
    "n3_15": _n(3, 15),
    "n10_99": _n(10, 99),
    "n100_999": _n(100, 999),
    "ndays": lambda rng: rng.choice(["7", "14", "30", "21", "60", "90"]),
    "trial": lambda rng: rng.choice(
        ["7-day", "14-day", "30-day", "one-month", "two-week", "90-day", "three-month"]
    ),
    "year": lambda rng: str(rng.choice([2021, 2022, 2023, 2024, 2025])),
}
