#!/usr/bin/env python3
"""Summarises results/runs/modes/*/modes.json into a Markdown table (mean and std over seeds)."""
import json, os, statistics, sys
from collections import defaultdict

root = sys.argv[1]
groups = defaultdict(list)
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "modes.json")
    if not os.path.isfile(path):
        continue
    data, setting, seed = name.split("-", 1)[0], name.split("-", 1)[1].rsplit("-", 1)[0], name.rsplit("-", 1)[1]
    steps = json.load(open(os.path.join(root, name, "config.json")))["train"]["steps"]
    groups[(data, setting, steps)].append(json.load(open(path)))

def ms(values, fmt):
    m = statistics.mean(values)
    s = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{m:{fmt}} +- {s:{fmt}}"

print("| data | setting | steps | seeds | modes covered | high quality (%) | reverse KL |")
print("|---|---|---|---|---|---|---|")
for (data, setting, steps), runs in sorted(groups.items()):
    kls = [r["reverse_kl"] for r in runs if r["reverse_kl"] is not None]
    print(f"| {data} | {setting} | {steps} | {len(runs)} | {ms([r['modes_covered'] for r in runs], '.1f')} / {runs[0]['modes']} | "
          f"{ms([100 * r['high_quality'] for r in runs], '.1f')} | {ms(kls, '.3f') if kls else 'n/a'} |")
