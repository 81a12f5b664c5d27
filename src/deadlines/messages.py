"""The words the library says to a user about bad input and failing storage, in one place.

Each message is a template with named fields; :func:`say` fills one in, in
the language in use.  The templates here are the English msgids of the
package's one gettext catalog (:mod:`deadlines.i18n`); the Chinese, the
default, is their translation in ``locale/zh_CN/LC_MESSAGES/deadlines.po``.
A new message: add its key and English template here, run ``make messages``,
and write its Chinese in the ``.po`` file (a test fails until every msgid
has one).
"""

from __future__ import annotations

from .i18n import N_, _

MESSAGES: dict[str, str] = {
    # -- a fault of the program itself (not of the input): one line, the place it happened
    "internal_error": N_("internal error ({kind} at {where}): {message} — no file is left half-written; please report this line with the file given (DEADLINES_TRACEBACK=1 shows the traceback)"),
    # -- the disk and the file system
    "disk_full": N_("disk full: {path}: {action} not done, the existing content is unchanged (free some space and try again)"),
    "cannot_write": N_("cannot write {path}: {reason} ({action} not done, the existing content is unchanged)"),
    "action_write": N_("writing the file"),
    # -- reading a rules file (or units.yaml, or a calendar file)
    "too_big": N_("file too big ({size} bytes, the limit is {limit}): a rules file is never this big; check that this is the right file"),
    "encoding_guess": N_("not UTF-8 text, it looks like {encoding}: convert it to UTF-8, e.g. iconv -f {iconv} -t UTF-8 {name} > {name}.utf8 && mv {name}.utf8 {name}"),
    "encoding_unknown": N_("not UTF-8 text (undecodable from byte {byte}) and not like any common text encoding: perhaps a binary file; save it as UTF-8"),
    "control_char": N_("control character {code} ({name}) in column {column}: not allowed in a YAML file, delete it"),
    "too_deep": N_("nested deeper than {limit} levels: a rules file needs no such depth; check that the brackets pair up"),
    "alias_too_big": N_("alias *{anchor} expands to more than {limit} values: a rules file needs no such expansion, write the content out"),
    "alias_recursive": N_("alias *{anchor} refers to content that holds itself (a recursive reference)"),
    "alias_undefined": N_("alias *{anchor} has no anchor &{anchor}"),
    "two_documents": N_("a file holds one YAML document only (a second one starts here)"),
    "key_not_text": N_("a key must be plain text"),
    "key_twice": N_("appears twice in the same mapping"),
    "not_int": N_("should be an integer, not {value}"),
    "int_range": N_("should be within {low}–{high}, not {value}"),
    "date_range": N_("the date should be within {low}–{high}, not {value}"),
    "plan_id_twice": N_("plan id '{plan}' is also used by {other}"),
    # -- reading a plan document (importers)
    "needs_ocr": N_("{source}: the PDF has no text layer (a scan): run text recognition (OCR) first, or use the original .docx / .doc file"),
    "no_soffice": N_("{source}: reading a {kind} file needs LibreOffice, which is not installed here: run apt-get install libreoffice-writer-nogui libreoffice-calc-nogui, or save it as {target} in WPS/Word"),
    "soffice_failed": N_("{source}: LibreOffice could not convert this file ({reason}); save it as {target} in WPS/Word and import that"),
    "broken": N_("{source}: not a complete {kind} file ({reason}); download it again or save it anew, then import it"),
    "encrypted": N_("{source}: the file is encrypted (it has an open password): save it without the password, then import it"),
    "empty": N_("{source}: the file holds no text"),
    # -- the event store
    "action_open": N_("opening the event store"),
    "action_trigger": N_("recording a trigger event"),
    "action_remove": N_("removing a trigger event"),
    "action_done": N_("marking done"),
    "action_undo": N_("undoing a completion"),
    "already_done": N_("{occurrence} was already marked done on {on} (#{change}); nothing recorded again. To correct it, undo it first"),
    "event_out_of_range": N_("event date {on} is outside the years that can be counted ({low}–{high}): check the date for a typo"),
    "event_undatable": N_("{obligation}: no due date can be counted from event {on} ({reason}): check the date for a typo"),
    "stored_event_skipped": N_("trigger event #{change} ({on}) skipped: {reason}; everything else is counted as usual. Remove it with deadlines trigger remove {change}"),
    # -- names given on the command line, the event store, feeds read back (errors.py)
    "calendar_data_missing": N_("no official working-day data for {year}: add rules/calendars/{year}.yaml from the State Council notice (see docs/holidays.md), or count {year} as weekends only with provisional dates"),
    "did_you_mean": N_(" (did you mean {names}?)"),
    "unknown_name": N_("unknown {what} '{name}'{hint}"),
    "ambiguous_name": N_("{what} '{name}' is ambiguous: it may mean {names}"),
    "no_such_change": N_("no {what} #{change} in force in {path}"),
    "no_trigger": N_("obligation '{obligation}' waits on no trigger (its time limit: {due_text})"),
    "not_dated_yet": N_("obligation '{obligation}' has no due date yet: it waits on {waits}"),
    "ambiguous_period": N_("period '{period}' of {obligation} has {count} due dates ({dates}): give one of {keys}"),
    "all_done": N_("every occurrence of {obligation} is already done"),
    "nothing_to_undo": N_("no completion of {obligation}{which} to undo"),
    "feed_missing": N_("missing {what}"),
    "feed_unexpected": N_("unexpected {what}"),
    "and_more_count": N_(" (and {count} more)"),
    "feed_mismatch": N_("{feed}: read back with recurring-ical-events, the feed differs from the rules: {shown}{tail}"),
    "has_review_marks": N_("it has {count} review marks (# reviewed:)"),
    "differs_from_import": N_("its content differs from this import"),
    "would_overwrite": N_("{path} exists and {what}: it is not overwritten. Save under a new name to compare, or add --force to replace it"),
    # -- options and files the workspace is given; units.yaml, calendars, contacts.yaml
    "window_one": N_("give one window: --next-week, --this-week, --week-of, --days or --from/--to"),
    "window_pair": N_("--from and --to go together"),
    "target_needed": N_("give an obligation, or --name for every obligation waiting on that trigger"),
    "key_has_period": N_("{key} names its period already: give a key, or an obligation and a period"),
    "cannot_read": N_("cannot read: {reason}"),
    "not_a_folder": N_("not a folder: the site is written into a folder"),
    "place_map": N_("a place maps unit names to their aliases"),
    "unit_entry": N_("a unit has 'aliases' (a list), 'group' (true/false) and, for a group, 'members'"),
    "give_date": N_("give date, or from and to"),
    "user_password_env": N_("user_env and password_env go together"),
    # -- a rules folder of one's own (init), typed dates, done, lint
    "no_rules_folder": N_("no rules folder: neither {where} nor a folder above it has units.yaml or a rules/ folder. Make one with deadlines init, or name it with --rules FOLDER or the environment variable DEADLINES_RULES"),
    "init_created": N_("made the rules folder {path}: {made}"),
    "init_exists": N_("{path} is a rules folder already (it has units.yaml); no file was changed"),
    "init_not_folder": N_("{path} exists and is not a folder"),
    "init_next": N_("next: deadlines import plan.docx --id ID -o {plans}"),
    "no_plans": N_("the rules folder {folder} has no plan yet: import one with deadlines import plan.docx --id ID -o {folder}/ID.yaml"),
    "no_plan_covers": N_("no plan covers {start} to {end}: the plans cover {years}"),
    "not_icalendar": N_("not an iCalendar file (it does not begin with BEGIN:VCALENDAR)"),
    "typed_not_a_date": N_("not a date: {value!r}; {forms}"),
    "typed_date_forms": N_("write 2015-07-08, 2015/07/08, 2015.7.8, 2015年7月8日 or 7月8日 (this year)"),
    "typed_bad_date": N_("not a date: {value!r} ({why})"),
    "typed_no_month": N_("there is no month {month}"),
    "typed_no_day": N_("{year}-{month} has no day {day}"),
    "typed_bad_time": N_("not a time: {value!r} (hours 0–23, minutes 0–59)"),
    "nearest_tie": N_("{obligation} has {count} occurrences equally near the completion day {on}: {listed}; name one with --period"),
    "not_a_member": N_("{unit} is no member of the group units of {obligation} ({groups}); a group's members are listed in units.yaml"),
    "no_group_task": N_("{obligation} is no group's task: its completions are not kept per unit, leave out --unit"),
    # -- the site and serve
    "action_build": N_("building the site"),
    "not_a_site": N_("{path} holds other content and is not a site folder: choose another --out, or empty it first"),
    "rebuild_failed": N_("rebuilding failed, still serving the last site: {reason}"),
    "first_build_failed": N_("building failed, serving the last site {site} for now: {reason}"),
    # -- reminders: contacts.yaml, the lead time, sending
    "lead_unreadable": N_("a reminder lead time is written as “提前5个工作日提醒”, “提前一周”, “3天”, an integer (working days) or {{workdays: 5}}, not {value!r}"),
    "lead_unit": N_("a reminder lead time counts working days, days or weeks, not {unit}"),
    "secret_in_rules": N_("secrets and webhook addresses do not belong in a rules file: put them in environment variables and write {field}_env: VARIABLE here"),
    "env_name": N_("should be an environment variable name (letters, digits, underscores, not starting with a digit), not {value!r}"),
    "env_missing": N_("environment variable {name} is not set ({what})"),
    "bad_address": N_("not an e-mail address: {value!r}"),
    "no_smtp": N_("unit “{unit}” has an email but the file has no smtp settings"),
    "no_channel": N_("unit “{unit}” has no way to be reached (email, wecom, dingtalk, feishu)"),
    "contacts_unknown_unit": N_("unit “{unit}” is in no plan and will get no reminders: check the name, or give it an alias in units.yaml"),
    "contacts_ambiguous_unit": N_("unit “{unit}” may mean {names}: write the full name"),
    "action_remind": N_("recording a reminder"),
    "remind_interrupted": N_("sending was interrupted (claimed at {at}, no outcome recorded); sending again"),
    "remind_no_contacts": N_("{unit}: no way to reach it, {count} reminders not sent (configure it in contacts.yaml)"),
    "remind_busy": N_("{unit} {channel}: {count} items are being sent by another deadlines remind; skipped this time"),
    "remind_taken_over": N_("{unit} {channel}: took over {count} interrupted items"),
    "remind_settle_lost": N_("{unit} {channel}: taken over by another process while sending (no outcome for over {minutes} minutes); this outcome is not recorded"),
    # -- time limits and dates (the phrase reader, the engine, the working-day calendar)
    "year_out_of_range": N_("year out of range: {year} (should be within {low}–{high})"),
    "plan_year_out_of_range": N_("plan year out of range: {year} (should be within {low}–{high})"),
    "offset_too_long": N_("time limit out of range: {count}{unit} (100 years at most)"),
    "issued_not_a_date": N_("the issue date is not a date: {value}"),
    "not_a_numeral": N_("not a Chinese numeral"),
    "number_too_big": N_("number too big"),
    "date_out_of_range": N_("date out of range: {what} (the years that can be counted are {low}–{high})"),
    "in_obligation": N_("{obligation}: {message}"),
    "of_time_limit": N_("{message} (time limit: {rule})"),
    "window_inverted": N_("the window starts on {start}, after its end {end}"),
    # -- the holiday commands: reading the State Council's notice
    "no_year": N_("cannot tell which year's holidays these are: no “国务院办公厅关于YYYY年部分节假日安排的通知” or “现将YYYY年元旦……”"),
    "bad_date": N_("“{text}” is not a valid date ({reason})"),
    "damaged_date": N_("“{text}” lacks the month's number: the text is damaged"),
    "weekday_mismatch": N_("“{text}”: {day} is a {actual}, not a {stated}"),
    "unread_clause": N_("not understood: “{text}”"),
    "date_outside_items": N_("the dates of this line belong to no holiday item: “{text}”"),
    "item_without_name": N_("this item names no holiday: “{text}”"),
    "item_without_days": N_("{name}: no rest days read"),
    "count_mismatch": N_("{name}: says {stated} days in all, but lists {first} to {last}, {actual} days"),
    "not_consecutive": N_("{name}: the rest days are not consecutive, {day} ({weekday}) is missing"),
    "working_not_weekend": N_("{name}: {day} ({weekday}) is not a weekend day and cannot be a 调休 working day"),
    "working_in_rest": N_("{name}: {day} is both in the rest days and a working day"),
    "working_far": N_("{name}: the 调休 working day {day} is more than {limit} days from the rest days"),
    "outside_window": N_("{name}: {day} is outside the dates {name} can fall on ({first} to {last}); the text may be damaged"),
    "not_in_rest": N_("{name}: {day} is written as “{what}” but is not among the rest days"),
    "not_weekend": N_("{name}: {day} ({weekday}) is written as a weekend rest day but is not a weekend day"),
    "weekend_alone": N_("{name}: “与周末连休”, but {day} is a {weekday}"),
    "resume_mismatch": N_("{name}: work resumes on {day}, but the holiday ends on {end}"),
    "duplicate_holiday": N_("{name} appears twice (lines {first} and {second})"),
    "missing_holidays": N_("no arrangement for {names}: the notice should list 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节 and 国庆节"),
    "cut_off": N_("the text is cut off in the middle of line {line}: “{text}”"),
    "clash": N_("{day} is a rest day in {first} and a working day in {second}"),
    "no_subject": N_("cannot tell which holiday the supplementary notice changes"),
    "extend_without_base": N_("{name}: extending a holiday needs {year}'s {name} rest days first (import that year's notice first)"),
    "and_more": N_(" ({n} more problems)"),
    # warnings (reported, not refused)
    "no_closing": N_("no closing (国务院办公厅 and the date): the stored text may be cut off after the last item; compare it with the original"),
    "no_number": N_("the text has no document number (文号): add it from the original"),
    # writing the year's file
    "exists": N_("{path} exists ({notice}) and differs from what {source} gives: check, then replace it with --force"),
    "exists_other_year": N_("{path} is for {other}, not {year}"),
    "supplement_needs_year": N_("{year} has neither package data nor {path}: import {year}'s notice first, then the supplementary one"),
    "already_merged": N_("{path} already holds {notice}"),
    "already_in_data": N_("the data of {year} already has the dates of the supplementary notice"),
    # status
    "no_official_data": N_("no official holiday data for {year} yet (used by {who}): dates are counted with weekends only and marked provisional; when the notice is published, save it and run deadlines holidays import"),
    "provisional_check": N_("{year} is used and has no official holiday data yet: dates are counted with weekends only; when the notice is published, run deadlines holidays import"),
}


# What a name on the command line is, in the messages about it.
NOUNS: dict[str, str] = {
    "unit": N_("unit"),
    "plan": N_("plan"),
    "obligation": N_("obligation"),
    "role": N_("role"),
    "trigger": N_("trigger"),
    "trigger event": N_("trigger event"),
    "completion": N_("completion"),
}


# "trigger of zs2015-5", "period of zs2015-5"
OF_NOUNS: dict[str, str] = {"trigger": N_("trigger of {owner}"), "period": N_("period of {owner}")}


def noun(what: str) -> str:
    """``unit``, ``plan``, ``trigger of zs2015-5`` … in the language in use (other text as it is)."""
    if what in NOUNS:
        return _(NOUNS[what])
    kind, of, owner = what.partition(" of ")
    if of and kind in OF_NOUNS:
        return _(OF_NOUNS[kind]).format(owner=owner)
    return what


def say(key: str, /, **fields: object) -> str:
    """The message ``key``, in the language in use, with ``fields`` filled in."""
    return _(MESSAGES[key]).format(**fields)
