#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Results files at scale, for make bench-results (scripts/bench.sh).

    scripts/gen-results.py COUNT OUT

writes COUNT results files as a lab collects them,
OUT/{old,new}/PLATFORM_ID/KERNEL-YYYYMMDD.json, 100 runs per platform, and
the same files flat, OUT/{old,new}-flat/PLATFORM_ID-KERNEL-YYYYMMDD.json
(links into the tree), for runner compare, which reads one directory level.

Nothing is made up: every file is one of the two recorded virtual-lab runs
(tests/fixtures/results/lab-vtd-sc.json, lab-amdvi.json), with only what
tells runs apart changed: the platform id (the recorded board, another
8-hex hash; the first amdvi platform keeps its recorded id, so
results/expectations covers it), the run id and its start and finish times
(one run a day). new/ is old/ run again an hour later; in every 20th file
one outcome differs, taken from the other recorded run: on a vtd-sc
platform a dma unmapped_* test fails with the reason amdvi recorded for it
(a regression), on an amdvi platform that test passes as on vtd-sc (fixed).
Verdicts come from evidence, not outcomes, so runner validate still
re-judges every file as recorded.
"""
import datetime
import hashlib
import json
import os
import sys

RUNS_PER_PLATFORM = 100
FIRST_DAY = datetime.date(2026, 8, 24)
TEMPLATES = ("lab-vtd-sc", "lab-amdvi")
FLIPPED = "type1.unmapped_source_is_blocked"


def load(srcdir, name):
    with open(os.path.join(srcdir, "tests/fixtures/results", name + ".json")) as f:
        return json.load(f)


def flip_test(doc, other):
    """The first dma FLIPPED test of doc given the outcome and reason of
    other's test of the same suite, name and device."""
    theirs = {(t["suite"], t["name"], t.get("device")): t for t in other["tests"]}
    for t in doc["tests"]:
        o = theirs.get((t["suite"], t["name"], t.get("device")))
        if t["suite"] == "dma" and t["name"].endswith("." + FLIPPED) and o and o["outcome"] != t["outcome"]:
            t["outcome"], t["reason"] = o["outcome"], o["reason"]
            return
    sys.exit("gen-results: no %s test differs between the recorded runs" % FLIPPED)


def text_of(doc):
    """doc as text with @PID@, @STAMP@, @STARTED@, @FINISHED@ to fill in:
    serialised once per variant, filled in per file (fast)."""
    doc = json.loads(json.dumps(doc))
    doc["platform"]["platform_id"] = "@PID@"
    doc["run"]["id"] = "@PID@-@STAMP@"
    doc["run"]["started"] = "@STARTED@"
    doc["run"]["finished"] = "@FINISHED@"
    return json.dumps(doc, indent=2) + "\n"


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: gen-results.py COUNT OUT")
    count, out = int(sys.argv[1]), sys.argv[2]
    srcdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    docs = [load(srcdir, t) for t in TEMPLATES]
    texts = []
    for i, d in enumerate(docs):
        changed = json.loads(json.dumps(d))
        flip_test(changed, docs[1 - i])
        run = d["run"]
        t0 = datetime.datetime.strptime(run["started"], "%Y-%m-%dT%H:%M:%SZ")
        t1 = datetime.datetime.strptime(run["finished"], "%Y-%m-%dT%H:%M:%SZ")
        board = d["platform"]["platform_id"].rsplit("-", 1)[0]
        texts.append({
            "same": text_of(d), "changed": text_of(changed), "board": board,
            "recorded_id": d["platform"]["platform_id"], "time": t0.time(),
            "length": t1 - t0, "kernel": d["platform"]["kernel"]["release"],
        })
    for i in range(count):
        p, day = divmod(i, RUNS_PER_PLATFORM)
        tpl = texts[p % 2]
        if p == 1:
            pid = tpl["recorded_id"]
        else:
            pid = "%s-%s" % (tpl["board"], hashlib.sha256(b"bench platform %d" % p).hexdigest()[:8])
        date = FIRST_DAY + datetime.timedelta(days=day)
        name = "%s-%s.json" % (tpl["kernel"], date.strftime("%Y%m%d"))
        for side, shift in (("old", 0), ("new", 1)):
            start = datetime.datetime.combine(date, tpl["time"]) + datetime.timedelta(hours=shift)
            end = start + tpl["length"]
            text = tpl["changed" if side == "new" and i % 20 == 19 else "same"]
            text = (text.replace("@PID@", pid)
                    .replace("@STAMP@", start.strftime("%Y%m%dT%H%M%SZ"))
                    .replace("@STARTED@", start.strftime("%Y-%m-%dT%H:%M:%SZ"))
                    .replace("@FINISHED@", end.strftime("%Y-%m-%dT%H:%M:%SZ")))
            d = os.path.join(out, side, pid)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, name + ".tmp"), "w") as f:
                f.write(text)
            os.replace(os.path.join(d, name + ".tmp"), os.path.join(d, name))
            flat = os.path.join(out, side + "-flat")
            os.makedirs(flat, exist_ok=True)
            link = os.path.join(flat, pid + "-" + name)
            if not os.path.lexists(link):
                os.symlink(os.path.join("..", side, pid, name), link)


if __name__ == "__main__":
    main()
