#!/usr/bin/env python3
"""Ratios of two benchmarks measured side by side in one JMH run (one JSON file).

For each parameter set: the median of the measurement iterations of each fork, for benchmark A and
benchmark B; the ratio B/A per fork; and the median of those ratios with the lowest and highest.

Usage: python3 benchmarks/pair-ratios.py <results.json> <benchmark A> <benchmark B>
(benchmark names as the method names, e.g. conflictGuardStore conflictGuardStoreShared)
"""
import json
import statistics
import sys


def main(path, a_name, b_name):
    results = json.load(open(path))
    runs = {}
    for r in results:
        method = r["benchmark"].rsplit(".", 1)[1]
        params = tuple(sorted((r.get("params") or {}).items()))
        forks = [statistics.median(fork) for fork in r["primaryMetric"]["rawData"]]
        runs[(method, params)] = (forks, r["primaryMetric"]["scoreUnit"])
    print(f"{'parameters':40} {a_name:>26} {b_name:>26} {'B/A median':>11}  spread over forks")
    for (method, params), (a_forks, unit) in sorted(runs.items()):
        if method != a_name or (b_name, params) not in runs:
            continue
        b_forks = runs[(b_name, params)][0]
        ratios = [b / a for a, b in zip(a_forks, b_forks)]
        label = ", ".join(f"{k}={v}" for k, v in params)
        print(f"{label:40} {statistics.median(a_forks):22.1f} {unit:>3} {statistics.median(b_forks):22.1f} {unit:>3}"
              f" {statistics.median(ratios):11.2f}  {min(ratios):.2f}-{max(ratios):.2f} ({len(ratios)} forks)")


if __name__ == "__main__":
    main(*sys.argv[1:4])
