// A moderator's file import, as the pages *Liste des OF* and *Certifications* run it: the file goes
// straight to S3 with the presigned POST the API gives when the import is created, the import is started,
// then followed (GET …/{id}) until done: its message in a polite live region, its counts, its rejected
// lines. The page's address keeps the import (?import=…), so that a reload goes on following it.

import { api, presignedUpload } from "./api.js";
import { h, fill, scrollingTable } from "./dom.js";

const POLL_MS = 2000;
export const UPLOAD_FAILED = "Le dépôt du fichier a échoué. Vérifiez votre connexion, puis réessayez.";

/** Creates the import (POST `imports`), uploads the file, starts it; the import's id. */
export async function sendFile(imports, body, file, { onUploading = () => {}, onStarting = () => {} } = {}) {
  onUploading();
  const created = await api(imports, { method: "POST", body });
  if (!(await presignedUpload(file, created.upload))) throw new Error(UPLOAD_FAILED);
  onStarting();
  await api(`${imports}/${encodeURIComponent(created.id)}/start`, { method: "POST" });
  return created.id;
}

/** The counts of an import: `labels` is [[key, label], …] in the order shown. */
export function countsList(counts, labels) {
  return h(
    "dl",
    { class: "carte__donnees" },
    labels.map(([key, label]) => [h("dt", {}, label), h("dd", {}, String(counts[key] ?? 0))]),
  );
}

/** The rejected lines of an import (the first 200 of them: the counts say how many in all). */
export function rejectedTable(view) {
  if (!view.rejected.length) return null;
  const shown = view.rejected.length;
  const caption =
    view.counts.rejected > shown
      ? `Les ${shown} premières lignes refusées (sur ${view.counts.rejected})`
      : shown === 1
        ? "1 ligne refusée"
        : `${shown} lignes refusées`;
  return scrollingTable(
    "legende-refus",
    h(
      "table",
      { class: "tableau" },
      h("caption", { id: "legende-refus" }, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Ligne"), h("th", { scope: "col" }, "Raison"))),
      h(
        "tbody",
        {},
        view.rejected.map((r) => h("tr", {}, h("th", { scope: "row" }, String(r.line)), h("td", {}, r.message))),
      ),
    ),
  );
}

/** Keeps the import in the page's address (a reload follows it again). */
export function remember(id) {
  const url = new URL(window.location.href);
  url.searchParams.set("import", id);
  window.history.replaceState(null, "", url);
}

export function rememberedImport() {
  return new URLSearchParams(window.location.search).get("import");
}

/**
 * Follows imports of the route `imports`: `poll(id)` shows the import's state in `section` (its `state`
 * live region and its `detail`) every two seconds until it is done or failed, then calls `onEnd(view)`;
 * an error goes to `onError(error)`.
 */
export function importFollower({ imports, labels, section, state, detail, onEnd = () => {}, onError = () => {} }) {
  let timer = null;

  function render(view) {
    section.hidden = false;
    const kind = view.status === "failed" ? "alerte--erreur" : view.status === "done" ? "alerte--succes" : "alerte--info";
    fill(state, h("div", { class: `alerte ${kind}` }, h("p", {}, view.message)));
    fill(detail, countsList(view.counts, labels), rejectedTable(view));
  }

  function stop() {
    if (timer) window.clearTimeout(timer);
    timer = null;
  }

  async function poll(id) {
    stop();
    try {
      const view = await api(`${imports}/${encodeURIComponent(id)}`);
      render(view);
      if (view.status === "queued" || view.status === "running") {
        timer = window.setTimeout(() => poll(id), POLL_MS);
      } else {
        onEnd(view);
      }
    } catch (error) {
      onError(error);
    }
  }

  return { poll, stop };
}
