#!/usr/bin/env python3
"""Generates a news-like feed corpus for benchmarks: German and English RSS and Atom feeds.

    python3 scripts/gen-corpus.py OUT_DIR [--feeds 100] [--items 50] [--seed 1] [--base-url URL]

Stories are built from the sentences of the labelled story set (fixtures/stories, our own writing) with
names, places and figures swapped, so no two stories share a lead; 20 % of stories are carried by two to
five outlets as agency copies with small edits; outlets append their own boilerplate sentence to a third of
their teasers. Writes OUT_DIR/feeds/<id>.xml and OUT_DIR/feeds.conf (file: URLs, or BASE_URL/<id>.xml), with
the shipped topics of the repository's feeds.conf.
"""
import argparse, glob, json, os, random, re
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sentence_pool():
    pool = {"de": [], "en": []}
    titles = {"de": [], "en": []}
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures/stories/*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            item = json.loads(line)
            titles[item["lang"]].append(item["title"])
            for sentence in re.split(r"(?<=[.!?])\s+", item["summary"]):
                if len(sentence.split()) >= 6:
                    pool[item["lang"]].append(sentence)
    return {k: sorted(set(v)) for k, v in pool.items()}, {k: sorted(set(v)) for k, v in titles.items()}


NAMES = ["Müller", "Schmidt", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein",
         "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright"]
PLACES = ["Hamburg", "Köln", "Leipzig", "Dresden", "Bremen", "Kiel", "Mainz", "Bonn", "Ulm", "Trier",
          "Leeds", "Bristol", "Cardiff", "Glasgow", "Dublin", "Lyon", "Turin", "Porto", "Gdańsk", "Tartu"]
BOILERPLATE = {"de": ["Weitere Informationen folgen.", "Mehr dazu in Kürze.", "Alle Entwicklungen im Liveblog.",
                      "Hier lesen Sie mehr."],
               "en": ["This story is developing and will be updated.", "Follow our live coverage for the latest.",
                      "Sign up for our daily newsletter for more.", "More to follow."]}


def vary(text, rng):
    words = text.split()
    for i, word in enumerate(words):
        if re.fullmatch(r"[\d.,]+", word) and rng.random() < 0.9:
            words[i] = str(rng.randint(2, 99999))
        elif word[:1].isupper() and i > 0 and rng.random() < 0.25:
            words[i] = rng.choice(NAMES + PLACES)
    return " ".join(words)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base-url", default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool, titles = sentence_pool()
    os.makedirs(os.path.join(args.out, "feeds"), exist_ok=True)
    now = datetime.now(timezone.utc)
    feeds = [{"id": f"outlet-{n:04d}", "lang": "de" if n % 2 == 0 else "en", "atom": n % 3 == 0, "items": []}
             for n in range(args.feeds)]
    story = 0
    while any(len(f["items"]) < args.items for f in feeds):
        story += 1
        lang = rng.choice(["de", "en"])
        title = vary(rng.choice(titles[lang]), rng) + f" ({rng.choice(PLACES)})"
        sentences = [vary(s, rng) for s in rng.sample(pool[lang], rng.randint(1, 4))]
        date = now - timedelta(minutes=rng.randint(5, 48 * 60))
        carriers = [f for f in feeds if f["lang"] == lang and len(f["items"]) < args.items]
        if not carriers:
            continue
        count = rng.randint(2, 5) if rng.random() < 0.2 else 1
        for n, feed in enumerate(rng.sample(carriers, min(count, len(carriers)))):
            teaser = list(sentences)
            if n > 0 and len(teaser) > 1 and rng.random() < 0.5:
                teaser.pop()
            summary = " ".join(teaser)
            if rng.random() < 0.33:
                summary += " " + BOILERPLATE[lang][sum(feed["id"].encode()) % 4]
            feed["items"].append({
                "title": title if n == 0 or rng.random() < 0.6 else "Eilmeldung: " + title,
                "summary": summary, "date": date + timedelta(minutes=7 * n),
                "link": f"https://{feed['id']}.example/{story}/{rng.randint(1000, 9999)}.html"})
    for feed in feeds:
        path = os.path.join(args.out, "feeds", feed["id"] + ".xml")
        with open(path, "w", encoding="utf-8") as out:
            if feed["atom"]:
                out.write('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                          f'<title>{feed["id"]}</title><id>urn:{feed["id"]}</id><updated>{now.isoformat()}</updated>\n')
                for item in feed["items"]:
                    out.write(f'<entry><title>{escape(item["title"])}</title><link href="{escape(item["link"])}"/>'
                              f'<id>{escape(item["link"])}</id><updated>{item["date"].isoformat()}</updated>'
                              f'<summary>{escape(item["summary"])}</summary></entry>\n')
                out.write("</feed>\n")
            else:
                out.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                          f'<title>{feed["id"]}</title><link>https://{feed["id"]}.example/</link><description>d</description>\n')
                for item in feed["items"]:
                    out.write(f'<item><title>{escape(item["title"])}</title><link>{escape(item["link"])}</link>'
                              f'<guid>{escape(item["link"])}</guid>'
                              f'<pubDate>{item["date"].strftime("%a, %d %b %Y %H:%M:%S +0000")}</pubDate>'
                              f'<description>{escape(item["summary"])}</description></item>\n')
                out.write("</channel></rss>\n")
    shipped = open(os.path.join(ROOT, "feeds.conf"), encoding="utf-8").read()
    topics = shipped[shipped.index("[[topic]]"):]
    with open(os.path.join(args.out, "feeds.conf"), "w", encoding="utf-8") as conf:
        conf.write('[defaults]\nbackfill = "all"\n\n')
        for feed in feeds:
            url = (args.base_url.rstrip("/") + f"/{feed['id']}.xml") if args.base_url else \
                "file:" + os.path.abspath(os.path.join(args.out, "feeds", feed["id"] + ".xml"))
            conf.write(f'[[feed]]\nid = "{feed["id"]}"\nurl = "{url}"\nlang = "{feed["lang"]}"\n\n')
        conf.write(topics)
    print(f"{args.feeds} feeds, {sum(len(f['items']) for f in feeds)} items, {story} stories in {args.out}")


if __name__ == "__main__":
    main()
