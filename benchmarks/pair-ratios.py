#!/usr/bin/env python3
"""Ratios of two benchmarks measured side by side (B/A), with their spread.

Each JSON file is one JMH run holding both benchmarks; in each file and for each parameter set, the
median of the measurement iterations of each fork of A and B gives one ratio per fork. Prints, per
parameter set, the median of all those ratios with the lowest and highest. Run several short runs
in turn (benchmarks/pair-rounds) so that A and B are measured close together in time; one file of
several forks measures all forks of A before those of B.

Usage: python3 benchmarks/pair-ratios.py <benchmark A> <benchmark B> <results.json>...
(benchmark names as the method names, e.g. conflictGuardStore conflictGuardStoreShared)
"""
import json
import statistics
import sys


def main(a_name, b_name, paths):
    ratios, a_all, b_all, units = {}, {}, {}, {}
    for path in paths:
        runs = {}
        for r in json.load(open(path)):
            method = r["benchmark"].rsplit(".", 1)[1]
            params = tuple(sorted((r.get("params") or {}).items()))
            runs[(method, params)] = [statistics.median(fork) for fork in r["primaryMetric"]["rawData"]]
            units[params] = r["primaryMetric"]["scoreUnit"]
        for (method, params), a_forks in runs.items():
            if method != a_name or (b_name, params) not in runs:
                continue
            b_forks = runs[(b_name, params)]
            ratios.setdefault(params, []).extend(b / a for a, b in zip(a_forks, b_forks))
            a_all.setdefault(params, []).extend(a_forks)
            b_all.setdefault(params, []).extend(b_forks)
    print(f"{'parameters':32} {a_name:>26} {b_name:>26} {'B/A median':>11}  spread")
    for params in sorted(ratios, key=lambda p: [(k, int(v) if v.isdigit() else v) for k, v in p]):
        label = ", ".join(f"{k}={v}" for k, v in params)
        r = ratios[params]
        print(f"{label:32} {statistics.median(a_all[params]):20.1f} {units[params]:>5} "
              f"{statistics.median(b_all[params]):20.1f} {units[params]:>5} {statistics.median(r):11.2f}  "
              f"{min(r):.2f}-{max(r):.2f} ({len(r)} pairs)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
