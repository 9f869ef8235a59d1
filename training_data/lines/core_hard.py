"""Hard core (reporting) lines: real-looking facts that naive promotion/filler rules would drop.

Reporting *about* subscriptions, apps, newsletters, podcasts, prices and discounts; hedging phrases inside
an attributed quote that also carries a fact; one-sentence facts; short section headings of the story;
list items that belong to the article (tour dates, standings, ingredients, specifications, results);
lead-ins ending in a colon; datelines glued to the lede; corrections with the corrected fact; live-blog
entries with their timestamp. Each line has a checkable specific: a number, date, named source or place.
"""

from __future__ import annotations

import random
from typing import Any

from library import Family, T
from promotion import SLOTS as PROMO_SLOTS
from vocab import MONTHS

__all__ = ["FAMILIES"]


def _cur(rng: random.Random) -> str:
    return rng.choice(["£", "$", "€"])


def _price_pair(rng: random.Random) -> str:
    """'£12.50 from May, up from £11.80': one currency, a plausible rise."""
    c = _cur(rng)
    old = rng.randint(20, 900) / 2
    new = old * rng.uniform(1.03, 1.3)
    return f"{c}{new:,.2f} from {rng.choice(MONTHS)}, up from {c}{old:,.2f}"


def _money_fix(rng: random.Random) -> str:
    """Wrong and corrected amounts of a correction, in one currency."""
    c, unit = _cur(rng), rng.choice(["m", ",000", "bn"])
    a, b = rng.randint(2, 99), rng.randint(2, 99)
    if unit == ",000":
        a, b = a * 10, b * 10
    return f"{c}{a}{unit}. The correct figure is {c}{b}{unit}"


def _vote_split(rng: random.Random) -> str:
    a = rng.randint(51, 88)
    b = rng.randint(100 - a - 6, 100 - a) if a < 94 else 100 - a
    return f"{a}% to {max(1, b)}%"


def _score(rng: random.Random) -> str:
    h, a = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]), rng.choice([0, 0, 1, 1, 2, 2, 3])
    return f"{h}-{a}"


def _table_row(rng: random.Random) -> str:
    p = rng.randint(10, 38)
    w = rng.randint(0, p)
    d = rng.randint(0, p - w)
    lost = p - w - d
    gd = rng.randint(-30, 40)
    return rng.choice(
        [
            f"P {p} W {w} D {d} L {lost} Pts {3 * w + d}",
            f"{p} {w} {d} {lost} {gd:+d} {3 * w + d}",
            f"Pld {p} W{w} D{d} L{lost} GD {gd:+d} Pts {3 * w + d}",
        ]
    )


def _votes(rng: random.Random) -> str:
    return f"{rng.randint(180, 9800):,}"


def _day(rng: random.Random) -> str:
    return str(rng.randint(1, 28))


SLOTS = dict(PROMO_SLOTS)
SLOTS.update(
    {
        "role": [
            "the council's finance chief",
            "a spokesperson for the trust",
            "the club's chairman",
            "the head teacher",
            "a union representative",
            "the company's chief executive",
            "the regional police commander",
            "the festival director",
            "the harbour master",
            "a senior nurse",
            "the county's planning officer",
            "the opposition leader",
            "the charity's director",
        ],
        "said": [
            "said",
            "said on {weekday}",
            "told reporters",
            "told {site}",
            "said in a statement",
            "wrote in a letter to members",
            "told a press conference",
        ],
        "money": lambda rng: (
            rng.choice(["£", "$", "€"])
            + rng.choice(
                [
                    f"{rng.randint(2, 950)},000",
                    f"{rng.randint(1, 90)}.{rng.randint(1, 9)}m",
                    f"{rng.randint(12, 999)}m",
                ]
            )
        ),
        "bign": lambda rng: f"{rng.randint(1, 99)},{rng.randint(100, 999)}",
        "agency": ["Meridian Press", "Northwire", "Pressline"],
        "pricepair": _price_pair,
        "moneyfix": _money_fix,
        "split": _vote_split,
        "score": _score,
        "row": _table_row,
        "votes": _votes,
        "win": lambda rng: (lambda a: f"{a}-{rng.randint(0, a - 1)}")(rng.randint(1, 5)),
        "draw": lambda rng: (lambda a: f"{a}-{a}")(rng.choice([0, 1, 1, 2, 2, 3])),
        "facility": [
            "swimming pool",
            "library",
            "market hall",
            "care home",
            "youth centre",
            "leisure centre",
            "depot",
            "museum",
            "day centre",
        ],
        "day": _day,
    }
)


def F(name: str, templates: list[str], **kw: Any) -> Family:  # noqa: N802
    opts: dict[str, Any] = dict(p_strip_stop=0.0, target=220, max_words=70)
    opts.update(kw)
    return Family(name=name, label="core", templates=[T(t) for t in templates], slots=SLOTS, **opts)


FAMILIES: list[Family] = [
    F(
        "media_business_facts",
        [
            "{company} said digital subscriptions [rose|fell|climbed] to {bign} in the [first|second|third|fourth] quarter, [up|down] {pct} on a year earlier.",
            "The {site} [newsletter|podcast|app], launched in {year}, [now has|had] about {bign} [subscribers|listeners|monthly users], according to the publisher's annual report.",
            "[Downloads of|Sign-ups to] the council's new [bin collection|parking|reporting] app reached {bign} in its first {n2_9} weeks, officials said.",
            "{person}, who hosts the [podcast|radio show] {pod}, [told|said in an interview with] {site} that the show [had lost|had gained] {n10_99},000 listeners since {month}.",
            "[The paper|The broadcaster|The website] will [introduce|scrap] its paywall on {date}, [its editor|the owner] {person} said in a memo to staff.",
            "Subscribers [who|that] [signed up before|joined before] {month} will keep their current rate of {price} a month, the company [said|confirmed].",
            "The app [was removed from|returned to] {store} on {weekday} after [a security flaw|a data breach|complaints] [affecting|involving] {bign} users.",
            "[Membership of|Paid membership of] the {place} [library|gym|sailing club|museum friends' scheme] [has doubled|fell by a third] to {bign} since {year}, [the annual report shows|figures released on {weekday} show].",
            "[Customers|Passengers|Residents] will be able to [renew permits|book tickets|report potholes] through the app from {month}, {role} {said}.",
            "The regulator [fined|cleared] {company} {money} over [subscription traps|hidden renewal fees|misleading free trials] on {weekday}.",
        ],
    ),
    F(
        "price_discount_facts",
        [
            "{company} [cut|raised] [prices|fares|fees] by [3|4|5|6|8|10|12|15]% on {weekday}, [blaming|citing] [energy costs|lower demand|a new contract].",
            "[Season tickets|Bus passes|Annual passes|Swimming lessons|Parking permits] will cost {pricepair}, the [club|operator|council] said.",
            "[Shoppers|Customers] queued from {clock} for the sale, in which [televisions|sofas|school uniforms] were discounted by up to {pct}.",
            "The [discount|rebate|refund] of {price} per [household|household bill|ticket] [will be paid|was paid] automatically [in {month}|from {date}], {role} {said}.",
            "[Inflation|Food price inflation|Services inflation] [eased|rose] to {n2_9}.{n2_9}% in {month}, the statistics office said.",
            "[Water|Energy|Council tax] bills in {place} will [rise|fall] by an average of [£|$|€]{n10_99} a year from {month}, [the regulator|the council|the supplier] said.",
            "A promotion offering [free|half-price] [meals|tickets|travel] [for children|for pensioners] [cost|will cost] the [operator|council] {money}, according to [its accounts|documents seen by {site}].",
            "The [trust|museum|zoo] [scrapped|introduced] its {price} entry fee on {date}, and visitor numbers [rose|fell] {pct} in the following month.",
            "[House prices in|Rents in] {place} [rose|fell] {n2_9}.{n2_9}% over the year to {month}, [the estate agency|the letting firm] {place} [Lettings|Homes|Property] said.",
        ],
    ),
    F(
        "quoted_hedge",
        [
            '"[Only time will tell|It remains to be seen] [whether|if] [the plant reopens|the funding arrives|the deal holds]," said {person}, {role}, [adding that|who said] {n100_999} jobs [depend on it|were at stake].',
            "{person}, {role}, said [it was too early to say|time would tell] whether the {money} [scheme|grant|upgrade] would work, but that [{n10_99}|{n2_9}] [families|firms|schools] had already [applied|signed up].",
            '"We are [in a world where|living at a time when] [costs go up every month|every penny counts]," {person} {said}. "Our [fuel|wage|rent] bill [rose|has gone up] {pct} [in a year|since {month}]."',
            'Asked whether [the ferry|the ward|the branch] would [reopen|stay open], {person} told the [meeting|hearing] on {weekday}: "All eyes are on the [budget|review] in {month}."',
            '"This is [a reminder of|a testament to] [what the crew did|how hard the volunteers worked]," said {person}, after the [lifeboat|rescue team] [saved|recovered] {n2_9} people off {place} on {weekday}.',
            '"Stay tuned," {person} {said} when asked about a [new signing|second store|further cuts], [two days after|a week after] [the club|the company] [confirmed|announced] {money} in [losses|investment].',
            '{person} said the [council|board] would "[stay informed and keep residents informed|keep everyone informed]" and [would publish|published] the [survey|audit] results on {date}.',
            "\"The conversation is just getting started,\" {person}, [who chairs|who leads] the {place} [tenants'|traders'] association, said after {n10_99} members [voted|signed a petition] on {weekday}.",
        ],
        max_words=60,
    ),
    F(
        "one_sentence_fact",
        [
            "Nobody was [injured|hurt|seriously injured].",
            "The [road|bridge|line|station|school] [reopened|remained closed] on {weekday}[ morning| afternoon|].",
            "{person}, {n10_99}, [died|was pronounced dead] at the scene.",
            "The [match|meeting|hearing|trial] [was adjourned until|was postponed until|will resume on] {date}.",
            "[Police|Firefighters|Paramedics] were called at {clock}.",
            "The [fire|leak|outage] [was|had been] [put out|fixed|brought under control] by {clock}.",
            "[He|She|They] [denies|deny|denied] the [charge|charges|allegations].",
            "The [vote|motion|proposal] passed by {n10_99} votes to {n2_9}.",
            "The [shop|factory|branch|cafe] employed {n10_99} people.",
            "The [council|company|club|trust] [declined to comment|did not respond to a request for comment|has not commented].",
            "The [inquest|inquiry|review] [continues|is expected to last {n2_9} weeks].",
            "The town's oldest [cafe|bakery|cinema|bookshop] closed [its doors|] on {weekday} after [{n10_99}|forty|sixty] years, the [mayor|owner|landlord] announced.",
            "[Turnout|Attendance] was {pct}.",
        ],
        max_words=30,
    ),
    F(
        "story_heading",
        [
            "[Flood defences|Bridge repairs|The new ward|Night buses|Bin collections] [delayed|cut|approved|saved] [again|until {month}|for now]",
            "[Budget gap|Deficit|Shortfall] [widens|narrows] to {money}",
            "[Rescue|Search|Clean-up|Recovery] [under way|called off|resumes] [at|near|off] {place}",
            "[Vote|Hearing|Trial|Inquest] [set for|delayed to|moved to] {month}",
            "[Who|What|Where|When]: [the|] [key|main] [figures|facts|dates|people]",
            "[Reaction|Response] from {place}",
            "[The|A] {n2_9}-[day|week|year] [delay|closure|strike|search]",
            "[Timeline|How it unfolded|The evidence|The figures|The ruling|The vote|The cost|The route|The victims|The defendants]",
            "{person}'s [evidence|statement|defence|role]",
            "[Jobs|Homes|Fares|Pay|Wards] at risk[ in {place}|]",
        ],
        min_words=1,
        max_words=10,
        p_title=0.15,
        p_upper=0.05,
    ),
    F(
        "tour_dates",
        [
            "{date} - {place}, [The|] {place} [Arena|Hall|Playhouse|Corn Exchange|Academy|Ballroom]",
            "{weekday} {date}: {place} [Town Hall|Assembly Rooms|Civic Centre|Lido]",
            "[{month} {day}|{day} {month}] · {place} · [Sold out|Tickets from {price}|Extra date added|Rescheduled from {month}]",
            "{place} [Arena|Hall|Theatre], {weekday} [{date}|] ([6.30pm|7pm|7.30pm|8pm] [doors|start])",
            "[Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec] {day} {place}[, {place} Festival|, Open-air stage|]",
        ],
        min_words=2,
        max_words=20,
    ),
    F(
        "standings_rows",
        [
            "[1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20][.|] {team} {row}",
            "{team} {row}",
            "{team} {score} {team}[ (aet)| ({person} {n2_9}, {person} {n10_99})| - attendance {bign}|]",
            "{n10_99}. {person} ({place}) {n2_9}:{n10_99}.{n10_99}",
            "[1st|2nd|3rd|4th|5th] {person}, {team}, {n100_999} [pts|points]",
            "{team} [beat|won against] {team} {win} [at home|away|in {place}]",
            "{team} drew {draw} with {team} [at home|away|in {place}]",
            "{person} ({team}) [{n2_9}|1{n2_9}|2{n2_9}][ goals| tries| wickets|]",
        ],
        min_words=3,
        max_words=20,
    ),
    F(
        "ingredients",
        [
            "{n100_999}g [plain flour|caster sugar|unsalted butter|rolled oats|basmati rice|dried lentils|ground almonds|dark chocolate]",
            "{n2_9} [large|medium|free-range|] eggs[, beaten|, at room temperature|]",
            "{n2_9} [onions, finely chopped|garlic cloves, crushed|carrots, diced|potatoes, peeled|shallots, sliced]",
            "[1|2|3] tbsp [olive oil|soy sauce|honey|tomato purée|lemon juice|fresh thyme leaves]",
            "[½|1|2] tsp [ground cumin|smoked paprika|salt|baking powder|vanilla extract|chilli flakes]",
            "{n100_999}ml [whole milk|double cream|vegetable stock|coconut milk|dry white wine|water]",
            "[A handful of fresh basil|A small bunch of flat-leaf parsley|A pinch of sea salt|A bunch of coriander|A few chives|A handful of rocket][, chopped|, to serve|, torn|]",
            "[Serves|Makes] {n2_9}[ · Prep {n10_99} mins · Cook {n10_99} mins| (about {n10_99} pieces)|]",
            "[Preheat the oven to|Heat the oven to] [180C (160C fan)|200C (180C fan)|220C (200C fan)|160C (140C fan)][, gas mark {n2_9}|].",
            "[For the|] [sauce|dressing|topping|marinade|filling|crumble|glaze][:|]",
            "{n100_999}g [tinned|chopped|cherry] [tomatoes|chickpeas|butter beans|sweetcorn][, drained|, halved|]",
            "[Zest and juice of|Juice of|Zest of] [1|2|½] [lemon|lime|orange][s|]",
            "{n2_9} [sprigs of rosemary|bay leaves|spring onions, sliced|red chillies, deseeded|slices of sourdough]",
            "[Salt and black pepper|Freshly ground black pepper|Sea salt flakes|Olive oil, for frying|Butter, for greasing]",
            "{n100_999}g [skinless chicken thighs|minced beef|firm tofu|salmon fillets|lamb shoulder, diced|mushrooms, sliced]",
            "[Step {n2_9}|Method]: [Fry the onions for {n2_9} minutes until soft|Whisk the eggs and sugar until pale|Simmer for {n10_99} minutes, stirring occasionally|Bake for [20-25|25-30|35-40|45-50] minutes until golden].",
        ],
        min_words=2,
        max_words=24,
    ),
    F(
        "product_specs",
        [
            "[Screen|Display]: {n2_9}.{n2_9}in [OLED|LCD|AMOLED], {n100_999}Hz",
            "[Battery|Battery life]: [{n10_99} hours|{n2_9},{n100_999}mAh][ (claimed)| tested|]",
            "[Weight|Weighs]: {n100_999}g",
            "[Price|RRP]: {price}[ (as tested)| for the base model|]",
            "[Storage|Memory|RAM]: [64|128|256|512]GB[, expandable via microSD|]",
            "[Dimensions|Size]: {n10_99} x {n10_99} x {n2_9}[cm|mm]",
            "[Engine|Motor|Power]: {n2_9}.{n2_9}-litre [petrol|hybrid|diesel], {n100_999}bhp",
            "[0-62mph|0-100km/h]: {n2_9}.{n2_9}sec · [Top speed|Range]: {n100_999}[mph|km|miles]",
            "[Warranty|Guarantee]: {n2_9} years",
            "[Camera|Cameras]: {n10_99}MP main, {n10_99}MP ultra-wide[, {n10_99}MP telephoto|]",
            "[Connectivity|Ports]: [USB-C, Wi-Fi 6, Bluetooth 5.3|two USB-A ports, HDMI|5G, NFC]",
            "[Processor|Chip|CPU]: [octa-core|six-core|quad-core] {n2_9}.{n2_9}GHz[, {n2_9}nm|]",
            "[Water resistance|Rating]: IP[54|67|68][ (up to {n2_9}m for {n10_99} minutes)|]",
            "[Colours|Finishes]: [black, silver and green|graphite, sand and blue|white or charcoal|red, navy and grey]",
            "[Fuel economy|Economy]: {n10_99}.{n2_9}mpg[, CO2 {n100_999}g/km|]",
            "[Charging|Charge time]: {n10_99}W [wired|fast charging][, {n10_99}W wireless|][ (0-80% in {n10_99} minutes)|]",
            "[Capacity|Drum size|Volume]: {n2_9}[kg|litres|L][, {n100_999} spin speed|, energy rating [A|B|C]|]",
            "[Resolution|Display resolution]: [1920 x 1080|2560 x 1440|3840 x 2160|2400 x 1080] pixels",
            "[Noise level|Noise]: {n10_99}dB · [Power|Wattage]: {n100_999}W",
            "[Release date|On sale|Available from]: {date}",
            "[Boot space|Seats|Range]: [{n100_999} litres|{n2_9} seats|{n100_999} miles (WLTP)]",
        ],
        min_words=2,
        max_words=22,
    ),
    F(
        "election_results",
        [
            "{person} ([Lab|Con|LD|Green|Ind|Reform|SNP|Plaid]) {votes}",
            "{person}, [Independent|Green Party|Liberal|Labour|Conservative|Residents' Association], {votes} votes ({n10_99}.{n2_9}%)",
            "[Turnout|Electorate]: [{pct}|{bign}]",
            "[Majority|Maj]: {votes}[ (swing {n2_9}.{n2_9}%)|]",
            "{place} [North|South|East|West|Central] ward: {person} ([elected|re-elected|gain from {person}|hold])",
            "[Yes|No|Spoilt ballots|Rejected ballots]: {votes}[ ({n10_99}.{n2_9}%)|]",
            "[Seats|Councillors]: [Lab|Con|LD|Green|Ind] {n10_99}, [Lab|Con|LD|Green|Ind] {n10_99}, [Others|Ind] {n2_9}",
        ],
        min_words=2,
        max_words=20,
    ),
    F(
        "colon_leadin",
        [
            "The [report|review|audit|inspection] made {n2_9} recommendations, including:",
            "[Among the changes|The measures] [announced|approved] on {weekday} [were|are]:",
            "{person}, {role}, listed the [sites|roads|schools|wards] affected:",
            "[The|A] [full|provisional] list of [closures|road closures|candidates|winners|fixtures] [for {month}|this weekend|] [is|follows]:",
            "[Under|According to] the [plan|agreement|proposal] [approved|signed] on {weekday}:",
            "[Passengers|Residents|Parents] [have been told|were advised] [to|that]:",
            "[In a statement|In a letter], {company} said:",
            "The [court|tribunal|panel] heard that on {date}:",
        ],
        min_words=3,
        max_words=25,
    ),
    F(
        "dateline_lede",
        [
            "{PLACE} [({agency})|, {month} {day}|] — [The|A] {place} [council|hospital trust|school board|water company] [voted|agreed] on {weekday} to [close|expand|sell|rebuild] [its|the] {facility}, [ending a {n2_9}-year dispute|ending a two-year review|after a {n2_9}-month consultation].",
            "{PLACE}, {month} {day} ({agency}) - [At least|More than] {n10_99} people were [evacuated|rescued|treated in hospital] after [a fire|a landslide|flooding] [struck|hit] [the town|a housing estate] on {weekday}, officials said.",
            "{PLACE} — {company} will [cut|create] {n100_999} jobs at its {place} [plant|depot|offices], the company said on {weekday}.",
            "{PLACE} ({agency}) — [Voters|Members|Shareholders] [rejected|approved] [the merger|the plan|the new constitution] by {split} on {weekday}.",
        ],
        min_words=15,
        max_words=60,
    ),
    F(
        "correction_fact",
        [
            "[Correction|CORRECTION|Clarification][:| -] [An earlier version of this article|This article originally|A previous version] [said|stated] [the|that the] [grant|fine|budget|contract] was {moneyfix}.",
            "[Correction|Clarification]: {person} is {role}, not [the deputy|the chair|a councillor] as [we|this article] [previously|originally] [reported|stated].",
            "This article was amended on {date} to correct the [date|time|location] of the [hearing|meeting|match], which [is|was] on {weekday} {date}.",
            "[Editor's note|Correction]: The [vote|survey|report] [was|took place] in {month} {year}, not {month} as [originally|previously] stated.",
            "[An earlier version|A previous version] of this story [misspelled|gave the wrong age of] {person}, [who is {n10_99}|whose name is spelled as above].",
        ],
        min_words=12,
        max_words=55,
    ),
    F(
        "liveblog_entry",
        [
            "{clock} — {person} [has arrived at|has left|is speaking at] the [hearing|count|summit|court], [flanked by|alongside] [two aides|his lawyer|her deputy].",
            "{clock}: [Police|Organisers|The council] [say|said] {n100_999} people [have now been|were] [evacuated|counted|admitted] [so far|since midnight].",
            "[{clock}|{clock} BST|{clock} GMT] [Goal!|GOAL!|Wicket!|Try!] {team} [{n2_9}-{n2_9}|lead] [as|after] {person} [scores|strikes] [from close range|on {n10_99} minutes].",
            "{clock} [Update|UPDATE|Latest]: The [road|line|runway|bridge] [has reopened|remains closed] [in both directions|until at least {clock}], [the operator|{company}|highways officials] [said|confirmed].",
            "[{clock}|{n10_99} mins ago] - {role} [has confirmed|says] [the|that] [budget|vote|result] will be announced at {clock}.",
        ],
        min_words=8,
        max_words=50,
    ),
]
SLOTS["PLACE"] = lambda rng: SLOTS["place"](rng).upper()
