// Reads an iCalendar file with ical.js (an independent parser, from npm) and prints, as JSON, the
// calendar's METHOD and each event's UID, summary, start and end in UTC, status and sequence.
// Used by tests/cohorts/test_calendar.py: `node tests/calendar_reader/read_ics.mjs FILE`.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
// Times are given with TZID=Europe/London: ical.js resolves them through the file's own VTIMEZONE.
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    tzid: component.getFirstProperty("dtstart").getParameter("tzid") ?? null,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
  };
});
process.stdout.write(
  JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }) + "\n",
);
