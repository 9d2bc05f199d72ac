#!/usr/bin/env python3
"""Checks labelled story files (fixtures/stories/*.jsonl) against fixtures/stories/FORMAT.md."""
import json, sys, re, collections
from datetime import datetime, timezone

FEEDS = set("""tagesschau-top tagesschau-ausland tagesschau-inland tagesschau-wirtschaft spiegel-top
spiegel-ausland zeit-news faz-politik faz-wirtschaft sz-politik welt-politik dlf-nachrichten ntv-top
rnd-politik tonline-nachrichten br24-top mdr-nachrichten kicker-top handelsblatt-top heise-top bbc-top
bbc-world bbc-business guardian-world guardian-uk reuters-world reuters-business ap-top nyt-world
wapo-world aljazeera-news dw-en-top politico-eu cnn-world ft-world independent-world euronews-en
sky-sports verge-top npr-news""".split())
KINDS = {"original", "agency-copy", "prefix", "case", "tracking", "section-top", "update", "rewrite"}
TRAITS = {"shared-background", "boilerplate", "recurring-title", "same-people-place", "same-subject", "on-topic",
          "breaking-placeholder"}
LOW = datetime(2022, 1, 10, 6, tzinfo=timezone.utc)
HIGH = datetime(2022, 1, 13, 6, tzinfo=timezone.utc)

def main(paths):
    errors = 0
    items = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = f"{path}:{n}"
                try:
                    o = json.loads(line)
                except json.JSONDecodeError as e:
                    print(f"{where}: not JSON: {e}"); errors += 1; continue
                missing = [key for key in ("feed", "story", "event", "kind", "lang", "published", "title", "summary", "link")
                           if not isinstance(o.get(key), str)]
                for key in missing:
                    print(f"{where}: missing or non-string '{key}'"); errors += 1
                if missing: continue  # this line only: the lines after it are still checked
                if o["feed"] not in FEEDS: print(f"{where}: unknown feed {o['feed']}"); errors += 1
                if o["kind"] not in KINDS: print(f"{where}: unknown kind {o['kind']}"); errors += 1
                if o["lang"] not in ("de", "en"): print(f"{where}: lang must be de or en"); errors += 1
                for t in o.get("traits") or []:
                    if t not in TRAITS: print(f"{where}: unknown trait {t}"); errors += 1
                try:
                    d = datetime.fromisoformat(o["published"].replace("Z", "+00:00"))
                    if not (LOW <= d <= HIGH): print(f"{where}: published outside the window"); errors += 1
                except ValueError:
                    print(f"{where}: bad date {o['published']}"); errors += 1
                if not o["title"].strip(): print(f"{where}: empty title"); errors += 1
                if not re.match(r"https?://[^/\s]+/\S*$", o["link"]): print(f"{where}: bad link"); errors += 1
                o["_where"] = where
                items.append(o)
    # Per feed, an id (guid or link without tracking) appears once.
    seen = {}
    for o in items:
        ident = o.get("guid") or o["link"]
        k = (o["feed"], ident)
        if k in seen: print(f"{o['_where']}: same id as {seen[k]} in feed {o['feed']}"); errors += 1
        seen[k] = o["_where"]
    # A link belongs to one story.
    by_link = {}
    for o in items:
        base = o["link"].split("?")[0]
        if base in by_link and by_link[base] != o["story"]:
            print(f"{o['_where']}: link also used by story {by_link[base]}"); errors += 1
        by_link.setdefault(base, o["story"])
    stories = collections.Counter(o["story"] for o in items)
    events = {o["story"]: o["event"] for o in items}
    kinds = collections.Counter(o["kind"] for o in items)
    traits = collections.Counter(t for o in items for t in (o.get("traits") or []))
    print(f"{len(items)} items, {len(stories)} stories, {len(set(events.values()))} events, "
          f"{sum(1 for c in stories.values() if c > 1)} stories with copies")
    print("kinds:", dict(kinds))
    print("traits:", dict(traits))
    print("errors:", errors)
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
