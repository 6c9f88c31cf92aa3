// Moderators: the queue of submitted changes (/moderation/file), oldest first, filtered by kind and SIRET
// (GET /moderation/queue?kind=…&siret=…); the filters live in the address (?type=…&siret=…).

import { api } from "./api.js";
import { h, fill, formatSiret, scrollingTable } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { KINDS, compactSiret, dateTime, kindLabel, plural, successBox } from "./format.js";
import { rememberQueueFilters, takeDecisionMessage } from "./moderation-commun.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const form = document.getElementById("filtres");
const kindSelect = document.getElementById("filtre-type");
const siretInput = document.getElementById("filtre-siret");
const applyButton = document.getElementById("appliquer-filtres");
const area = document.getElementById("file");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

const DONE = {
  valide: "La modification a été validée et publiée ; l'organisme a été prévenu par e-mail.",
  refuse: "La modification a été refusée ; l'organisme a reçu votre commentaire par e-mail.",
};

for (const kind of KINDS) kindSelect.append(h("option", { value: kind.value }, kind.label));

const errors = new FormErrors({
  zone: alertZone,
  fields: {
    kind: { input: kindSelect, error: document.getElementById("filtre-type-erreur"), label: "Type de demande" },
    siret: { input: siretInput, error: document.getElementById("filtre-siret-erreur"), label: "SIRET de la structure" },
  },
  heading: "La file n'a pas pu être filtrée",
  title: TITLE,
});

/** The filters as the address holds them. */
function filtersFromUrl() {
  const params = new URLSearchParams(window.location.search);
  return { kind: params.get("type") || "", siret: compactSiret(params.get("siret")) };
}

function filtersFromForm() {
  return { kind: kindSelect.value, siret: compactSiret(siretInput.value) };
}

function showFilters({ kind, siret }) {
  kindSelect.value = KINDS.some((k) => k.value === kind) ? kind : "";
  siretInput.value = siret ? formatSiret(siret) : "";
}

function queryOf({ kind, siret }) {
  const params = new URLSearchParams();
  if (kind) params.set("type", kind);
  if (siret) params.set("siret", siret);
  const query = params.toString();
  return query ? `?${query}` : "";
}

function apiPath({ kind, siret }) {
  const params = new URLSearchParams();
  if (kind) params.set("kind", kind);
  if (siret) params.set("siret", siret);
  const query = params.toString();
  return query ? `/moderation/queue?${query}` : "/moderation/queue";
}

function describe({ kind, siret }) {
  const parts = [];
  if (kind) parts.push(`type « ${kindLabel(kind)} »`);
  if (siret) parts.push(`SIRET ${formatSiret(siret)}`);
  return parts.join(", ");
}

// ------------------------------------------------------------------ the table
function caption(entries, filters) {
  const count = plural(entries.length, "demande en attente", "demandes en attente");
  const filtered = describe(filters);
  return filtered ? `${count} (filtre : ${filtered})` : count;
}

function entryRow(entry) {
  return h(
    "tr",
    { "data-demande": entry.id },
    h(
      "th",
      { scope: "row" },
      h(
        "a",
        { href: `/moderation/soumission?id=${encodeURIComponent(entry.id)}`, class: "cellule__principal" },
        h("span", { class: "visuellement-cache" }, "Examiner la demande : "),
        entry.title,
      ),
      h("span", { class: "cellule__detail" }, "SIRET ", h("span", { class: "insecable" }, formatSiret(entry.siret))),
    ),
    h("td", {}, h("span", { class: "insecable" }, kindLabel(entry.kind))),
    h("td", {}, dateTime(entry.submitted_at)),
    h("td", {}, h("span", { class: "coupable" }, entry.submitted_by)),
  );
}

function emptyView(filters) {
  const filtered = describe(filters);
  return h(
    "p",
    { class: "vide", id: "file-vide" },
    filtered
      ? `Aucune demande en attente ne correspond à ce filtre (${filtered}).`
      : "Aucune demande en attente : toutes les modifications soumises ont été traitées.",
  );
}

function render(entries, filters) {
  if (!entries.length) {
    fill(area, emptyView(filters));
    return;
  }
  fill(
    area,
    scrollingTable(
      "legende-file",
      h(
        "table",
        { class: "tableau tableau--file" },
        h("caption", { id: "legende-file" }, caption(entries, filters)),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Structure", "Type", "Soumise le", "Soumise par"].map((label) => h("th", { scope: "col" }, label)),
          ),
        ),
        h("tbody", {}, entries.map(entryRow)),
      ),
    ),
  );
}

// ------------------------------------------------------------------ loading
let loading = 0;

async function load(filters, { announce = false } = {}) {
  const ticket = ++loading;
  errors.clear();
  applyButton.disabled = true;
  setStatus("Chargement de la file…");
  try {
    const entries = await api(apiPath(filters));
    if (ticket !== loading) return;
    clearError();
    const list = Array.isArray(entries) ? entries : [];
    render(list, filters);
    setStatus(announce ? `File mise à jour : ${plural(list.length, "demande", "demandes")} en attente.` : "");
  } catch (error) {
    if (ticket !== loading) return;
    setStatus("");
    area.replaceChildren();
    if (error.redirecting) return;
    const fields = fieldsOf(error).map((f) => ({ ...f, field: f.field.replace(/^query\./, "") }));
    if (error.status === 422 && fields.some((f) => f.field === "siret" || f.field === "kind")) {
      errors.show(error.message, fields);
    } else {
      showError(error, { retry: true });
    }
  } finally {
    if (ticket === loading) applyButton.disabled = false;
  }
}

function apply(filters, { announce }) {
  const query = queryOf(filters);
  window.history.replaceState(null, "", `${window.location.pathname}${query}`);
  rememberQueueFilters(query);
  return load(filters, { announce });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  result.replaceChildren();
  apply(filtersFromForm(), { announce: true });
});

document.getElementById("effacer-filtres").addEventListener("click", () => {
  result.replaceChildren();
  showFilters({ kind: "", siret: "" });
  apply({ kind: "", siret: "" }, { announce: true });
});

/** After a decision (?fait=valide|refuse): what was done, said once, then the parameter goes. */
function showDecision() {
  const params = new URLSearchParams(window.location.search);
  const done = params.get("fait");
  const message = takeDecisionMessage();
  if (!done) return;
  params.delete("fait");
  const query = params.toString();
  window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
  const text = message || DONE[done];
  if (!text) return;
  fill(result, successBox(text, { focusable: true, id: "decision-faite" }));
  document.getElementById("decision-faite").focus();
}

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "queue" });
  showDecision();
  const filters = filtersFromUrl();
  showFilters(filters);
  rememberQueueFilters(queryOf(filters));
  await load(filters);
} catch {
  // mountShell has shown the error in the alert region
}
