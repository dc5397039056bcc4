#!/usr/bin/env python3
"""After/before ratios from the JSON files benchmarks/before-after writes (before-<r>.json, after-<r>.json).

For each benchmark and parameters: the median of the measurement iterations per round and side,
the ratio after/before per round, and the median of those ratios with the lowest and highest.

Usage: python3 benchmarks/ratios.py <out-dir>
"""
import glob
import json
import os
import statistics
import sys


def medians(path):
    with open(path) as f:
        results = json.load(f)
    found = {}
    for r in results:
        name = r["benchmark"].rsplit(".", 2)
        key = (name[-2] + "." + name[-1], ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items()))
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        found[key] = (statistics.median(raw), r["primaryMetric"]["scoreUnit"])
    return found


out = sys.argv[1]
rounds = sorted(int(os.path.basename(p)[len("before-"):-len(".json")]) for p in glob.glob(f"{out}/before-*.json"))
per_round = [(medians(f"{out}/before-{r}.json"), medians(f"{out}/after-{r}.json")) for r in rounds]
print(f"{'benchmark':45} {'params':28} {'before':>12} {'after':>12} {'after/before':>13}  spread over {len(rounds)} rounds")
for key in per_round[0][0]:
    ratios = [a[key][0] / b[key][0] for b, a in per_round if key in a and key in b]
    if not ratios:
        continue
    before = statistics.median(b[key][0] for b, _ in per_round)
    after = statistics.median(a[key][0] for _, a in per_round if key in a)
    unit = per_round[0][0][key][1]
    print(f"{key[0]:45} {key[1]:28} {before:12.1f} {after:12.1f} {statistics.median(ratios):13.2f}  "
          f"{min(ratios):.2f}-{max(ratios):.2f} ({unit})")
