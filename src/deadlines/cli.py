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

from .errors import DeadlineError, UnknownName


class _Date(click.ParamType):
    """YYYY-MM-DD; ``timed``: also YYYY-MM-DDTHH:MM (a datetime)."""

    def __init__(self, timed: bool = False):
        self.timed = timed
        self.name = "DATE[THH:MM]" if timed else "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from .render import when_from_json

        if isinstance(value, date):
            return value
        try:
            return when_from_json(value) if self.timed else date.fromisoformat(value)
        except ValueError as exc:
            form = "YYYY-MM-DD or YYYY-MM-DDTHH:MM" if self.timed else "YYYY-MM-DD"
            self.fail(f"not a date: {value!r} ({exc}); use {form}", param, ctx)


DATE = _Date()
MOMENT = _Date(timed=True)


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
    from .plancache import override_reader
    from .rulesfile import rules_folder
    from .workdays import WorkCalendar

    folder = rules_folder(rules) / "calendars"
    # Provisional: a year without official data counts weekends only, and every
    # date that depends on it is shown as provisional rather than refused.
    return WorkCalendar(
        provisional=True,
        override_dirs=[folder] if folder.is_dir() else [],
        read_override=override_reader(_state_dir(rules) / "cache"),
    )


def _state_dir(rules: Path) -> Path:
    """``.deadlines/`` in the folder that holds the rules folder: the event store and the plan cache."""
    from .rulesfile import rules_folder

    return rules_folder(rules).parent / ".deadlines"


def _load(rules: Path) -> list[Any]:
    from .plancache import load_plans_cached
    from .rulesfile import bulk_loading

    # The plans live as long as the command: one pause of the cycle collector
    # for the whole load, then they are frozen, never walked (50,000 obligations).
    with bulk_loading(freeze=True):
        return load_plans_cached(rules, _state_dir(rules) / "cache")


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
        "done_on": occ.done_on.isoformat() if occ.done_on else None,
    }


ROLES = ("lead", "responsible", "cooperating")
ROLES_ZH = {"lead": "牵头", "responsible": "负责", "cooperating": "配合"}


def _db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db",
        envvar="DEADLINES_DB",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The event store (default: .deadlines/state.db beside the rules folder; or $DEADLINES_DB).",
    )(f)


def _db_path(rules: Path, db: Path | None) -> Path:
    """``--db``, else ``.deadlines/state.db`` in the folder that holds the rules folder."""
    return db if db is not None else _state_dir(rules) / "state.db"


def _state(rules: Path, db: Path | None) -> tuple[list[Any], list[Any]]:
    """The trigger events and completions in force; none when there is no store yet."""
    store = _open_store(rules, db, create=False)
    if store is None:
        return [], []
    from .triggers import skipped_event

    with store:
        events, skipped = store.usable_events()
        for change in skipped:  # recorded before such events were refused: reported, the rest counted
            click.echo(f"deadlines: {skipped_event(change)}", err=True)
        return events, store.completions()


def _pick_plans(plans: list[Any], plan_id: str | None) -> list[Any]:
    if plan_id is None:
        return plans
    chosen = [p for p in plans if p.id == plan_id]
    if not chosen:
        raise UnknownName("plan", plan_id, sorted(p.id for p in plans))
    return chosen


def _in_role(occ: Any, unit: str | None, role: str | None) -> bool:
    if role is None:
        return unit is None or unit in occ.units.all()
    names = getattr(occ.units, role)
    return unit in names if unit is not None else bool(names)


def _color() -> bool | None:
    """None: colour when stdout is a terminal (click decides); never with NO_COLOR set."""
    import os

    return False if os.environ.get("NO_COLOR") else None


@cli.command()
@_rules_option
@_db_option
@click.option("--today", type=DATE, help="Take this as today (default: the real date).")
@click.option("--next-week", "window", flag_value="next-week", help="Monday to Sunday after today (default).")
@click.option("--this-week", "window", flag_value="this-week", help="Monday to Sunday of today.")
@click.option("--week-of", type=DATE, help="Monday to Sunday of the week holding this date.")
@click.option("--from", "from_", type=DATE, help="First day of the window (with --to).")
@click.option("--to", type=DATE, help="Last day of the window (with --from).")
@click.option("--days", type=click.IntRange(min=0), help="Today and the N days after it.")
@click.option("--unit", help="Only this unit's obligations (its name or an alias).")
@click.option("--plan", "plan_id", help="Only this plan (its id, as in `deadlines list`).")
@click.option("--role", type=click.Choice(ROLES), help="Only where the unit (with --unit) or some unit has this role.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def due(
    rules: Path,
    db: Path | None,
    today: date | None,
    window: str | None,
    week_of: date | None,
    from_: date | None,
    to: date | None,
    days: int | None,
    unit: str | None,
    plan_id: str | None,
    role: str | None,
    as_json: bool,
) -> None:
    """What falls due: by default in the week after today, grouped by unit.

    Each line gives the due date, the working days left, the task, its time
    limit as written and why the date is what it is; obligations still waiting
    on a trigger are listed at the end.  Colours (red overdue, yellow within 3
    working days, green later, grey done) only on a terminal and without NO_COLOR.

    Example: deadlines due --today 2015-07-08 --next-week --unit 市财政局
    """
    from .engine import expand

    today = today or date.today()
    chosen = [w for w in (window, week_of, from_ or to, days is not None) if w]
    if len(chosen) > 1:
        raise click.UsageError("give one window: --next-week, --this-week, --week-of, --days or --from/--to")
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
    elif days is not None:
        start, end = today, today + timedelta(days=days)
    else:
        start, end = _week_window(today + timedelta(days=7))

    plans = _pick_plans(_load(rules), plan_id)
    if unit is not None:
        unit = _resolve_unit(rules, plans, unit)
    calendar = _calendar(rules)
    triggers, done = _state(rules, db)
    occurrences = expand(plans, start, end, calendar=calendar, triggers=triggers, done=done, today=today)
    occurrences = [o for o in occurrences if _in_role(o, unit, role)]
    if as_json:
        rows = []
        for occ in occurrences:
            row = occurrence_json(occ)
            day = occ.due_date
            row["workdays_left"] = calendar.workdays_between(today, day) if day else None
            row["role"] = occ.units.role_of(unit) if unit else None
            rows.append(row)
        _print_json(rows)
        return
    _print_due(occurrences, start, end, today, unit, role, calendar)


def _left(occ: Any, today: date, calendar: Any) -> tuple[str, str]:
    """'还有3个工作日' and its colour, for a dated occurrence (yellow: due soon, as in the ledger)."""
    from .report import SOON_WORKDAYS

    day = occ.due_date
    if occ.status == "done":
        return f"已完成（{occ.done_on}）", "bright_black"
    if day < today:
        return f"已逾期{(today - day).days}天", "red"
    left = calendar.workdays_between(today, day)
    text = "今天到期" if day == today else f"还有{left}个工作日"
    return text, "yellow" if left <= SOON_WORKDAYS else "green"


def _print_due(
    occurrences: list[Any], start: date, end: date, today: date, unit: str | None, role: str | None, calendar: Any
) -> None:
    from .model import weekday_zh

    color = _color()
    out: list[str] = []
    dated = [o for o in occurrences if o.due is not None]
    waiting = [o for o in occurrences if o.due is None]
    out.append(f"{start}（{weekday_zh(start)}）至 {end}（{weekday_zh(end)}）到期，今天 {today}（{weekday_zh(today)}）")
    if not dated:
        out.append("  （无）")
    by_unit: dict[str, list[Any]] = {}
    for occ in dated:
        names = [unit] if unit else (list(getattr(occ.units, role)) if role else occ.units.all()) or ["（未写单位）"]
        for name in names:
            by_unit.setdefault(name, []).append(occ)
    for name in sorted(by_unit):
        out.append(f"\n{name}")
        for occ in by_unit[name]:
            day = occ.due_date
            stamp = occ.due.strftime("%Y-%m-%d %H:%M") if occ.due != day else day.isoformat()
            left, colour = _left(occ, today, calendar)
            mark = " [暂定]" if occ.provisional else ""
            who = ROLES_ZH.get(occ.units.role_of(name) or "", "")
            tag = f"{occ.obligation}，{who}" if who else occ.obligation
            head = click.style(f"{stamp}（{weekday_zh(day)}）{left}", fg=colour)
            out.append(f"  {head}  {occ.title}（{tag}）{mark}")
            if occ.due_text:
                limit = occ.due_text if len(occ.due_text) <= 40 else occ.due_text[:39] + "…"
                out.append(f"      时限：{limit}")
            out.append(f"      {occ.why}")
    if waiting:
        out.append(f"\n等待触发（{len(waiting)}项）")
        for occ in waiting:
            units = "、".join(occ.units.all()) or "（未写单位）"
            out.append(f"  {occ.obligation}  {occ.title}（{units}）：{occ.why}")
    click.echo("\n".join(out), color=color)


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
                    "source": ob.source.shown(),
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
        name, _, when = value.rpartition("=")
        return name.strip(), MOMENT.convert(when, param, ctx)


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
    from .plancache import load_registry_cached

    known = {u for p in plans for o in p.obligations for u in o.units.all()}
    return load_registry_cached(rules, _state_dir(rules) / "cache").find(name, known)


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="The plan year, when the title gives none.")
@click.option("--id", "prefix", help="Obligation id prefix (default: the output file's name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the rules file here (default: print it).")
@click.option("--units", "units_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Unit registry to use and extend (default: units.yaml beside the output, or rules/units.yaml).")
@click.option("--force", is_flag=True, help="Replace an existing rules file that differs (review marks are lost).")
def import_(file: Path, year: int | None, prefix: str | None, output: Path | None, units_path: Path | None,
            force: bool) -> None:
    """Read a plan document into a rules file to review.

    The file as it arrived: Word (.docx; .doc/.wps through LibreOffice),
    Excel (.xlsx, .xls, .et), PDF, a saved web page, OpenDocument, or text in
    any layout (tables flattened with tabs, pipes, spaces or one cell
    per line; numbered lists with unit lines or labels; prose items with
    bracketed units; a covering notice with its own deadlines), saved as
    UTF-8, UTF-16 or GB18030, in simplified or traditional characters.  New
    unit names are added to the registry.  A summary of what needs review
    goes to stderr.  An existing rules file is never replaced silently: the
    same import again changes nothing; a different one needs --force.

    Example: deadlines import 附件1.docx --id zs2015 -o rules/zhongshan-2015.yaml
    """
    from .atomic import write_atomic
    from .importers import import_plan
    from .rulesfile import _slug
    from .units import UnitRegistry

    registry_file = units_path or ((output.parent if output else Path("rules")) / "units.yaml")
    registry = UnitRegistry.load(registry_file)
    plan_id = _slug(output.stem) if output else (prefix or _slug(file.stem))
    args = [f"deadlines import {file.name}"] + ([f"--year {year}"] if year else []) + (
        [f"--id {prefix}"] if prefix else [])
    result = import_plan(file.read_bytes(), source=file.name, year=year, prefix=prefix or plan_id,
                         plan_id=plan_id, registry=registry, command=" ".join(args))
    if output is None:
        click.echo(result.yaml, nl=False)
    else:
        if output.exists() and not force and output.read_text("utf-8", errors="replace") != result.yaml:
            reviewed = output.read_text("utf-8", errors="replace").count("# reviewed:")
            what = f"它有 {reviewed} 处人工审核标记（# reviewed:）" if reviewed else "内容与本次导入不同"
            raise DeadlineError(f"{output} 已存在，{what}：不会覆盖。请另存为新文件比较，或加 --force 替换")
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
    from .rulesfile import bulk_loading

    with bulk_loading(freeze=True):  # a one-shot command: what it reads is never collected
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


# --------------------------------------------------------------------------
# Holidays: the State Council's yearly notice


@cli.group()
def holidays() -> None:
    """The official holidays and 调休 working days: read the State Council's notice, show a year, list sources.

    When 《国务院办公厅关于YYYY年部分节假日安排的通知》 is published, save it
    (the page or its text) and import it: every date of that year is then
    official in due, the feeds and check.

    Example: deadlines holidays import 2027.txt --rules rules
    """


@holidays.command("import")
@click.argument("notice", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_rules_option
@click.option("--dry-run", is_flag=True, help="Read and check the notice, write nothing.")
@click.option("--force", is_flag=True, help="Replace the year's file even if it exists and differs.")
@click.option("--json", "as_json", is_flag=True, help="Print what the notice says as JSON.")
def holidays_import(notice: Path, rules: Path, dry_run: bool, force: bool, as_json: bool) -> None:
    """Read a saved notice (text or web page) into calendars/YYYY.yaml of the rules folder.

    The notice is checked before anything is written: stated day counts, 上班
    days on weekends, weekdays beside dates, consecutive rest days, all seven
    holidays, a copy cut off.  A later notice that changes the year (调整、延长)
    is merged into the year's file.  An existing file is replaced only with
    --force.  The year is shown as a small calendar to compare with the notice.

    Example: deadlines holidays import 2027.txt --rules rules --dry-run
    """
    from .holidays import import_notice
    from .holidays.show import render_year

    result = import_notice(notice, rules, dry_run=dry_run, force=force)
    if as_json:
        _print_json(result.as_json())
        return
    reading = result.reading
    what = {"created": "已写入", "replaced": "已替换", "merged": "已并入", "unchanged": "无变化",
            "dry-run": "未写入（--dry-run）"}[result.action]
    lines = [f"读自 {result.source}：{reading.label}" + (f"（{reading.issued}）" if reading.issued else ""),
             f"{what}：{result.path}"]
    lines += [f"注意：{w}" for w in reading.warnings]
    if result.note:
        lines.append(result.note)
    if result.differences:
        lines.append("与 chinese-calendar 不同（以通知为准）：" + "；".join(result.differences))
    click.echo(render_year(reading.year, result.rest, result.work, lines), nl=False)


@holidays.command("show")
@click.argument("year", type=int)
@_rules_option
def holidays_show(year: int, rules: Path) -> None:
    """A year as a small calendar: rest days (*) and working weekends (+), the holidays, the source.

    Example: deadlines holidays show 2026
    """
    from .holidays import show_year
    from .rulesfile import rules_folder

    click.echo(show_year(year, _calendar(rules), rules_folder(rules)), nl=False)


@holidays.command("status")
@_rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def holidays_status(rules: Path, as_json: bool) -> None:
    """Each year with the source of its working days; a warning for each year the plans reach without official data.

    Sources: package (chinese-calendar), notice (calendars/YYYY.yaml read from
    the notice), provisional (weekends only).

    Example: deadlines holidays status --rules rules
    """
    from .holidays import status

    rows = status(rules, calendar=_calendar(rules), plans=_load(rules) if _has_plans(rules) else [])
    for row in rows:
        if row.warning:
            click.echo(f"警告：{row.warning}", err=True)
    if as_json:
        _print_json([row.as_json() for row in rows])
        return
    names = {"package": "软件包", "notice": "通知", "provisional": "暂定"}
    i = 0
    while i < len(rows):
        row = rows[i]
        j = i
        while (j + 1 < len(rows) and row.source == "package" and rows[j + 1].source == "package"
               and rows[j + 1].detail == row.detail and row.file is None and rows[j + 1].file is None):
            j += 1
        years = f"{row.year}" if j == i else f"{row.year}–{rows[j].year}"
        where = f"  {row.file}" if row.file else ""
        plans = f"  （{'、'.join(row.reached_by)}用到）" if row.reached_by else ""
        click.echo(f"{years:<10}{names[row.source]}  {row.detail}{where}{plans}")
        i = j + 1


def _has_plans(rules: Path) -> bool:
    from .rulesfile import rules_folder

    path = Path(rules)
    return path.is_file() or any(rules_folder(rules).glob("*.yaml"))


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


def _build(rules: Path, db: Path | None, out: Path, *, start: date | None, end: date | None, alarm: Any,
           base_url: str | None, today: date | None) -> Any:
    """Build the site from the rules and the event store: recorded triggers date
    their relative rules, completed occurrences are marked done."""
    from .site import build_site

    triggers, done = _state(rules, db)
    return build_site(_load(rules), out, calendar=_calendar(rules), start=start, end=end, triggers=triggers,
                      done=done, alarm=alarm, base_url=base_url, today=today or date.today())


# Trigger events, completion, history and the ledger: the event store


def _now() -> Any:
    """The time a change is recorded at: the only clock the store sees."""
    from datetime import datetime

    return datetime.now().astimezone().replace(microsecond=0)


def _open_store(rules: Path, db: Path | None, *, create: bool = True) -> Any:
    from .rulesfile import plan_files

    plan_files(rules)  # a missing rules folder is an error before any store is opened
    path = _db_path(rules, db)
    if not create and not path.exists():
        return None
    from .triggers import Store  # (and sqlite3): only where there is a store

    return Store.open(path, create=create)


def _find_obligation(plans: list[Any], ident: str) -> tuple[Any, Any]:
    for plan in plans:
        for ob in plan.obligations:
            if ob.id == ident:
                return plan, ob
    raise UnknownName("obligation", ident, sorted(o.id for p in plans for o in p.obligations))


def _stamp(occ: Any) -> str:
    from .model import weekday_zh
    from .render import when_json

    return f"{when_json(occ.due)}（{weekday_zh(occ.due_date)}）"


@cli.group()
def trigger() -> None:
    """Trigger events: record when something happened (审批, 批准, 印发), list, remove.

    A relative or pending time limit ("审批或核准后两个工作日内") gets a due
    date for each event recorded for its obligation, or under its trigger's
    name for every obligation that waits on it.

    Example: deadlines trigger record zs2015-5 --on 2015-09-30 --note 市发改局批复
    """


@trigger.command("record")
@click.argument("obligation", required=False)
@click.option("--name", default="", help="The trigger's name as the plan writes it (审批或核准).")
@click.option("--on", "on", type=MOMENT, required=True, help="When it happened: DATE or DATETHH:MM.")
@click.option("--note", default="", help="What happened (the document, who recorded it).")
@_rules_option
@_db_option
def trigger_record(obligation: str | None, name: str, on: Any, note: str, rules: Path, db: Path | None) -> None:
    """Record a trigger event for one obligation, or by name for all that wait on it.

    Prints the due dates it gives.

    Example: deadlines trigger record zs2015-5 --on 2015-09-30 --note 发改局批复
    """
    from .model import TriggerEvent
    from .engine import event_label
    from .render import when_json
    from .triggers import date_event, trigger_names

    if not obligation and not name:
        raise click.UsageError("give an obligation, or --name for every obligation waiting on that trigger")
    plans = _load(rules)
    if obligation:
        _, ob = _find_obligation(plans, obligation)
        names = trigger_names(ob)
        if not names:
            raise DeadlineError(
                f"obligation '{obligation}' waits on no trigger (its time limit: {ob.due_text or '—'})"
            )
        if name and name not in names:
            raise UnknownName(f"trigger of {obligation}", name, names)
        wanted = {ob.id}
    else:
        users = {o.id: trigger_names(o) for p in plans for o in p.obligations}
        wanted = {i for i, names in users.items() if name in names}
        if not wanted:
            raise UnknownName("trigger", name, sorted({n for names in users.values() for n in names}))
    event = TriggerEvent(name=name, on=on, obligation=obligation or None, note=note)
    found = date_event(plans, wanted, event, calendar=_calendar(rules))  # before it is stored
    with _open_store(rules, db) as store:
        change = store.record(event, at=_now())
    who = obligation or f"{len(wanted)} 项（{name}）"
    click.echo(f"#{change} 已记录 {name or '触发事件'} {when_json(on)} → {who}")
    for occ in found:
        if occ.due is not None and occ.period == event_label(on):
            click.echo(f"  {occ.obligation}  {_stamp(occ)}  {occ.title}：{occ.why}")


@trigger.command("list")
@_rules_option
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def trigger_list(rules: Path, db: Path | None, as_json: bool) -> None:
    """The trigger events in force, with their ids (for `deadlines trigger remove`).

    Example: deadlines trigger list --json
    """
    from .render import when_json

    rows = []
    store = _open_store(rules, db, create=False)
    if store is not None:
        with store:
            rows = store.active_events()
    if as_json:
        _print_json([
            {"id": c.id, "obligation": c.obligation, "name": c.name, "on": when_json(c.on), "note": c.note,
             "recorded": c.at}
            for c in rows
        ])
        return
    if not rows:
        click.echo("（没有记录的触发事件）")
    for c in rows:
        target = c.obligation or "（按名称）"
        note = f"  {c.note}" if c.note else ""
        click.echo(f"#{c.id}  {when_json(c.on)}  {c.name or '—'}  {target}{note}  （记录于 {c.at}）")


@trigger.command("remove")
@click.argument("change_id", metavar="ID", type=int)
@click.option("--note", default="", help="Why it is taken back.")
@_rules_option
@_db_option
def trigger_remove(change_id: int, note: str, rules: Path, db: Path | None) -> None:
    """Take back a recorded trigger event (it stays in the history).

    Example: deadlines trigger remove 3 --note 日期录错
    """
    store = _open_store(rules, db, create=False)
    if store is None:
        raise DeadlineError(f"no trigger event #{change_id}: nothing has been recorded in {_db_path(rules, db)}")
    with store:
        change = store.remove(change_id, at=_now(), note=note)
    click.echo(f"#{change} 已撤销触发事件 #{change_id}")


@cli.command()
@click.argument("obligation")
@click.option("--period", help="Which occurrence: its period (2015-Q3, 2015-07) or due date (default: the earliest open one).")
@click.option("--on", "on", type=DATE, required=True, help="The day it was done.")
@click.option("--note", default="", help="What was done (the document, the link).")
@_rules_option
@_db_option
def done(obligation: str, period: str | None, on: date, note: str, rules: Path, db: Path | None) -> None:
    """Mark an occurrence of an obligation done.

    Without --period: the earliest occurrence not yet done whose window has
    opened by --on (else the next one).

    Example: deadlines done zs2015-11.2 --period 2015-Q3 --on 2015-07-20 --note 已在门户网站发布
    """
    from .model import Completion
    from .triggers import occurrence_to_mark, occurrences_of

    plans = _load(rules)
    plan, ob = _find_obligation(plans, obligation)
    triggers, completed = _state(rules, db)
    found = occurrences_of(plans, {ob.id}, calendar=_calendar(rules), triggers=triggers, done=completed)
    occ, key = occurrence_to_mark(plan, ob, found, period, on)
    with _open_store(rules, db) as store:
        change = store.mark_done(Completion(obligation=ob.id, period=key, on=on, note=note), at=_now())
    late = f"，逾期{(on - occ.due_date).days}天" if on > occ.due_date else ""
    click.echo(f"#{change} 已完成：{ob.id} {key}（{_stamp(occ)}到期）{occ.title}，完成于 {on}{late}")


@cli.command()
@click.argument("obligation")
@click.option("--period", help="Which completion (default: the latest one of the obligation).")
@click.option("--note", default="", help="Why it is taken back.")
@_rules_option
@_db_option
def undo(obligation: str, period: str | None, note: str, rules: Path, db: Path | None) -> None:
    """Take back a "done" mark (it stays in the history).

    Example: deadlines undo zs2015-11.2 --period 2015-Q3 --note 材料未发布
    """
    from contextlib import nullcontext

    _find_obligation(_load(rules), obligation)
    store = _open_store(rules, db, create=False)
    with store or nullcontext():
        marks = [c for c in store.active_completions() if c.obligation == obligation] if store else []
        if period is not None:
            marks = [c for c in marks if c.period == period]
        if not marks:
            which = f" {period}" if period else ""
            raise DeadlineError(f"no completion of {obligation}{which} to undo")
        mark = marks[-1]
        change = store.undo(mark.id, at=_now(), note=note)
    click.echo(f"#{change} 已撤销完成记录 #{mark.id}：{obligation} {mark.period}（完成于 {mark.on}）")


_ACTIONS_ZH = {"trigger": "记录触发事件", "remove": "撤销触发事件", "done": "标记完成", "undo": "撤销完成"}


@cli.command()
@click.argument("obligation")
@_rules_option
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def history(obligation: str, rules: Path, db: Path | None, as_json: bool) -> None:
    """Every change recorded for an obligation, oldest first: events, removals, completions, undos.

    Events recorded by trigger name count for every obligation waiting on that name.

    Example: deadlines history zs2015-5
    """
    from .render import when_json
    from .triggers import trigger_names

    _, ob = _find_obligation(_load(rules), obligation)
    names = set(trigger_names(ob))
    log = []
    store = _open_store(rules, db, create=False)
    if store is not None:
        with store:
            log = store.changes()
    named = {c.id for c in log if c.action == "trigger" and c.obligation is None and c.name in names}
    rows = [c for c in log if c.obligation == ob.id or c.id in named or (c.action == "remove" and c.cancels in named)]
    if as_json:
        _print_json([
            {"id": c.id, "recorded": c.at, "action": c.action, "obligation": c.obligation, "name": c.name,
             "on": when_json(c.on), "period": c.period, "cancels": c.cancels, "note": c.note}
            for c in rows
        ])
        return
    click.echo(f"{ob.id}  {ob.title}（时限：{ob.due_text or '—'}）")
    if not rows:
        click.echo("  （没有记录）")
    for c in rows:
        parts = [f"#{c.id}", c.at, _ACTIONS_ZH[c.action]]
        if c.name:
            parts.append(c.name)
        if c.period:
            parts.append(c.period)
        if c.on is not None:
            parts.append(when_json(c.on))
        if c.cancels is not None:
            parts.append(f"（撤销 #{c.cancels}）")
        if c.note:
            parts.append(f"备注：{c.note}")
        click.echo("  " + "  ".join(parts))


@cli.command()
@_rules_option
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="The site folder to write.")
@click.option("--from", "from_", type=DATE, help="First day of the feeds (default: all each plan gives).")
@click.option("--to", type=DATE, help="Last day of the feeds (default: all each plan gives).")
@click.option("--base-url", help="Where the site is published (https://…/): makes the webcal:// and Google links.")
@_db_option
@_site_options
def build(rules: Path, out: Path, from_: date | None, to: date | None, base_url: str | None,
          db: Path | None, today: date | None, alarm: Any) -> None:
    """Write the feed site: feeds/<unit>.ics, feeds/all.ics, feeds/index.json, index.html.

    Files are replaced atomically and only when they change; SEQUENCE and
    LAST-MODIFIED of an event move only when it changes (.manifest.json).

    Example: deadlines build --rules rules --out site --base-url https://example.org/deadlines/
    """
    if from_ and to and from_ > to:
        raise click.UsageError(f"--from {from_} is after --to {to}")
    result = _build(rules, db, out, start=from_, end=to, alarm=alarm, base_url=base_url, today=today)
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
@_db_option
@_site_options
def serve(rules: Path, out: Path | None, host: str, port: int, base_url: str | None,
          db: Path | None, today: date | None, alarm: Any) -> None:
    """Build the feed site and serve it, rebuilding when the rules or trigger events change.

    Feeds go out as text/calendar; charset=utf-8 with ETag and Last-Modified.

    Example: deadlines serve --rules rules --port 8000
    """
    from .serve import Rebuilder, SiteServer, fingerprint, has_site

    site = out or _state_dir(rules) / "site"
    state_db = _db_path(rules, db)
    watched = [rules, state_db, state_db.with_name(state_db.name + "-wal")]
    try:
        server = SiteServer((host, port), site)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    url = base_url or server.url

    def day() -> date:
        return today or date.today()

    rebuilder = Rebuilder(
        lambda: _build(rules, db, site, start=None, end=None, alarm=alarm, base_url=url, today=day()),
        lambda: (fingerprint(watched, skip=site), day()),
        settle=0.5, has_site=lambda: has_site(site), site=site,
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


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


@cli.command()
@_rules_option
@_db_option
@click.option("--as-of", type=DATE, help="The day the ledger is drawn up on (default: today).")
@click.option("--unit", help="Only this unit (its name or an alias).")
@click.option("--plan", "plan_id", help="Only this plan (its id).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def report(rules: Path, db: Path | None, as_of: date | None, unit: str | None, plan_id: str | None,
           as_json: bool) -> None:
    """The ledger (台账): per unit, done / overdue / due soon / waiting, the overdue list, the completion rate.

    Done and overdue count what fell due up to --as-of; due soon, what falls
    due in the next 3 working days; the rate is done ÷ (done + overdue).

    Example: deadlines report --as-of 2015-07-31 --json
    """
    from .engine import completion_period, expand
    from .model import weekday_zh
    from .report import ledger, ledger_json, soon_until

    as_of = as_of or date.today()
    plans = _pick_plans(_load(rules), plan_id)
    if unit is not None:
        unit = _resolve_unit(rules, plans, unit)
        plans = [p.model_copy(update={"obligations": [o for o in p.obligations if unit in o.units.all()]})
                 for p in plans]
    calendar = _calendar(rules)
    triggers, completed = _state(rules, db)
    until = soon_until(as_of, calendar)
    first = min((p.period.start for p in plans), default=as_of)
    occurrences = expand(plans, min(first, as_of), until, calendar=calendar, triggers=triggers,
                         done=completed, today=as_of)
    book = ledger(occurrences, as_of=as_of, calendar=calendar, unit=unit)
    if as_json:
        _print_json(ledger_json(book))
        return
    click.echo(f"台账：截至 {as_of}（{weekday_zh(as_of)}）；即将到期：至 {book.soon_until}（3个工作日内）")
    head = ("单位", "已完成", "其中逾期完成", "逾期未完成", "即将到期", "等待触发", "完成率")
    rows = [
        (t.unit, str(t.done), str(t.done_late), str(t.overdue), str(t.due_soon), str(t.waiting),
         "—" if t.completion_rate is None else f"{t.completion_rate:.0%}")
        for t in [*book.units, book.total]
    ]
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for n, row in enumerate([head, *rows]):
        cells = [_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths))]
        if n == len(rows):
            click.echo("  ".join("-" * w for w in widths))
        click.echo("  ".join(cells).rstrip())
    if book.total.overdue_items:
        click.echo("\n逾期未完成")
        for t in book.units:
            if t.overdue_items:
                click.echo(f"\n{t.unit}")
                for occ in t.overdue_items:
                    days = (as_of - occ.due_date).days
                    which = f"{occ.obligation} {completion_period(occ)}"
                    click.echo(f"  {_stamp(occ)}已逾期{days}天  {occ.title}（{which}）")


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
