#!/usr/bin/env python3
"""Prints the median of the measurement iterations of every result in JMH JSON files, as a table.

Usage: python3 benchmarks/medians.py benchmarks/target/results/*.json
"""
import json
import statistics
import sys

for path in sys.argv[1:]:
    with open(path) as f:
        results = json.load(f)
    print(f"## {path}")
    for r in results:
        name = r["benchmark"].rsplit(".", 2)
        name = name[-2] + "." + name[-1]
        params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        threads = r.get("threads", 1)
        primary = r["primaryMetric"]
        raw = [x for fork in primary["rawData"] for x in fork]
        print(f"{name:55} {params:28} t={threads:<2} median {statistics.median(raw):14.1f} {primary['scoreUnit']}")
        for label, metric in (r.get("secondaryMetrics") or {}).items():
            raw = [x for fork in metric.get("rawData", []) for x in fork]
            if raw:
                print(f"{name + ':' + label:55} {params:28} t={threads:<2} median {statistics.median(raw):14.1f} {metric['scoreUnit']}")
