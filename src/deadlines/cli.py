"""The ``deadlines`` command: a thin layer over the library.

Commands parse options, call the library and print.  Every user error (a bad
option, a bad date, a malformed rules file) ends as one line on stderr and exit
code 2.  This is the only module that reads the clock: ``--today`` defaults to
the real date.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from .errors import DeadlineError


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.fail(f"not a date: {value!r} ({exc}); use YYYY-MM-DD", param, ctx)


DATE = _Date()


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _rules_option(f: Any) -> Any:
    return click.option(
        "--rules",
        "rules",
        default="rules",
        show_default=True,
        type=click.Path(path_type=Path),
        help="Folder of rule files (or one file).",
    )(f)


def _calendar(rules: Path) -> Any:
    from .workdays import WorkCalendar

    folder = (rules if rules.is_dir() else rules.parent) / "calendars"
    # Provisional: a year without official data counts weekends only, and every
    # date that depends on it is shown as provisional rather than refused.
    return WorkCalendar(provisional=True, override_dirs=[folder] if folder.is_dir() else [])


def _load(rules: Path) -> list[Any]:
    from .rulesfile import load_plans

    return load_plans(rules)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deadlines")
def cli() -> None:
    """Deadlines of Chinese government work plans: read, count, list, publish."""


def _week_window(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def occurrence_json(occ: Any) -> dict[str, Any]:
    from .render import when_json

    return {
        "obligation": occ.obligation,
        "plan": occ.plan,
        "period": occ.period,
        "title": occ.title,
        "due_text": occ.due_text,
        "units": occ.units.model_dump(),
        "due": when_json(occ.due),
        "start": occ.start.isoformat() if occ.start else None,
        "status": occ.status,
        "waiting_for": occ.waiting_for,
        "why": occ.why,
    }


@cli.command()
@_rules_option
@click.option("--today", type=DATE, help="Take this as today (default: the real date).")
@click.option("--next-week", "window", flag_value="next-week", help="Monday to Sunday after today (default).")
@click.option("--this-week", "window", flag_value="this-week", help="Monday to Sunday of today.")
@click.option("--week-of", type=DATE, help="Monday to Sunday of the week holding this date.")
@click.option("--from", "from_", type=DATE, help="First day of the window (with --to).")
@click.option("--to", type=DATE, help="Last day of the window (with --from).")
@click.option("--unit", help="Only this unit's obligations.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def due(
    rules: Path,
    today: date | None,
    window: str | None,
    week_of: date | None,
    from_: date | None,
    to: date | None,
    unit: str | None,
    as_json: bool,
) -> None:
    """What falls due: by default in the week after today.

    Example: deadlines due --today 2015-07-08 --next-week --unit 市财政局
    """
    from .engine import expand

    today = today or date.today()
    chosen = [w for w in (window, week_of, from_ or to) if w]
    if len(chosen) > 1:
        raise click.UsageError("give one window: --next-week, --this-week, --week-of or --from/--to")
    if from_ or to:
        if not (from_ and to):
            raise click.UsageError("--from and --to go together")
        if from_ > to:
            raise click.UsageError(f"--from {from_} is after --to {to}")
        start, end = from_, to
    elif week_of:
        start, end = _week_window(week_of)
    elif window == "this-week":
        start, end = _week_window(today)
    else:
        start, end = _week_window(today + timedelta(days=7))

    plans = _load(rules)
    if unit is not None:
        unit = _resolve_unit(rules, plans, unit)
    calendar = _calendar(rules)
    occurrences = expand(plans, start, end, calendar=calendar, today=today)
    if unit is not None:
        occurrences = [o for o in occurrences if unit in o.units.all()]
    if as_json:
        _print_json([occurrence_json(o) for o in occurrences])
        return
    _print_due(occurrences, start, end, today, unit)


def _print_due(occurrences: list[Any], start: date, end: date, today: date, unit: str | None) -> None:
    from .model import weekday_zh

    dated = [o for o in occurrences if o.due is not None]
    waiting = [o for o in occurrences if o.due is None]
    click.echo(f"{start}（{weekday_zh(start)}）至 {end}（{weekday_zh(end)}）到期，今天 {today}")
    if not dated:
        click.echo("  （无）")
    by_unit: dict[str, list[Any]] = {}
    for occ in dated:
        for name in [unit] if unit else occ.units.all() or ["（未写单位）"]:
            by_unit.setdefault(name, []).append(occ)
    for name in sorted(by_unit):
        click.echo(f"\n{name}")
        for occ in by_unit[name]:
            day = occ.due_date
            stamp = occ.due.strftime("%Y-%m-%d %H:%M") if occ.due != day else day.isoformat()
            status = {"overdue": "已逾期", "provisional": "暂定", "done": "已完成"}.get(occ.status, "")
            mark = f" [{status}]" if status else ""
            click.echo(f"  {stamp}（{weekday_zh(day)}）{occ.title}{mark}")
            click.echo(f"      {occ.why}")
    if waiting:
        click.echo(f"\n等待触发（{len(waiting)}项）")
        for occ in waiting:
            units = "、".join(occ.units.all()) or "（未写单位）"
            click.echo(f"  {occ.title}（{units}）：{occ.why}")


@cli.command("list")
@_rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(rules: Path, as_json: bool) -> None:
    """Every obligation of every plan, with its units and rules.

    Example: deadlines list --rules rules --json
    """
    from .render import explain, rule_json

    plans = _load(rules)
    rows = []
    for plan in plans:
        for ob in plan.obligations:
            rows.append(
                {
                    "id": ob.id,
                    "plan": plan.id,
                    "source": ob.source.model_dump(),
                    "category": ob.category,
                    "title": ob.title,
                    "units": ob.units.model_dump(),
                    "due_text": ob.due_text,
                    "rules": [rule_json(r) for r in ob.rules],
                    "flags": list(ob.flags),
                }
            )
    if as_json:
        _print_json(rows)
        return
    for plan in plans:
        click.echo(f"{plan.id}  {plan.title}")
        for ob in plan.obligations:
            flags = f"  [{', '.join(ob.flags)}]" if ob.flags else ""
            rules_text = "；".join(explain(r) for r in ob.rules) or "—"
            click.echo(f"  {ob.id}  {ob.title}  {'、'.join(ob.units.all())}  {rules_text}{flags}")


class _When(click.ParamType):
    name = "[NAME=]DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
        from datetime import datetime

        name, _, when = value.rpartition("=")
        try:
            on = datetime.fromisoformat(when) if "T" in when else date.fromisoformat(when)
        except ValueError as exc:
            self.fail(f"not a date: {when!r} ({exc}); use YYYY-MM-DD or YYYY-MM-DDTHH:MM", param, ctx)
        return name.strip(), on


@cli.command()
@click.argument("text")
@click.option("--year", type=int, help="The plan year: a date without a year is in it (default: this year).")
@click.option("--issued", type=DATE, help="The plan's issue date (本方案印发/公布).")
@click.option("--trigger", "triggers", type=_When(), multiple=True,
              help="An event: NAME=DATE for one trigger, DATE for every trigger in the text. Repeatable.")
@click.option("--from", "from_", type=DATE, help="First day of the window (default: January 1 of --year).")
@click.option("--to", type=DATE, help="Last day of the window (default: December 31 of --year).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def parse(
    text: str,
    year: int | None,
    issued: date | None,
    triggers: tuple[tuple[str, Any], ...],
    from_: date | None,
    to: date | None,
    as_json: bool,
) -> None:
    """Read one time limit: its rules, and the dates they give in the year.

    Example: deadlines parse 审批或核准后两个工作日内 --year 2015 --trigger 2015-09-30 --json
    """
    from .phrasereport import parse_json, read_and_date
    from .render import explain

    year = year or (issued.year if issued else date.today().year)
    start, end = from_ or date(year, 1, 1), to or date(year, 12, 31)
    if start > end:
        raise click.UsageError(f"--from {start} is after --to {end}")
    rules, found = read_and_date(
        text, year=year, issued=issued, triggers=triggers, start=start, end=end, calendar=_calendar(Path("rules"))
    )
    if as_json:
        _print_json(parse_json(text, rules, found))
        return
    dated = [o for o in found if o.due is not None]
    for i, rule in enumerate(rules, 1):
        mark = "（有歧义）" if rule.ambiguous else ""
        click.echo(f"{i}. {rule.kind}：{explain(rule)}{mark}" + (f"  ← {rule.text}" if rule.text else ""))
        if rule.unparsed:
            click.echo(f"   未能识别：{rule.unparsed}")
    click.echo(f"{start} 至 {end}：" + ("" if dated else "无到期日"))
    for occ in dated:
        click.echo(f"  {occ.why}")
    for occ in found:
        if occ.due is None:
            click.echo(f"  {occ.why}")


def _resolve_unit(rules: Path, plans: list[Any], name: str) -> str:
    """A unit given by its canonical name or by an alias from ``units.yaml``."""
    from .rulesfile import load_registry

    known = {u for p in plans for o in p.obligations for u in o.units.all()}
    return load_registry(rules).find(name, known)


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="The plan year, when the title gives none.")
@click.option("--id", "prefix", help="Obligation id prefix (default: the output file's name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the rules file here (default: print it).")
@click.option("--units", "units_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Unit registry to use and extend (default: units.yaml beside the output, or rules/units.yaml).")
def import_(file: Path, year: int | None, prefix: str | None, output: Path | None, units_path: Path | None) -> None:
    """Read a plan document (plain text) into a rules file to review.

    Tables (tab-separated cells), numbered lists with unit lines and prose
    items with (牵头单位:…;责任单位:…) are read; the covering notice's own
    deadlines become obligations too.  New unit names are added to the
    registry.  A summary of what needs review goes to stderr.

    Example: deadlines import plan.txt --id zs2015 -o rules/zhongshan-2015.yaml
    """
    from .atomic import write_atomic
    from .importers import import_plan
    from .rulesfile import _slug
    from .units import UnitRegistry

    try:
        text = file.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise click.UsageError(f"{file} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    registry_file = units_path or ((output.parent if output else Path("rules")) / "units.yaml")
    registry = UnitRegistry.load(registry_file)
    plan_id = _slug(output.stem) if output else (prefix or _slug(file.stem))
    args = [f"deadlines import {file.name}"] + ([f"--year {year}"] if year else []) + (
        [f"--id {prefix}"] if prefix else [])
    result = import_plan(text, source=file.name, year=year, prefix=prefix or plan_id, plan_id=plan_id,
                         registry=registry, command=" ".join(args))
    if output is None:
        click.echo(result.yaml, nl=False)
    else:
        write_atomic(output, result.yaml)
        if result.new_units or not registry_file.exists():
            write_atomic(registry_file, registry.dump())
    for line in result.notes:
        click.echo(f"  {line}", err=True)
    if output is None:
        click.echo(f"{result.obligations} obligations; {len(result.new_units)} unit names not in {registry_file}",
                   err=True)
        return
    from .review import check_rules

    findings = check_rules(output)
    click.echo(f"{output}: {result.obligations} obligations, {len(findings)} to review; "
               f"{len(result.new_units)} new unit names in {registry_file}", err=True)
    for finding in findings:
        click.echo(f"  {finding}", err=True)


@cli.command()
@_rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, rules: Path, as_json: bool) -> None:
    """List what needs a person: unread or ambiguous time limits, unknown
    units, duplicated rows, tasks without units.  Exit 0 when clean, 1 otherwise.

    Example: deadlines check --rules rules
    """
    from .review import check_rules

    findings = check_rules(rules)
    if as_json:
        _print_json([f.as_json() for f in findings])
    else:
        for finding in findings:
            click.echo(str(finding))
        files = len({f.file for f in findings})
        click.echo(f"{len(findings)} to review in {files} file(s)" if findings else "clean: nothing to review",
                   err=True)
    ctx.exit(1 if findings else 0)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a rules file.

    Example: deadlines schema > rules.schema.json
    """
    from .model import Plan

    _print_json(Plan.model_json_schema())


# --------------------------------------------------------------------------
# Feeds: build, serve, lint


class _Span(click.ParamType):
    """A reminder offset: 3d, 12h, 1w, 30m, 1d12h (or an ISO duration such as P3D)."""

    name = "SPAN"
    _UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60}

    def convert(self, value: Any, param: Any, ctx: Any) -> timedelta:
        import re

        if isinstance(value, timedelta):
            return value
        text = value.strip().lower()
        iso = re.fullmatch(r"p(?:(\d+)w)?(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?)?", text)
        if iso and text != "p" and not text.endswith("t"):
            w, d, h, m = (int(g or 0) for g in iso.groups())
            span = timedelta(weeks=w, days=d, hours=h, minutes=m)
        elif re.fullmatch(r"(\d+[wdhm])+", text):
            span = timedelta(seconds=sum(int(n) * self._UNITS[u] for n, u in re.findall(r"(\d+)([wdhm])", text)))
        else:
            self.fail(f"not a span: {value!r}; use e.g. 3d, 12h, 1w, 30m", param, ctx)
        if span <= timedelta(0):
            self.fail(f"a reminder comes some time before the event, not {value!r}", param, ctx)
        return span


def _site_options(f: Any) -> Any:
    f = click.option("--alarm", type=_Span(), help="Add a reminder this long before each event (e.g. 3d); off by default.")(f)
    f = click.option("--today", type=DATE, help="Start the page's 30-day lists here (default: the real date).")(f)
    return f


def _build(rules: Path, out: Path, *, start: date | None, end: date | None, alarm: Any,
           base_url: str | None, today: date | None) -> Any:
    from .site import build_site

    return build_site(_load(rules), out, calendar=_calendar(rules), start=start, end=end,
                      alarm=alarm, base_url=base_url, today=today or date.today())


@cli.command()
@_rules_option
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="The site folder to write.")
@click.option("--from", "from_", type=DATE, help="First day of the feeds (default: all each plan gives).")
@click.option("--to", type=DATE, help="Last day of the feeds (default: all each plan gives).")
@click.option("--base-url", help="Where the site is published (https://…/): makes the webcal:// and Google links.")
@_site_options
def build(rules: Path, out: Path, from_: date | None, to: date | None, base_url: str | None,
          today: date | None, alarm: Any) -> None:
    """Write the feed site: feeds/<unit>.ics, feeds/all.ics, feeds/index.json, index.html.

    Files are replaced atomically and only when they change; SEQUENCE and
    LAST-MODIFIED of an event move only when it changes (.manifest.json).

    Example: deadlines build --rules rules --out site --base-url https://example.org/deadlines/
    """
    if from_ and to and from_ > to:
        raise click.UsageError(f"--from {from_} is after --to {to}")
    result = _build(rules, out, start=from_, end=to, alarm=alarm, base_url=base_url, today=today)
    click.echo(
        f"{out}: {result.units} unit feeds and all.ics, {result.start} to {result.end}, "
        f"data version {result.data_version}; {len(result.written)} files written, "
        f"{len(result.removed)} removed"
    )


@cli.command()
@_rules_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="The site folder (default: .deadlines/site beside the rules folder).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--base-url", help="The public address of the site (default: http://HOST:PORT/).")
@_site_options
def serve(rules: Path, out: Path | None, host: str, port: int, base_url: str | None,
          today: date | None, alarm: Any) -> None:
    """Build the feed site and serve it, rebuilding when the rules or trigger events change.

    Feeds go out as text/calendar; charset=utf-8 with ETag and Last-Modified.

    Example: deadlines serve --rules rules --port 8000
    """
    from .serve import Rebuilder, SiteServer, fingerprint

    folder = rules if rules.is_dir() else rules.parent
    site = out or folder.resolve().parent / ".deadlines" / "site"
    state_db = folder.resolve().parent / ".deadlines" / "state.db"
    watched = [rules, state_db, state_db.with_name("state.db-wal")]
    try:
        server = SiteServer((host, port), site)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    url = base_url or server.url

    def day() -> date:
        return today or date.today()

    rebuilder = Rebuilder(
        lambda: _build(rules, site, start=None, end=None, alarm=alarm, base_url=url, today=day()),
        lambda: (fingerprint(watched, skip=site), day()),
    )
    server.rebuilder = rebuilder
    try:
        rebuilder.start()
        click.echo(f"serving {site} at {server.url} (Ctrl+C stops)", err=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
def lint(files: tuple[Path, ...]) -> None:
    """Check iCalendar feeds for what parsers accept but clients choke on.

    Missing UID or DTSTAMP, DTEND not after DTSTART, duplicate UIDs, RRULE
    without UNTIL, RDATE-only series, lines over 75 octets, LF line ends, a
    TZID with no VTIMEZONE.  Exits 1 when a problem is found.

    Example: deadlines lint site/feeds/all.ics
    """
    from .icslint import lint_file

    found = 0
    for path in files:
        problems = lint_file(path)
        found += len(problems)
        for problem in problems:
            click.echo(f"{path}:{problem}")
        if not problems:
            click.echo(f"{path}: ok")
    if found:
        raise click.exceptions.Exit(1)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors become one line on stderr and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="deadlines", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("deadlines: aborted", err=True)
        return 1
    except click.ClickException as exc:
        click.echo(f"deadlines: {exc.format_message()}", err=True)
        return 2
    except DeadlineError as exc:
        click.echo(f"deadlines: {exc}", err=True)
        return 2
    except BrokenPipeError:  # `deadlines list | head`
        sys.stderr.close()
        return 0
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
