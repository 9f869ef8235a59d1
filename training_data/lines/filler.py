"""Filler families: editorial padding with no checkable fact, in many grammatical shapes and lengths.

A filler line is 1-4 sentences drawn from one family (so that holding a family out removes its wording
entirely). Sentences may name a generic entity ("the council", "residents") but never a number, date,
named person with a fact, or quote: that would make them reporting (``training_data/README.md``).
Template positions: ``opening`` sentences begin a paragraph at the top of an article, ``closing`` ones end
it, ``middle``/``any`` fit anywhere, ``solo`` lines (sub-heads) are never joined to others.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from grammar import Slots
from library import Family, T

__all__ = ["FAMILIES"]


def _capital(key: str) -> Callable[[random.Random], str]:
    """A slot drawing from slot ``key`` with a capital first letter (for sentence starts)."""

    def pick(rng: random.Random) -> str:
        options = SLOTS[key]
        assert not callable(options)
        text = rng.choice(list(options))
        return text[:1].upper() + text[1:]

    return pick


SLOTS: Slots = {
    "ent": [
        "the council",
        "the club",
        "the company",
        "the community",
        "residents",
        "local leaders",
        "the region",
        "the industry",
        "the town",
        "the school",
        "the board",
        "campaigners",
        "the government",
        "the authorities",
        "supporters",
        "families",
        "the organisers",
        "officials",
        "businesses",
        "the sector",
        "the city",
        "fans",
    ],
    "topic": [
        "public health",
        "local democracy",
        "the housing market",
        "modern sport",
        "the high street",
        "public transport",
        "education",
        "the environment",
        "the economy",
        "neighbourhood life",
        "the arts world",
        "technology",
        "community life",
        "the justice system",
        "healthcare",
        "the workplace",
        "social care",
    ],
    "abs": [
        "transparency",
        "accountability",
        "cooperation",
        "resilience",
        "trust",
        "dialogue",
        "innovation",
        "fairness",
        "openness",
        "unity",
        "compassion",
        "collaboration",
        "vigilance",
        "patience",
        "good faith",
    ],
    "this": [
        "this development",
        "this decision",
        "the news",
        "this episode",
        "what happened",
        "this moment",
        "the situation",
        "this story",
        "the announcement",
        "the latest twist",
        "this turn of events",
        "the outcome",
    ],
    "people": [
        "people here",
        "viewers",
        "people across the area",
        "those affected",
        "readers",
        "the public",
        "ordinary people",
        "local people",
    ],
    "ent2": [
        "residents",
        "local groups",
        "partners",
        "businesses",
        "volunteers",
        "the wider public",
        "experts",
    ],
    "this_cap": _capital("this"),
    "topic_cap": _capital("topic"),
    "people_cap": _capital("people"),
    "future": [
        "the months ahead",
        "the coming weeks",
        "the years to come",
        "the long run",
        "the near future",
        "the next chapter",
    ],
}

_W = (0.36, 0.28, 0.2, 0.16)


def F(name: str, templates: list[tuple[str, str]], **kw: Any) -> Family:  # noqa: N802
    opts: dict[str, Any] = dict(
        sentence_weights=_W, min_words=5, max_words=90, p_strip_stop=0.0, target=230, p_lower=0.0
    )
    opts.update(kw)
    return Family(name=name, label="filler", templates=[T(t, p) for t, p in templates], slots=SLOTS, **opts)


A, OPEN, M, C, S = "any", "opening", "middle", "closing", "solo"

FAMILIES: list[Family] = [
    F(
        "significance",
        [
            (
                "[Whatever one thinks of it|However you look at it|Whichever side you are on], {this} is [one of those moments|the kind of development] that [people will look back on|will be talked about] for [a long time|years], because [it touches on|it goes to the heart of] [how {topic} works|what {ent} stands for|the things people care about most].",
                A,
            ),
            (
                "[This|It] is [a significant|an important|a major|a pivotal|a landmark|a defining] [moment|development|step|milestone] for {ent}.",
                A,
            ),
            (
                "The [significance|importance|weight] of {this} [cannot be overstated|should not be underestimated|is hard to exaggerate].",
                A,
            ),
            (
                "[Make no mistake|Let there be no doubt|Be in no doubt]: {this} [matters|is a big deal|will be felt far and wide].",
                A,
            ),
            (
                "Few [moments|decisions|stories] [in recent memory|of this kind] have carried [such|this much] [weight|significance].",
                M,
            ),
            ("[It|This] [could|may|might] [well|] prove to be a turning point for {topic}.", A),
            (
                "[For|To] {ent}, [the stakes could hardly be higher|the implications are far-reaching|this is no small matter].",
                A,
            ),
            ("What happens [here|next] [will|could] shape {topic} for {future}.", C),
            (
                "{this_cap} [marks|represents|signals] [a new chapter|a watershed|a real shift] [for|in] {topic}.",
                A,
            ),
            (
                "[There is no question that|Undeniably,|Without doubt,] [the impact|the ripple effects] will be felt [well beyond|far beyond] {ent}.",
                A,
            ),
            (
                "[It is|This is] [the kind of|exactly the sort of] [story|moment] that [reminds us why {topic} matters|stays with a community].",
                C,
            ),
            (
                "[Its|The] [importance|relevance] [extends|reaches] [well|far] beyond the [headlines|immediate news].",
                M,
            ),
        ],
    ),
    F(
        "reminder",
        [
            (
                "[For all the noise|Amid all the debate|Beyond the headlines], {this} is a [quiet|clear|sobering] reminder that [the choices made by {ent} ripple outwards|{topic} is about people, not just policies], and that [those ripples|the consequences] [are felt most|land hardest] [by those with the least say|in ordinary homes and streets].",
                A,
            ),
            (
                "{this_cap} serves as a [stark|timely|powerful|sobering|welcome|gentle] reminder of [the importance of {abs}|what is at stake|how fragile {topic} can be].",
                A,
            ),
            (
                "[It is|This is] a reminder that {topic} [affects us all|is never far from home|cannot be taken for granted].",
                A,
            ),
            (
                "[If|Should] [anyone|we] needed a reminder of [why {abs} matters|the value of {abs}], [this is it|here it is|{this} provides one].",
                A,
            ),
            (
                "[Once again,|Yet again,|Again,] we are reminded [that|how] [{abs} is not optional|small choices add up|nothing should be taken for granted].",
                M,
            ),
            (
                "[Let|May] [this|it] [be|stand as] a reminder to {people} [to stay vigilant|of what really counts|that {abs} matters].",
                C,
            ),
            (
                "[Moments like this|Episodes like these|Stories such as this] remind us [of the power of {abs}|what a community can do|how much we share].",
                A,
            ),
            (
                "[We would all do well|It would be wise for all of us] to remember [the lessons of {this}|what this has taught us|why {abs} counts].",
                C,
            ),
            (
                "[It|This] [brings home|drives home|underlines] a [simple|familiar|hard] truth about {topic}.",
                A,
            ),
        ],
    ),
    F(
        "testament",
        [
            (
                "[When the dust settles|Looking back|In years to come], [people|many] will [see|remember] {this} as a testament to [what {ent} can achieve when they set their minds to it|the quiet determination of those who kept going|the belief that things can change], [even when the odds seemed long|whatever the setbacks along the way|against all expectations].",
                A,
            ),
            (
                "[It|This] is a testament to the [hard work|dedication|resilience|spirit|determination] of {ent}.",
                A,
            ),
            (
                "{this_cap} [stands as|is] a [true|fitting|lasting|powerful] testament to [{abs}|what can be achieved|the strength of {ent}].",
                A,
            ),
            (
                "[That|The fact that] [it happened at all|we have come this far|so many came together] is a testament to {abs}.",
                M,
            ),
            (
                "[Few things speak|Nothing speaks] more [clearly|loudly] to the [character|spirit] of {ent} than [this|moments like these].",
                A,
            ),
            (
                "[Their|Its] [efforts|commitment|perseverance] [speak|speaks] volumes about [the value of {abs}|what {ent} stands for].",
                A,
            ),
            (
                "[In many ways,|Truly,|Above all,] {this} is a testament to [the power of {abs}|the people behind it|community spirit].",
                C,
            ),
            (
                "[It|This] [shows|proves|demonstrates] what [is possible|people can do] when [everyone pulls together|a community works as one|people refuse to give up].",
                A,
            ),
        ],
    ),
    F(
        "only_time_will_tell",
        [
            (
                "[There are|People have] [hopeful voices and sceptical ones|strong views on both sides], [and both|and each] [make a fair point|have a case], but [in the end|ultimately] only time will tell whether {this} [turns out to be the fresh start many want|proves to be a false dawn|delivers what was promised].",
                C,
            ),
            (
                "Only time will tell [whether {this} will make a difference|whether {this} will last|if {this} pays off|how much {this} changes].",
                A,
            ),
            ("Whether [it|this] [works|succeeds|sticks], only time will tell.", A),
            ("[As always|Of course|In the end], time will tell.", C),
            (
                "[Time alone|Only the passage of time] will [tell|reveal|show] [the true impact|what it all means|whether this was the right call].",
                A,
            ),
            (
                "[The jury is still out|It is too early to say], and [only time will tell|time will be the judge].",
                A,
            ),
            (
                "[What the future holds|Where this leads|How it plays out] [is|remains] [anyone's guess|impossible to say]; only time will tell.",
                C,
            ),
            (
                "[We will|We'll] [have to|just have to|need to] wait and see[ how things unfold| what comes of it|].",
                C,
            ),
            ("[Whatever happens|However it ends], [time will tell|the answer will come in time].", C),
        ],
    ),
    F(
        "remains_to_be_seen",
        [
            (
                "[For all the promises|Despite the fanfare|Behind the statements], it remains to be seen whether [the words will be matched by action|anything will really change on the ground|{ent} can deliver], and [many|plenty of people] will [reserve judgement|wait and see] until [they see the difference for themselves|the results speak for themselves].",
                A,
            ),
            (
                "It remains to be seen [whether|how|if] {ent} will [respond|follow through|change course|learn from this].",
                A,
            ),
            (
                "[What|How much] [this|{this}] [will mean|changes] [in practice|on the ground|for {people}] remains to be seen.",
                A,
            ),
            (
                "Whether [the promises will be kept|the plans come to anything|the hopes are realised] remains [to be seen|an open question|unclear].",
                A,
            ),
            ("[Much|A great deal|Plenty] remains to be seen[.| as the dust settles.| in {future}.]", A),
            (
                "[The real test is still to come|The true measure lies ahead|The bigger question remains unanswered].",
                M,
            ),
            (
                "[Many questions|Several questions|Big questions] [remain|still hang over {this}|are yet to be answered].",
                A,
            ),
            (
                "[Exactly|Precisely] how [this|things] will [unfold|develop|shake out] is [still unclear|not yet known|far from certain].",
                A,
            ),
        ],
    ),
    F(
        "stay_tuned",
        [
            ("Stay tuned[ for more| for updates| as this story develops| - there is more to come|].", C),
            (
                "[Keep|Be sure to keep] [checking back|an eye on this page|watching this space] for [the latest|updates|more].",
                C,
            ),
            (
                "[We will|We'll] [keep you posted|bring you more|update this story] as [soon as we can|more becomes known|things develop].",
                C,
            ),
            ("[More|Further] updates [to follow|will follow|are expected|soon].", C),
            ("[Watch this space|Don't go anywhere|Stick with us][.|!] [There is|There's] more to come.", C),
            (
                "[This is a developing story|This story is still unfolding|Things are moving fast], so [stay with us|check back soon|keep it here].",
                C,
            ),
            (
                "[Be sure to|Make sure you|Don't forget to] [come back|check back|stay tuned] for [the next chapter|what happens next|more].",
                C,
            ),
            (
                "[There will be|Expect] [more|plenty more] [on this|to come] [in the days ahead|soon|as the story moves on].",
                C,
            ),
            (
                "[Stay with us|Stick around|Keep following along] [for every twist and turn|as the story unfolds|for the latest].",
                C,
            ),
            (
                "[We are|We're] [following|watching|tracking] [this|the story] [closely|as it develops|around the clock][ and will report back|].",
                C,
            ),
            (
                "[Follow along|Keep reading|Check in again] [here|with us] [for more|as things change|in the coming hours].",
                C,
            ),
            (
                "[Check back|Check in again] [later|soon] [for the latest|for more|for updates][.|, because this one is not over.]",
                C,
            ),
            (
                "[And as always|As ever|As always], [we'll|we will] [have more|be back with more|keep you in the loop].",
                C,
            ),
        ],
    ),
    F(
        "stay_informed",
        [
            (
                "[In a fast-moving situation like this|When things are changing this quickly|With so much information out there], [the best thing anyone can do|the sensible thing] is to stay informed, [check more than one source|look beyond the headlines] and [keep talking to neighbours|look out for one another] [as the picture becomes clearer|while the facts emerge].",
                A,
            ),
            (
                "[It is|It's] [more important than ever|vital|essential|crucial] [to stay informed|for {people} to stay informed|to keep up to date].",
                A,
            ),
            (
                "[Staying informed|Keeping informed|Knowing the facts] [is|has never been] [the best defence|more important|key] [in times like these|for {people}|].",
                A,
            ),
            (
                "[We encourage|We urge|We invite] {people} to [stay informed|stay engaged|keep up with the news] [and make their voices heard|as things develop|].",
                C,
            ),
            (
                "[An informed|A well-informed] [public|community|readership] is [a stronger one|the foundation of {abs}|better placed to decide].",
                A,
            ),
            (
                "[Keep informed|Stay informed|Stay in the know|Stay up to date], [stay safe|stay engaged|and look out for one another].",
                C,
            ),
            (
                "[Knowledge is power|Information matters], [and|especially] [now more than ever|at moments like this].",
                A,
            ),
            (
                "[Being informed|Understanding the issues] [helps|allows] {people} [make better choices|take part in the conversation].",
                M,
            ),
        ],
    ),
    F(
        "all_eyes_on",
        [
            (
                "[With so much at stake|Given everything that has happened|After weeks of speculation], all eyes are now on {ent}, and [supporters and critics alike|people on every side of the debate] will be [watching closely|paying close attention] to see [whether the next steps live up to expectations|what happens next|how the story unfolds].",
                C,
            ),
            ("All eyes [are now|will now be|are] on {ent}.", A),
            (
                "[Everyone|The whole town|The country|Observers] will be watching [closely|with interest|to see what happens next].",
                C,
            ),
            (
                "[The spotlight|Attention] [now turns|will now turn|has turned] to {ent}[ and what comes next|].",
                A,
            ),
            (
                "[Many|Plenty of people|A lot of people] will be [watching|following] [this|{this}] [closely|with bated breath|very carefully].",
                A,
            ),
            (
                "[For now|At this point|As things stand], all eyes are on [what comes next|{ent}|the next move].",
                C,
            ),
            (
                "[Onlookers|Supporters and critics alike] [will be keeping a close eye on|are waiting to see] how [things proceed|events unfold] from here.",
                A,
            ),
            ("[The world|The region|The sector] is watching.", C),
        ],
    ),
    F(
        "conversation_started",
        [
            (
                "[If anything is clear|If there is one lesson], it is that the conversation about {topic} is just getting started, and [it will take|we will need] [many more voices|patience, honesty and a willingness to listen] [before anyone can say|to reach a point where anyone can say] [it has been settled|what the right answer is].",
                C,
            ),
            ("The conversation is [just getting started|only beginning|far from over].", C),
            (
                "[This is|It is] [only the beginning|just the start] of a [much|far] [longer|bigger] conversation [about {topic}|].",
                C,
            ),
            (
                "[The debate|The discussion|This conversation] [is far from over|will run and run|is not going away].",
                A,
            ),
            (
                "[One thing is clear|What is clear]: [people are talking|everyone has an opinion|the debate has only just begun].",
                A,
            ),
            (
                "[It has|This has] [sparked|opened|started] a [wider|much-needed|lively] conversation about {topic}.",
                A,
            ),
            (
                "[Expect|We can expect] [this|the conversation|the debate] to [continue|grow|gather pace] in {future}.",
                C,
            ),
            ("[The dialogue|This dialogue] [must|needs to] continue[ if things are to move forward|].", C),
        ],
    ),
    F(
        "seo_intro",
        [
            (
                "In this article, [we will|we'll|you'll] [explore|look at|break down|cover|walk you through] everything you need to know about {topic}.",
                OPEN,
            ),
            ("Here's everything you need to know[ about {topic}| about {this}|].", OPEN),
            (
                "[If you've been wondering|If you're curious|If you have questions] about {topic}, [you're not alone|you've come to the right place|read on].",
                OPEN,
            ),
            (
                "[Read on|Keep reading|Scroll down] to [find out more|learn more|discover what it means for you].",
                A,
            ),
            (
                "[Below|In this guide|Here], we [break down|explain|unpack] [the key points|what you need to know|the essentials] in [simple terms|plain English].",
                OPEN,
            ),
            (
                "[So,|But] what does [this|it all] mean for you? Let's [dive in|take a closer look|find out].",
                OPEN,
            ),
            (
                "[Whether you're|If you're] [a long-time reader|new to the topic|a curious newcomer] or [an expert|a seasoned follower], [this guide|this article] has something for you.",
                OPEN,
            ),
            ("[Let's|We'll] [start with the basics|begin at the beginning|take it step by step].", OPEN),
            (
                "[This guide|This explainer|This article] [covers|answers] [the most common questions|everything from the basics to the details|all you need to know].",
                OPEN,
            ),
            ("[Without further ado|So without further delay], let's get [started|into it].", OPEN),
        ],
    ),
    F(
        "world_where_opener",
        [
            (
                "In a world where [change is constant|everything moves fast|news never sleeps|nothing stays the same], {topic} [has never mattered more|is more important than ever].",
                OPEN,
            ),
            (
                "In today's fast-paced [world|society|digital age], [it can be hard to keep up|{topic} is changing quickly|few things stand still].",
                OPEN,
            ),
            (
                "In an era of [rapid change|uncertainty|constant connection|shifting priorities], {ent} [face new challenges|must adapt|are asking big questions].",
                OPEN,
            ),
            (
                "[Now more than ever|In these uncertain times|In times like these], {topic} [is on everyone's mind|matters to us all].",
                OPEN,
            ),
            (
                "[We live in|These are] [extraordinary|challenging|unprecedented|changing] times[ for {topic}|].",
                OPEN,
            ),
            (
                "[From|Across] [small towns|quiet villages] to [big cities|busy high streets], {topic} [touches|shapes] [all our lives|everyday life].",
                OPEN,
            ),
            (
                "[It is no secret that|Everyone knows that|It goes without saying that] {topic} [is changing|has been in the spotlight|matters].",
                OPEN,
            ),
            (
                "[Picture this|Imagine this|Think about it]: [a world where {abs} comes first|a community that works as one].",
                OPEN,
            ),
        ],
    ),
    F(
        "public_interest",
        [
            (
                "[At its heart|Ultimately|When all is said and done], this is about [whether people can trust the institutions that serve them|the relationship between {ent} and the people they serve], and [that trust|such trust] [is earned|can only be earned] through [openness, honesty and a willingness to answer difficult questions|clear communication at every stage].",
                A,
            ),
            (
                "{people_cap} deserve [clear answers|honesty|to know what is happening|to be kept in the loop].",
                A,
            ),
            (
                "[Openness|Transparency|Honesty] [with|towards] {people} [must|should] [come first|remain a priority|never be an afterthought].",
                A,
            ),
            ("[This is|It is] a matter of [genuine|real|clear] public interest.", A),
            (
                "[Everyone|Every resident|Each of us] has a [stake|right to a say] in how {topic} is [run|handled|shaped].",
                A,
            ),
            (
                "[Public trust|Confidence in local institutions|Confidence in those in charge] [depends on|rests on|is built on] [{abs}|being straight with people].",
                A,
            ),
            (
                "[The public|People] [have a right|are entitled] to [understand|know] [how decisions are made|what is being done in their name].",
                A,
            ),
            (
                "[Holding {ent} to account|Asking hard questions] [is|remains] [part of the job|essential|in everyone's interest].",
                C,
            ),
        ],
    ),
    F(
        "stakeholder_community",
        [
            (
                "[No single organisation|Nobody] [can|will] [solve this alone|fix this on their own]: [it will take|it needs] {ent}, {ent2} and [ordinary people|everyone with a stake] [working together|pulling in the same direction], [listening to one another|sharing what they know] and [keeping the wider community in mind|putting people first].",
                A,
            ),
            (
                "[All stakeholders|Everyone involved|All parties] [must|will need to|should] [work together|come together|pull in the same direction] [to find a way forward|for the good of the community].",
                A,
            ),
            (
                "[It will take|This will require] [a joint effort|real collaboration|everyone playing their part] from {ent} and {ent2}.",
                A,
            ),
            (
                "[Communities|Neighbourhoods|Local people] [are at the heart of|lie at the centre of] [this|{topic}|everything].",
                A,
            ),
            (
                "[By working together|By listening to one another|Through open dialogue], {ent} can [build a better future|find common ground|rise to the challenge].",
                A,
            ),
            (
                "The [voices|views] of {people} [must be heard|should shape what happens next|matter more than ever].",
                A,
            ),
            (
                "[Engagement|Partnership|Consultation] [with|between] {ent} and {people} [will be key|is vital|cannot be skipped].",
                M,
            ),
            (
                "[Together|United], {ent} [can|will] [overcome this|come out stronger|face whatever lies ahead].",
                C,
            ),
        ],
    ),
    F(
        "generic_subhead",
        [
            ("[Why it matters|Why this matters|Why does it matter?|Why should you care?]", S),
            ("[What's next?|What happens next?|What comes next|Where do we go from here?|What now?]", S),
            (
                "[The bottom line|Bottom line|Final thoughts|Final word|Key takeaways|The takeaway|The big picture]",
                S,
            ),
            (
                "[What we know|What we know so far|What we don't know|The background|A closer look|Looking ahead]",
                S,
            ),
            ("[What does this mean for you?|How does this affect you?|What does it all mean?|So what?]", S),
            ("[Is this the end?|Is change coming?|Could things get worse?|Is there hope?]", S),
            ("[Conclusion|In conclusion|Summary|Wrapping up|Frequently asked questions|FAQs]", S),
            ("[How did we get here?|How it all started|The story so far|Why now?]", S),
            ("[What are people saying?|The reaction|Reactions|What experts say|The verdict]", S),
            (
                "[What it means for|Why it matters to|What's at stake for|The road ahead for|A turning point for|Questions for] {ent}",
                S,
            ),
            ("[Why|How] {topic} [matters|is changing|could change|is at a crossroads]", S),
            (
                "[The human cost|The wider picture|The long view|The key questions|Unanswered questions|Lessons learned|Mixed feelings|A community responds|Hope and worry|Moving forward|The road ahead|Next steps|Winners and losers]",
                S,
            ),
            (
                "[What you need to know|Everything you need to know|All you need to know|Here's what to know|Need to know][ about {topic}|]",
                S,
            ),
            ("[So|But|And] [what|why|how] [now|next|does it matter]?", S),
        ],
        sentence_weights=(1.0,),
        min_words=1,
        max_words=8,
        p_upper=0.08,
        p_title=0.15,
        p_strip_stop=0.0,
        target=150,
    ),
    F(
        "rhetorical_question",
        [
            ("[But|So|And] what does this [really|actually] mean for {people}?", A),
            (
                "[Is this|Could this be] [the beginning of something bigger|a sign of things to come|the start of a new era]?",
                A,
            ),
            (
                "[How did we get here|How did it come to this|Where did it all go wrong], and [what can be done|where do we go next]?",
                A,
            ),
            (
                "[Who will benefit|Who could lose out|Who will be next]? [And at what cost?|Only time will answer that.|That is the question.]",
                A,
            ),
            ("[Can|Will|Should] {ent} [rise to the challenge|learn the lessons|do better]?", A),
            ("[Isn't it time|Is it not time] [we asked|for] [some hard questions|a fresh approach]?", M),
            (
                "[The question is|The real question is|The question on everyone's lips is]: what [now|next|happens from here]?",
                A,
            ),
        ],
    ),
    F(
        "summary_restatement",
        [
            (
                "[All things considered|In the final analysis|Looking at the bigger picture], {this} [brings together|raises] [many of the themes that have run through this story|a number of familiar questions], from [the role of {ent}|questions of {abs}] to [the wider state of {topic}|what happens next], and [none of them|few of them] [has an easy answer|can be settled overnight].",
                C,
            ),
            (
                "[In summary|To sum up|All in all|In short|Overall|Ultimately|In the end|At the end of the day], [it has been|this has been] a [remarkable|eventful|difficult|turbulent] [time|period|chapter] for {ent}.",
                C,
            ),
            (
                "[As we have seen|As outlined above|As discussed], {this} [raises many questions|has many sides|is far from simple].",
                C,
            ),
            (
                "[Taken together|All things considered|Everything considered], [the picture is|it is] [a complex one|mixed|still evolving].",
                C,
            ),
            (
                "[To put it simply|Put simply|In a nutshell], {this} [matters|is complicated|affects many people].",
                A,
            ),
            (
                "[Ultimately|In the final analysis|When all is said and done], [what matters most is|it comes down to] {abs}.",
                C,
            ),
            (
                "[So there you have it|And there you have it|That's the story so far][.|:] [a lot to take in|plenty to think about|a story worth following].",
                C,
            ),
            (
                "[In conclusion|To conclude|To wrap up], {this} [has shown|shows|demonstrates] [just how much is at stake|the value of {abs}].",
                C,
            ),
        ],
    ),
    F(
        "ai_style",
        [
            (
                "[In the intricate tapestry of|Within the rich and ever-changing tapestry of] {topic}, {this} [stands out as|represents] a [pivotal|transformative] [moment|chapter], [underscoring|highlighting] the [importance|value] of {abs}, the need to navigate [complex challenges|an evolving landscape] and the [potential|opportunity] to pave the way for [lasting|meaningful] change.",
                A,
            ),
            ("[Let's|We will] delve into [the many layers of|the nuances of|what lies behind] {this}.", A),
            (
                "{topic_cap} is a [rich|complex|vibrant|intricate] tapestry of [voices|interests|stories|challenges].",
                A,
            ),
            (
                "[As we|While we try to|As we all] navigate the complexities of {topic}, [one thing is clear|{abs} will be essential|the path forward becomes clearer].",
                A,
            ),
            (
                "[By embracing|Through] {abs} and {abs}, {ent} [can|could] pave the way for a [brighter|more sustainable|more inclusive] future.",
                C,
            ),
            (
                "[This|It] [underscores|highlights|underlines] the importance of [fostering {abs}|striking a delicate balance|a holistic approach].",
                A,
            ),
            (
                "[In the ever-evolving landscape|In the dynamic world|Within the evolving landscape] of {topic}, [adaptability|{abs}] [is key|remains essential|has never been more vital].",
                A,
            ),
            (
                "[It is crucial|It is essential|It is vital] to [recognise|acknowledge] the [multifaceted|nuanced|intricate] nature of {this}.",
                A,
            ),
            (
                "[Moreover|Furthermore|Additionally], [it|this] [acts as a springboard|opens the door|lays the groundwork] for [meaningful change|further dialogue|growth].",
                M,
            ),
            (
                "[Navigating|Charting] [this|the] [path|journey|road] [forward|ahead] will require [a delicate balance|careful thought|a shared vision].",
                C,
            ),
            (
                "[This|The] [journey|story] is a [testament to|reflection of] [resilience|the human spirit|what unites us], [woven|stitched] into the fabric of {topic}.",
                A,
            ),
        ],
    ),
    F(
        "moralising",
        [
            (
                "[If there is a lesson here|If we take one thing from this], it is that [we cannot afford to look away|decency and {abs} are not optional extras], and that [each of us|all of us], [in our own small way|whatever our role], [has a part to play|can help make things better] [for the people around us|for the generations that follow].",
                C,
            ),
            (
                "[We must|We should|We all need to] [learn from this|do better|never forget what happened here].",
                C,
            ),
            (
                "[Let this be|May this be|This should be] a [lesson|wake-up call|turning point] for [us all|{ent}|everyone].",
                C,
            ),
            (
                "[In the end|Ultimately|After all], [kindness|{abs}|decency] [must prevail|is what matters|should guide us].",
                C,
            ),
            (
                "[It is up to all of us|It falls to each of us|The responsibility lies with us all] to [make things right|build a better future|speak up].",
                C,
            ),
            (
                "[We owe it to|We have a duty to] [future generations|our children|one another] to [get this right|act now|do more].",
                C,
            ),
            ("[Change|Progress|Healing] [starts|begins] with [each of us|small steps|a single choice].", C),
            (
                "[Let us|We must] [not|never] [lose sight of|forget] [what really matters|the human cost|why this matters].",
                C,
            ),
        ],
    ),
    F(
        "hedged_prediction",
        [
            (
                "[It is hard to predict|Nobody can say for certain] [exactly|precisely] how this will play out, and [there may well be|there could be] [surprises|twists and turns] [along the way|in the weeks ahead], but [it seems likely|it is fair to assume] that [this will not be the last we hear of it|the debate will continue for some time].",
                C,
            ),
            (
                "It will be interesting to see [what {ent} will do next|what {ent} will make of this|how {ent} will respond].",
                C,
            ),
            (
                "[It could|It might|It may] [well|] [take some time|be a while] before [the full picture emerges|things settle down|the effects are clear].",
                A,
            ),
            ("[Things could go either way|It could go either way|Anything could happen] from here.", C),
            (
                "[There may be|There could be] [more twists|surprises|bumps] [along the way|in store|ahead].",
                A,
            ),
            (
                "[Some|Many|Observers] [believe|suspect|expect] [this is|that this is] [only the start|just the beginning][.|, though nobody can be sure.]",
                A,
            ),
            (
                "[If history is any guide|If the past is anything to go by], [there will be more to say|this will not be the last word].",
                C,
            ),
            (
                "[Whatever the outcome|However it turns out], [it promises to be|it is likely to be] [a fascinating|an eventful|a closely watched] [few weeks|period|chapter].",
                C,
            ),
        ],
    ),
    F(
        "emotional_generic",
        [
            (
                "[At a time like this|In the face of such sadness|On days like these], [words can feel inadequate|it is hard to know what to say], but [the outpouring of support|the kindness shown by so many|the way people have come together] [says a great deal|speaks volumes] about [the strength of the community|the people who live here|what really matters].",
                C,
            ),
            (
                "Our thoughts are with [everyone|all those|the families] affected[.| at this difficult time.| by this.]",
                C,
            ),
            (
                "[Our hearts go out to|We are thinking of|We send our best wishes to] [everyone involved|the families|all those touched by this].",
                C,
            ),
            (
                "[This is|It has been] [a heartbreaking|a painful|an emotional|a difficult] [time|day|moment] for [so many|the whole community|{ent}].",
                A,
            ),
            (
                "[Words cannot|No words can] [express|capture|do justice to] [the sense of loss|how people are feeling|the pain].",
                A,
            ),
            (
                "[The community|Everyone] [has rallied|has come together|stands together] [in support|in solidarity|as one].",
                A,
            ),
            (
                "[It is impossible|It is hard] not to be [moved|touched|affected] by [what happened|these scenes|this story].",
                A,
            ),
            (
                "[At times like this|In moments like these], [we are reminded|it is clear] how much [we need one another|community matters].",
                C,
            ),
        ],
    ),
    F(
        "transition_padding",
        [
            ("But that's not all.", S),
            ("[But|And] [there's more|the story doesn't end there|that's only half the story].", M),
            (
                "[Here's where it gets interesting|This is where things get interesting|Now for the interesting part].",
                M,
            ),
            ("[So|Well], [what happened next|where does that leave us|how did it come to this]?", M),
            ("[Let's|Now let's] [take a step back|look at the bigger picture|turn to what comes next].", M),
            (
                "[With that in mind|That said|Having said that|On that note], [let's move on|let's look closer|there is more to consider].",
                M,
            ),
            (
                "[Of course|Naturally], [there is another side to this|it's not that simple|that isn't the whole picture].",
                M,
            ),
            ("[First, some background|A little context first|Some context is useful here].", M),
        ],
        target=150,
    ),
]
