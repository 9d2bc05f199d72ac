#!/usr/bin/env python3
"""Story dedup at lower volume: the labelled story set (fixtures/stories) cut to a few of its feeds.

    python3 scripts/story-subsets.py [--sizes 5 10 20] [--draws 8] [--binary .build/release/eval-stories]

For each size K and draw D, the items of K feeds chosen at random (seed 100*D + K) are written to a temporary
file beside a copy of cross-writer-events.tsv and replayed by eval-stories, which prints merge precision and copy
recall; this prints one line per draw, then the false merges of all draws, counted (a pair that recurs across draws
is one failure seen several times). What is common is counted in stories, so fewer feeds is less evidence of it.
"""
import argparse, collections, glob, json, os, random, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--draws", type=int, default=8)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/eval-stories"))
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "eval-stories"], cwd=ROOT, check=True)
    lines = [l for f in sorted(glob.glob(os.path.join(ROOT, "fixtures/stories/*.jsonl")))
             for l in open(f, encoding="utf-8") if l.strip()]
    feeds = sorted({json.loads(l)["feed"] for l in lines})
    work = tempfile.mkdtemp(prefix="story-subsets-")
    shutil.copy(os.path.join(ROOT, "fixtures/stories/cross-writer-events.tsv"), work)
    merges = collections.Counter()
    perfect = 0
    try:
        for draw in range(args.draws):
            for size in args.sizes:
                chosen = set(random.Random(draw * 100 + size).sample(feeds, size))
                path = os.path.join(work, f"draw{draw}-feeds{size}.jsonl")
                with open(path, "w", encoding="utf-8") as out:
                    out.writelines(l for l in lines if json.loads(l)["feed"] in chosen)
                text = subprocess.run([args.binary, "--verbose", path], capture_output=True, text=True, check=True).stdout
                precision = re.search(r"merge precision (\S+)", text).group(1)
                recall = re.search(r"copy recall\s+(\S+)", text).group(1)
                merged = re.search(r"copy pairs (\d+), merged (\d+); different pairs merged (\d+)", text)
                print(f"draw {draw} feeds {size:2}: precision {precision} recall {recall} "
                      f"(copy pairs {merged.group(1)}, merged {merged.group(2)}; different merged {merged.group(3)})")
                perfect += merged.group(3) == "0"
                block = text.split("FALSE MERGES", 1)[-1].split("MISSED COPIES", 1)[0] if "FALSE MERGES" in text else ""
                items = [l.split()[0] + " " + l.split()[1] for l in block.splitlines() if re.match(r"^    [a-z]-\d+ ", l)]
                for a, b in zip(items[0::2], items[1::2]):
                    merges[f"{a} + {b}"] += 1
    finally:
        shutil.rmtree(work)
    print(f"draws with no false merge: {perfect} of {args.draws * len(args.sizes)}")
    for pair, count in merges.most_common():
        print(f"  {count}x {pair}")


if __name__ == "__main__":
    sys.exit(main())
