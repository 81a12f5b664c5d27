// Expand the VEVENTs of iCalendar feeds with ical.js between two dates
// (inclusive) and print them as JSON, one entry per file:
// {FILE: {events: [{start, summary, uid, description}], todos: [{uid, description}]}}.
// Usage: node expand.mjs FROM TO FEED.ics...  (one Node process for every feed)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, to, ...files] = process.argv.slice(2);
const first = ICAL.Time.fromDateString(from);
const last = ICAL.Time.fromDateString(to);

function day(time) {
  // "2015-07-10" for a DATE, "2015-09-02T10:00" for a DATE-TIME (in its own zone)
  const text = time.toString();
  return time.isDate ? text.slice(0, 10) : text.slice(0, 16);
}

function inWindow(time) {
  const d = new ICAL.Time({ year: time.year, month: time.month, day: time.day, isDate: true });
  return d.compare(first) >= 0 && d.compare(last) <= 0;
}

function expand(file) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const events = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (!event.isRecurring()) {
      if (inWindow(event.startDate)) {
        events.push({ start: day(event.startDate), summary: event.summary, uid: event.uid, description: event.description });
      }
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(); next; next = it.next()) {
      const details = event.getOccurrenceDetails(next);
      const d = new ICAL.Time({ year: next.year, month: next.month, day: next.day, isDate: true });
      if (d.compare(last) > 0) break;
      if (inWindow(details.startDate)) {
        events.push({
          start: day(details.startDate), summary: details.item.summary,
          uid: details.item.uid, description: details.item.description,
        });
      }
    }
  }
  const todos = root.getAllSubcomponents("vtodo").map((t) => ({
    uid: t.getFirstPropertyValue("uid"),
    description: t.getFirstPropertyValue("description"),
  }));
  return { events, todos };
}

const out = {};
for (const file of files) {
  out[file] = expand(file);
}
process.stdout.write(JSON.stringify(out));
