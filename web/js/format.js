// French formatting shared by the moderation, messaging and dashboard pages: dates and times (Europe/Paris),
// kinds of submitted records, plurals, compact SIRETs, success boxes.

import { h } from "./dom.js";

const DAY = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeZone: "Europe/Paris" });
const TIME = new Intl.DateTimeFormat("fr-FR", { timeStyle: "short", timeZone: "Europe/Paris" });
const LONG_DAY = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "2026-11-27T09:32:00+00:00" → "27/11/2026 à 10:32" (Paris time); the input itself when not a date. */
export function dateTimeText(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso || "");
  return `${DAY.format(date)} à ${TIME.format(date)}`;
}

/** The same as a <time> element whose date and time never break apart inside. */
export function dateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso || "");
  return h(
    "time",
    { datetime: iso },
    h("span", { class: "insecable" }, DAY.format(date)),
    " ",
    h("span", { class: "insecable" }, `à ${TIME.format(date)}`),
  );
}

/** "2026-12-15" (a calendar day, no time zone) → "15 décembre 2026". */
export function longDate(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day || ""));
  if (!match) return String(day || "");
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return LONG_DAY.format(date).replace(/^1 /, "1er ");
}

/** The kinds of records that go through moderation, as a person names them. */
export const KINDS = [
  { value: "structure", label: "Fiche structure" },
  { value: "formation", label: "Formation" },
  { value: "session", label: "Session" },
];

export function kindLabel(kind) {
  const found = KINDS.find((k) => k.value === kind);
  return found ? found.label : String(kind || "");
}

/** plural(2, "message", "messages") → "2 messages"; 0 and 1 are singular in French. */
export function plural(count, one, many) {
  return `${count} ${count > 1 ? many : one}`;
}

/** "814 327 121 00012" → "81432712100012" (spaces, dots and dashes taken out). */
export function compactSiret(value) {
  return String(value || "").replace(/[\s.-]/g, "");
}

/** A green box that says what was done (put it in a role="status" region). */
export function successBox(message, { focusable = false, id } = {}) {
  return h("div", { class: "alerte alerte--succes", tabindex: focusable ? "-1" : null, id }, h("p", {}, message));
}
