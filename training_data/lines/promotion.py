"""Promotion line families: everything that sells something or sends the reader elsewhere.

Each family's templates differ in structure (imperative, noun phrase, question, label + link, sentence
with a benefit, button text ...). Slots: ``{h}`` a headline of another story (:mod:`headlines`),
``{site}`` an invented outlet, ``{nl}`` a newsletter name, ``{app}``, ``{pod}`` and the price/code slots of
:mod:`vocab`. Labels follow ``training_data/README.md``: promotion is anything whose purpose is to move the
reader to another page, product, channel or payment.
"""

from __future__ import annotations

import random
from typing import Any

from headlines import HEADLINE_SLOTS, headline
from library import Family, T
from vocab import outlet, town

__all__ = ["FAMILIES", "SLOTS", "reset"]


def _nl(rng: random.Random) -> str:
    return rng.choice(
        [
            "Morning Briefing",
            "Evening Edition",
            "Daily Digest",
            "First Thing",
            "Weekend Reads",
            "Catch-Up",
            "Money Matters",
            "Long Read",
            "Sport Extra",
            "Local Lowdown",
            "Week in Five",
            "Inbox Edit",
            "Breakfast Bulletin",
            "Checkout",
            "Night Owl",
            "Tech Dispatch",
            "Green Sheet",
            "Match Day",
            "Health Check",
            "Property Weekly",
            "Food & Drink Club",
            "Sunday Letter",
        ]
    )


def _app(rng: random.Random) -> str:
    return rng.choice(
        ["the {Site} app", "our app", "the {Site} News app", "the free {Site} app", "our free app"]
    )


def _pod(rng: random.Random) -> str:
    return rng.choice(
        [
            "The Briefing Room",
            "Inside Story",
            "Off the Record",
            "The Daily Listen",
            "Pitchside",
            "Behind the Headlines",
            "The Money Hour",
            "Small Town, Big Stories",
            "Court Report",
            "The Science Bit",
            "Talking Shop",
            "Between the Lines",
            "The Newsroom Cut",
            "Full Time",
            "Rewind",
        ]
    )


#: Headlines already written anywhere in the library. Teaser families all carry headlines; drawing each
#: headline once means no headline text is shared between two families (or two lines), so holding out a
#: teaser family also holds out its headlines. Reset by :func:`reset` at the start of every generation.
_USED_HEADLINES: set[str] = set()


def reset() -> None:
    _USED_HEADLINES.clear()


def _fresh(rng: random.Random, shapes: tuple[str, ...] | None) -> str:
    for _ in range(50):
        h = headline(rng, shapes)
        if h.lower() not in _USED_HEADLINES:
            break
    _USED_HEADLINES.add(h.lower())
    return h


def _h(rng: random.Random) -> str:
    return _fresh(rng, None)


def _hs(rng: random.Random) -> str:
    return _fresh(rng, ("news", "number", "label"))


def _hc(rng: random.Random) -> str:
    return _fresh(rng, ("clickbait", "list", "question", "howto"))


def _summary(rng: random.Random) -> str:
    return rng.choice(
        [
            "Residents say they were given only days' notice.",
            "The decision follows months of complaints.",
            "It is the third such incident this year.",
            "Campaigners say the fight is not over.",
            "Officials say the work will take until spring.",
            "The club says talks are at an early stage.",
            "Here's what we know so far.",
            "The firm blamed rising costs.",
            "Some shoppers say they will go elsewhere.",
            "Critics call it a step backwards.",
            "Neighbours describe a loud bang just after midnight.",
            "The vote was closer than expected.",
        ]
    )


SLOTS = dict(HEADLINE_SLOTS)
SLOTS.update(
    {
        "site": outlet,
        "Site": lambda rng: outlet(rng).replace("The ", ""),
        "nl": _nl,
        "app": _app,
        "pod": _pod,
        "h": _h,
        "hs": _hs,
        "hc": _hc,
        "summary": _summary,
        "hn": lambda rng: _fresh(rng, ("news", "number")),
        "email": lambda rng: (
            rng.choice(["news", "tips", "newsdesk", "letters", "editor", "reporters", "yourstory"])
            + "@"
            + town(rng).lower()
            + rng.choice(["news", "courier", "post", "times"])
            + rng.choice([".com", ".co.uk", ".net"])
        ),
        "place": town,
        "platform": [
            "Instagram",
            "X",
            "Facebook",
            "TikTok",
            "YouTube",
            "Threads",
            "LinkedIn",
            "Bluesky",
            "Mastodon",
        ],
        "msg": ["WhatsApp", "Telegram", "Signal", "WhatsApp", "Telegram", "Viber"],
        "store": ["the App Store", "Google Play", "the App Store or Google Play", "iOS and Android"],
        "period": [
            "a month",
            "per month",
            "a week",
            "/month",
            "/mo",
            "a year",
            "per year",
            "for your first year",
        ],
        "topicn": [
            "politics",
            "sport",
            "business",
            "local news",
            "culture",
            "science",
            "food",
            "travel",
            "money",
        ],
    }
)

_SP = dict(p_upper=0.08, p_title=0.12, p_lower=0.04, p_glyph=0.06, p_emoji=0.06, p_strip_stop=0.3)
_SP_QUIET = dict(p_upper=0.05, p_title=0.08, p_lower=0.03, p_strip_stop=0.2)


def F(name: str, templates: list[str], position: str = "any", **kw: Any) -> Family:  # noqa: N802
    opts: dict[str, Any] = dict(_SP)
    opts.update(kw)
    return Family(
        name=name, label="promotion", templates=[T(t, position) for t in templates], slots=SLOTS, **opts
    )


FAMILIES: list[Family] = [
    F(
        "newsletter",
        [
            "Sign up to [our|the] {nl} newsletter[| for free][| and get the day's top stories in your inbox][.|]",
            "Get {nl} [delivered|sent] to your inbox every [morning|evening|weekday|Sunday|Friday][.|]",
            "[Want|Like] [the|our] [best|biggest|top] stories [in your inbox|sent to you|every morning]? [Sign up|Subscribe|Join] [here|now|for free][.|]",
            "[Never miss a story|Don't miss out|Stay in the loop][.|:|!] [Sign up for|Subscribe to|Get] {nl}[.|]",
            "{nl}: [the news you need|everything that matters|our editors' picks|the day in five minutes], [free|straight] to your inbox",
            "Enter your email [address|] to [receive|get] {nl}",
            "Your email address",
            "By [signing up|subscribing|clicking Sign up], you agree to our [Terms|Terms of Use] and [Privacy Policy|privacy notice][.|]",
            "Thanks for signing up! [Check your inbox|Look out for your first edition|Please confirm your email][.|]",
            "[Sign me up|Subscribe|Join free|Get the newsletter|Count me in]",
            "[Join|More than] {n100_999},000 [readers|subscribers|people] who [start|end] their day with {nl}[.|]",
            "[Our|The] {topicn} newsletter[,| -|:] [every|each] [Tuesday|Thursday|weekday|week][.|]",
            "Like this? [Get|You'll love] {nl}[, our free newsletter|, free, every week][.|]",
            "[This article is from|This story first appeared in|Adapted from] {nl}. [Sign up here|Subscribe for free][.|]",
            "[Get|Receive] [breaking news|alerts|our top picks] by email: {url}",
            "[Choose|Pick] your newsletters [below|here|and we'll do the rest][.|]",
            "Sign up for free: {nl}, [our weekly guide to|the best of|a smart take on] {topicn}",
            "[Forwarded this email?|Was this forwarded to you?] [Sign up here|Get your own copy|Subscribe] [.|for free.]",
            "[One email|Five stories|Ten minutes], [every morning|each week|daily]. [That's it|No spam|Unsubscribe any time][.|]",
            "[Invalid email|Please enter a valid email address][.|]",
        ],
    ),
    F(
        "paywall_offer",
        [
            "[Subscribe|Join|Get access] [today|now] for [just|only|] {price} {period}[.|]",
            "[Save|Get] {pct} [off|on] [your first year|an annual subscription|digital access|all plans][.|!]",
            "[Limited-time offer|Special offer|Flash sale|Black Friday|Summer sale|Today only][:| -|!] {price} for [{n3_15} weeks|{n2_9} months|your first year]",
            "Try [it|us|{site}] free for {ndays} days[, then {price} {period}|. Cancel anytime|]",
            "Start your {trial} [free trial|trial for {price}][.|]",
            "Use code {code} [at checkout|to save {pct}|for {pct} off][.|]",
            "[Unlock|Get] unlimited [access|articles|digital access] [for|from] {price}[| {period}][.|]",
            "[Was|Normally] {price}, now {price} {period}[.|]",
            "[Your first|The first] {n2_9} months for {price}[, then {price} {period}|. Cancel anytime|]",
            "{pct} off [all digital plans|a yearly subscription|Premium] - ends [Sunday|midnight|soon|this week]",
            "Only {price} {period} for the first {n3_15} weeks. [Cancel anytime|No commitment|Renews at {price}][.|]",
            "[You've reached your limit|You have read all your free articles this month|This is your last free article]. Subscribe from {price} {period}[.|]",
            "[Already a subscriber?|Already subscribed?] [Log in|Sign in] [to continue reading|here][.|]",
            "[Best value|Most popular]: Annual plan {price}[ (save {pct})|]",
            "[Get|Claim] [the deal|this offer|your discount][ now|] →",
            "[Digital|Print + digital|All-access] [bundle|subscription|pass]: {price} {period}[, billed annually|]",
            "[Students|Teachers|Over-65s|Key workers] save {pct} with [code|promo code] {code}",
            "[Offer|Promotion] ends in {n2_9} days[.|]",
            "Introductory rate {price} {period}. [Terms apply|T&Cs apply|Auto-renews][.|]",
            "[Give|Gift] a subscription from {price}[.|]",
        ],
    ),
    F(
        "subscription",
        [
            "Subscribe to [continue reading|read the full story|keep reading][.|]",
            "[Support|Help fund|Back] [independent|local|quality] journalism[.| -| by subscribing|: subscribe today][.|]",
            "[This content is|This article is] [for subscribers only|reserved for subscribers|subscriber-only][.|]",
            "[Become a subscriber|Subscribe now] and [read without limits|get every story|unlock everything][.|]",
            "[Subscriber exclusive|Members only|Premium|Plus][:| -|] [this story is|this is] [part of|included in] your subscription",
            "[Why subscribe?|Why pay for news?] [Because local news matters|Here's what you get|Find out what's included][.|]",
            "Journalism like this [takes time and money|isn't free|depends on subscribers][.|] [Please subscribe|Subscribe today][.|]",
            "[Unlimited|Full] access to {site}[, wherever you are|, on every device|]",
            "[Choose your plan|Compare plans|See all plans][.|]",
            "[Read|Enjoy] {site} [ad-free|without ads|on all your devices] with a subscription[.|]",
            "[Keep reading|Continue reading] with a {site} subscription[.|]",
            "[Premium|Plus|Gold] subscribers get [early access|exclusive stories|the puzzles] [and more|too][.|]",
            "Not a subscriber? [Start today|Join us today|Find out more][.|]",
            "Subscribe [for|to] [the full picture|the story behind the story|more {topicn}][.|]",
            "{site}: [trusted since|in your corner since|independent since] {year}[. Subscribe.|]",
        ],
    ),
    F(
        "membership_donation",
        [
            "[Donate|Give] [today|now|what you can][.|] [Every|Any] [contribution|gift], [big or small|however small], [helps|counts][.|]",
            "[Become a member|Join as a member] from {price} {period}[.|]",
            "[If you value|If you enjoyed|If you rely on] [this story|our reporting|what we do], please consider [supporting us|a donation|becoming a member][.|]",
            "{site} is [reader-funded|a non-profit|free for everyone] [because readers like you|thanks to readers who] [give|chip in][.|]",
            "[Support us|Chip in|Make a gift] from just {price}[ - it only takes a minute|]",
            "[We're|We are] {n10_99}% of the way to our [goal|target] of {n100_999} new members this [month|year][.|]",
            "[Make it monthly|Give monthly|Give once][.|]",
            "[Your gift|A donation] of {price} [pays for|keeps] [an hour of reporting|a reporter on the beat|our newsroom open][.|]",
            "[Join|Stand with] {n10_99},000 [members|supporters|readers] who [keep us independent|fund our journalism][.|]",
            "[We don't have a paywall|Our journalism is free to read]. [That's only possible because of|It is paid for by] [people like you|our members|donations][.|]",
            "[Tax-deductible|Gift Aid eligible] donations [accepted|welcome][.|]",
            "[Thank a reporter|Buy us a coffee|Tip the newsroom][.|] {price}[, {price} or {price}|]",
            "[Can you help us reach|Help us reach] our [goal|target] [by midnight|before the end of the month|this week]?",
            "[Members get|As a member you get] [ad-free reading|invitations to events|a weekly letter from the editor][.|]",
            "[Support|Fund] [the next investigation|local reporting|this kind of story][.|] [Donate|Give|Join] →",
        ],
    ),
    F(
        "ad_marker",
        [
            "Advertisement",
            "ADVERTISEMENT",
            "[Story|Article|Content|Text] continues below[| this] [advertisement|ad|advert|sponsored message]",
            "Continue reading [below|after] the [ad|advertisement|advert]",
            "Ad Feedback",
            "Advertisement[ -| –| ·|:] [Scroll|scroll] to [continue|continue with content|keep reading]",
            "[The|This] article continues after [this|the] [advertisement|ad|sponsored content]",
            "[Skip|Close|Hide] [ad|advert|this ad]",
            "[Report this ad|Why am I seeing this ad?|Ad choices|AdChoices]",
            "⟦Ad⟧",
            "[Sponsored|Promoted|Paid] content [below|continues below]",
            "[Ad|Advert|Anzeige] [-|·|:] [content continues below|article continues]",
            "[Remove|Hide] ads[|?] [Go ad-free|Upgrade] for {price} {period}",
            "[Advertising|Advertisement] · [Close|Feedback]",
            "[Reading continues|Keep scrolling] [after|below] [this message from our sponsors|the break]",
            "[Ad loading...|Ad will close in {n2_9} seconds|This ad will end in {n2_9}]",
            "-- Advertisement --",
            "[Article continues below|Continues below]",
            "ADVERTISING",
            "[Our sponsors|A word from our sponsors][:| -|]",
        ],
        p_glyph=0.0,
        p_emoji=0.0,
        p_title=0.08,
        p_upper=0.12,
    ),
    F(
        "adblock_notice",
        [
            "[It looks like|We noticed|We see] you're using an ad blocker[.|]",
            "[Please|Kindly] [turn off|disable|pause] your ad blocker [to continue|to keep reading|and refresh the page][.|]",
            "[Ads help us|Advertising helps us|Adverts let us] [keep this site free|pay our reporters|fund local journalism][.|] [Please whitelist us|Please allow ads on {site}][.|]",
            "[Add|Put] {site} to your [ad blocker's|adblock] [allowlist|whitelist|list of allowed sites][.|]",
            "[Turned off your ad blocker?|Done?|Already allowed ads?] [Refresh|Reload] the page[.|]",
            "[Prefer no ads?|Hate ads?|Want an ad-free experience?] [Subscribe|Go Premium|Upgrade] [for|from] {price} {period}[.|]",
            "[How do I disable my ad blocker?|How to whitelist us|I've disabled my ad blocker]",
            "[Support us|Help us out]: [allow ads|switch off your ad blocker] [or subscribe|or become a member][.|]",
            "[Continue without supporting us|No thanks, continue|Maybe later]",
            "We rely on advertising[ revenue|] [to keep our journalism free|to bring you stories like this][.|]",
        ],
        target=120,
    ),
    F(
        "app_download",
        [
            "Download {app}[ for|,] [the latest news|breaking news|live scores|local stories] [on the go|wherever you are|in your pocket][.|]",
            "[Get|Try] {app}[ - free on| on| from] {store}[.|]",
            "[Read|Follow|Get] [this story|the latest|every update] in {app}[.|]",
            "[Open in app|Continue in the app|Read in app|View in app]",
            "[Better in the app|It's better in the app|The app is faster][.|!] [Download now|Get it free|Install now][.|]",
            "[New:|NEW|Just launched:] [our|the] {site} app for [iPhone|Android|iPad|tablets][.|]",
            "[Scan the QR code|Tap here|Click here] to download {app}[.|]",
            "[Available on|Download on|Get it on] {store}",
            "[Puzzles, podcasts and more|Crosswords, news and live blogs|Your news, your way] - [all in|only in|in] {app}[.|]",
            "[Have you tried|Have you downloaded] {app}? [It's free|Find out more|Get it here][.|]",
            "[Install|Add] {site} to your home screen[ for quick access|]",
            "[Rated 4.{n2_9} by|Loved by|Trusted by] [{n10_99},000|thousands of] readers[ on {store}|]. [Download|Get] {app}[.|]",
            "[Update|Upgrade] your app to [see this content|read this story|get the new look][.|]",
            "[Get|Switch to] {app} for [offline reading|a faster experience|fewer ads][.|]",
        ],
    ),
    F(
        "push_notification",
        [
            "[Turn on|Enable|Switch on|Allow] [notifications|alerts|push alerts] [for|to get] [breaking news|the latest|this story|match updates][.|]",
            "[Tap the bell|Hit the bell|Click the bell icon] [to get|for] [alerts|updates|notifications][.|]",
            "[Want|Would you like] [breaking news|alerts] [sent to your phone|as it happens|on your lock screen]?",
            "[Allow|Block|Not now|No thanks|Maybe later]",
            "[Get|Receive] an alert when [this story is updated|we publish new stories|the result is in][.|]",
            "[Follow this story|Follow topic|Follow {topicn}] to [get|receive] [alerts|updates][.|]",
            "{site} would like to send you notifications[.|]",
            "[Be the first to know|Know first|Hear it first][.|!|:] [Turn on alerts|Enable notifications|Get alerts][.|]",
            "[Notifications are on|You're following this story|Alerts enabled][.|] [Manage alerts|Turn off][.|]",
            "[Manage|Choose] [your alerts|which alerts you get|your notification settings][.|]",
            "[Add|Get] {place} [news|traffic|weather] alerts[.|]",
            "[Breaking news alerts|Live match alerts|Election alerts], [straight to your phone|free|as they happen][.|]",
        ],
    ),
    F(
        "podcast",
        [
            "[Listen to|Subscribe to|Catch up with] {pod}[ wherever you get your podcasts|, our daily podcast| on Spotify or Apple Podcasts|][.|]",
            "[New episode|Latest episode|This week|Episode {n10_99}][:| -|] {pod} [on|asks|looks at] {h}",
            "[Podcast|PODCAST|Listen][:| -|:] {h}",
            "[Hear more on|Want more? Listen to|Go deeper with] {pod}[, out every {weekday}|, available now|][.|]",
            "[Search|Look for] '{pod}' [on your podcast app|wherever you listen|on Spotify][.|]",
            "[Our|The] [award-winning|daily|weekly] podcast {pod}[ is back|: new episodes every {weekday}|][.|]",
            "[Play episode|Listen now|Play|Listen ({n10_99} min)]",
            "[Subscribe|Follow|Rate and review] [us|{pod}] on [Apple Podcasts|Spotify|your favourite app][.|]",
            "[You can also|Or] listen on {url}[.|]",
            "[In this episode|On this episode|This episode], {pod} [talks to|hears from|meets] [the reporters behind|the people at the centre of] {h}",
            "{n10_99} min listen",
            "[Catch up on|Missed] [the latest|last week's|every] episode[s|] of {pod}[?|.|]",
        ],
    ),
    F(
        "video_teaser",
        [
            "[Watch|WATCH|Video|VIDEO][:| -|:| |] {h}",
            "[Watch|See] [the moment|what happened when|how] {hn}[.|]",
            "[Play video|Watch video|Watch now|Replay|Watch again][ ({n2_9}:{n10_99})|]",
            "[Video|Now playing|Up next][:| -|] {h}",
            "[Watch the full interview|Watch the highlights|Watch the full match|Watch the press conference] [on our YouTube channel|here|in full][.|]",
            "[Caught on camera|Dramatic footage|Video shows][:| -] {hn}",
            "{n2_9}:{n10_99}[ | · |, ]{h}",
            "[More videos|Related videos|Latest videos|Most watched]",
            "[Click to play|Tap to watch|Tap to unmute][.|]",
            "[Watch|Stream] [our documentary|the series|the latest episode] [free|now] on {site} [TV|Video|Plus][.|]",
            "[Your video will begin|The video will play|Video will start] [in {n2_9} seconds|after this ad|shortly][.|]",
        ],
    ),
    F(
        "photo_gallery",
        [
            "[Photos|PICTURES|In pictures|Gallery|Pictured|Photo gallery][:| -|:] {h}",
            "[See|View|Browse] [all|the] {n10_99} [photos|pictures|images][ from {hs}|][.|]",
            "[In pictures|Pictures]: [the best of|scenes from|a week in] {place}",
            "[Gallery|Slideshow] ({n3_15} [photos|images])",
            "[Click|Tap|Swipe] [through|to see|for] [the gallery|more pictures|all the images][.|]",
            "[Open gallery|View gallery|Launch gallery|Next image|Previous image]",
            "[{n3_15} of {n10_99}|Image {n2_9} of {n10_99}|{n2_9}/{n10_99}]",
            "[Our|The] [best|top|most striking] [photos|pictures] of the [week|month|year|weekend][.|]",
            "[Buy|Order] [this photo|a print|photos from this article] [from|at] {url}",
            "[Photos|Pictures] [you sent us|from readers|of your pets][:| -|] [send yours|share yours] to {handle}",
            "[See more|More] [photos|pictures] [below|here|in our gallery][.|]",
        ],
    ),
    F(
        "quiz_teaser",
        [
            "[Quiz|QUIZ|Take the quiz|Test yourself][:| -|] {hc}",
            "[How well do you know|How much do you know about|Can you name] {place}[?| - take our quiz]",
            "[Take|Try] [our|the] [weekly|daily|news|sports|Friday] quiz[.|!| →]",
            "[Can you beat|Beat] [our|the] [editors|the average score|{n2_9}/10]?",
            "[Play|Try] [today's|the daily] [crossword|sudoku|word game|puzzle|wordsearch][.|]",
            "[Question {n2_9} of {n10_99}|You scored {n2_9}/10|Your result:] [- share it|- try again|]",
            "[Are you|Which] [a true {place} local|{topicn} fan are you|character are you]? [Find out|Take the quiz][.|]",
            "[Answers|Solutions] [to yesterday's puzzle|to last week's quiz] [here|inside|below][.|]",
            "[New puzzles every day|Daily puzzles] [in|on] {app}[.|]",
            "[Poll|Vote|Have your say][:| -|] [should|would you|do you think] {hc}",
        ],
    ),
    F(
        "messaging_channel",
        [
            "[Join|Follow] [our|the] {site} [channel|community|group] on {msg}[ for the latest news|][.|]",
            "[Get|Receive] [breaking news|the day's top stories|our best stories] on {msg}[.|]",
            "[We're on|Now on|Find us on] {msg}[!|.|:] {url}",
            "[Click here|Tap here|Scan the code] to join [our|the] {msg} [channel|group][.|]",
            "[Stories|News|Updates] [straight to your phone|in your chats|where you chat]: [follow|join] us on {msg}[.|]",
            "[Message|Text] us on {msg} [on|at] +{n10_99} {n100_999} {n100_999} {n100_999}[.|]",
            "{msg}: [join|subscribe|follow] {handle}",
            "[Want|Like] [news|updates] [on|via] {msg}? [Join here|Follow the channel][.|]",
            "[Join {n10_99},000 others|Thousands already follow us] on {msg}[.|]",
            "[Our {msg} channel is|The {msg} group is] [free|open to all|one tap away][.|]",
        ],
    ),
    F(
        "social_follow",
        [
            "[Follow|Like|Find] us on {platform}[ for more|, {platform} and {platform}|][.|]",
            "[Follow|Find] {site} on {platform}: {handle}",
            "{platform}: {handle}[ | {platform}: {handle}|]",
            "[Follow|Tag|Join] [us|{handle}] [on|at] {platform}",
            "[Share|Post] your [photos|videos|stories] [with|using] #{Site}[.|]",
            "[Have you followed us yet?|Are you following us?] [We're|We are] {handle} on {platform}[.|]",
            "[Connect with us|Stay connected|Let's connect][:| -|] {platform} · {platform} · {platform}",
            "[Join the conversation|Keep up] on {platform} [with|at] {handle}[.|]",
            "[Subscribe to|Follow] our YouTube channel[ for more videos|]",
            "[Like our page|Give us a follow] [to see more stories like this|for more {topicn}][.|]",
            "[{person} is on|Follow {person} on] {platform} {handle}[.|]",
        ],
    ),
    F(
        "news_tip",
        [
            "[Got a story?|Have a story?|Do you have a story for us?|Know something we should?] [Email|Contact|Tell] us [at|on] {email}[.|]",
            "[Got|Have] a [news tip|story idea|tip-off][?|] [Get in touch|Contact our newsroom|Let us know][.|]",
            "[Contact|Reach] [the newsdesk|our reporters|the team] [securely|confidentially] [via|on] {msg}[.|]",
            "[Were you there?|Did you see it happen?|Are you affected?] [Send us your photos and videos|Tell us your story|Get in touch][.|]",
            "[If you have information|Anyone with information] [about this story|on this], [email|contact] {person} [at|on] {email}",
            "[Share your story|Tell us what you know|Send us a tip] [in confidence|securely|anonymously][.|]",
            "[Call|Text] our newsroom [on|at] 0{n100_999} {n100_999} {n100_999}[.|]",
            "[Do you have a view on this?|What would you do?|Have you been affected?] [Email|Write to] {email}",
            "[How to send us a tip|Send us a tip|Secure tips]",
            "[Our reporters want to hear from you|We want to hear from you][.|] [Email|Message] us[.|]",
        ],
    ),
    F(
        "affiliate_disclosure",
        [
            "[We may|{site} may|This site may] earn [a commission|a small commission|an affiliate commission] [when you buy|if you buy|from purchases made] through [links|the links] [on this page|in this article|below][.|]",
            "[This article contains|This post includes|This page contains] affiliate links[.|;] [we|We] may receive [a fee|a share of sales|compensation][.|]",
            "[Prices|Price] [correct|accurate] at [the time of|time of] [publication|writing][.|]",
            "[Why trust us?|How we test|How we choose products][.|:] [Our experts test every product|Every product is tested independently|Our reviewers choose independently][.|]",
            "[If you click|When you click] [a link|through] and [buy something|make a purchase], we [may earn|get] a small [fee|commission] at no extra cost to you[.|]",
            "[Independently selected|Chosen by our editors][. |: ]{site} [may earn a commission|is paid] [from|for] [these links|some links][.|]",
            "[Affiliate disclosure|Disclosure|Transparency note][:| -] [we earn from qualifying purchases|some links are affiliate links][.|]",
            "[Our journalism is independent|Reviews are independent]; [retailers|partners] [have no say in|do not influence] [what we cover|our choices][.|]",
            "[As an Amazon Associate|As an affiliate partner], [we|{site}] [earn|may earn] from qualifying purchases[.|]",
            "[Products|Items] [featured|shown] are [chosen|picked] by our [editors|shopping team]; we may [earn|receive] [revenue|a commission][.|]",
        ],
    ),
    F(
        "sponsored",
        [
            "[Sponsored|SPONSORED|Sponsored content|Paid post|Partner content|Advertorial|Promoted][:| -| by| ·] {company}",
            "[This article|This content|This feature] [was|is] [produced in partnership with|paid for by|sponsored by|brought to you by] {company}[.|]",
            "[Presented by|In association with|Supported by|Brought to you by] {company}",
            "[From our partners|Partner stories|Content from our sponsors|Around the web|Sponsored stories]",
            "{company}[:| -] [discover|find out] [how thousands are switching|how families are saving|why homeowners love it][.|]",
            "[Paid for and|Created and] [written|produced] by {company}[; not by|, not] {site} journalists[.|]",
            "[Sponsored|Ad] · {company} · [Learn more|Shop now|Book now|Sign up]",
            "[Our partner|A message from] {company}[:| -] {hc}",
            "[Commercial feature|Brand story|Native ad|Branded content] [| - {company}]",
            "[Recommended by|Suggested by|Promoted by] [Outbrain|Taboola|our partners|{company}]",
        ],
    ),
    F(
        "related_prefixed",
        [
            "[READ MORE|Read more|Read More|READ|Also read|ALSO READ|See also|Related|RELATED|MORE|More|Recommended|Don't miss|DON'T MISS|ICYMI|In case you missed it|Editor's picks|Top stories|Popular now|Trending|Up next|Must read|MUST READ|You might like|You may also like|Read next|Worth reading|Related story|Further reading|Next up|Keep reading|Go deeper|Catch up|Latest|Background|Explained|Previously|Earlier][:| -| –| |: ] {h}",
            "[Also on|More from|Elsewhere on|Also in|Only on] {site}[:| -] {h}",
            "[From our partners|More stories|Related coverage|More on this story|Related topics][:| -] {h}",
            "[Read our|See our|Read the] [full coverage|explainer|live blog|analysis|guide][:| -| here:] {h}",
            "[Click here|Tap here] [to read|for|to see] [more|the full story|our guide][:| -] {h}",
            "(READ MORE: {h})",
            "[Related|More]: {h} | {h}",
        ],
        p_title=0.0,
        p_upper=0.03,
    ),
    F(
        "related_bare",
        [
            "{h}",
            "{h}",
            "{hc}",
            "{hs}",
            "{h} [| ](PHOTOS)",
            "{h} - {site}",
            "{h} [(video)|(watch)|(photos)|(opinion)]",
            "{hs} {n2_9} hours ago",
        ],
        p_glyph=0.0,
        p_emoji=0.0,
        p_upper=0.02,
        p_title=0.05,
        p_strip_stop=0.0,
    ),
    F(
        "glyph_teaser",
        [
            "[▶|»|→|•|★|>>|–|·|►|›|■|▸|▹|⇒|➤|↳|+|*] {h}",
            "[▶|»|→|►|>>] [Read|Watch|Listen|More|See]: {hs}",
            "[📩|🔔|👉|🎧|📱|📰|🔥|⚡|👀|📣] {h}",
            "[👉|➡️|⬇️] [Read more|Full story|Tap here|More here][:| -|] {h}",
            "{h} [→|»|>>|▸|›]",
            "[■|●|◆|□] {hs}",
            "[🔴|🟢|⭐] [LIVE|Live|NEW|Breaking][:| -] {hs}",
            "[>|>>|>>>] {hc}",
        ],
        p_glyph=0.0,
        p_emoji=0.0,
        p_upper=0.04,
    ),
    F(
        "headline_list",
        [
            "{hs} | {hs} | {hs}",
            "{hs} | {hc}",
            "{h} · {h} · {h}",
            "{hs} • {hs} • {hc} • {hs}",
            "[Top stories|Latest|More news|Trending|Most read][:|]| {hs} | {hs} | {hs}",
            "{hs} / {hs}",
            "{hs} – {hs} – {hs}",
        ],
        p_glyph=0.0,
        p_emoji=0.0,
        p_title=0.0,
        p_upper=0.0,
        max_words=60,
    ),
    F(
        "most_read",
        [
            "[Most read|Most Read|MOST READ|Most popular|Most viewed|Trending now|Popular right now|What people are reading|Most shared|Top 10|Reader favourites|Hot right now|Most commented]",
            "[1|2|3|4|5|6|7|8|9|10][.|)| |:] {h}",
            "[#1|#2|#3|#4|#5|No. 1|No. 2|No. 3] {hs}",
            "[0{n2_9}|{n2_9}] {h}",
            "[Most read|Trending|Popular][:| -] [1.|#1] {hs}",
            "{h} [({n2_9},{n100_999} reads)|- {n10_99} comments|· {n2_9}h ago]",
            "[Today's|This week's|The week's] [most read|top 10|most popular] [stories|articles][:|]",
        ],
        p_glyph=0.0,
        p_emoji=0.0,
        p_title=0.0,
    ),
    F(
        "engagement_share",
        [
            "[Enjoying this?|Enjoyed this?|Found this useful?|Like what you read?] [Pass it on|Share it with a friend|Send it to someone who'd like it|Forward it on][.|!]",
            "[Tap|Hit|Smash] [the like button|like|that heart|the thumbs up][ if you agree| below| for more|][.|!]",
            "[Share this story|Share this|Spread the word][ with someone who needs to see it| - it helps more than you think|][.|!]",
            "[Know someone who'd love this?|Who needs to read this?] [Send it their way|Share it with them|Tag them][.|!]",
            "[If this helped you|If you found this useful], [share it|pass it along|let a friend know][.|]",
            "[Don't forget to|Remember to|Make sure to] [like and subscribe|share this|hit subscribe][.|!]",
            "[Give this a clap|Leave a like|Drop a heart] [if you enjoyed it|to let us know|for part two][.|!]",
            "[Liked this story?|Want more like this?] [Follow us for more|Save it for later|Share it][.|]",
            "[Help us grow|Help others find us]: [share this article|tell a friend about us][.|]",
            "[Please|] [share|repost] [if you care about|to support] {place}[.|!]",
        ],
    ),
    F(
        "comment_invite",
        [
            "[What do you think?|What's your view?|Do you agree?|Where do you stand?|What would you do?] [Tell us in the comments|Let us know below|Comment below|Join the debate][.|!|]",
            "[Tell us|Let us know] [in the comments|below|what you think][.|!]",
            "[Have your say|Join the conversation|Join the discussion|Add your voice][:| -|] [comment below|leave a comment][.|]",
            "[We'd love to hear from you|We want to hear what you think][.|] [Leave a comment|Drop us a line|Comment below][.|]",
            "[Is this|Was this] the right [call|decision]? [Vote in our poll|Comment below|Tell us][.|]",
            "[Share your thoughts|Tell us your experience|What's your story?] [in the comments|below][.|]",
            "[Comments are open|The comments are open][.|] [Be kind|Keep it civil|Have your say][.|]",
            "[Sound off|Weigh in][ below|][.|!]",
            "[Did we miss anything?|Anything we've missed?] [Let us know|Tell us] [in the comments|below][.|]",
            "[Join|Start] the [conversation|debate] [below|on our forum|in our community][.|]",
            "[Agree or disagree?|Right or wrong?|Fair or unfair?|Yes or no?] [Have your say below|Tell us what you think|Leave your comment][.|!]",
            "[How would you have handled it?|What would you have done?|Would you have done the same?] [Let us know|Tell us|Share below][.|]",
            "[Should {place} get|Should {place} keep|Do you think {place} should lose|Does {place} need] [the|its|a new] {thing}? [Comment|Vote|Tell us] below[.|]",
            "[Your turn|Over to you|Your move][:|.|!] [what do you make of it|how do you see it|is this the right move]?",
            "[Got thoughts?|Strong opinions?|Something to add?] [The comments are yours|Drop them below|We're listening][.|]",
            "[Reply|Respond|Write back] [to this story|to the editor|with your view] [at|via] {email}",
            "[Let's talk|Let's hear it|Talk to us][.|!] [What's your take|What do you reckon|Where do you land]?",
        ],
    ),
    F(
        "event_ticket",
        [
            "[Book|Get|Buy] [your|] tickets [now|today|here][ for {place} {festival}|][.|!]",
            "[Tickets|Early bird tickets] [on sale now|from {price}|selling fast][.|!]",
            "[Join us at|Come along to|Save the date for] {place} {festival}[ on {weekday} {date}|][.|!]",
            "[Live event|Reader event|Members' event][:| -] [an evening with|in conversation with|meet] {person}[. Book now|]",
            "[Last few tickets|Only {n10_99} tickets left|Nearly sold out][.|!] [Book now|Don't miss out][.|]",
            "[Win|Grab] [two|a pair of] tickets to {place} {festival}[.|]",
            "[{site} readers|Subscribers] get {pct} off tickets with code {code}[.|]",
            "[Free entry|Free to attend][ for subscribers| - register now][.|]",
            "[Book your place|Reserve a seat|Register now] at {url}",
            "[What's on|Things to do|Events near you][:| -] {place} {festival} [this weekend|tonight|this month]",
        ],
    ),
    F(
        "shop_deal",
        [
            "[Shop the look|Shop the story|Shop this article|Shop now|Buy now|View deal|Check price][.|]",
            "[Best deals today|Today's best deals|Deal of the day|Top deals|Deals we love][:| -] {product}",
            "{product}[,|:| -] [was|RRP] {price}, now {price}[ at {retailer}|]",
            "[Save|Get] {pct} [on|off] {product}[ today| this weekend| with code {code}|][.|]",
            "[Buy|Get] {product} [for|from] {price} [at|from] {retailer}",
            "[£|$|€]{n10_99} [at|from] {retailer}",
            "[Our top pick|Best overall|Best budget buy|Editor's choice][:| -] {product}[, {price}|]",
            "[Free delivery|Free shipping|Next-day delivery] [on orders over {price}|today only|for members][.|]",
            "[Lowest price ever|Price drop|Back in stock][!|:| -] {product}",
            "[Compare prices|See all deals|More offers|Browse the sale][ →|]",
        ],
    ),
    F(
        "more_from_author",
        [
            "[More from|More by|Read more from|Latest from|Other stories by|See all stories by] {person}",
            "[More from|More by] {person}[:| -] {h}",
            "[Follow|Get alerts for] {person}[ to get their stories first|][.|]",
            "[{person} writes|{person} is writing] [every|each] {weekday}[. Read all their columns|]",
            "[Read {person}'s|Catch up on {person}'s] [latest column|previous columns|archive][.|]",
            "[All stories by|Articles by] {person} [→|»|]",
            "[Email|Contact] {person}[:| at] {email}",
            "[Next in this series|Part {n2_9} of this series|Read the series][:| -] {h}",
        ],
        position="closing",
    ),
    F(
        "register_wall",
        [
            "[This article is|This story is] free to read[ - register to continue|. Register for free to keep reading|][.|]",
            "[Register|Sign up] for free to [continue reading|read this article|unlock {n2_9} free articles a month][.|]",
            "[Create|Set up] a free account to [keep reading|read on|get access][.|]",
            "[Already registered?|Have an account?] [Log in|Sign in][.|]",
            "[Continue with Google|Continue with Apple|Continue with email|Sign in with Facebook]",
            "[You have {n2_9} free articles left this month|{n2_9} of {n2_9} free articles read|This is your {n2_9}rd free article][.|]",
            "[Registration is free|It's free and takes a minute|Free registration takes {n2_9} seconds][.|]",
            "[Want to keep reading?|Read the rest of this story] [Register now|Sign in or create an account][.|]",
            "[Register to read|Log in to read|Sign in to keep reading] [more|the rest|this story][.|]",
            "[Enter your email to continue reading|Verify your email to continue][.|]",
            "[Keep reading for free|Read {n2_9} stories free|Unlock this story] [- just register|with a free account|when you sign up][.|]",
            "[Register|Sign up] [to read|and read] [more from|the rest of this story on|unlimited {topicn} on] {site}[.|]",
            "[Free to read, register to continue|Free with registration|Free account required][.|]",
            "[Thanks for reading.|You're reading {site}.|Enjoying {site}?] [Register|Create your free account|Sign in] to [carry on|keep going|read on][.|]",
            "[Why register?|What you get with an account:] [save articles, get newsletters and comment|fewer ads and more stories|free articles every month][.|]",
            "[Not now|Remind me later|Continue as guest|I'll do it later]",
            "[Log in or register|Sign in or register|Register or log in] [to continue|to read the full article|for full access][.|]",
        ],
    ),
    F(
        "contest_giveaway",
        [
            "[Win|WIN|Enter to win|Your chance to win] {prize}[!|.|]",
            "[Competition|Giveaway|Prize draw][:| -] [win|we're giving away] {prize}",
            "[Enter now|Enter here|Enter today][ - closes {weekday}| - T&Cs apply|][.|]",
            "[To enter|How to enter][:|,] [answer the question|follow us and tag a friend|fill in the form] [below|above][.|]",
            "[Closing date|Competition closes|Entries close] {date}[. T&Cs apply|][.|]",
            "[Follow, like and share|Like, share and tag a friend] to [win|enter][!|.]",
            "[UK residents|Residents|Readers] aged 18+ only[. One entry per person|][.|]",
            "[Winners|The winner] will be [announced|notified] [on {weekday}|by email|within {n2_9} days][.|]",
            "[We have|There are] {n2_9} [prizes|runner-up prizes|bundles] to [give away|win][!|.]",
        ],
    ),
    F(
        "print_edition",
        [
            "[Read|Get|Download] [today's|this week's|the] [e-edition|digital edition|print edition|replica edition][ here| now| online|][.|]",
            "[The|Our] [Sunday|weekend|morning] [paper|edition] [delivered|straight] to your door [from|for] {price} {period}[.|]",
            "[Pick up|Grab|Buy] [a copy of|your copy of] {site} [in shops|in store|today][.|]",
            "[Home delivery|Print subscription|Newspaper vouchers] [from|for just] {price} [{period}|a week][.|]",
            "[This story appears|This article appeared|A version of this story appears] in [the|{weekday}'s] [print|paper|magazine|weekend] edition[.|]",
            "[Flick through|Browse] [the|today's] paper [online|on your tablet|in the app][.|]",
            "[Out now|On sale now|In shops {weekday}][:| -] [our|the] [special|souvenir|collector's] [edition|supplement|issue][.|]",
            "[Subscribe to print|Get the paper] and [save|get] {pct}[.|]",
            "[Order back issues|Buy back issues|Browse the archive] [at|from] {url}",
        ],
    ),
    F(
        "live_stream",
        [
            "[Watch live|Live now|LIVE|Streaming now][:| -| |] {hs}",
            "[Join us|Tune in] [live|at {clock}|tonight|from {clock}] [for|as we cover] {hs}",
            "[Live stream|Livestream|Live coverage] [starts|begins] at {clock}[.|]",
            "[Refresh|Reload] [the page|this page] for [the latest|live updates][.|]",
            "[Watch the|Stream the] [debate|match|launch|hearing|vote] live [here|on {site} TV|in the app][.|]",
            "[We're live|We are live|Going live] [on {platform}|now|in {n2_9} minutes][.|!]",
            "[Follow|Keep up with] [our|the] live blog [for|with] [every update|the latest|reaction][.|]",
            "[Set a reminder|Remind me|Notify me when live]",
            "[Live|LIVE] · {n100_999} watching",
        ],
    ),
    F(
        "audio_widget",
        [
            "[Listen to this article|Listen to this story|Hear this story|Listen][ ({n2_9} min)| · {n2_9} min| {n2_9}:{n10_99}|]",
            "[Audio|Narrated|Voiced] [version|edition] [available|of this article][.|]",
            "[This article is|This story is] [narrated by|read by|voiced by] [an AI voice|{person}|our audio team][.|]",
            "[Play|Pause|Speed 1x|1.5x|Download audio]",
            "[Press play to listen to this article|Tap play to hear this story][.|]",
            "[Listen to this article on|Get the audio version in] {app}[.|]",
            "[Automated voice|Text-to-speech|AI-generated audio][. Give feedback|: how did it sound?|]",
            "[{n2_9} min listen|Listening time: {n2_9} minutes|Audio length {n2_9}:{n10_99}]",
        ],
    ),
    F(
        "ai_summary_widget",
        [
            "[AI summary|Summary|Quick read|Key points|TL;DR|Story at a glance|In short|At a glance][:|] [generated by AI|reviewed by our editors|]",
            "[Show|Hide|Generate|See] [summary|key points|AI summary][.|]",
            "[This summary was|These key points were] [generated|written] [by AI|with AI tools] and [checked|reviewed] by [a journalist|our editors][.|]",
            "[Was this summary helpful?|Did this summary help?|Rate this summary] [Yes|No|Yes / No|👍 👎]",
            "[Ask AI|Ask {site}|Ask our assistant] [about this story|a question][.|]",
            "[Read time|Reading time]: {n2_9} min[ · Summary available|]",
            "[Skip to summary|Jump to key points|Get the gist]",
            "[Powered by|Built with] [AI|our newsroom assistant][. Learn more|]",
        ],
    ),
    F(
        "save_bookmark",
        [
            "[Save|Save for later|Save article|Bookmark|Add to reading list|Read later]",
            "[Saved|Article saved|Added to your reading list][. View saved articles|. Undo|]",
            "[Sign in to save|Log in to bookmark|Create an account to save] [this article|stories for later][.|]",
            "[Gift this article|Gift article|Send as a gift][ - you have {n2_9} gifts left this month|]",
            "[Copy link|Link copied|Email this|Print this page|Print article]",
            "[Your reading list|Saved stories|My saved articles] ({n2_9})",
            "[Save this story|Keep this for later][ and read it in the app|]",
            "[Share · Save · Gift|Save · Share · Comment|Gift · Save · Print|Listen · Save · Share|Comment · Share · Save · Print|Follow · Save]",
            "[Follow this topic|Follow {topicn}|Add {topicn} to my feed|Add to my news] [to see more|in your feed|][.|]",
            "[Unlock|Share] this article [for free|with a friend][ - {n2_9} gifts left|]",
            "[Saved to|Added to|Removed from] [your library|Read Later|your list|favourites][.|]",
            "[Tap the bookmark icon|Press the star|Click the ribbon] to save [this story|it for later|articles][.|]",
            "[Reading list|My list|Saved] · {n2_9} [articles|stories|items]",
            "[Sync your reading list|Pick up where you left off|Continue reading on another device][ - sign in|]",
            "[Send to Kindle|Download PDF|Open in reader view|Text size A A]",
        ],
    ),
    F(
        "teaser_with_summary",
        [
            "{h}. {summary}",
            "[Related|Also read|More|Latest|READ MORE][:| -] {hs}. {summary}",
            "{h} {summary} [Read more|Continue reading|Full story][ »| →|]",
            "[ICYMI|Catch up|From the archive][:| -] {hs}: {summary}",
            "{hs} [—|-|–] {summary}",
        ],
        p_title=0.0,
        p_upper=0.0,
        max_words=45,
    ),
]

_PRIZES = [
    "a weekend break for two",
    "a family day out",
    "a signed shirt",
    "a hamper of local produce",
    "an electric bike",
    "a year's supply of coffee",
    "a spa day",
    "a meal for four",
    "a pair of concert tickets",
    "a garden makeover",
    "a new laptop",
    "a luxury hotel stay",
    "a cookery class",
]
_PRODUCTS = [
    "this air fryer",
    "the noise-cancelling headphones",
    "a cordless vacuum",
    "these walking boots",
    "the smart doorbell",
    "our favourite mattress",
    "the best-selling kettle",
    "this winter coat",
    "a robot lawnmower",
    "the espresso machine",
    "a heated throw",
    "the fitness tracker",
    "this pizza oven",
    "the e-reader",
    "a stand mixer",
]
_FESTIVALS = [
    "Food Festival",
    "Book Fair",
    "Jazz Weekend",
    "Christmas Market",
    "Beer Festival",
    "Comedy Night",
    "Careers Fair",
    "Summer Fete",
    "Film Festival",
    "Half Marathon",
    "Garden Show",
    "Business Awards",
]
SLOTS.update(
    {
        "prize": _PRIZES,
        "product": _PRODUCTS,
        "festival": _FESTIVALS,
        "retailer": lambda rng: (
            town(rng)
            + rng.choice([" Electricals", " Home Store", " Outdoor", " Direct", " & Co", " Kitchenware"])
        ),
    }
)
