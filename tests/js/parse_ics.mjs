// Parses an iCalendar object from stdin with Mozilla's ical.js (the parser Thunderbird
// uses) and prints what a calendar app would show, as JSON: the calendar's name and
// method, and each event's UID, summary, start and end in UTC, status and sequence.
// Exits non-zero when ical.js cannot read it, or when an event names a TZID that has no
// VTIMEZONE in the object (a client would then show the event at a floating time).
//
// Used by tests/bookings/test_feeds*.py; install with `npm ci --prefix tests/js`.
import { readFileSync } from "node:fs";

import ICAL from "ical.js";

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function utc(time) {
  const zone = time.zone ? time.zone.tzid : "";
  if (time.isDate || zone === "floating") {
    fail(`a ${time.isDate ? "date" : "floating"} time where a timestamp was expected`);
  }
  return time.toJSDate().toISOString();
}

function registerTimezones(calendar) {
  const known = new Set(["UTC"]);
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const timezone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(timezone);
    known.add(timezone.tzid);
  }
  return known;
}

function checkZone(event, name, known) {
  const property = event.getFirstProperty(name);
  const tzid = property && property.getParameter("tzid");
  if (tzid && !known.has(tzid)) {
    fail(`${name} uses TZID ${tzid} without a VTIMEZONE`);
  }
}

function eventJson(vevent, known) {
  checkZone(vevent, "dtstart", known);
  checkZone(vevent, "dtend", known);
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    start: utc(event.startDate),
    end: utc(event.endDate),
    start_tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    dtstamp: utc(vevent.getFirstPropertyValue("dtstamp")),
    description: event.description,
    location: event.location,
    url: vevent.getFirstPropertyValue("url"),
  };
}

function main() {
  const text = readFileSync(0, "utf8");
  let calendar;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    fail(`ical.js could not parse it: ${error.message}`);
  }
  if (calendar.name !== "vcalendar") {
    fail(`the top component is ${calendar.name}, not vcalendar`);
  }
  const known = registerTimezones(calendar);
  const result = {
    prodid: calendar.getFirstPropertyValue("prodid"),
    version: calendar.getFirstPropertyValue("version"),
    name: calendar.getFirstPropertyValue("name"),
    method: calendar.getFirstPropertyValue("method"),
    timezones: [...known].filter((tzid) => tzid !== "UTC"),
    events: calendar.getAllSubcomponents("vevent").map((vevent) => eventJson(vevent, known)),
  };
  process.stdout.write(JSON.stringify(result));
}

main();
