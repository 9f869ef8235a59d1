"""Non-core paragraphs: promotion, filler and boilerplate, built from combinable fragments.

Each function returns ``(text, template_id)`` pairs (several for blocks such as menus or headline lists, one
paragraph per line, as the segmenter splits them). Template ids end up in the document provenance so that a
bad row can be traced back to the fragment that made it.
"""

# ruff: noqa: E501 - the templates are data; a split string literal is harder to grep and to edit.

from __future__ import annotations

import random
from dataclasses import dataclass, field

from core import Story
from engine import cap
from topics import SECTION, TOPICS
from vocab import AGENCIES, MONTHS, WEEKDAYS, clock, date_phrase, display_name, person, town

Piece = tuple[str, str]

# --------------------------------------------------------------------------------------------------- sites

NAV_POOL = [
    "Home",
    "News",
    "Local",
    "World",
    "Politics",
    "Business",
    "Money",
    "Sport",
    "Football",
    "Culture",
    "Arts",
    "Opinion",
    "Weather",
    "Tech",
    "Science",
    "Health",
    "Education",
    "Environment",
    "Lifestyle",
    "Travel",
    "Food",
    "Video",
    "Obituaries",
    "Puzzles",
    "Jobs",
    "Property",
    "Motoring",
    "Events",
    "Letters",
    "Traffic",
    "Crime & Courts",
    "Community",
    "Entertainment",
    "Features",
    "Photos",
    "Archive",
    "Contact",
    "E-edition",
]
FOOTER_LINKS = [
    "About us",
    "Contact us",
    "Careers",
    "Advertise with us",
    "Privacy policy",
    "Cookie policy",
    "Terms of use",
    "Terms and conditions",
    "Accessibility",
    "Complaints",
    "Corrections",
    "Site map",
    "Help",
    "Editorial standards",
    "RSS feeds",
    "Cookie settings",
    "Do not sell my personal information",
    "Syndication",
    "Press office",
]


@dataclass
class Site:
    """A fictional publisher: its name and the fixed chrome every page of it shares."""

    slug: str
    name: str
    domain: str
    style_weights: dict[str, float]
    nav: list[str]
    footer: list[str]
    newsletter: str
    app: str
    podcast: str
    owner: str
    agency: str
    flavour: dict[str, float] = field(default_factory=dict)


def make_site(rng: random.Random, slug: str, primary_style: str, styles: list[str]) -> Site:
    name = display_name(slug)
    weights = {s: 0.3 / (len(styles) - 1) for s in styles if s != primary_style}
    weights[primary_style] = 0.7
    nav = ["Home"] + rng.sample(NAV_POOL[1:], rng.randint(6, 14))
    if rng.random() < 0.3:
        nav = [n.upper() for n in nav]
    short = name.replace("The ", "")
    newsletter = rng.choice(
        [
            "Morning Briefing",
            "Daily Digest",
            "Evening Update",
            "Weekend Read",
            "The Rundown",
            "First Edition",
            "News at Noon",
            f"{short} Today",
        ]
    )
    owner = rng.choice(
        [
            f"{short} Media Ltd",
            f"{short} Publishing Group",
            f"{rng.choice(['Harbour', 'Summit', 'Crown', 'Meadow', 'Anchor'])} Media Group",
            f"{short} Ltd",
            f"{short} Inc.",
        ]
    )
    return Site(
        slug=slug,
        name=name,
        domain=slug.replace("-", "") + rng.choice([".com", ".co.uk", ".net", ".news", ".org"]),
        style_weights=weights,
        nav=nav,
        footer=rng.sample(FOOTER_LINKS, rng.randint(4, 9)),
        newsletter=newsletter,
        app=f"{short} app",
        podcast=rng.choice(
            [
                f"The {short} Podcast",
                "Behind the Headlines",
                "The Daily Catch-Up",
                "Front Page",
                "Inside Story",
                "On the Record",
            ]
        ),
        owner=owner,
        agency=rng.choice(AGENCIES),
        flavour={"caps": rng.random() * 0.3, "arrow": rng.random()},
    )


# ----------------------------------------------------------------------------------------------- headlines

CLICKBAIT = [
    "{n} things you didn't know about {town}",
    "You won't believe what happened at the {town} market",
    "Why everyone in {town} is talking about this café",
    "{n} of the best walks near {town} this {season}",
    "This simple trick could cut your energy bill",
    "The {town} street that was named the friendliest in {region}",
    "Here's why prices in {town} are rising so fast",
    "What {n} years of living in {town} taught me",
    "The {n} restaurants you need to try before {month}",
    "Quiz: how well do you know {region}?",
    "{n} photos that show how much {town} has changed",
    "Is this the most beautiful village in {region}?",
    "How to save money on your weekly shop",
    "Celebrity chef opens new restaurant in {town}",
    "The surprising reason {town} residents are moving out",
    "Meet the {age}-year-old who runs {town}'s oldest pub",
]
SEASONS = ["spring", "summer", "autumn", "winter", "weekend"]


def other_headline(rng: random.Random, year: int) -> str:
    """A headline of some other story: a real-looking news headline or a clickbait teaser."""
    if rng.random() < 0.3:
        t = rng.choice(CLICKBAIT)
        return cap(
            t.replace("{n}", str(rng.randint(3, 25)))
            .replace("{town}", town(rng))
            .replace("{season}", rng.choice(SEASONS))
            .replace("{region}", rng.choice(["the region", "the county", "the north", "the valley"]))
            .replace("{month}", rng.choice(MONTHS))
            .replace("{age}", str(rng.randint(70, 101)))
        )
    story = Story(rng, rng.choice(list(TOPICS)), "", year)
    return story.headline()


# ---------------------------------------------------------------------------------------------- promotion

PREFIXES = [
    "Also worth reading:",
    "Worth a look:",
    "ALSO READ:",
    "Also read:",
    "Read More:",
    "READ MORE:",
    "Read more:",
    "Related:",
    "RELATED:",
    "See also:",
    "See also",
    "Don't miss:",
    "DON'T MISS:",
    "Recommended:",
    "Recommended for you:",
    "Watch:",
    "WATCH:",
    "Trending:",
    "Trending now:",
    "→",
    "»",
    "►",
    "Read next:",
    "Up next:",
    "You may also like:",
    "Popular:",
    "Editor's pick:",
    "Must read:",
    "Continue reading:",
    "More:",
    "[Read more]",
    "Listen:",
    "READ ALSO:",
    "Also on {site}:",
    "MORE FROM {SITE}:",
    "More from {site}:",
    "Related story:",
    "Related coverage:",
    "Most read:",
    "Top story:",
    "Video:",
    "Also of interest:",
]
LIST_HEADERS = [
    "Related stories",
    "More from {site}",
    "Most read",
    "Trending now",
    "You might also like",
    "Top stories",
    "Recommended",
    "Latest news",
    "Popular on {site}",
    "MORE STORIES",
    "Read next",
    "Editor's picks",
    "In other news",
    "More on this story",
    "What others are reading",
    "Don't miss",
]
BULLETS = ["", "", "", "• ", "- ", "* ", "▶ ", "{i}. "]
SPONSORED = [
    "Sponsored: {brand} {pitch}",
    "Paid content: {brand} {pitch}",
    "Advertiser content from {brand}: {pitch}",
    "Promoted: {brand} {pitch}",
    "Sponsored content | {brand} {pitch}",
    "PARTNER CONTENT: {brand} {pitch}",
    "This article contains affiliate links. If you buy through them, {site} may earn a commission.",
    "We may earn a commission from links on this page.",
    "Disclosure: some links in this story are affiliate links, which means we get a small fee if you buy.",
    "Shop the deal: {brand} {product} is {pct}% off until {weekday}.",
    "Our pick: the {brand} {product}, now {price} at major retailers.",
    "Deal of the day: save {price} on {brand} {product}s.",
]
BRANDS = [
    "Lumora",
    "Fennick",
    "Oakhurst",
    "Brightpath",
    "Corvale",
    "Duskwood",
    "Everglow",
    "Halcyon Home",
    "Kindle & Co",
    "Marlowe",
    "Northbeam",
    "Quillfield",
    "Rosecliff",
    "Tidewater",
    "Vellum",
]
PITCHES = [
    "helps families in {town} cut heating costs this winter.",
    "is the mattress 40,000 people switched to this year.",
    "explains how to plan your retirement in five steps.",
    "has a new way to book holiday cottages.",
    "reveals the savings account paying the most interest right now.",
    "shows why local gardeners swear by it.",
    "tested {n} air fryers so you don't have to.",
    "wants to insure your car for less.",
]
PRODUCTS = [
    "air fryer",
    "robot vacuum",
    "electric toothbrush",
    "garden hose",
    "coffee grinder",
    "rain jacket",
    "standing desk",
    "smartwatch",
]
NEWSLETTER = [
    "Sign up for our {nl} newsletter.",
    "Get the {nl} delivered to your inbox every morning.",
    "Sign up to the {nl}: the day's top stories, free, every weekday.",
    "Want more stories like this? Sign up for the {nl}.",
    "Subscribe to our free {nl} newsletter.",
    "Enter your email address to get the {nl}.",
    "Never miss a story: sign up for breaking news alerts.",
    "Get {site} in your inbox. Sign up now.",
    "Love local news? Sign up for the {nl} newsletter today.",
    "SIGN UP FOR THE {NL} NEWSLETTER",
    "Join {n},000 readers who get the {nl} every day.",
]
NEWSLETTER_BOX_EXTRA = [
    "By signing up you agree to our privacy policy.",
    "Subscribe",
    "Sign up",
    "Your email address",
    "You can unsubscribe at any time.",
    "Thanks for signing up!",
]
APP = [
    "Download the {app} for iPhone and Android.",
    "Get breaking news on your phone: download the free {app}.",
    "Read this story and more in the {app}.",
    "Open in the {app} for a better experience.",
    "Get the {app} – it's free.",
    "DOWNLOAD OUR APP",
    "Turn on notifications to get alerts as news breaks.",
]
PODCAST = [
    "Listen to {pod}, our daily news podcast, wherever you get your podcasts.",
    "Listen: {pod} - new episodes every weekday.",
    "Subscribe to {pod} on your favourite podcast app.",
    "Hear more on this week's episode of {pod}.",
]
SOCIAL = [
    "Follow us on X, Facebook and Instagram.",
    "Follow {site} on Facebook.",
    "Join our WhatsApp channel for updates.",
    "Follow us on Instagram @{handle}.",
    "Like us on Facebook and follow us on X for the latest news.",
    "Got a story? Follow us on social media and tag us.",
    "Join the conversation on our Facebook page.",
    "FOLLOW US ON SOCIAL MEDIA",
    "Follow {site} on X: @{handle}",
]
SUBSCRIBE = [
    "Subscribe to {site} for just {price} a month.",
    "Support independent local journalism: become a member today.",
    "Enjoying this article? Subscribe for unlimited access.",
    "Subscribe now and get your first month free.",
    "Already a subscriber? Thank you. Not yet? Join today from {price} a week.",
    "Quality journalism costs money. Please consider supporting {site}.",
    "Click here to subscribe and read every story.",
]
GALLERY = [
    "Photos: {n} images from {event}",
    "IN PICTURES: {event}",
    "Gallery: {event} in {n} photos",
    "VIDEO: {event}",
    "Watch: {event}",
    "Photo gallery - {event}",
    "See all {n} pictures from {event}",
    "PICTURE SPECIAL: {event}",
]
EVENTS = [
    "the {town} carnival",
    "the weekend's storm damage",
    "the {town} half marathon",
    "the farmers' market",
    "the new bridge opening",
    "the county show",
    "the school prom season",
    "the fireworks display",
    "the vintage car rally",
    "the cup final celebrations",
]
GLUE = ["Also read: {h}", "READ MORE: {h}", "(Read more: {h})", "Related: {h}", "- Worth a look: {h}"]


def _site_fill(text: str, rng: random.Random, site: Site) -> str:
    short = site.name.replace("The ", "")
    handle = site.slug.replace("-", "")[:15]
    return (
        text.replace("{site}", site.name)
        .replace("{SITE}", site.name.upper())
        .replace("{nl}", site.newsletter)
        .replace("{NL}", site.newsletter.upper())
        .replace("{app}", site.app)
        .replace("{pod}", site.podcast)
        .replace("{handle}", handle)
        .replace("{short}", short)
        .replace("{price}", rng.choice(["$1", "£1", "€2", "$4.99", "£5", "$9", "€3.50", "99p"]))
        .replace("{n}", str(rng.randint(2, 48)))
        .replace("{pct}", str(rng.choice([10, 15, 20, 25, 30, 40, 50])))
        .replace("{weekday}", rng.choice(WEEKDAYS))
        .replace("{town}", town(rng))
    )


def promo_line(rng: random.Random, site: Site, year: int) -> Piece:
    """One promotion paragraph; the form is drawn so that prefixes, bare headlines, caps and CTAs all occur."""
    r = rng.random()
    if r < 0.40:
        prefix = _site_fill(rng.choice(PREFIXES), rng, site)
        h = other_headline(rng, year)
        sep = rng.choice([" ", " ", " ", "  "])
        text = f"{prefix}{sep}{h}"
        if rng.random() < site.flavour.get("caps", 0.1):
            text = text.upper()
        return text, "promo.prefix"
    if r < 0.50:
        return other_headline(rng, year), "promo.bare_headline"
    if r < 0.55:
        hs = [other_headline(rng, year) for _ in range(rng.randint(2, 4))]
        lead = rng.choice(["Related: ", "More: ", "", "Read more: ", "Trending: "])
        return lead + " | ".join(hs), "promo.pipe_list"
    if r < 0.64:
        t = rng.choice(SPONSORED)
        t = t.replace("{brand}", rng.choice(BRANDS)).replace("{pitch}", rng.choice(PITCHES))
        t = t.replace("{product}", rng.choice(PRODUCTS))
        return _site_fill(t, rng, site), "promo.sponsored"
    if r < 0.74:
        return _site_fill(rng.choice(NEWSLETTER), rng, site), "promo.newsletter"
    if r < 0.80:
        return _site_fill(rng.choice(APP), rng, site), "promo.app"
    if r < 0.84:
        return _site_fill(rng.choice(PODCAST), rng, site), "promo.podcast"
    if r < 0.91:
        return _site_fill(rng.choice(SOCIAL), rng, site), "promo.social"
    if r < 0.96:
        return _site_fill(rng.choice(SUBSCRIBE), rng, site), "promo.subscribe"
    t = rng.choice(GALLERY).replace("{event}", rng.choice(EVENTS))
    return _site_fill(t, rng, site), "promo.gallery"


def promo_list(rng: random.Random, site: Site, year: int) -> list[Piece]:
    """A block of 3-6 headlines, usually under a header such as 'Related stories'."""
    out: list[Piece] = []
    if rng.random() < 0.8:
        header = _site_fill(rng.choice(LIST_HEADERS), rng, site)
        out.append((header.upper() if rng.random() < 0.2 else header, "promo.list_header"))
    bullet = rng.choice(BULLETS)
    for i in range(rng.randint(3, 6)):
        h = other_headline(rng, year)
        if rng.random() < 0.15:
            h = f"{h} ({rng.choice(['Video', 'Photos', 'Live', 'Opinion', 'Analysis'])})"
        out.append((bullet.replace("{i}", str(i + 1)) + h, "promo.list_item"))
    return out


def newsletter_box(rng: random.Random, site: Site) -> list[Piece]:
    out = [(_site_fill(rng.choice(NEWSLETTER), rng, site), "promo.newsletter")]
    for extra in rng.sample(NEWSLETTER_BOX_EXTRA, rng.randint(1, 3)):
        out.append((extra, "promo.newsletter_box"))
    return out


def glued_link(rng: random.Random, year: int) -> str:
    """An 'Also read' link run into the end of a reporting paragraph (stays core by the guide)."""
    return rng.choice(GLUE).replace("{h}", other_headline(rng, year))


# ------------------------------------------------------------------------------------------------- filler

OPENERS = [
    "In conclusion,",
    "Overall,",
    "Ultimately,",
    "All in all,",
    "In the end,",
    "At the end of the day,",
    "Moving forward,",
    "Looking ahead,",
    "As the situation continues to evolve,",
    "As things stand,",
    "In many ways,",
    "Without a doubt,",
    "Needless to say,",
    "It is worth noting that",
    "Clearly,",
    "Undoubtedly,",
    "In today's fast-paced world,",
    "In an era of rapid change,",
    "As we move forward,",
    "Taken together,",
    "In summary,",
    "To sum up,",
    "",
    "",
    "",
    "",
]
SUBJECTS = [
    "this development",
    "the situation",
    "this turn of events",
    "the latest news",
    "this story",
    "the decision",
    "the episode",
    "what happened",
    "the back-and-forth",
    "this matter",
    "the debate around {tn}",
    "recent developments in {tn}",
    "the news from {town}",
    "{orgs}'s announcement",
    "the whole affair",
    "this chapter",
    "the current state of affairs",
]
VERBS = [
    "underscores",
    "highlights",
    "serves as a reminder of",
    "sheds light on",
    "speaks volumes about",
    "reflects",
    "points to",
    "demonstrates",
    "brings into focus",
    "reinforces",
    "is a testament to",
    "raises important questions about",
    "illustrates",
    "shines a spotlight on",
    "signals",
]
OBJECTS = [
    "the importance of {ab}",
    "the need for {ab}",
    "the complex interplay between {ab} and {ab2}",
    "the evolving landscape of {tn}",
    "the challenges facing communities today",
    "the broader issues at stake",
    "how much is at stake for everyone involved",
    "the delicate balance between {ab} and {ab2}",
    "the significance of staying informed",
    "the role that {sh} play in shaping the future",
    "the enduring value of {ab}",
    "a pivotal moment for {tn}",
    "the many factors at play",
]
ABSTRACTS = [
    "transparency",
    "accountability",
    "collaboration",
    "innovation",
    "resilience",
    "dialogue",
    "trust",
    "community engagement",
    "sustainability",
    "public safety",
    "informed decision-making",
    "open communication",
    "progress",
    "cooperation",
    "responsible leadership",
    "mutual understanding",
]
STAKEHOLDERS = [
    "stakeholders",
    "policymakers",
    "residents",
    "communities",
    "experts",
    "all parties involved",
    "decision-makers",
    "industry leaders",
    "citizens",
    "observers",
    "readers",
    "local leaders",
    "families",
]
TOPIC_NOUNS = {
    "politics": ["local governance", "public policy", "democracy"],
    "business": ["the business world", "the economy"],
    "sport": ["modern sport", "the game"],
    "science": ["scientific discovery", "research"],
    "health": ["public health", "healthcare"],
    "crime": ["justice", "community safety"],
    "technology": ["the digital age", "technology"],
    "local": ["community life", "our neighbourhoods"],
    "culture": ["the arts", "culture"],
    "weather": ["extreme weather", "our changing climate"],
    "education": ["education", "learning"],
    "environment": ["the natural world", "environmental protection"],
}
TELL = [
    "",
    "how this will play out",
    "what the long-term impact will be",
    "whether these efforts will bear fruit",
    "what the future holds for {tn}",
    "where this leads",
    "if the promises made will be kept",
]
REMAINS = [
    "how {sh} will respond",
    "what this means for the future",
    "whether this marks a turning point",
    "how the situation will unfold in the coming weeks",
    "what lies ahead",
    "how things will develop",
    "whether lessons will be learned",
]
STAY = [
    "Stay tuned for more updates.",
    "Stay tuned as this story develops.",
    "We will keep you updated as more information becomes available.",
    "Keep checking back for the latest.",
    "Watch this space.",
    "More updates to follow.",
    "Stay tuned, because this story is far from over.",
    "We'll bring you more as we get it.",
    "This is a developing story, so stay with us.",
]
SEO = [
    "In this article, we will {explore} everything you need to know about {seo}.",
    "Here's everything you need to know about {seo}.",
    "If you've been wondering about {seo}, you're not alone.",
    "Whether you're a {aud} or a {aud2}, {seo} is something that affects us all.",
    "Let's take a closer look at what happened and why it matters.",
    "So, what does this mean for {sh}? Let's dive in.",
    "Read on to find out more about {seo}.",
    "This guide covers the key facts, the background and what to expect about {seo}.",
    "{seo_cap} has been making headlines, and for good reason.",
    "Below, we break down {seo} in simple terms.",
]
EXPLORE = ["explore", "look at", "break down", "cover", "walk you through", "unpack"]
AUDIENCES = [
    "long-time resident",
    "newcomer",
    "sports fan",
    "business owner",
    "parent",
    "student",
    "casual reader",
    "keen follower of the news",
]
SEO_TOPICS = {
    "politics": ["the council's latest decision", "local politics"],
    "business": ["the company's results", "the latest business news"],
    "sport": ["the weekend's big match", "the club's season"],
    "science": ["this new study", "the latest research"],
    "health": ["the latest health news", "the outbreak"],
    "crime": ["the case", "the investigation"],
    "technology": ["the new launch", "this tech story"],
    "local": ["the changes in your area", "the roadworks"],
    "culture": ["the new exhibition", "the festival"],
    "weather": ["the weather warning", "the forecast"],
    "education": ["the school changes", "exam results"],
    "environment": ["the river clean-up", "the environmental report"],
}
PUBLIC = [
    "People have a stake in how this is handled, and they deserve to be kept in the loop.",
    "Transparency and accountability will be key as {sh} navigate the road ahead.",
    "It is important for {sh} to stay informed and engaged.",
    "Citizens deserve clear answers, and the conversation is far from over.",
    "Access to accurate information has never been more important.",
    "An informed public is the cornerstone of a healthy community.",
    "Everyone deserves to know what is happening and why.",
]
IMPORTANCE = [
    "This is a story that matters to everyone.",
    "The implications could be far-reaching.",
    "The stakes could not be higher.",
    "Many will be watching closely.",
    "The coming weeks will be crucial.",
    "One thing is certain: {certain}.",
    "{subj_cap} is more than just a headline; it is a reflection of {obj}.",
    "It is a reminder that {tn} affects all of us.",
    "Few issues are as important as this one.",
    "This is a significant moment, and its effects will be felt for years to come.",
]
CERTAIN = [
    "the conversation is far from over",
    "{tn} will never be quite the same",
    "this will not be the last we hear of it",
    "the road ahead will not be easy",
]
AI_CONCLUSION = [
    "As {sh} navigate this complex landscape, one thing is clear: {certain}.",
    "By fostering {ab} and {ab2}, {sh} can pave the way for a brighter future.",
    "Ultimately, the path forward will require {ab}, {ab2} and a shared commitment to {ab3}.",
    "In a rapidly changing world, {tn} continues to play a crucial role in our lives.",
    "As {orgs} navigates this challenging period, {sh} will be watching closely.",
    "Only by working together can {sh} meet the challenges that lie ahead.",
    "The journey is far from over, but the direction of travel is clear.",
]
RESTATE = [
    "All of this feeds into the wider argument over {vague}.",
    "As reported, the situation has drawn attention from many quarters.",
    "The events described above have prompted a wide range of reactions.",
    "This has sparked a conversation among {sh} about {vague}.",
    "The details outlined here paint a picture of a {adj} situation.",
    "What is clear is that {vague} will remain in the spotlight.",
    "The story has resonated with {sh} across the region.",
]
VAGUE = ["the issue", "{tn}", "the matter", "the way forward", "what comes next", "the wider implications"]
ADJ = ["complex", "fast-moving", "multifaceted", "challenging", "nuanced", "delicate"]
SUBHEADS = [
    "Why does this matter?",
    "What happens next?",
    "Final thoughts",
    "The bottom line",
    "Key takeaways",
    "Conclusion",
    "What we know so far",
    "Why it matters",
    "Looking ahead",
    "A closer look",
]


class Filler:
    """Builds filler paragraphs for one story: fact-free sentences from combinable fragments."""

    def __init__(self, rng: random.Random, story: Story) -> None:
        self.rng = rng
        self.topic = story.topic
        self.orgs = story.orgs
        self.town = story.town
        self.used: set[str] = set()

    def _fill(self, t: str) -> str:
        r = self.rng
        tn = r.choice(TOPIC_NOUNS[self.topic])
        seo = r.choice(SEO_TOPICS[self.topic])
        ab = r.sample(ABSTRACTS, 3)
        subj = r.choice(SUBJECTS)
        reps = {
            "{certain}": r.choice(CERTAIN),
            "{subj_cap}": cap(subj),
            "{obj}": r.choice(OBJECTS),
            "{vague}": r.choice(VAGUE),
            "{explore}": r.choice(EXPLORE),
            "{seo_cap}": cap(seo),
            "{seo}": seo,
            "{aud}": r.choice(AUDIENCES),
            "{aud2}": r.choice(AUDIENCES),
            "{adj}": r.choice(ADJ),
        }
        for k, v in reps.items():
            t = t.replace(k, v)
        t = (
            t.replace("{ab}", ab[0])
            .replace("{ab2}", ab[1])
            .replace("{ab3}", ab[2])
            .replace("{tn}", tn)
            .replace("{sh}", r.choice(STAKEHOLDERS))
            .replace("{orgs}", self.orgs)
            .replace("{town}", self.town)
        )
        return cap(t)

    def sentence(self) -> tuple[str, str]:
        r = self.rng
        kind = r.choice(["composed", "composed", "tell", "remains", "public", "importance", "ai", "restate"])
        if kind == "composed":
            opener = r.choice(OPENERS)
            body = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}."
            if opener.endswith("that"):
                text = f"{opener} {body}"
            elif opener:
                text = f"{opener} {body}"
            else:
                text = body
        elif kind == "tell":
            clause = r.choice(TELL)
            text = f"Only time will tell {clause}." if clause else "Only time will tell."
            if r.random() < 0.3:
                text = (
                    r.choice(["For now, ", "Of course, ", "In the meantime, "]) + text[0].lower() + text[1:]
                )
        elif kind == "remains":
            text = f"It remains to be seen {r.choice(REMAINS)}."
        elif kind == "public":
            text = r.choice(PUBLIC)
        elif kind == "importance":
            text = r.choice(IMPORTANCE)
        elif kind == "ai":
            text = r.choice(AI_CONCLUSION)
        else:
            text = r.choice(RESTATE)
        return self._fill(text), f"filler.{kind}"

    def paragraph(self, position: str) -> Piece:
        """A filler paragraph; ``position`` ('start', 'middle', 'end') steers which fragments are likely."""
        r = self.rng
        if position == "start" and r.random() < 0.55:
            first = self._fill(r.choice(SEO)), "filler.seo"
        elif position == "end" and r.random() < 0.25:
            first = self._fill(r.choice(STAY)), "filler.stay_tuned"
        else:
            first = self.sentence()
        parts = [first[0]]
        for _ in range(r.choice([0, 0, 1, 1, 1, 2])):
            s, _kind = self.sentence()
            if s not in parts:
                parts.append(s)
        if position == "end" and r.random() < 0.2:
            parts.append(self._fill(r.choice(STAY)))
        text = " ".join(parts)
        for _ in range(3):
            if text not in self.used:
                break
            text = text + " " + self.sentence()[0]
        self.used.add(text)
        return text, first[1]

    def subhead(self) -> Piece:
        return self.rng.choice(SUBHEADS), "filler.subhead"


# -------------------------------------------------------------------------------------------- boilerplate

COOKIE_A = [
    "We use cookies to improve your experience on our site.",
    "This website uses cookies.",
    "We and our partners use cookies and similar technologies.",
    "Cookies help us deliver our services.",
    "We value your privacy.",
]
COOKIE_B = [
    "By continuing to browse, you agree to our use of cookies.",
    "You can change your preferences at any time in Cookie settings.",
    "Some are essential, others help us show you relevant content and ads.",
    "Click 'Accept all' to consent or 'Manage preferences' to choose.",
    "See our cookie policy for details.",
]
COOKIE_BUTTONS = [
    "Accept all",
    "Accept",
    "Reject all",
    "Manage preferences",
    "Cookie settings",
    "OK, got it",
    "I agree",
    "Reject non-essential cookies",
]
SHARE = [
    "Share this article",
    "Share",
    "Share on Facebook",
    "Share on X",
    "Share via email",
    "Copy link",
    "Facebook Twitter LinkedIn Email",
    "Share this:",
    "Tweet",
    "WhatsApp",
    "Print",
    "Email",
    "Share on WhatsApp",
    "Facebook | X | Email | Print",
    "SHARE",
    "Pin it",
    "Save for later",
    "Gift this article",
]
UI = [
    "Loading...",
    "Skip to main content",
    "Skip to content",
    "Back to top",
    "Listen to this article",
    "{n} min read",
    "Reading time: {n} minutes",
    "Text size A A A",
    "Click to enlarge",
    "Sign in",
    "Log in",
    "Register",
    "Search",
    "Menu",
    "Close",
    "Log in to your account",
    "Forgot password?",
    "Toggle navigation",
    "Enable JavaScript to view this content.",
    "Your browser does not support the video tag.",
    "Expand",
    "Show more",
    "Next article",
    "Previous article",
    "Subscriber sign in",
    "Edition: {region_ed}",
    "Today's paper",
]
ADS = [
    "Advertisement",
    "ADVERTISEMENT",
    "Ad",
    "Story continues below advertisement",
    "Scroll to continue reading",
    "Advertisement - scroll to continue",
    "AD",
    "Sponsored links",
]
COMMENT_CHROME = [
    "Comments ({n})",
    "Leave a comment",
    "Comments are closed.",
    "Sign in to comment",
    "View {n} comments",
    "Join the discussion",
    "Most popular comments",
    "Sort by: Newest",
    "Report this comment",
    "Reply",
    "Comments are moderated and may take time to appear.",
    "Show {n} more replies",
    "{n} Comments",
    "Post comment",
    "Community guidelines",
]
COMMENT_TEXT = [
    "Typical. Nobody asked the people who actually live here.",
    "Great reporting, thanks for covering this.",
    "Who is paying for all this?",
    "I was there on the day and it was chaos.",
    "About time!",
    "This happened in {town} last year too and nothing changed.",
    "Fake news as usual.",
    "Does anyone know if the road is open yet?",
    "Well said.",
    "I disagree with most of this, but fair play.",
]
UPDATED = [
    "This story has been updated.",
    "This article has been updated with new information.",
    "Updated at {time}",
    "Last updated: {date}",
    "This story was updated at {time}.",
    "First published on {date}",
    "Story updated {date} {time}",
]
DISCLAIMERS = [
    "The views expressed in this article are the author's own and do not necessarily reflect those of {site}.",
    "This article is for information only and does not constitute financial advice.",
    "Opinions expressed are solely those of the writer.",
    "This content is not intended as medical advice. Consult your doctor.",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "All content is subject to copyright and may not be reproduced without permission.",
]
CREDITS = [
    "(Photo: {person}/{agency})",
    "Image: {agency}",
    "Photograph: {person}",
    "File photo",
    "Photo: {person}",
    "Image credit: {agency}",
    "(Image: {site})",
    "Picture: {person}/{agency}",
    "Supplied",
]
CAPTIONS = [
    "{p1} speaks to reporters in {town} on {weekday}.",
    "A view of {town} from the river.",
    "{p2} at the meeting on {weekday}.",
    "Crowds gathered outside the building on {weekday} morning.",
    "The site in {town}, pictured in {month}.",
    "{p1} (left) and {p2}.",
    "Residents look on as work begins.",
]
TAG_WORDS = [
    "{section}",
    "{town}",
    "News",
    "Local news",
    "{region}",
    "Breaking",
    "UK",
    "Top stories",
    "{org}",
]


def _bp_fill(text: str, rng: random.Random, site: Site, story: Story) -> str:
    who = person(rng)[0]
    return (
        _site_fill(text, rng, site)
        .replace("{person}", who)
        .replace("{agency}", rng.choice(AGENCIES))
        .replace("{time}", clock(rng))
        .replace("{date}", date_phrase(rng, story.year))
        .replace("{region_ed}", rng.choice(["UK", "US", "International", "Europe", story.region]))
        .replace("{section}", SECTION[story.topic])
        .replace("{region}", story.region)
        .replace("{org}", story.org)
        .replace("{p1}", story.people[0][0])
        .replace("{p2}", story.people[1][0])
        .replace("{month}", rng.choice(MONTHS))
    )


def menu(rng: random.Random, site: Site) -> list[Piece]:
    """Site navigation, one item per line (occasionally one '|'-joined line)."""
    items = site.nav[: rng.randint(max(3, len(site.nav) - 4), len(site.nav))]
    if rng.random() < 0.15:
        return [(" | ".join(items), "bp.menu_inline")]
    return [(i, "bp.menu_item") for i in items]


def breadcrumb(rng: random.Random, site: Site, story: Story) -> Piece:
    sec = SECTION[story.topic]
    sep = rng.choice([" > ", " / ", " » ", " › "])
    parts = ["Home", rng.choice(["News", "Latest", "UK News", "Local"]), sec]
    if rng.random() < 0.4:
        parts = parts[::2]
    text = sep.join(parts)
    if rng.random() < 0.2:
        text = "You are here: " + text
    return text, "bp.breadcrumb"


def byline(rng: random.Random, site: Site, story: Story) -> list[Piece]:
    name, _ = person(rng)
    date = date_phrase(rng, story.year)
    forms = [
        f"By {name}",
        f"By {name} | Published {date}",
        f"By {name.upper()}",
        f"{name}, {story.town} correspondent",
        f"Published: {date} {clock(rng)}",
        f"By {name} and {person(rng)[0]}",
        f"{name} · {rng.randint(2, 9)} min read",
        f"Posted by {name} on {date}",
        f"By {name}, {site.agency}",
        f"{date} | {name}",
        f"{rng.choice(WEEKDAYS)} {date}",
        f"By {name}\u00a0\u00a0|\u00a0 {SECTION[story.topic]} reporter",
    ]
    out = [(rng.choice(forms), "bp.byline")]
    if rng.random() < 0.3:
        out.append((_bp_fill(rng.choice(UPDATED), rng, site, story), "bp.updated"))
    return out


def share_bar(rng: random.Random) -> list[Piece]:
    k = rng.choice([1, 1, 2, 3, 4])
    return [(s, "bp.share") for s in rng.sample(SHARE, k)]


def cookie_banner(rng: random.Random) -> list[Piece]:
    text = rng.choice(COOKIE_A) + " " + rng.choice(COOKIE_B)
    if rng.random() < 0.4:
        text += " " + rng.choice(COOKIE_B)
    out = [(text.replace("  ", " "), "bp.cookie")]
    for b in rng.sample(COOKIE_BUTTONS, rng.randint(0, 3)):
        out.append((b, "bp.cookie_button"))
    return out


def footer(rng: random.Random, site: Site, story: Story) -> list[Piece]:
    out: list[Piece] = []
    links = site.footer
    if rng.random() < 0.35:
        out.append((" | ".join(links), "bp.footer_links"))
    else:
        out.extend((link, "bp.footer_link") for link in links)
    forms = [
        f"© {story.year} {site.name}. All rights reserved.",
        f"Copyright {story.year} {site.owner}",
        f"© {site.owner} {story.year}",
        "All rights reserved.",
        f"© Copyright {site.owner}. All rights reserved.",
        f"{site.name} is part of {site.owner}.",
    ]
    out.append((rng.choice(forms), "bp.copyright"))
    if rng.random() < 0.3:
        out.append(
            (
                f"{site.owner}, {rng.randint(1, 240)} {rng.choice(['Harbour', 'Station', 'Market', 'Bridge'])} "
                f"Street, {town(rng)}. Registered company no. {rng.randint(1000000, 9999999)}.",
                "bp.address",
            )
        )
    if rng.random() < 0.3:
        out.append(
            (f"Contact us: {rng.choice(['newsdesk', 'news', 'editor', 'tips'])}@{site.domain}", "bp.contact")
        )
    return out


def ui_line(rng: random.Random, site: Site, story: Story) -> Piece:
    return _bp_fill(rng.choice(UI), rng, site, story), "bp.ui"


def ad_label(rng: random.Random) -> Piece:
    return rng.choice(ADS), "bp.ad"


def caption(rng: random.Random, site: Site, story: Story) -> list[Piece]:
    cap_text = _bp_fill(rng.choice(CAPTIONS), rng, site, story)
    credit = _bp_fill(rng.choice(CREDITS), rng, site, story)
    r = rng.random()
    if r < 0.45:
        return [(f"{cap_text} {credit}", "bp.caption")]
    if r < 0.7:
        return [(cap_text, "bp.caption"), (credit, "bp.image_credit")]
    return [(credit, "bp.image_credit")]


def comments(rng: random.Random, site: Site, story: Story) -> list[Piece]:
    out = [(_bp_fill(rng.choice(COMMENT_CHROME), rng, site, story), "bp.comment_chrome")]
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        user = rng.choice(["", "", "@"]) + rng.choice(
            ["river", "oldtimer", "jk", "localmum", "fan", "dave", "sal"]
        )
        user += str(rng.randint(1, 999))
        out.append((f"{user} · {rng.randint(1, 23)} hours ago", "bp.comment_meta"))
        out.append((_bp_fill(rng.choice(COMMENT_TEXT), rng, site, story), "bp.comment"))
    if rng.random() < 0.5:
        out.append((_bp_fill(rng.choice(COMMENT_CHROME), rng, site, story), "bp.comment_chrome"))
    return out


def tags(rng: random.Random, site: Site, story: Story) -> Piece:
    words = [_bp_fill(w, rng, site, story) for w in rng.sample(TAG_WORDS, rng.randint(2, 5))]
    lead = rng.choice(["Tags: ", "Topics: ", "Filed under: ", "More on: ", ""])
    return lead + ", ".join(words), "bp.tags"


def updated_note(rng: random.Random, site: Site, story: Story) -> Piece:
    return _bp_fill(rng.choice(UPDATED), rng, site, story), "bp.updated"


def disclaimer(rng: random.Random, site: Site, story: Story) -> Piece:
    return _bp_fill(rng.choice(DISCLAIMERS), rng, site, story), "bp.disclaimer"


def wire_credit(rng: random.Random) -> Piece:
    a, b = person(rng)[0], person(rng)[0]
    forms = [
        f"(Reporting by {a}; Editing by {b})",
        f"(Reporting by {a}; additional reporting by {b})",
        f"Reporting by {a}; editing by {b}",
        f"-- Reporting by {a}",
        f"(Writing by {a}; Editing by {b})",
    ]
    return rng.choice(forms), "bp.wire_credit"


def author_bio(rng: random.Random, site: Site, story: Story) -> Piece:
    name = person(rng)[0]
    forms = [
        f"{name} is a columnist for {site.name}.",
        f"{name} writes about {SECTION[story.topic].lower()} for {site.name}.",
        f"{name} is a freelance writer based in {town(rng)}.",
        f"{name} is a former teacher and writes a weekly column.",
    ]
    return rng.choice(forms), "bp.author_bio"


def live_chrome(rng: random.Random) -> Piece:
    forms = [
        "Live",
        "LIVE",
        "Key events",
        "Show key events only",
        "Pinned post",
        f"Updated {rng.randint(1, 59)} minutes ago",
        "Refresh for the latest updates",
        "Live updates",
        "Please turn on JavaScript to follow live updates",
        "Auto-update on",
        "Latest",
    ]
    return rng.choice(forms), "bp.live_chrome"


def press_release_chrome(rng: random.Random, site: Site, story: Story, where: str) -> list[Piece]:
    if where == "top":
        return [
            (
                rng.choice(
                    [
                        "FOR IMMEDIATE RELEASE",
                        "For immediate release",
                        "PRESS RELEASE",
                        "News release",
                        "EMBARGOED UNTIL 00:01",
                    ]
                ),
                "bp.pr_header",
            )
        ]
    out: list[Piece] = []
    about = [f"About {story.org}", f"ABOUT {story.org.upper()}"]
    out.append((rng.choice(about), "bp.pr_about_head"))
    out.append(
        (
            f"{cap(story.org)} is a {rng.choice(['leading', 'trusted', 'award-winning', 'growing'])} "
            f"{rng.choice(['provider of', 'organisation dedicated to', 'name in'])} "
            f"{rng.choice(['services for communities across', 'innovation throughout', 'quality and care in'])} "
            f"{story.region}. Founded in {rng.randint(1950, 2018)}, it employs "
            f"{rng.randint(20, 4000):,} people. For more information, visit www.{story.org.lower().replace(' ', '')[:18]}.com.",
            "bp.pr_about",
        )
    )
    if rng.random() < 0.4:
        out.append(
            (
                "Forward-looking statements: this release contains statements about future events that involve "
                "risks and uncertainties. Actual results may differ materially.",
                "bp.pr_disclaimer",
            )
        )
    name = person(rng)[0]
    out.append(
        (
            rng.choice(
                ["Media contact:", "Media Contact", "Press enquiries:", "For more information contact:"]
            ),
            "bp.pr_contact",
        )
    )
    out.append((name, "bp.pr_contact"))
    out.append(
        (
            f"{name.split()[0].lower()}.{name.split()[-1].lower()}@{rng.choice(['press', 'media', 'comms'])}"
            f"{rng.randint(1, 99)}.com",
            "bp.pr_contact",
        )
    )
    if rng.random() < 0.5:
        out.append((f"+44 {rng.randint(1000, 9999)} {rng.randint(100000, 999999)}", "bp.pr_contact"))
    out.append((rng.choice(["###", "-ENDS-", "# # #", "ENDS"]), "bp.pr_end"))
    return out


__all__ = [
    "Site",
    "make_site",
    "promo_line",
    "promo_list",
    "newsletter_box",
    "glued_link",
    "Filler",
    "menu",
    "breadcrumb",
    "byline",
    "share_bar",
    "cookie_banner",
    "footer",
    "ui_line",
    "ad_label",
    "caption",
    "comments",
    "tags",
    "updated_note",
    "disclaimer",
    "wire_credit",
    "author_bio",
    "live_chrome",
    "press_release_chrome",
    "other_headline",
    "date_phrase",
    "WEEKDAYS",
]
