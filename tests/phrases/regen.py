"""Regenerate the expected rules and dates of the phrase cases: `make golden`.

Reads each tests/phrases/*.yaml, keeps every case's text, year, trigger,
issued date and window end (``to``) as written, and rewrites `rules` (canonical phrases) and `due`
from the reader.  Review the diff before committing: these files are the
reviewed readings of the seed plans.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))

from deadlines import WorkCalendar  # noqa: E402
from deadlines.phrasereport import read_and_date  # noqa: E402
from deadlines.dates import moment_text  # noqa: E402
from deadlines.render import explain  # noqa: E402


def reading(case: dict, defaults: dict, calendar: WorkCalendar) -> tuple[list[str], list[str]]:
    year = int(case.get("year", defaults["year"]))
    issued = case.get("issued", defaults.get("issued"))
    triggers = [("", t) for t in (case["trigger"] if isinstance(case.get("trigger"), list) else [case["trigger"]])] if case.get("trigger") else []
    rules, found = read_and_date(
        case["text"], year=year, issued=issued, triggers=triggers, calendar=calendar, prose=bool(case.get("prose")),
        end=case.get("to"),  # a window past the plan year, for dates in the next one
    )
    shown = [("未能识别：" + r.unparsed) if r.unparsed else f"{r.kind}: {explain(r)}" for r in rules]
    dues = sorted({moment_text(o.due) for o in found if o.due is not None})
    return shown, dues


def main() -> int:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    calendar = WorkCalendar(provisional=True)
    for path in sorted(HERE.glob("*.yaml")):
        doc = yaml.load(path)
        for case in doc["cases"]:
            case["rules"], case["due"] = reading(case, doc["plan"], calendar)
        with path.open("w", encoding="utf-8", newline="\n") as f:
            yaml.dump(doc, f)
        print(f"wrote {path.name}: {len(doc['cases'])} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
