"""Building the feed site for a province, beside reading it back with recurring-ical-events.

A generated plan set (``synthetic.write_plan_set``: by default 2,000 units and
50,000 obligations over one year, the issue's size) is loaded once; then, each
in a fresh process so that peak memory is its own:

* ours: ``build_site`` — every unit's feed, all.ics, index.json, index.html;
* peer: every feed written parsed by icalendar and expanded over the window by
  recurring-ical-events, as a calendar client library would;
* ours again with ``verify=True`` (what ``deadlines build`` does by default:
  every feed read back with recurring-ical-events before it is written),
  beside building and then reading the site back whole.

Target: building is faster than reading the output back, and the verified
build costs less than a build followed by that read.  Loading the YAML is
timed apart (it is the rules loader's cost, not the feeds').  Not part of
``make bench`` (reading 2,000 feeds back whole with icalendar takes minutes;
bench_province.py measures the build and what verifying costs):
``python bench/feeds_readback.py --obligations 5000 --units 200``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNITS = int(os.environ.get("BENCH_FEEDS_UNITS", 2000))
OBLIGATIONS = int(os.environ.get("BENCH_FEEDS_OBLIGATIONS", 50000))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _build(rules: Path, out: Path) -> dict:
    from deadlines import WorkCalendar, load_plans
    from deadlines.site import build_site

    t = time.perf_counter()
    plans = load_plans(rules)
    loaded = time.perf_counter() - t
    calendar = WorkCalendar(provisional=True)  # as the CLI: a year without data counts weekends only
    t = time.perf_counter()
    result = build_site(plans, out, calendar=calendar)
    built = time.perf_counter() - t
    index = json.loads((out / "feeds" / "index.json").read_text(encoding="utf-8"))
    peak = _peak_mb()
    t = time.perf_counter()
    build_site(plans, out.with_name(out.name + "-verified"), calendar=calendar, verify=True)
    verified = time.perf_counter() - t
    return {"load_s": loaded, "build_s": built, "verified_s": verified, "peak_mb": peak, "feeds": result.units + 1,
            "events": index["all"]["events"], "bytes": sum(p.stat().st_size for p in (out / "feeds").glob("*.ics"))}


def _read(out: Path) -> dict:
    from datetime import date, timedelta

    import icalendar
    import recurring_ical_events

    index = json.loads((out / "feeds" / "index.json").read_text(encoding="utf-8"))
    start = date.fromisoformat(index["window"]["from"])
    end = date.fromisoformat(index["window"]["to"]) + timedelta(days=1)
    t = time.perf_counter()
    occurrences = 0
    for path in sorted((out / "feeds").glob("*.ics")):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        occurrences += sum(1 for _ in recurring_ical_events.of(cal).between(start, end))
    return {"read_s": time.perf_counter() - t, "peak_mb": _peak_mb(), "occurrences": occurrences}


def _child(phase: str, *args: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, *map(str, args)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"feeds_readback --phase {phase} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def measure(units: int = UNITS, obligations: int = OBLIGATIONS) -> dict:
    sys.path.insert(0, str(HERE))
    from synthetic import write_plan_set

    with tempfile.TemporaryDirectory() as tmp:
        rules, out = Path(tmp) / "rules", Path(tmp) / "site"
        write_plan_set(rules, units=units, obligations=obligations)
        build = _child("build", rules, out)
        read = _child("read", out)
    return {"units": units, "obligations": obligations, "build": build, "read": read}


def run() -> list[dict]:
    m = measure()
    size = f"{m['units']:,} units, {m['obligations']:,} obligations"
    b, r = m["build"], m["read"]
    print(
        f"bench_feeds: {size}: loading the rules {b['load_s']:.1f} s (not in the rows); "
        f"{b['feeds']:,} feeds, {b['events']:,} events in all.ics, {b['bytes'] / 1e6:.0f} MB; "
        f"{r['occurrences']:,} occurrences read back",
        file=sys.stderr,
    )
    return [
        {"what": f"build the feed site ({size})", "ours": b["build_s"],
         "peer": "recurring-ical-events reading it back", "peer_value": r["read_s"], "unit": "s"},
        {"what": "build with --verify (every feed read back first)", "ours": b["verified_s"],
         "peer": "build, then recurring-ical-events reading it back", "peer_value": b["build_s"] + r["read_s"],
         "unit": "s"},
        {"what": "peak memory (loading + build; reading)", "ours": b["peak_mb"],
         "peer": "icalendar + recurring-ical-events", "peer_value": r["peak_mb"], "unit": "MB"},
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phase", choices=("build", "read"))
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--obligations", type=int, default=OBLIGATIONS)
    args = parser.parse_args()
    if args.phase == "build":
        print(json.dumps(_build(*args.paths)))
    elif args.phase == "read":
        print(json.dumps(_read(*args.paths)))
    else:
        m = measure(args.units, args.obligations)
        print(json.dumps(m, indent=2))
        b, r = m["build"], m["read"]
        print(f"build {b['build_s']:.1f} s (peak {b['peak_mb']:.0f} MB, loading {b['load_s']:.1f} s); "
              f"reading back {r['read_s']:.1f} s (peak {r['peak_mb']:.0f} MB): "
              f"{r['read_s'] / b['build_s']:.1f}× the build time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
