"""Writes labelled_documents.jsonl: hand-written test articles (project-written text) with a label per paragraph.

Kept as a script so that the cases are easy to read and edit; the JSONL is what tests read.
"""

import json
from pathlib import Path

C, P, F, B = "core", "promotion", "filler", "boilerplate"

DOCS = [
    (
        "farm-transit",
        "content_farm",
        [
            ("City Rail Cuts Night Service on Two Lines After Budget Shortfall", C),
            (
                "The regional transit authority will end overnight service on the Blue and Orange lines from March 3, its board decided on Thursday, citing a $41 million gap in next year's operating budget.",
                C,
            ),
            (
                "Board chair Helena Varga said the cuts would affect about 6,200 riders a night, most of them shift workers travelling to the airport and the hospital district.",
                C,
            ),
            ("Also Check Out: Five Cheapest Cities to Rent an Apartment This Winter", P),
            (
                "Unions representing 900 drivers said they would challenge the decision, arguing that the authority had not consulted them as its labour agreement requires.",
                C,
            ),
            (
                "\u201cIt remains to be seen whether the board has the legal power to do this without us,\u201d said Marco Ruiz, president of the drivers' local, who added that a hearing was scheduled for February 20.",
                C,
            ),
            (
                "The decision underscores the importance of public transport in modern cities. Only time will tell how riders will adapt, and the public's right to reliable service remains a paramount concern.",
                F,
            ),
        ],
    ),
    (
        "wire-quake",
        "wire",
        [
            (
                "LIMA (Newswire) \u2014 A magnitude 6.1 earthquake struck southern Peru on Tuesday, damaging at least 140 homes and cutting power to parts of Arequipa, civil defence officials said.",
                C,
            ),
            (
                "No deaths were reported, but 23 people were treated in hospital for minor injuries, the health ministry said in a statement.",
                C,
            ),
            ("READ MORE: Volcano alert raised near tourist town", P),
            (
                "The quake's epicentre was 38 km south-east of the town of Chala at a depth of 45 km, according to the national geophysical institute.",
                C,
            ),
            ("Reporting by Ana Torres; Editing by Paul Kemp", B),
        ],
    ),
    (
        "page-chrome",
        "scraped_page",
        [
            ("Home", B),
            ("World", B),
            ("Business", B),
            ("Sport", B),
            ("Culture", B),
            ("Factory Output Rises for Third Month as Orders Recover", C),
            (
                "Manufacturing output rose 0.8% in October from September, the statistics office said on Wednesday, the third monthly increase in a row and stronger than the 0.3% economists had expected.",
                C,
            ),
            (
                "Car production led the gains, climbing 4.2% as supply of electronic parts improved, while chemicals output fell 1.1%.",
                C,
            ),
            ("Sign up for our Morning Markets newsletter and get the day's business news in your inbox.", P),
            ("Most Read", P),
            ("Rail strike called off after late pay offer", P),
            ("Ten gadgets we tested this month", P),
            ("Why house prices are falling in the suburbs", P),
            ("\u00a9 2026 Example News Group. All rights reserved.", B),
            ("Privacy Policy | Cookie Settings | Terms of Use | Contact", B),
        ],
    ),
    (
        "seo-intro",
        "seo_article",
        [
            (
                "In this article, we will take a closer look at everything you need to know about the new parking rules, so keep reading until the end.",
                F,
            ),
            (
                "From January 1, drivers in the city centre will pay \u20ac3.50 an hour to park on the street, up from \u20ac2.20, under rules approved by the council by 27 votes to 14.",
                C,
            ),
            (
                "The council expects the change to raise \u20ac12 million a year, which it said would fund two new bus routes and the repair of 40 km of cycle lanes.",
                C,
            ),
            (
                "Residents with a permit will be exempt, and the first 30 minutes will remain free near schools, deputy mayor Ines Duarte told a news conference.",
                C,
            ),
            (
                "Stay tuned for more updates as this story develops, and don't forget to share your thoughts in the comments below.",
                F,
            ),
        ],
    ),
    (
        "sport-report",
        "wire",
        [
            (
                "Harbour City beat Northvale 3-1 on Saturday to move four points clear at the top of the table with six matches left.",
                C,
            ),
            (
                "Striker Tomas Lind scored twice in the first half before Northvale's captain pulled one back from a penalty in the 58th minute.",
                C,
            ),
            (
                "\u201cWe know the job isn't done. Only time will tell if this is enough, but the players were brilliant today,\u201d manager Eva Holt told reporters after the match.",
                C,
            ),
            ("WATCH: All the goals from Saturday's games", P),
            (
                "Substitute Kofi Mensah sealed the win in stoppage time with his first goal for the club since joining in August for a reported fee of \u00a34 million.",
                C,
            ),
            (
                "Overall, the match was a testament to the enduring appeal of the beautiful game, and fans will be eager to see what the future holds.",
                F,
            ),
        ],
    ),
    (
        "health-brief",
        "brief",
        [
            (
                "Hospitals in the northern region treated 1,870 flu patients last week, up from 1,120 the week before, the regional health agency said on Monday.",
                C,
            ),
            (
                "The agency urged people over 65 to book vaccinations, noting that only 48% of that age group had been vaccinated so far this season.",
                C,
            ),
            ("Follow us on Facebook and Instagram for the latest health news.", P),
            ("This article was last updated on 12 December 2026 at 09:14.", B),
        ],
    ),
    (
        "tech-affiliate",
        "content_farm",
        [
            (
                "This post contains affiliate links. If you buy through them we may earn a commission at no extra cost to you.",
                P,
            ),
            (
                "The chipmaker said on Thursday it would invest $2.3 billion in a new plant in Ohio, creating about 1,500 jobs by 2029.",
                C,
            ),
            (
                "Chief executive Dana Morrow said construction would begin in the spring and that the plant would make processors for data centres.",
                C,
            ),
            (
                "As technology continues to evolve at a rapid pace, it is clear that innovation will play a pivotal role in shaping the landscape of tomorrow.",
                F,
            ),
            ("Download our app to get breaking tech news alerts on your phone.", P),
        ],
    ),
    (
        "crime-local",
        "local",
        [
            (
                "Police arrested two men on Friday night after a jewellery shop on Market Street was robbed of watches worth about \u00a360,000, Detective Inspector Ruth Akande said.",
                C,
            ),
            (
                "The men, aged 24 and 31, were detained on the motorway 40 minutes after the robbery following a chase, police said. The watches were recovered.",
                C,
            ),
            ("Related: Shop owners demand more patrols after spate of thefts", P),
            ("Anyone with information is asked to call police on 101, quoting reference 4471.", C),
            ("Comments (14)", B),
            ("Log in to join the discussion", B),
        ],
    ),
    (
        "opinion-energy",
        "opinion",
        [
            (
                "The government's plan to cap household energy bills at \u00a31,900 a year will cost about \u00a318 billion, and it is being paid for by borrowing rather than by a windfall tax.",
                C,
            ),
            (
                "That choice matters: the Treasury's own figures show debt interest already takes 9p of every pound of public spending, more than the defence budget.",
                C,
            ),
            (
                "In conclusion, the debate surrounding energy policy highlights the need for thoughtful solutions that balance the interests of all stakeholders.",
                F,
            ),
        ],
    ),
    (
        "science-live",
        "live_blog",
        [
            (
                "14:32 \u2014 The probe entered orbit around Jupiter's moon at 14:21 GMT after a 35-minute engine burn, mission control confirmed.",
                C,
            ),
            (
                "14:40 \u2014 Project scientist Lena Okafor said the first images would be sent back within 48 hours.",
                C,
            ),
            ("We will keep updating this page as more information becomes available.", F),
            ("Share this live blog", B),
            ("Don't miss: Our interactive map of every planet mission since 1960", P),
        ],
    ),
    (
        "press-release",
        "press_release",
        [
            (
                "NORTHFIELD, Ore., March 4, 2026 \u2014 Greenway Foods said today it had acquired the organic bakery chain Rye & Co for $85 million in cash.",
                C,
            ),
            (
                "The deal adds 42 stores in Oregon and Washington and is expected to close in the second quarter, subject to regulatory approval.",
                C,
            ),
            ("About Greenway Foods: Greenway Foods operates 310 grocery stores in the Pacific Northwest.", B),
            ("Media contact: press@example.com", B),
        ],
    ),
    (
        "hard-negatives",
        "wire",
        [
            (
                "The newspaper said its digital subscriptions rose to 410,000 in the third quarter, up 12% from a year earlier, while print circulation fell 8%.",
                C,
            ),
            (
                "The company will stop printing its Sunday edition in March and move those readers to its app, chief executive Laura Finch told staff in an email seen by reporters.",
                C,
            ),
            (
                "\u201cMoving forward, we will focus on local investigations,\u201d Finch wrote, adding that the newsroom would hire 15 reporters this year.",
                C,
            ),
            (
                "Analysts said the outcome remains to be seen: the paper lost \u00a33.2 million last year and has cut 60 jobs since 2024.",
                C,
            ),
        ],
    ),
]


def main() -> None:
    out = Path(__file__).with_name("labelled_documents.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for doc_id, style, paras in DOCS:
            row = {
                "id": f"case-{doc_id}",
                "source": "project:tests/cases",
                "provenance": {
                    "method": "hand-written for the test suite",
                    "script": "tests/cases/make_cases.py",
                },
                "language": "en",
                "group": f"case-{doc_id}",
                "style": style,
                "paragraphs": [{"text": t, "label": lab} for t, lab in paras],
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
