#!/usr/bin/env python3
"""The labelled story set (fixtures/stories) end to end through a real `newsmon once`, for before/after figures.

    python3 scripts/story-set-once.py [--binary .build/release/newsmon] [--topics feeds.conf] [--stories DIR]
                                      [--daemon SECONDS]

One RSS feed per outlet (dates shifted so the newest item is an hour old) served from loopback by
scripts/testserver.py; the `[[topic]]` tables (and `[define]`) of --topics; `newsmon match` over the same files
decides which stories are on-topic; one `newsmon once` (backfill all). Prints, per on-topic (story, topic)
pair, whether it raised exactly one alert, none (and whether a rewrite of the same event raised it), or more.

--daemon SECONDS runs the daemon's first poll instead: `newsmon run --startup-spread SECONDS`, stopped once every
feed has been polled. The daemon plans each feed as its fetch finishes, not in the date order of `once`, so which
report founds a story follows the order the feeds arrive in; run it a few times.
"""
import argparse, glob, json, os, re, signal, subprocess, sys, tempfile
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/newsmon"))
    parser.add_argument("--topics", default=os.path.join(ROOT, "feeds.conf"), help="a feeds.conf whose topics to use")
    parser.add_argument("--stories", default=os.path.join(ROOT, "fixtures/stories"),
                        help="a folder of labelled .jsonl files (and optionally its cross-writer-events.tsv)")
    parser.add_argument("--daemon", type=float, default=None, metavar="SECONDS",
                        help="the daemon's first poll (`newsmon run`, its start-up spread) instead of `newsmon once`")
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.stories, "*.jsonl")))
    if not files:
        sys.exit(f"story-set-once: {args.stories}: no labelled .jsonl files there (a folder such as fixtures/stories)")
    items = [json.loads(l) for f in files for l in open(f, encoding="utf-8") if l.strip()]
    # Events several writers reported (fixtures/stories/cross-writer-events.tsv) are one event.
    alias = {}
    def root(e):
        while alias.get(e, e) != e:
            e = alias[e]
        return e
    event_of = {o["story"]: o["event"] for o in items}
    events_path = os.path.join(args.stories, "cross-writer-events.tsv")
    for line in open(events_path, encoding="utf-8") if os.path.exists(events_path) else []:
        fields = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(fields) < 2 or fields[0] not in event_of or fields[1] not in event_of:
            continue
        a, b = root(event_of[fields[0]]), root(event_of[fields[1]])
        if a != b:
            alias[max(a, b)] = min(a, b)
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    shift = datetime.now(timezone.utc) - timedelta(hours=1) - max(parse(o["published"]) for o in items)
    work = tempfile.mkdtemp(prefix="story-set-once-")
    feeds_dir = os.path.join(work, "feeds")
    os.makedirs(feeds_dir)
    by_feed = {}
    for o in items:
        by_feed.setdefault(o["feed"], []).append(o)
    story_of = {}
    for feed, feed_items in by_feed.items():
        with open(os.path.join(feeds_dir, feed + ".xml"), "w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title>'
                      '<link>https://news.example.org/</link><description>d</description>\n')
            for o in feed_items:
                guid = o.get("guid") or o["link"]
                story_of[(feed, guid)] = o["story"]
                out.write(f'<item><title>{escape(o["title"])}</title><link>{escape(o["link"])}</link>'
                          f'<guid isPermaLink="false">{escape(guid)}</guid>'
                          f'<pubDate>{format_datetime(parse(o["published"]) + shift)}</pubDate>'
                          f'<description>{escape(o["summary"])}</description></item>\n')
            out.write("</channel></rss>\n")
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/testserver.py"), "--root", feeds_dir],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # it stops when stdin closes
    port = int(server.stdout.readline().split()[1])
    try:
        text = open(args.topics, encoding="utf-8").read()
        starts = [i for i in (text.find("\n[define]"), text.find("[[topic]]")) if i >= 0]
        config = os.path.join(work, "feeds.conf")
        with open(config, "w", encoding="utf-8") as out:
            out.write('[defaults]\ntimeout = "10s"\nbackfill = "all"\n\n')
            for feed in sorted(by_feed):
                out.write(f'[[feed]]\nid = "{feed}"\nurl = "http://127.0.0.1:{port}/{feed}.xml"\n\n')
            out.write(text[min(starts):])
        files = [os.path.join(feeds_dir, f + ".xml") for f in sorted(by_feed)]
        match = subprocess.run([args.binary, "match", "--config", config] + files, capture_output=True, text=True)
        on_topic = set()
        for line in match.stdout.splitlines():
            m = json.loads(line)
            story = story_of.get((m["feed"].removesuffix(".xml"), m["id"]))
            for topic in m.get("topics", []):
                on_topic.add((story, topic))
        if args.daemon is None:
            run = subprocess.run([args.binary, "once", "--config", config, "--state", os.path.join(work, "state"),
                                  "--output", "json"], capture_output=True, text=True)
        else:
            run = first_cycle(args.binary, config, os.path.join(work, "state"), args.daemon, work, len(by_feed))
        counts = {}
        for line in run.stdout.splitlines():
            a = json.loads(line)
            story = story_of.get((a["feed"], a["item"]["id"].removeprefix("guid:")))
            counts[(story, a["topic"])] = counts.get((story, a["topic"]), 0) + 1
    finally:
        server.terminate()
    one = sum(1 for p in on_topic if counts.get(p, 0) == 1)
    many = sum(1 for p in on_topic if counts.get(p, 0) > 1)
    none = [p for p in on_topic if counts.get(p, 0) == 0]
    by_sibling = sum(1 for s, t in none if any(n > 0 and k[1] == t and k[0] != s
                                               and root(event_of.get(k[0], "")) == root(event_of[s])
                                               for k, n in counts.items()))
    command = "once" if args.daemon is None else f"run --startup-spread {args.daemon:g}"
    print(f"{len(items)} items, {len(by_feed)} feeds; {command} exit {run.returncode}; {sum(counts.values())} alerts")
    if run.returncode != 0:
        print(run.stderr[-1500:], file=sys.stderr)
    for topic in sorted({t for _, t in on_topic}):
        pairs = [p for p in on_topic if p[1] == topic]
        print(f"  {topic}: {len(pairs)} on-topic stories, exactly one alert {sum(1 for p in pairs if counts.get(p, 0) == 1)}, "
              f"none {sum(1 for p in pairs if counts.get(p, 0) == 0)}, more than one {sum(1 for p in pairs if counts.get(p, 0) > 1)}")
    print(f"on-topic story-topic pairs {len(on_topic)}: exactly one alert {one}, more than one {many}, "
          f"none {len(none)} (of which a rewrite of the same event alerted: {by_sibling})")


def first_cycle(binary, config, state, spread, work, feeds):
    """`newsmon run` until every feed has been polled once, then SIGTERM: what it printed. The daemon logs "poll cycle
    done" (debug) with the feeds it polled whenever nothing is left in flight, several times during a spread."""
    out_path = os.path.join(work, "run.out")
    polled = 0
    with open(out_path, "w", encoding="utf-8") as out:
        daemon = subprocess.Popen([binary, "run", "--config", config, "--state", state, "--output", "json",
                                   "--log-level", "debug", "--startup-spread", f"{spread:g}"],
                                  stdout=out, stderr=subprocess.PIPE, text=True)
        log = []
        for line in daemon.stderr:  # read to the end: the pipe never fills
            log.append(line)
            found = re.search(r"poll cycle done .*cycle\.polled=(\d+)", line)
            polled += int(found.group(1)) if found else 0
            if found and polled >= feeds and daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
        daemon.wait()
    return subprocess.CompletedProcess(daemon.args, daemon.returncode, open(out_path, encoding="utf-8").read(),
                                       "".join(log))


if __name__ == "__main__":
    main()
