"""Boilerplate families: site chrome that is neither promotion nor reporting (``training_data/README.md``).

Cookie banners, legal lines, menus, credits, bylines, reader comments, share bars, widgets and the like,
as they appear as single lines of scraped page text. Invented outlets, companies and people only.
"""

from __future__ import annotations

from typing import Any

from library import Family, T
from promotion import SLOTS as PROMO_SLOTS

__all__ = ["FAMILIES"]

SLOTS = dict(PROMO_SLOTS)
SLOTS.update(
    {
        "agency": [
            "Meridian Press",
            "Northwire",
            "Pressline",
            "Harbour Photo",
            "Capstan Images",
            "Lumen Pictures",
            "Shutterfield",
            "Wire Images Co",
        ],
        "lang": [
            "English",
            "Español",
            "Français",
            "Deutsch",
            "Italiano",
            "Português",
            "Nederlands",
            "Polski",
            "Svenska",
            "Türkçe",
            "العربية",
            "中文",
            "日本語",
            "Русский",
        ],
        "region": [
            "UK",
            "US",
            "Europe",
            "Asia",
            "Australia",
            "Canada",
            "International",
            "Ireland",
            "India",
            "Africa",
        ],
        "section": [
            "News",
            "Sport",
            "Business",
            "Politics",
            "Opinion",
            "Culture",
            "Lifestyle",
            "Travel",
            "Health",
            "Science",
            "Local",
            "World",
            "Money",
            "Weather",
            "Tech",
        ],
        "user": lambda rng: rng.choice(
            [
                "{first}{n10_99}",
                "{first}_{last}",
                "{last}fan",
                "old_{first}",
                "{first}.{last}",
                "Anon{n100_999}",
                "{place}Resident",
                "TruthSeeker{n10_99}",
                "{first}",
            ]
        ),
        "last": ["Marsh", "Hale", "Brook", "Finch", "Dale", "Crane", "Rowe", "Vale", "Pike", "Moss"],
        "ago": [
            "{n2_9} hours ago",
            "{n2_9}h",
            "{n10_99} minutes ago",
            "{n2_9} days ago",
            "yesterday",
            "1 hour ago",
            "just now",
            "{n2_9}d",
        ],
        "comment": [
            "Absolutely ridiculous, nobody asked for this.",
            "About time too!",
            "Who is paying for all this?",
            "I've lived here for years and never seen anything like it.",
            "Same old story, nothing will change.",
            "Well said.",
            "Does anyone know if the car park is still open?",
            "This is why I stopped voting.",
            "Great news for the town at last.",
            "Completely agree with the comment above.",
            "Shameful.",
            "My kids go to that school, worried sick.",
            "Typical. They never listen.",
            "Fake news lol",
            "Interesting read, thanks.",
            "Where were the police?",
            "Can't believe this is still going on.",
            "First!",
            "Nobody cares mate.",
            "Not the first time and won't be the last.",
        ],
    }
)

_Q = dict(p_upper=0.0, p_title=0.0, p_lower=0.0, p_glyph=0.0, p_emoji=0.0, p_strip_stop=0.1)


def F(name: str, templates: list[str], position: str = "any", **kw: Any) -> Family:  # noqa: N802
    opts: dict[str, Any] = dict(_Q, target=220, max_words=160)
    opts.update(kw)
    return Family(
        name=name, label="boilerplate", templates=[T(t, position) for t in templates], slots=SLOTS, **opts
    )


FAMILIES: list[Family] = [
    F(
        "cookie_consent",
        [
            "We use cookies [and similar technologies|and other tracking technologies|] to [improve your experience|personalise content and ads|analyse our traffic|make this site work]. [By continuing to browse|By using this site|If you continue], you [agree to|accept|consent to] our use of cookies. [Read our Cookie Policy|Learn more|Find out more|Manage preferences].",
            "[Accept all|Accept all cookies|Reject all|Accept|Decline|Manage cookies|Cookie settings|Customise|Save preferences|Necessary cookies only|I agree|OK, got it]",
            "[We and our|{site} and its] [{n100_999}|] partners store and/or access information on a device, such as cookies, and process personal data, such as unique identifiers and standard information sent by a device, for personalised advertising and content, advertising and content measurement, audience research and [service development|product development]. [You can change your choices at any time by clicking Privacy settings at the bottom of the page.|With your permission we and our partners may use precise geolocation data.|Some partners do not ask for your consent and rely on legitimate interest, which you can object to.]",
            "[Your privacy|Your privacy matters|Privacy settings|We value your privacy|Cookie notice|About cookies on this site]",
            "[When you visit|If you use] {site}, we [and our partners|and selected third parties|] [place|set|read] small files called cookies on your device. [Some are essential to make the site work|Some are needed for the site to function], [others help us understand how you use it|others measure how our pages perform] and [others are used to show you advertising that is more relevant to you|others let advertisers show you relevant ads on other sites]. [You can accept all cookies|Click Accept to allow all cookies], [reject non-essential cookies|refuse the ones that are not essential] or [choose which ones you allow|manage your settings] [at any time|whenever you like] [from the Privacy settings link at the bottom of every page|in our cookie settings]. [For more information, read our Cookie Policy and Privacy Notice.|Withdrawing consent will not affect processing that has already taken place.|]",
            "[Strictly necessary|Performance|Functional|Targeting|Analytics|Marketing|Social media] cookies[ - always active| (required)|]",
            "[These cookies are|This type of cookie is] [necessary for the website to function|used to measure how you use the site|set by our advertising partners] and [cannot be switched off|help us improve it|may be used to build a profile of your interests].",
            "[Do not sell or share my personal information|Your privacy choices|Opt out of targeted advertising|Consent preferences]",
            "[This site uses cookies|Cookies help us deliver our services]. [See our|Read our] [privacy notice|cookie policy] [for details|to find out more][.|]",
            "[Some features of this page|This content|This embedded post] [need|needs|require|requires] [your consent|cookies] to [load|display]. [Allow cookies|Change settings|Show content]",
            "[We|Our partners] [use|rely on] [legitimate interest|your consent] to [show you relevant ads|measure ad performance|develop and improve products]. [View vendors|List of partners (vendors)|Object to legitimate interests]",
        ],
        max_words=120,
    ),
    F(
        "copyright_legal",
        [
            "© {year} {site}[. All rights reserved.|. All rights reserved|, all rights reserved.|]",
            "Copyright © [{year}|2000-{year}|1998-{year}] {company}[. All Rights Reserved.|. All rights reserved.|]",
            "[This material may not be published, broadcast, rewritten or redistributed.|No part of this site may be reproduced without permission.|Reproduction in whole or in part is prohibited.]",
            "[Terms of use|Terms & Conditions|Privacy policy|Cookie policy|Accessibility|Contact us|Complaints|Corrections|Sitemap|Advertise with us|Careers|About us|Editorial standards|Modern Slavery Statement]",
            "[Terms|Privacy|Cookies|Accessibility|Help] | [Terms|Privacy|Cookies|Contact|Sitemap] | [Advertise|Careers|About]",
            "{site} is [a member of|regulated by] the [Independent Press Board|Press Standards Council|News Complaints Authority][. Find out more|.|]",
            "[All content|Content] © {company} [unless otherwise stated|except where noted][.|]",
            "Part of {company}[. © {year}.|.|]",
            "[Powered by|Site by|Built on] [Inkwell CMS|Pressroom|NewsGrid][ · Hosted by Cloudharbour|]",
        ],
        position="closing",
    ),
    F(
        "registered_office",
        [
            "{company} Ltd. Registered in [England and Wales|Scotland|Northern Ireland] [No.|no.|with company number] {n100_999}{n100_999}[0|1|2]. Registered office: {n10_99} [Harbour|Mill|Station|Market|Quay] [Street|Road|Lane|Place], {place}, [{pc}|].",
            "[Registered office|Registered address|Head office]: {n10_99} [Bridge|Castle|Orchard|Wharf] [Street|Road], {place} {pc}",
            "[VAT|VAT reg.|VAT registration] [no.|number] [GB|] {n100_999} {n100_999} {n10_99}",
            "{site} is published by {company} Limited, [company number|a company registered under number] {n100_999}{n100_999}[7|8|9].",
            "[Authorised and regulated by|Regulated by] the [Financial Conduct Authority|Gambling Commission][. FRN {n100_999}{n100_999}|].",
            "{company} GmbH · [Amtsgericht|Registergericht] {place} HRB {n10_99}{n100_999} · [Geschäftsführer|Managing director]: {person}",
            "{company} Inc., {n100_999} {place} [Avenue|Boulevard], Suite {n100_999}, {place}, [CA|NY|TX|WA] {n10_99}{n100_999}",
            "[Company reg. no.|Reg. no.] {n100_999}{n100_999} | [Charity no.|Registered charity] {n100_999}{n100_999}",
        ],
        position="closing",
    ),
    F(
        "language_region_menu",
        [
            "{langs3}",
            "{langs4}",
            "[Edition|Region|Choose edition|Select edition|Change edition][:| -] {region}",
            "[{region} edition|{region} Edition|{region}] [|▾|▼]",
            "[Language|Sprache|Idioma|Langue][:| -] {lang}[ ▾|]",
            "{regions4}",
            "[Read in|Also available in|Translate to|Switch to] {lang}",
            "[EN|ES|FR|DE|IT|PT|NL] | [EN|ES|FR|DE|IT|PT|NL] | [EN|ES|FR|DE|IT|PT|NL]",
            "[Set|Change|Select] [your|] [location|region|country|language][ to see local news|]",
        ],
        position="opening",
    ),
    F(
        "photo_credit_caption",
        [
            "[Photo|Image|Picture|Photograph|Credit][:| -] {person}/{agency}",
            "[Photo|Image|Picture][:| -] {agency}",
            "{person} [poses|stands|waves|speaks] [outside|at|near] the {thing} in {place}[ on {weekday}|]. [Photo|Picture]: {person}",
            "[The|A] {thing} in {place}[, pictured|, seen here| pictured] [on {weekday}|last {month}|earlier this year][.|] [(Photo: {agency})|Photograph: {agency}|]",
            "[Image source|Image caption|Getty|Supplied|Handout|File photo][,| -|:] {agency}",
            "[Photo|Image] [courtesy of|supplied by|provided by] {company}",
            "[Pictured|Above|Top|Left|Right][:| -] {person}[ and {person}|][ at the {festival}|][.|]",
            "[(|]{agency}[ via {agency}|)|]",
            "{person} for {site}",
        ],
    ),
    F(
        "byline_timestamp",
        [
            "By {person}[ | {section} reporter| and {person}|, {section} Correspondent|]",
            "[Published|Posted|First published][:| ] {date}[ at {clock}| {clock}|]",
            "[Updated|Last updated|Modified][:| ] {date}[ {clock}|, {clock}|]",
            "[Updated|Published] {ago}",
            "{person} · {n2_9} min read",
            "By {person}[,| -] {site}[ | {date}|]",
            "{weekday} {date}[ {clock}| at {clock}| {clock} BST| {clock} GMT| {clock} ET|]",
            "[{clock}|{date}] [| ]{place}[ (|, ]{agency}[)|]",
            "[Reporting by|Additional reporting by|Written by|Words by] {person}[; Editing by {person}|, edited by {person}|]",
            "{person} | {date} | {section}",
            "{person}, {section} editor",
        ],
    ),
    F(
        "comment_thread",
        [
            "[Comments|Comments ({n10_99})|{n10_99} comments|Join the discussion|Reader comments|View comments|Show comments|Conversation]",
            "{user}",
            "{user} · {ago}",
            "{comment}",
            "{user}: {comment}",
            "[Reply|Report|Like|Share|Flag|Replies ({n2_9})|Show {n2_9} more replies|Load more comments|Sort by: Newest|Sort by: Oldest|Most liked]",
            "{n2_9} [likes|replies|upvotes]",
            "[{n10_99} likes|{n2_9} replies] · [Reply|Report]",
            "[Comments are closed|Commenting is closed for this article|Comments have been disabled|Be the first to comment][.|]",
            "[Please read our community guidelines before posting|Comments are moderated|Keep it civil][.|]",
            "[Log in to comment|Sign in to join the conversation|You must be logged in to post a comment][.|]",
            "{user} [replied to|responded to] {user}",
        ],
        target=220,
    ),
    F(
        "share_bar",
        [
            "[Share|Share this|Share this article|Share on][:|] [Facebook|X|WhatsApp|Email|LinkedIn|Copy link]",
            "Facebook [X|Twitter] [WhatsApp|Email] [Email|LinkedIn|Pinterest]",
            "[Share|Tweet|Pin|Email|Print]",
            "[Copy link|Link copied|Copy article link|Share via email]",
            "[Share|SHARE] [{n10_99}|{n100_999}|{n2_9}.{n2_9}k]",
            "[Opens in new window|Opens in a new tab|Open in new window]",
            "[Share on Facebook|Share on X|Share on WhatsApp|Share on LinkedIn|Email to a friend|Share on Reddit]",
            "[Facebook|X|Email] · [Facebook|WhatsApp|Messenger] · [Print|Copy link]",
            "[Share|Share this story|Share article] [Facebook|Twitter|X] [Messenger|WhatsApp|Telegram] [Email|SMS|Copy link] [Reddit|Flipboard|Pinterest|LinkedIn]",
            "[Share via|Send via|Post to] [Facebook|WhatsApp|Email|X|LinkedIn|Reddit|Bluesky|Threads]",
            "[{n10_99} shares|{n2_9}k shares|Shared {n100_999} times]",
            "[Share full article|Gift this article|Share a link to this article|Share on social media]",
            "[Click to share on|Share to] [Facebook|X|Pinterest|Tumblr|WhatsApp|Reddit] [(Opens in new window)|]",
            "[Copy|Embed|Report|Download] · [Share|Save|Embed]",
        ],
    ),
    F(
        "breadcrumbs",
        [
            "[Home|News|{site}] > {sections2}",
            "Home / {section} / {section}[ / {place}|]",
            "{section} › {section}[ › {place}|]",
            "[You are here|You are here:|Back to] {section}",
            "[Home|Start] » {section} » [{place}|{section}]",
            "{sections5}",
            "[Menu|Search|Sections|More|Close menu|Open menu]",
            "{section}",
        ],
        position="opening",
    ),
    F(
        "tags_topics",
        [
            "[Tags|Topics|Filed under|More on|Related topics|Keywords][:| -] {section}, {place}, {section}",
            "#{section} #{place}[ #{section}|]",
            "[Topics|Tags]: {thing}[ · {place}| · {section}|]",
            "{section} · {thing} · {place}",
            "[Categories|Category|In]: {section}[ > {place}|]",
            "[See all|Browse] [stories tagged|articles in] {section}",
        ],
        position="closing",
    ),
    F(
        "loading_ui",
        [
            "[Loading...|Loading|Please wait...|Loading comments...|Loading video...|Fetching results...|Loading more stories...]",
            "[Something went wrong|An error occurred|Sorry, something went wrong][. Please try again|. Refresh the page|.|]",
            "[JavaScript is disabled|Please enable JavaScript|Your browser is out of date][. Some features may not work|. To view this content, enable JavaScript|.|]",
            "[Close|Cancel|OK|Back|Next|Previous|Show more|Show less|Expand|Collapse|Read more|See more|Load more|Continue|Submit|Search]",
            "[Sign in|Log in|Log out|My account|Register|Subscribe|Search {site}]",
            "[Page {n2_9} of {n2_9}|Slide {n2_9} of {n10_99}|{n2_9} of {n10_99}]",
            "[This video is not available in your region|This content is not available|Embedded content unavailable][.|]",
            "[Image|Video|Audio|Graphic] [failed to load|unavailable|not supported by your browser][.|]",
            "[Search|Type to search|Enter keywords|Search for news, topics and more]",
        ],
    ),
    F(
        "accessibility_links",
        [
            "[Skip to main content|Skip to content|Skip to navigation|Skip to footer|Jump to main content|Skip to search|Skip navigation]",
            "[Accessibility|Accessibility help|Accessibility statement|Accessibility settings|Text-only version|High contrast]",
            "[Increase text size|Decrease text size|Text size|A A A|Reset text size]",
            "[Screen reader|Read aloud|Listen with ReadSpeaker|Keyboard shortcuts]",
            "[Your browser does not support the video tag|Your browser does not support the audio element][.|]",
            "[Close dialog|Press Escape to close|Dismiss|Close banner|Close this message|Hide]",
            "[Skip to main content|Skip to content|Skip to navigation] [| · |, ][Skip to footer|Skip to search|Skip to section navigation|Accessibility help]",
            "[Accessibility links|Navigation links|Quick links][:| -|] [Skip to content|Skip to navigation|Accessibility help|Keyboard shortcuts]",
            "[Use the arrow keys to|Press Tab to|Press Enter to] [navigate|move between items|open the menu|skip to the next section]",
            "[Alt text|Image description|Audio description|Transcript|Captions|Subtitles][:| -|] [available|on|off|not available]",
            "[Turn on|Turn off|Toggle] [dark mode|high contrast|large text|reduced motion|captions|subtitles]",
            "[Change|Adjust|Reset] [font size|text spacing|colour scheme|display settings]",
        ],
        target=120,
    ),
    F(
        "legal_disclaimer",
        [
            "[The views expressed|Views expressed|Opinions expressed] [in this article|here|in this column] are [those of the author|the author's own] and do not [necessarily|] reflect [those|the views] of {site}.",
            "[This article is for information only|This is not financial advice|Nothing in this article constitutes investment advice|Past performance is not a guide to future returns][.|]",
            "[Always consult|Please consult|Speak to] [a doctor or pharmacist before starting any treatment|your GP before making changes to your medication|a qualified financial adviser before making investment decisions|a solicitor before taking legal action][.|]",
            "[Capital at risk|Your capital is at risk|The value of investments can go down as well as up][.|]",
            "[18+|Over 18s only]. [Gamble responsibly|Please play responsibly]. [BeGambleAware|Help is available]",
            "[If you or someone you know is affected|If you have been affected by any of the issues raised], [support is available|help is available|you can contact the support services listed on our help page][.|]",
            "[This article was amended|This article is provided] [for general information|as is] and [may not be up to date|should not be relied upon][.|]",
            "[Readers should do their own research|Do your own research] before [investing|buying|making decisions][.|]",
        ],
    ),
    F(
        "author_bio",
        [
            "{person} is [a|the] [senior|chief|freelance|staff|award-winning] [{section} reporter|{section} correspondent|writer|editor|columnist] [at|for] {site}[.|]",
            "{person} [has covered|has written about|has reported on] {topicn} [for {site} since {year}|for more than a decade|for several publications][.|]",
            "[About the author|About the writer|The author][:| -|] {person} [lives in|is based in|writes from] {place}[.|]",
            "{person} [joined|began working for] {site} in {year}[ after {n2_9} years at {site}| from {site}|][.|]",
            "[Follow|Contact|Email] {person}[ on {platform} {handle}| at {email}|]",
            "{person} is [the author of|working on] [a book about|a forthcoming book on|three books on] {topicn}[.|]",
            "[Before joining|Previously|Earlier in her career|Earlier in his career], {person} [worked|reported] [for|at] {site}[ and {site}|].",
        ],
        position="closing",
    ),
    F(
        "story_status",
        [
            "[This story has been updated|This article has been updated|This story was updated][.| with new information.| to include comment.| throughout.]",
            "[This is a breaking news story|This is a developing story|Breaking news][, check back for updates|. More to follow|. It will be updated|.|]",
            "[This article was originally published|This story first appeared|Originally published] [on {date}|in {year}|on {weekday}][.|]",
            "[Corrections|Correction policy|Report an error|Spotted a mistake?|See a mistake? Let us know]",
            "[We are committed to|{site} is committed to] [accuracy|correcting errors|our editorial standards][. Read our corrections policy|. Report an error|.|]",
            "[Editor's note|Note|Update][:| -] [this article is part of an occasional series|this story is part of our coverage of {topicn}|comments have been closed on this article].",
            "[Fact checked by|Reviewed by|Edited by] {person}",
            "[Updated|Correction appended] [at {clock}|{ago}|on {date}]",
        ],
    ),
    F(
        "weather_market_widget",
        [
            "{place} [{n2_9}°C|{n10_99}°F|{n10_99}°][ ☀| ☁| 🌧|][ | · ][Sunny|Cloudy|Light rain|Showers|Clear|Windy|Fog]",
            "[FTSE|Dow|Nasdaq|DAX|Nikkei|Index] {n100_999}{n2_9}.{n10_99} [▲|▼|+|-]{n2_9}.{n10_99}%",
            "[GBP/USD|EUR/USD|USD/JPY|GBP/EUR] {n2_9}.{n10_99}{n2_9} [▲|▼]",
            "[High|Max] {n10_99}° [Low|Min] {n2_9}°",
            "[Brent|Gold|Bitcoin] [${n10_99},{n100_999}|${n10_99}.{n10_99}|{n100_999}.{n10_99}] [(+{n2_9}.{n10_99}%)|(-{n2_9}.{n10_99}%)]",
            "[Weather|Forecast|Today|Tomorrow|Weekend][:| -] [sunny spells|rain later|dry and bright|gusty winds|frost overnight][ ·|,] {n2_9}°C",
            "[Markets|Market data|Stock quotes] [delayed by {n10_99} minutes|provided by {company}|as of {clock}][.|]",
            "[Traffic|Travel] [alert|update|news][:| -] [{place} ring road|the A{n10_99}|{place} bypass] [delays|closed|slow traffic]",
            "[Pollen|UV index|Air quality][:| ] [Low|Moderate|High|Very high]",
        ],
    ),
    F(
        "pagination",
        [
            "[Page|Pages] [1|2|3|{n2_9}] [of {n2_9}|]",
            "[« Previous|‹ Prev|Previous page|< Previous|Newer posts] [| ][Next »|Next ›|Next page|Next >|Older posts]",
            "[1|« 1] 2 3 ... {n10_99} [Next|»|›]",
            "[Next|Previous] [article|story|page|slide][ ›| »| →|]",
            "[Show|Showing] [{n10_99} of {n100_999}|results {n2_9}-{n10_99}|page {n2_9}] [results|stories|articles|]",
            "[Back to top|Return to top|Top ↑|↑ Top|Scroll to top]",
            "[View all|See all|More {section}|All {section} stories|Archive|Older stories]",
            "[Go to page|Jump to page|Page] [|:] [1 2 3|1 2 3 4 5|2 3 4|3 4 5 6] [...|…|] [Last|Last »|End]",
            "[First|« First] [‹ Previous|Prev] [Next ›|Next] [Last »|Last]",
            "[Load more|Show more|More stories|See more results|Show {n10_99} more] [↓|▾|]",
            "[Continue to page {n2_9}|Continued on page {n2_9}|Continued from page {n2_9}|Turn to page {n2_9}]",
            "[Results per page|Sort by|Filter by|Order by][:| ] [10|20|Newest|Relevance|Date|Most popular]",
            "[Previous|Next] [in {section}|{section} story|gallery|chapter][:|]",
        ],
    ),
]


def _distinct(key: str, n: int, sep: str) -> Any:
    """A slot joining ``n`` different values of list slot ``key`` (menus never repeat an item)."""

    def pick(rng: Any) -> str:
        return sep.join(rng.sample(list(SLOTS[key]), n))

    return pick


SLOTS.update(
    {
        "langs3": _distinct("lang", 3, " | "),
        "langs4": _distinct("lang", 4, " · "),
        "regions4": _distinct("region", 4, " | "),
        "sections5": _distinct("section", 5, " | "),
        "sections2": _distinct("section", 2, " > "),
    }
)
SLOTS["pc"] = lambda rng: (
    rng.choice("ABCDEFGHKLMNPRSTWY")
    + rng.choice("ABCDEFGHKLMNPRSTWY")
    + str(rng.randint(1, 29))
    + " "
    + str(rng.randint(1, 9))
    + rng.choice("ABDEFGHJLNPQRSTUWXYZ")
    + rng.choice("ABDEFGHJLNPQRSTUWXYZ")
)
