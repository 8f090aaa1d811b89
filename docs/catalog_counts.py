#!/usr/bin/env python3
"""Prints the count tables of docs/catalog.md from `guardrail rules --format json` on stdin.

    cargo run -q -p guardrail -- rules --format json | python3 docs/catalog_counts.py
"""
import json
import sys

SEVERITIES = ["critical", "high", "medium", "low"]

listing = json.load(sys.stdin)
rules = listing["rules"]
out = []
out.append(f"{listing['count']} rules: " + ", ".join(
    f"{n} {v}" for v, n in sorted(listing["by_vendor"].items(), key=lambda kv: (-kv[1], kv[0]))) + ".")
out.append("")
out.append("| severity | rules |")
out.append("|---|---:|")
for s in SEVERITIES:
    out.append(f"| {s} | {listing['by_severity'].get(s, 0)} |")
out.append("")
out.append("| service | rules | critical | high | medium | low |")
out.append("|---|---:|---:|---:|---:|---:|")
for service, n in sorted(listing["by_service"].items(), key=lambda kv: (-kv[1], kv[0])):
    cells = [sum(1 for r in rules if service in r["services"] and r["severity"] == s) for s in SEVERITIES]
    out.append(f"| {service} | {n} | " + " | ".join(str(c) for c in cells) + " |")
out.append("")
out.append("| framework | rules mapped | distinct controls |")
out.append("|---|---:|---:|")
for fw, n in sorted(listing["by_framework"].items(), key=lambda kv: (-kv[1], kv[0])):
    out.append(f"| {fw} | {n} | {listing['framework_controls'].get(fw, 0)} |")
out.append("")
out.append("| framework | version | controls listed | automatable | covered by a rule | coverage |")
out.append("|---|---|---:|---:|---:|---:|")
for fw, c in listing["framework_coverage"].items():
    out.append(f"| {fw} | {c['name']} {c['version']} | {c['controls']} | {c['automatable']} | {c['covered']} | {c['percent']:.1f} % |")
out.append("")
out.append("| topic | rules |")
out.append("|---|---:|")
for topic, n in sorted(listing["by_topic"].items(), key=lambda kv: (-kv[1], kv[0])):
    out.append(f"| {topic} | {n} |")
print("\n".join(out))
