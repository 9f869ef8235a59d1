"""Shared invented vocabulary: people, places, organisations, dates and numbers.

Every name here is made up for this project. Places are built from syllables so that no real town is
implied; people are drawn from broad first/last name lists so that the combinations are plausible but not
real persons. Nothing here is copied from a corpus.
"""

from __future__ import annotations

import random

FIRST_NAMES = """
Ada Adrian Aisha Alma Amir Ana Anders Anika Arjun Ava Beatriz Bella Bilal Bruno Camila Carmen Cecile Chidi
Clara Colm Dana Daniel Dario Delia Dev Diego Dmitri Edith Elena Elif Emeka Emil Erin Esther Ezra Fatima
Felix Femi Fiona Gareth Grace Hana Hamid Hector Helena Hugo Ida Ines Ingrid Isaac Ivan Jana Jasper Joaquin
Jonas Jorge Joy Julia Kai Kamal Karin Keiko Kofi Lara Laszlo Leila Leon Lina Lorenzo Lucia Luis Mads Malik
Maren Marta Mateo Maya Mei Milan Mira Mohan Nadia Naomi Nia Nikolai Nina Noor Odile Olga Omar Oscar Paloma
Pavel Petra Priya Rafael Rania Rosa Ruth Sadie Samir Sandra Sanjay Selma Simon Sofia Soren Tamar Teodor
Tessa Theo Tomas Uma Valeria Victor Vera Wanjiru Wiktor Yara Yusuf Zara Zoe Bernard Cormac Dolores Enzo
Gemma Harriet Idris Jude Kasia Lionel Marguerite Nils Orla Piotr Quentin Rhiannon Stellan Thandiwe Ulrich
""".split()

LAST_NAMES = """
Abernathy Achebe Adeyemi Aldana Alvarez Ambrose Ansel Arkwright Asante Baptiste Barros Beaumont Belcourt
Bergstrom Bianchi Blackwood Bonner Brannigan Brightman Calloway Carrow Castellano Chaudhry Cheng Cipriani
Colquhoun Corrigan Dahl Delacroix Desai Doherty Dube Eastwood Ekwueme Ellery Esposito Falk Farrow Fennimore
Ferreira Fitzgerald Galvan Garside Gunnarsson Haddad Halvorsen Hartigan Hendricks Holloway Hoshino Ibarra
Iqbal Jablonski Jovanovic Kaminski Karlsson Kavanagh Keane Kowalczyk Lachance Lindqvist Llewellyn Lomax
Lundgren Macready Mahlangu Marchetti Markham Mbeki Mendel Moreau Mulvaney Nakamura Navarro Nkemelu Novak
Oduya Okafor Olsen Ortega Osei Pacheco Pajari Pellegrini Penrose Quayle Quintero Radcliffe Rahman Ramsay
Rasmussen Reyes Rinaldi Rosenthal Rourke Salazar Santangelo Sato Schreiber Sefton Sharma Sokolova
Strand Sutcliffe Szabo Tadesse Tanaka Thornbury Toivonen Trask Uddin Underhill Valdez Vance Varga Voss
Wakefield Waweru Whitlock Winslow Wojcik Yilmaz Yoon Zamora Zielinski Ashdown Birkett Crowther Dunmore
Everly Gallagher Hawthorne Kilbride Lockhart Merriweather Northcott Pemberton Stroud Tillman Vickery
""".split()

TOWN_HEADS = """
Ash Bram Cal Dun Elm Fair Glen Hal Ivy Kes Lang Mar Nor Oak Pen Quarry Red Stan Thorn Wex Ald Bel Cor Dray
Fen Gar Hollin Kirk Lyn March Ottér Pell Ross Sel Tam Whit Brack Carn Hazel Mill Birch Cold Stone Wil
""".replace("Ottér", "Otter").split()

TOWN_TAILS = """
ford bury wick ton field haven more dale port stead mouth ridge holm by worth crest brook gate ley well
""".split()

REGIONS = [
    "Calder County",
    "the Westmark region",
    "Norland Province",
    "the Ashby Valley",
    "Greywater County",
    "the Lowmoor district",
    "Harrow Province",
    "the Eastfold region",
    "Tremont County",
    "the Silverdale area",
    "Kestrel County",
    "the Northern Reach",
    "Brennan Province",
    "the Oakmere district",
    "Fallow County",
    "the Coastal Marches",
    "Redfern County",
    "the Upper Dane valley",
    "Morrow Province",
    "the Southgate region",
]

AGENCIES = [
    "Meridian Press",
    "Continental News Service",
    "Allied Wire",
    "Press Union International",
    "Northstar News",
    "Global Dispatch",
    "Atlas Newswire",
    "Harbour Press Agency",
    "United Bulletin",
    "Compass Wire",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_ABBR = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]

NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
]

CURRENCIES = ["$", "£", "€"]


def town(rng: random.Random) -> str:
    """An invented town name such as 'Marbrook' or 'Port Kesford'."""
    name = rng.choice(TOWN_HEADS) + rng.choice(TOWN_TAILS)
    r = rng.random()
    if r < 0.12:
        return "Port " + name
    if r < 0.2:
        return rng.choice(["North ", "South ", "East ", "West ", "Upper ", "Lower "]) + name
    if r < 0.25:
        return name + rng.choice([" Falls", " Bay", " Heights", " Junction", " Springs"])
    return name


def person(rng: random.Random) -> tuple[str, str]:
    """(full name, surname) of an invented person; sometimes with a middle initial."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    if rng.random() < 0.12:
        last = f"{last}-{rng.choice(LAST_NAMES)}"
    if rng.random() < 0.1:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}", last
    return f"{first} {last}", last


def money(rng: random.Random, cur: str, lo: float, hi: float) -> str:
    """A money amount written the way reporters do: '$4.2 million', '£850,000', '€12bn'."""
    value = rng.uniform(lo, hi)
    if value >= 1e9:
        unit = rng.choice([" billion", "bn"])
        return f"{cur}{value / 1e9:.1f}{unit}".replace(".0", "")
    if value >= 1e6:
        unit = rng.choice([" million", "m", " million"])
        return f"{cur}{value / 1e6:.1f}{unit}".replace(".0", "")
    if value >= 10_000:
        return f"{cur}{int(round(value, -3)):,}"
    return f"{cur}{int(round(value, -1)):,}"


def count(rng: random.Random, lo: int, hi: int) -> str:
    """An integer count formatted with thousands separators."""
    return f"{rng.randint(lo, hi):,}"


def pct(rng: random.Random, lo: float = 1, hi: float = 40) -> str:
    value = rng.uniform(lo, hi)
    if rng.random() < 0.5:
        return f"{value:.1f}%" if rng.random() < 0.8 else f"{value:.1f} per cent"
    return f"{int(value)}%" if rng.random() < 0.8 else f"{int(value)} percent"


def date_phrase(rng: random.Random, year: int) -> str:
    month = rng.choice(MONTHS)
    day = rng.randint(1, 28)
    form = rng.random()
    if form < 0.4:
        return f"{month} {day}"
    if form < 0.7:
        return f"{day} {month}"
    if form < 0.85:
        return f"{month} {day}, {year}"
    return f"{day} {month} {year}"


def clock(rng: random.Random) -> str:
    hour = rng.randint(0, 23)
    minute = rng.choice([0, 5, 10, 12, 15, 20, 24, 30, 35, 41, 45, 48, 50, 55])
    form = rng.random()
    if form < 0.5:
        return f"{hour:02d}:{minute:02d}"
    suffix = "a.m." if hour < 12 else "p.m."
    h12 = hour % 12 or 12
    return f"{h12}:{minute:02d} {suffix}"


SITE_ADJ = """
harbor north valley river capital evening morning coastal prairie summit granite lakeside central metro
county bay union western eastern southern daily weekly free city old new silver iron red blue green
""".split()
SITE_NOUN = """
ledger courier herald gazette dispatch chronicle tribune observer post sentinel bulletin record journal
times star beacon monitor press examiner register review wire digest report voice echo
""".split()


def site_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct fictional site slugs such as 'harbor-ledger'."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        slug = f"{rng.choice(SITE_ADJ)}-{rng.choice(SITE_NOUN)}"
        if rng.random() < 0.15:
            slug = f"{slug}-{rng.choice(['news', 'online', 'today', 'now', 'hub', 'live'])}"
        if slug not in seen:
            seen.add(slug)
            out.append(slug)
    return out


def display_name(slug: str) -> str:
    """'harbor-ledger' -> 'The Harbor Ledger'; '-news'/'-hub' suffixes become part of a brand."""
    parts = slug.split("-")
    words = [p.capitalize() for p in parts]
    if parts[-1] in {"news", "online", "today", "now", "hub", "live"}:
        return "".join(words[:-1]) + words[-1]
    return "The " + " ".join(words)
