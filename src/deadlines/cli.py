"""The ``deadlines`` command: options in, one :class:`~deadlines.workspace.Workspace` call, text or JSON out.

Every user error (a bad option, a bad date, a malformed rules file) ends as
one line on stderr and exit code 2.  This is the only module that reads the
clock: ``--today`` and ``--as-of`` default to the real date, and a recorded
change is stamped with the real time.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from .errors import DeadlineError
from .i18n import _
from .roles import ROLES


class _Date(click.ParamType):
    """A date as people type it (2015-07-08, 2015/07/08, 2015.7.8, 2015年7月8日, 7月8日 of this
    year); ``timed``: a time may follow (2015-09-02T10:00), making it a datetime."""

    def __init__(self, timed: bool = False):
        self.timed = timed
        self.name = "DATE[THH:MM]" if timed else "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from .typed import TypedDateError, read_typed

        if isinstance(value, date):
            return value
        try:
            return read_typed(value, year=_today().year, timed=self.timed)
        except TypedDateError as exc:
            self.fail(str(exc), param, ctx)


DATE = _Date()
MOMENT = _Date(timed=True)


class _When(click.ParamType):
    name = "[NAME=]DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
        if isinstance(value, tuple):
            return value
        name, _sep, when = value.rpartition("=")
        return name.strip(), MOMENT.convert(when, param, ctx)


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
            self.fail(_("not a span: {value!r}; use e.g. 3d, 12h, 1w, 30m").format(value=value), param, ctx)
        if span <= timedelta(0):
            self.fail(_("a reminder comes some time before the event, not {value!r}").format(value=value), param, ctx)
        return span


# --------------------------------------------------------------------------
# The clock, the workspace, printing


def _today() -> date:
    return date.today()


def _now() -> datetime:
    """The time a change is recorded at: the only clock the event store sees, in Beijing time."""
    from .dates import BEIJING

    return datetime.now(BEIJING).replace(microsecond=0)


def _login() -> str:
    """Who records a change unless --by says: the login name."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        return ""


def _by_option(f: Any) -> Any:
    return click.option("--by", "by", help="Who did it (default: the login name); shown in `deadlines history`.")(f)


def _open(rules: Path | None, db: Path | None = None, *, keep_plans: bool = True, required: bool = True) -> Any:
    """The workspace of ``--rules`` (else ``DEADLINES_RULES``, else the rules folder found in the
    current folder or a parent) and ``--db``; a command's plans live as long as it does.

    When the command ends, the stored events it passed over (recorded before
    such events were refused) are reported on stderr, one line each.
    """
    from .workspace import Workspace, find_rules

    workspace = Workspace(find_rules(rules, required=required), db=db, keep_plans=keep_plans)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(lambda: _report_skipped(workspace))
    return workspace


def _report_skipped(workspace: Any) -> None:
    if not workspace.skipped_events:
        return  # (the event store's module and sqlite3 are not imported for nothing)
    from .triggers import skipped_event

    for change in workspace.skipped_events.values():
        click.echo(f"deadlines: {skipped_event(change)}", err=True)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _color() -> bool | None:
    """None: colour when stdout is a terminal (click decides); never with NO_COLOR set or on a
    terminal that has none (TERM=dumb)."""
    import os

    return False if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb" else None


def _stamp(occ: Any) -> str:
    from .dates import weekday_zh
    from .dates import moment_text

    return f"{moment_text(occ.due)}（{weekday_zh(occ.due_date)}）"


def _rules_option(f: Any) -> Any:
    return click.option(
        "--rules",
        "rules",
        default=None,
        type=click.Path(path_type=Path),
        help="Folder of rule files (or one file); default: $DEADLINES_RULES, else the rules folder "
             "of the current folder or a parent (one with units.yaml, or a rules/ folder).",
    )(f)


def _db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db",
        envvar="DEADLINES_DB",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The event store (default: .deadlines/state.db beside the rules folder; or $DEADLINES_DB).",
    )(f)


def _site_options(f: Any) -> Any:
    f = click.option("--alarm", type=_Span(), help="Add a reminder this long before each event (e.g. 3d); off by default.")(f)
    f = click.option("--today", type=DATE, help="Start the page's 30-day lists here (default: the real date).")(f)
    f = click.option("--verify/--no-verify", default=True, show_default=True,
                     help="Read every feed back with recurring-ical-events and compare it with the rules "
                          "before publishing.")(f)
    return f


class _Helped:
    """A command whose help is put in the language in use when it is shown, not on every run:
    most runs print no help, and translating every help text of the tree costs milliseconds."""

    def get_help(self, ctx: click.Context) -> str:
        from .clihelp import translate

        translate(ctx.find_root().command)
        return super().get_help(ctx)  # type: ignore[misc]


class _Command(_Helped, click.Command):
    pass


class _Group(_Helped, click.Group):
    command_class = _Command


class _Root(_Helped, click.Group):
    """The ``deadlines`` group: chooses the language before anything is parsed or printed."""

    command_class = _Command
    group_class = _Group

    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        from .i18n import completing, install_for_click, set_language

        argv = list(sys.argv[1:] if args is None else args)
        lang = None
        for i, arg in enumerate(argv):
            if arg == "--":
                break
            if arg == "--lang" and i + 1 < len(argv):
                lang = argv[i + 1]
            elif arg.startswith("--lang="):
                lang = arg.split("=", 1)[1]
        try:
            set_language(lang)
        except ValueError:
            set_language(None)  # the option's own check names the bad value
        install_for_click()
        if completing():  # completion shows the help texts
            from .clihelp import translate

            translate(self)
        if extra.get("standalone_mode", True) is False:
            return super().main(argv, *rest, **extra)  # main() below prints the errors, then settles
        try:
            return super().main(argv, *rest, **extra)
        finally:
            _settle(self)


def _settle(root: click.Group) -> None:
    """After a run in one process (tests, the Python API): the environment's language, English help in the tree."""
    from .i18n import set_language

    if "deadlines.clihelp" in sys.modules:  # help was translated (shown, or completion): English again
        from .clihelp import restore

        restore(root)
    set_language(None)


def _lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Only checks the value: :meth:`_Root.main` chose the language from it before parsing."""
    from .i18n import _, normalise

    if value is None:
        return value
    try:
        normalise(value)
    except ValueError:
        raise click.BadParameter(_("use zh (中文) or en (English), not {value!r}").format(value=value)) from None
    return value


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """click's version option, its message said in the language chosen (click's own fixes it at import)."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    click.echo(_("%(prog)s, version %(version)s") % {"prog": ctx.find_root().info_name, "version": version("deadlines")})
    ctx.exit()


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
@click.option("--lang", metavar="zh|en", is_eager=True, expose_value=False, callback=_lang,
              help="Language of help, messages and output: zh (default) or en; "
                   "without it, LANG=en_US.UTF-8 (or LC_ALL, LANGUAGE) gives English.")
def cli() -> None:
    """Deadlines of Chinese government work plans: read, count, list, publish."""


# --------------------------------------------------------------------------
# A rules folder of one's own


@cli.command()
@click.argument("folder", required=False, default="rules", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Start a rules folder of one's own (default: rules/ here): an empty unit registry
    (units.yaml), the calendars/ folder for holiday notices, and a README of what goes where.

    Commands run in that folder or below it find it (as git finds its repository),
    and so do commands run beside a folder named rules; elsewhere use --rules or
    DEADLINES_RULES.
    Files already there are left as they are.

    Example: deadlines init 政务公开
    """
    from .messages import say
    from .workspace import init_folder

    made = init_folder(folder)
    if made.created:
        click.echo(say("init_created", path=folder, made="、".join(str(p) for p in made.created)))
    else:
        click.echo(say("init_exists", path=folder))
    click.echo(say("init_next", plans=folder / "编号.yaml"))


# --------------------------------------------------------------------------
# What falls due


@cli.command()
@_rules_option
@_db_option
@click.option("--today", type=DATE, help="Take this as today (default: the real date).")
@click.option("--next-week", is_flag=True, help="Monday to Sunday after today.")
@click.option("--this-week", is_flag=True, help="Monday to Sunday of today.")
@click.option("--week-of", type=DATE, help="Monday to Sunday of the week holding this date.")
@click.option("--from", "from_", type=DATE, help="First day of the window (with --to).")
@click.option("--to", type=DATE, help="Last day of the window (with --from).")
@click.option("--days", type=click.IntRange(min=0), help="Today and the N days after it.")
@click.option("--unit", help="Only this unit's obligations (its name or an alias).")
@click.option("--plan", "plan_id", help="Only this plan (its id, as in `deadlines list`).")
@click.option("--role", type=click.Choice(ROLES), help="Only where the unit (with --unit) or some unit has this role.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def due(
    rules: Path | None,
    db: Path | None,
    today: date | None,
    next_week: bool,
    this_week: bool,
    week_of: date | None,
    from_: date | None,
    to: date | None,
    days: int | None,
    unit: str | None,
    plan_id: str | None,
    role: str | None,
    as_json: bool,
) -> None:
    """What falls due, grouped by unit: without a window, what is overdue and not done (however
    long ago), then this week, then next week; or the window asked for.

    Each line gives the due date, the working days left, the task, its time
    limit as written and why the date is what it is; obligations still waiting
    on a trigger are listed at the end.  Colours (red overdue, yellow within 3
    working days, green later, grey done) only on a terminal and without NO_COLOR.

    Example: deadlines due --today 2015-07-08 --next-week --unit 市财政局
    """
    from .render import agenda_json
    from .workspace import Window

    today = today or _today()
    window = Window.choose(today, next_week=next_week, this_week=this_week, week_of=week_of, start=from_, end=to,
                           days=days, default=None)
    workspace = _open(rules, db)
    if window is None:
        agenda = workspace.today_view(today, unit=unit, plan=plan_id, role=role)
    else:
        agenda = workspace.due(window, today=today, unit=unit, plan=plan_id, role=role)
    if as_json:
        _print_json(agenda_json(agenda))
    else:
        click.echo(_agenda_text(agenda, workspace.folder), color=_color())


_SECTIONS_ZH = {"overdue": "逾期未完成", "this_week": "本周", "next_week": "下周"}


def _years_text(years: list[int]) -> str:
    """2013–2016、2019 年: the years as runs."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return "、".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs) + " 年"


def _agenda_text(agenda: Any, folder: Path) -> str:
    from .dates import weekday_zh
    from .duetext import dated_lines, waiting_line
    from .messages import say

    def day(d: date) -> str:
        return f"{d}（{weekday_zh(d)}）"

    start, end, today = agenda.window.start, agenda.window.end, agenda.today
    if agenda.today_view:
        out = [f"今天 {day(today)}：逾期未完成、本周和下周到期的事项"]
    else:
        out = [f"{day(start)}至 {day(end)}到期，今天 {day(today)}"]
    if not agenda.plan_years:
        out.append(f"  （{say('no_plans', folder=folder)}）")
    elif not agenda.covered and not agenda.dated:
        out.append(f"  （{say('no_plan_covers', start=start, end=end, years=_years_text(agenda.plan_years))}）")
    style = lambda text, colour: click.style(text, fg=colour)  # noqa: E731
    for kind, window, found in agenda.sections():
        if agenda.today_view:
            when = f" {day(window.start)}至 {day(window.end)}" if window else ""
            out.append(f"\n【{_SECTIONS_ZH[kind]}{when}】（{len(found)}项）")
        groups = agenda.by_unit_of(found)
        if not groups:
            out.append("  （无）")
        for name, items in groups.items():
            out.append(f"\n{name}")
            for occ in items:
                out += dated_lines(occ, name, today, agenda.calendar, style=style)
    waiting = agenda.waiting
    if waiting:
        out.append(f"\n等待触发（{len(waiting)}项）")
        out += [waiting_line(occ) for occ in waiting]
    return "\n".join(out)


# --------------------------------------------------------------------------
# The rules: list, parse, import, check, schema


@cli.command("list")
@_rules_option
@click.option("--plan", "plan_id", help="Only this plan (its id).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(rules: Path | None, plan_id: str | None, as_json: bool) -> None:
    """Every obligation of every plan (or of --plan), with its units and rules.

    Example: deadlines list --rules rules --plan zhongshan-2015 --json
    """
    from .render import explain, obligation_json

    workspace = _open(rules)
    if as_json:
        _print_json([obligation_json(plan, ob) for plan, ob in workspace.obligations(plan_id)])
        return
    for plan in workspace.plans_of(plan_id):
        click.echo(f"{plan.id}  {plan.title}")
        for ob in plan.obligations:
            flags = f"  [{', '.join(ob.flags)}]" if ob.flags else ""
            rules_text = "；".join(explain(r) for r in ob.rules) or "—"
            click.echo(f"  {ob.id}  {ob.title}  {'、'.join(ob.units.all())}  {rules_text}{flags}")


@cli.command()
@click.argument("text")
@click.option("--year", type=int, help="The plan year: a date without a year is in it (default: this year).")
@click.option("--issued", type=DATE, help="The plan's issue date (本方案印发/公布).")
@click.option("--trigger", "triggers", type=_When(), multiple=True,
              help="An event: NAME=DATE for one trigger, DATE for every trigger in the text. Repeatable.")
@click.option("--from", "from_", type=DATE, help="First day of the window (default: January 1 of --year).")
@click.option("--to", type=DATE, help="Last day of the window (default: December 31 of --year).")
@_rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def parse(
    text: str,
    year: int | None,
    issued: date | None,
    triggers: tuple[tuple[str, Any], ...],
    from_: date | None,
    to: date | None,
    rules: Path | None,
    as_json: bool,
) -> None:
    """Read one time limit: its rules, and the dates they give in the year.

    Dates are counted with the working-day calendar and the calendar files of
    --rules (when it exists).  Nothing is written.

    Example: deadlines parse 审批或核准后两个工作日内 --year 2015 --trigger 2015-09-30 --json
    """
    from .render import explain, reading_json

    year = year or (issued.year if issued else _today().year)
    reading = _open(rules, keep_plans=False, required=False).parse(text, year=year, issued=issued, triggers=triggers, start=from_,
                                                   end=to)
    if as_json:
        _print_json(reading_json(reading.text, reading.rules, reading.occurrences))
        return
    dated = [o for o in reading.occurrences if o.due is not None]
    for i, rule in enumerate(reading.rules, 1):
        mark = "（有歧义）" if rule.ambiguous else ""
        click.echo(f"{i}. {rule.kind}：{explain(rule)}{mark}" + (f"  ← {rule.text}" if rule.text else ""))
        if rule.unparsed:
            click.echo(f"   未能识别：{rule.unparsed}")
    click.echo(f"{reading.window.start} 至 {reading.window.end}：" + ("" if dated else "无到期日"))
    for occ in dated:
        click.echo(f"  {occ.why}")
    for occ in reading.occurrences:
        if occ.due is None:
            click.echo(f"  {occ.why}")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="The plan year, when the title gives none.")
@click.option("--id", "prefix", help="Obligation id prefix (default: the output file's name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the rules file here (default: print it).")
@click.option("--units", "units_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Unit registry to use and extend (default: units.yaml beside the output, or in --rules).")
@click.option("--force", is_flag=True, help="Replace an existing rules file that differs (review marks are lost).")
@_rules_option
def import_(file: Path, year: int | None, prefix: str | None, output: Path | None, units_path: Path | None,
            force: bool, rules: Path | None) -> None:
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
    done = _open(rules, required=False).import_plan(file, output=output, year=year, prefix=prefix, units=units_path, force=force)
    result = done.result
    if output is None:
        click.echo(result.yaml, nl=False)
    for line in result.notes:
        click.echo(f"  {line}", err=True)
    if output is None:
        click.echo(_("{count} obligations; {new} unit names not in {registry}").format(
            count=result.obligations, new=len(result.new_units), registry=done.registry), err=True)
        return
    click.echo(_("{output}: {count} obligations, {review} to review; {new} new unit names in {registry}").format(
        output=output, count=result.obligations, review=len(done.findings), new=len(result.new_units),
        registry=done.registry), err=True)
    for finding in done.findings:
        click.echo(f"  {finding}", err=True)


@cli.command()
@_rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, rules: Path | None, as_json: bool) -> None:
    """List what needs a person: unread or ambiguous time limits, unknown
    units, duplicated rows, tasks without units.  Exit 0 when clean, 1 otherwise.

    Example: deadlines check --rules rules
    """
    from .render import finding_json

    findings = _open(rules).check()
    if as_json:
        _print_json([finding_json(f) for f in findings])
    else:
        for finding in findings:
            click.echo(str(finding))
        files = len({f.file for f in findings})
        click.echo(_("{count} to review in {files} file(s)").format(count=len(findings), files=files) if findings
                   else _("clean: nothing to review"), err=True)
    ctx.exit(1 if findings else 0)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a rules file.

    Example: deadlines schema > rules.schema.json
    """
    from .model import Plan

    _print_json(Plan.model_json_schema())


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
def holidays_import(notice: Path, rules: Path | None, dry_run: bool, force: bool, as_json: bool) -> None:
    """Read a saved notice (text or web page) into calendars/YYYY.yaml of the rules folder.

    The notice is checked before anything is written: stated day counts, 上班
    days on weekends, weekdays beside dates, consecutive rest days, all seven
    holidays, a copy cut off.  A later notice that changes the year (调整、延长)
    is merged into the year's file.  An existing file is replaced only with
    --force.  The year is shown as a small calendar to compare with the notice.

    Example: deadlines holidays import 2027.txt --rules rules --dry-run
    """
    from .holidays.show import render_year

    result = _open(rules).import_holidays(notice, dry_run=dry_run, force=force)
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
def holidays_show(year: int, rules: Path | None) -> None:
    """A year as a small calendar: rest days (*) and working weekends (+), the holidays, the source.

    Example: deadlines holidays show 2026
    """
    click.echo(_open(rules, required=False).calendar_year(year), nl=False)


@holidays.command("status")
@_rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def holidays_status(rules: Path | None, as_json: bool) -> None:
    """Each year with the source of its working days; a warning for each year the plans reach without official data.

    Sources: package (chinese-calendar), notice (calendars/YYYY.yaml read from
    the notice), provisional (weekends only).

    Example: deadlines holidays status --rules rules
    """
    rows = _open(rules).holiday_status()
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


# --------------------------------------------------------------------------
# Trigger events, completion, history and the ledger: the event store


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
@_by_option
@_rules_option
@_db_option
def trigger_record(obligation: str | None, name: str, on: Any, note: str, by: str | None, rules: Path | None,
                   db: Path | None) -> None:
    """Record a trigger event for one obligation, or by name for all that wait on it.

    Prints the due dates it gives.

    Example: deadlines trigger record zs2015-5 --on 2015-09-30 --note 发改局批复
    """
    from .dates import moment_text

    done = _open(rules, db).record(obligation, on=on, name=name, note=note, at=_now(), by=by or _login())
    who = obligation or f"{len(done.obligations)} 项（{name}）"
    click.echo(f"#{done.change} 已记录 {name or '触发事件'} {moment_text(on)} → {who}")
    for occ in done.occurrences:
        click.echo(f"  {occ.obligation}  {_stamp(occ)}  {occ.title}：{occ.why}")


@trigger.command("list")
@_rules_option
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def trigger_list(rules: Path | None, db: Path | None, as_json: bool) -> None:
    """The trigger events in force, with their ids (for `deadlines trigger remove`).

    Example: deadlines trigger list --json
    """
    from .dates import moment_text
    from .render import event_json

    rows = _open(rules, db).triggers()
    if as_json:
        _print_json([event_json(c) for c in rows])
        return
    if not rows:
        click.echo("（没有记录的触发事件）")
    for c in rows:
        target = c.obligation or "（按名称）"
        note = f"  {c.note}" if c.note else ""
        click.echo(f"#{c.id}  {moment_text(c.on)}  {c.name or '—'}  {target}{note}  （记录于 {c.at}）")


@trigger.command("remove")
@click.argument("change_id", metavar="ID", type=int)
@click.option("--note", default="", help="Why it is taken back.")
@_by_option
@_rules_option
@_db_option
def trigger_remove(change_id: int, note: str, by: str | None, rules: Path | None, db: Path | None) -> None:
    """Take back a recorded trigger event (it stays in the history).

    Example: deadlines trigger remove 3 --note 日期录错
    """
    change = _open(rules, db).remove_trigger(change_id, note=note, at=_now(), by=by or _login())
    click.echo(f"#{change} 已撤销触发事件 #{change_id}")


@cli.command()
@click.argument("obligation")
@click.option("--period", help="Which occurrence: its period (2015-Q3, 2015-07), due date or key "
                               "(default: the open one due nearest to --on).")
@click.option("--on", "on", type=DATE, help="The day it was done (default: today).")
@click.option("--note", default="", help="What was done (the document, the link).")
@click.option("--unit", help="A member of the group the task is for: marks the member's own part done.")
@_by_option
@_rules_option
@_db_option
def done(obligation: str, period: str | None, on: date | None, note: str, unit: str | None, by: str | None,
         rules: Path | None, db: Path | None) -> None:
    """Mark an occurrence of an obligation done (OBLIGATION: its id, or an occurrence key).

    Without --period: the open occurrence whose due date is nearest to --on
    (two equally near: give --period, they are listed).  The occurrence is
    named by its key, obligation/rule/period, as in `deadlines due --json`.
    Who did it (--by, default the login name) is kept and shown in `history`.

    Example: deadlines done zs2015-11.2 --period 2015-Q3 --on 2015-07-20 --note 已在门户网站发布
    """
    on = on or _today()
    marked = _open(rules, db).mark_done(obligation, period=period, on=on, note=note, at=_now(), by=by or _login(),
                                        unit=unit)
    occ = marked.occurrence
    late = f"，逾期{marked.days_late}天" if marked.days_late else ""
    who = f"（{marked.completion.unit}）" if marked.completion.unit else ""
    click.echo(f"#{marked.change} 已完成{who}：{occ.key}（{_stamp(occ)}到期）{occ.title}，完成于 {on}{late}")


@cli.command()
@click.argument("obligation")
@click.option("--period", help="Which completion: its period, due date or key (default: the latest one).")
@click.option("--note", default="", help="Why it is taken back.")
@click.option("--unit", help="The member whose own done mark of a group task is taken back.")
@_by_option
@_rules_option
@_db_option
def undo(obligation: str, period: str | None, note: str, unit: str | None, by: str | None, rules: Path | None,
         db: Path | None) -> None:
    """Take back a "done" mark (it stays in the history).

    Example: deadlines undo zs2015-11.2 --period 2015-Q3 --note 材料未发布
    """
    undone = _open(rules, db).undo(obligation, period=period, note=note, at=_now(), by=by or _login(), unit=unit)
    mark = undone.mark
    click.echo(f"#{undone.change} 已撤销完成记录 #{mark.id}：{mark.key}（完成于 {mark.on}）")


_ACTIONS_ZH = {"trigger": "记录触发事件", "remove": "撤销触发事件", "done": "标记完成", "undo": "撤销完成"}


@cli.command()
@click.argument("obligation")
@_rules_option
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def history(obligation: str, rules: Path | None, db: Path | None, as_json: bool) -> None:
    """Every change recorded for an obligation, oldest first: events, removals, completions,
    undos, and the reminders sent about it (#R…, with their outcome).

    Events recorded by trigger name count for every obligation waiting on that name.

    Example: deadlines history zs2015-5
    """
    from .render import change_json, reminder_json

    found = _open(rules, db).history(obligation)
    if as_json:
        rows = [change_json(c) for c in found.changes] + [reminder_json(r) for r in found.reminders]
        _print_json(sorted(rows, key=lambda row: row["recorded"]))
        return
    ob = found.obligation
    click.echo(f"{ob.id}  {ob.title}（时限：{ob.due_text or '—'}）")
    if not found.changes and not found.reminders:
        click.echo("  （没有记录）")
    lines = [(c.at, 0, c.id, _change_line(c)) for c in found.changes]
    lines += [(r.at, 1, r.id, _reminder_line(r)) for r in found.reminders]
    for *_key, line in sorted(lines):
        click.echo(line)


_OUTCOMES_ZH = {"sent": "已发送", "failed": "发送失败", "sending": "发送中（未记录结果）"}


def _reminder_line(r: Any) -> str:
    from .remind.contacts import CHANNELS_ZH
    from .remind.digest import KIND_ZH

    k = r.key
    again = f"（第{k.round + 1}次）" if k.round else ""
    parts = [f"#R{r.id}", r.at, f"提醒{KIND_ZH[k.kind]}{again}", k.unit, CHANNELS_ZH.get(k.channel, k.channel),
             k.occurrence.split("/", 1)[1]]
    if k.due:
        parts.append(k.due)
    parts.append(_OUTCOMES_ZH[r.outcome] + (f"：{r.detail}" if r.detail and r.outcome == "failed" else ""))
    return "  " + "  ".join(parts)


def _change_line(c: Any) -> str:
    from .dates import moment_text

    parts = [f"#{c.id}", c.at, _ACTIONS_ZH[c.action]]
    if c.unit:
        parts.append(f"（{c.unit}）")
    if c.name:
        parts.append(c.name)
    if c.key is not None:
        parts.append(str(c.key))
    if c.on is not None:
        parts.append(moment_text(c.on))
    if c.cancels is not None:
        parts.append(f"（撤销 #{c.cancels}）")
    if c.note:
        parts.append(f"备注：{c.note}")
    if c.by:
        parts.append(f"经办：{c.by}")
    return "  " + "  ".join(parts)


@cli.command()
@_rules_option
@_db_option
@click.option("--today", type=DATE, help="Take this as today (default: the real date).")
@click.option("--dry-run", is_flag=True, help="Print exactly what would be sent; send and record nothing.")
def remind(rules: Path | None, db: Path | None, today: date | None, dry_run: bool) -> None:
    """Send each unit its reminders: overdue, due within its lead time (3 working days
    unless set), newly dated by a trigger, newly waiting.

    Each unit's channels (e-mail, 企业微信, 钉钉, 飞书) are in contacts.yaml of the
    rules folder, secrets in environment variables.  Every reminder is recorded
    in the event store: a second run the same day sends nothing new, a message
    that failed is sent by the next run.  Exit 0 when every message went out,
    1 when one did not (it is retried), 2 on bad input.  Meant for cron or a
    systemd timer (docs/reminders.md).

    Example: deadlines remind --today 2015-07-08 --dry-run
    """
    import os

    workspace = _open(rules, db)
    report = workspace.remind(today or _today(), now=_now, env=os.environ, dry_run=dry_run)
    for note in report.notes:
        click.echo(f"deadlines: {note}", err=True)
    click.echo(_remind_text(report, dry_run, has_contacts=workspace.contacts_path.exists()), nl=False)
    if not report.all_sent:
        raise click.exceptions.Exit(1)


_UNREACHABLE_SHOWN = 8  # units named in remind's line of units without a channel


def _remind_text(report: Any, dry_run: bool, *, has_contacts: bool) -> str:
    from .dates import weekday_zh
    from .remind.contacts import CHANNELS_ZH
    from .remind.digest import KIND_ZH

    def counts(items: Any) -> str:
        found: dict[str, int] = {}
        for item in items:
            found[item.kind] = found.get(item.kind, 0) + 1
        return "，".join(f"{KIND_ZH[k]}{n}项" for k, n in found.items())

    today = report.today
    out = [f"{today}（{weekday_zh(today)}）的提醒" + ("（--dry-run：不发送，不记录）" if dry_run else "")]
    if dry_run:
        for p in report.previews:
            out += ["", f"=== {p.unit} · {CHANNELS_ZH[p.channel]}（{counts(p.items)}）===", p.text.rstrip("\n")]
    for d in report.deliveries:
        again = f"（其中 {d.retried} 项为重发）" if d.retried else ""
        parts = f"，{d.parts} 条消息" if d.parts > 1 else ""
        if d.ok:
            state = "已发送，但有问题" if d.partial else "已发送"
        else:
            state = "失败，下次运行重发" if len(d.failed_items) == len(d.items) else \
                f"部分失败（{len(d.failed_items)} 项下次运行重发）"
        out.append(f"{d.unit}  {d.channel_zh}  {state}：{counts(d.items)}{again}{parts}；{d.detail}")
    if report.unreachable:
        # The units with the most reminders first; a long list is cut (--dry-run shows each).
        ranked = sorted(report.unreachable.items(), key=lambda item: (-item[1], item[0]))
        listed = "、".join(f"{u}（{n}项）" for u, n in ranked[:_UNREACHABLE_SHOWN])
        if len(ranked) > _UNREACHABLE_SHOWN:
            listed += f" 等 {len(ranked)} 个单位，共 {sum(n for _, n in ranked)} 项"
        hint = "" if has_contacts else "（规则目录中没有 contacts.yaml，见 docs/reminders.md）"
        out.append(f"未配置接收方式，未发送：{listed}{hint}")
    if not dry_run:
        sent = sum(1 for d in report.deliveries if d.ok)
        failed = len(report.deliveries) - sent
        if report.deliveries:
            out.append(f"合计：{len(report.deliveries)} 条提醒，{sent} 条已发送，{failed} 条失败")
        else:
            out.append("没有新的提醒需要发送")
    elif not report.previews:
        out.append("没有新的提醒需要发送")
    return "\n".join(out) + "\n"


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
def report(rules: Path | None, db: Path | None, as_of: date | None, unit: str | None, plan_id: str | None,
           as_json: bool) -> None:
    """The ledger (台账): per unit, done / overdue / due soon / waiting, the overdue list, the completion rate.

    Done and overdue count what fell due up to --as-of; due soon, what falls
    due in the next 3 working days; the rate is done ÷ (done + overdue).

    Example: deadlines report --as-of 2015-07-31 --json
    """
    from .dates import weekday_zh
    from .render import ledger_json

    as_of = as_of or _today()
    book = _open(rules, db).ledger(as_of, unit=unit, plan=plan_id)
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
                    via = f"，来自{occ.via}" if occ.via else ""
                    click.echo(f"  {_stamp(occ)}已逾期{days}天  {occ.title}（{occ.key}{via}）")


# --------------------------------------------------------------------------
# Feeds: build, serve, lint


@cli.command()
@_rules_option
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="The site folder to write.")
@click.option("--from", "from_", type=DATE, help="First day of the feeds (default: all each plan gives).")
@click.option("--to", type=DATE, help="Last day of the feeds (default: all each plan gives).")
@click.option("--base-url", help="Where the site is published (https://…/): makes the webcal:// and Google links.")
@_db_option
@_site_options
@click.option("--parallel", is_flag=True,
              help="Read the feeds back in a second process while the site is written (Linux): sooner with two "
                   "or more processors, for about half as much memory again.")
def build(rules: Path | None, out: Path, from_: date | None, to: date | None, base_url: str | None,
          db: Path | None, today: date | None, alarm: Any, verify: bool, parallel: bool) -> None:
    """Write the feed site: feeds/<unit>.ics, feeds/all.ics, feeds/index.json, index.html.

    Files are replaced atomically and only when they change; SEQUENCE and
    LAST-MODIFIED of an event move only when it changes (kept in the event
    store, --db: a build into a fresh folder gives the same bytes).
    Every feed is first read back with recurring-ical-events and compared
    with the rules (--no-verify skips it): a feed a calendar would expand
    differently is not published.

    Example: deadlines build --rules rules --out site --base-url https://example.org/deadlines/
    """
    result = _open(rules, db).build(out, start=from_, end=to, alarm=alarm, base_url=base_url,
                                    today=today or _today(), verify=verify, parallel=parallel)
    checked = _(", every feed read back") if verify else ""
    click.echo(
        _("{out}: {units} unit feeds and all.ics, {start} to {end}, data version {version}; "
          "{written} files written, {removed} removed{checked}").format(
            out=out, units=result.units, start=result.start, end=result.end, version=result.data_version,
            written=len(result.written), removed=len(result.removed), checked=checked)
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
def serve(rules: Path | None, out: Path | None, host: str, port: int, base_url: str | None,
          db: Path | None, today: date | None, alarm: Any, verify: bool) -> None:
    """Build the feed site and serve it, rebuilding when the rules or trigger events change.

    Feeds go out as text/calendar; charset=utf-8 with ETag and Last-Modified.

    Example: deadlines serve --rules rules --port 8000
    """
    workspace = _open(rules, db, keep_plans=False)  # the plans are read again when the rules change
    try:
        server = workspace.server(out=out, host=host, port=port, base_url=base_url, alarm=alarm, verify=verify,
                                  today=lambda: today or _today())
    except OSError as exc:
        raise click.ClickException(_("cannot listen on {host}:{port}: {reason}").format(
            host=host, port=port, reason=exc.strerror or exc)) from None
    try:
        click.echo(_("serving {site} at {url} (Ctrl+C stops)").format(site=out or workspace.site_dir, url=server.url),
                   err=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_rules_option
@_db_option
def lint(files: tuple[Path, ...], rules: Path | None, db: Path | None) -> None:
    """Check iCalendar feeds for what parsers accept but clients choke on, and read each back.

    Missing UID or DTSTAMP, DTEND not after DTSTART, duplicate UIDs, RRULE
    without UNTIL, RDATE-only series, lines over 75 octets, LF line ends, a
    TZID with no VTIMEZONE.  Each feed is then expanded with
    recurring-ical-events; a feed of a site built from --rules (its
    feeds/index.json names it) must give exactly the rules' occurrences.
    Exits 1 when a problem is found.

    Example: deadlines lint site/feeds/all.ics
    """
    clean = True
    for found in _open(rules, db, required=False).lint(files):
        for problem in found.problems:
            click.echo(f"{found.path}:{problem}")
        for problem in found.read_back:
            click.echo(f"{found.path}: {problem}")
        if found.ok:
            click.echo(f"{found.path}: " + (_("ok, as the rules give it") if found.compared else _("ok")))
        clean = clean and found.ok
    if not clean:
        raise click.exceptions.Exit(1)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors become one line on stderr and exit code 2."""
    try:
        return _main(argv)
    finally:
        _settle(cli)


def _main(argv: list[str] | None) -> int:
    try:
        code = cli.main(args=argv, prog_name="deadlines", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("deadlines: " + _("aborted"), err=True)
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
    except Exception as exc:  # noqa: BLE001 - a fault of ours, met on input nobody foresaw: one line, not a traceback
        if os.environ.get("DEADLINES_TRACEBACK"):
            raise
        from .messages import say

        click.echo("deadlines: " + say("internal_error", kind=type(exc).__name__, where=_fault_place(exc),
                                       message=str(exc)[:200]), err=True)
        return 70  # EX_SOFTWARE: not the input's fault (2) nor a finding (1)
    return code if isinstance(code, int) else 0


def _fault_place(exc: BaseException) -> str:
    """Where in this package ``exc`` was raised: ``importers/meta.py:145`` (the innermost such frame)."""
    package = Path(__file__).resolve().parent
    place = "?"
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if package in path.parents:
            place = f"{path.relative_to(package).as_posix()}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
