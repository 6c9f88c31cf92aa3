// The state of the exports (*Exporter* and the bell, guide "Exporter des formations"): the request sent
// from the formations' selection, the bell's files as the API lists them (GET /exports), its badge, and
// whether to keep asking (a file queued or running). Every function is pure (no DOM, no fetch): tested with
// node --test (tests/web/exports.test.mjs).

export const FORMATS = [
  { value: "xlsx", label: "Excel (.xlsx)", help: "Une ligne par session, à ouvrir dans un tableur." },
  {
    value: "lheo",
    label: "LHEO 2.3 (XML)",
    help: "Le format d'échange de l'offre de formation (lheo.gouv.fr), pour un autre logiciel.",
  },
];
export const POLL_MS = 3000; // while a file is being generated, the bell asks again every 3 s
const STATUSES = new Set(["queued", "running", "ready", "failed"]);
const PENDING = new Set(["queued", "running"]);

/** The body of POST /exports: every formation of the space, or the ticked ones. */
export function exportRequest(siret, format, selection = []) {
  const refs = [...new Set((Array.isArray(selection) ? selection : []).filter((r) => typeof r === "string" && r))];
  const body = { siret, format };
  if (refs.length) body.refs = refs.sort();
  return body;
}

/** What the export will hold, said in the dialog. */
export function scopeText(selection = []) {
  const count = Array.isArray(selection) ? selection.length : 0;
  if (!count) return "Toutes les formations de l'espace structure seront exportées (aucune n'est cochée).";
  return count > 1
    ? `Les ${count} formations cochées seront exportées.`
    : "La formation cochée sera exportée.";
}

function file(data) {
  const status = STATUSES.has(data?.status) ? data.status : "failed";
  return {
    id: String(data.id),
    filename: String(data.filename || "export"),
    format: data.format === "lheo" ? "lheo" : "xlsx",
    format_label: String(data.format_label || (data.format === "lheo" ? "LHEO 2.3 (XML)" : "Excel")),
    status,
    status_label: String(data.status_label || status),
    message: String(data.message || ""),
    created_at: typeof data.created_at === "string" ? data.created_at : null,
    downloaded: Boolean(data.downloaded),
  };
}

/** The bell as the API answered it, made safe to show. */
export function bellFrom(data) {
  const files = (Array.isArray(data?.items) ? data.items : []).filter((i) => i && typeof i.id === "string").map(file);
  return { files, loaded: true };
}

export function emptyBell() {
  return { files: [], loaded: false };
}

export function pendingCount(bell) {
  return bell.files.filter((f) => PENDING.has(f.status)).length;
}

export function newCount(bell) {
  return bell.files.filter((f) => f.status === "ready" && !f.downloaded).length;
}

/** The badge: files being generated plus ready files not yet downloaded. */
export function badgeCount(bell) {
  return pendingCount(bell) + newCount(bell);
}

/** What the badge's number counts, in words ("2 en cours, 1 prêt à télécharger"; "" for nothing). */
export function badgeDetails(bell) {
  const pending = pendingCount(bell);
  const fresh = newCount(bell);
  const parts = [];
  if (pending) parts.push(pending > 1 ? `${pending} en cours` : "1 en cours");
  if (fresh) parts.push(fresh > 1 ? `${fresh} prêts à télécharger` : "1 prêt à télécharger");
  return parts.join(", ");
}

/** The bell button's name for a screen reader: its visible text, the badge's number and what it counts. */
export function bellLabel(bell) {
  const count = badgeCount(bell);
  return count ? `Mes exports ${count} (${badgeDetails(bell)})` : "Mes exports";
}

/** True while the bell should be asked again (something queued or running). */
export function shouldPoll(bell) {
  return pendingCount(bell) > 0;
}

/** After a download: the file is no longer new. */
export function markDownloaded(bell, id) {
  return { ...bell, files: bell.files.map((f) => (f.id === id ? { ...f, downloaded: true } : f)) };
}

/** What to announce when files finished since the previous look ("Export Excel prêt…"). */
export function finishedSince(before, after) {
  const was = new Map(before.files.map((f) => [f.id, f.status]));
  return after.files.filter((f) => PENDING.has(was.get(f.id)) && !PENDING.has(f.status));
}

/** "28/11/2026 à 10:15" for a file's time (the browser's own time zone). */
export function whenText(iso) {
  if (!iso) return "";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  const two = (n) => String(n).padStart(2, "0");
  return `${two(moment.getDate())}/${two(moment.getMonth() + 1)}/${moment.getFullYear()} à ${two(moment.getHours())}:${two(moment.getMinutes())}`;
}
