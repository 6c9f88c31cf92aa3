// Moderators: one structure's record (/moderation/structure?siret=…), as the tabs of *Ma structure* show it,
// section by section, each with *Corriger* (PATCH /moderation/structures/{siret} with only that section's
// fields and the record's version), its contacts (added, changed, removed one at a time), the history of
// its changes, and the way to its messages. A stale version (409) keeps what was typed and offers to reload.

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { compactSiret, successBox } from "./format.js";
import { historyList } from "./ma-structure-gestion.js";
import { contactsRubric } from "./moderation-structure-contacts.js";
import { rubrics } from "./moderation-structure-rubriques.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const area = document.getElementById("fiche");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

/** What the page holds. */
const page = {
  siret: compactSiret(new URLSearchParams(window.location.search).get("siret")),
  /** GET /structures/{siret}: {published, draft, submission, formations}. */
  view: null,
  busy: false,
  /** The section whose correction form is open, or null. */
  open: null,
  sections: new Map(),
  history: null,
  /** The page's title once the record is known ("OF Démo Formation — Fiche structure — OFeli"). */
  title: TITLE,
};

function record() {
  return page.view.published;
}

function path(prefix, suffix = "") {
  return `${prefix}/${encodeURIComponent(page.siret)}${suffix}`;
}

// ------------------------------------------------------------------ messages
function say(message) {
  fill(result, successBox(message));
}

function resetMessages() {
  clearError();
  result.replaceChildren();
  document.title = page.title;
}

/** The record changed elsewhere (409) or has gone (404): what was typed stays; reloading is a choice. */
function showConflict(message) {
  fill(
    alertZone,
    h(
      "div",
      { class: "alerte alerte--erreur" },
      h("p", { class: "alerte__titre" }, "La correction n'a pas été enregistrée"),
      h("p", {}, message),
      h(
        "p",
        {},
        "Ce que vous avez saisi reste affiché, mais n'est pas enregistré : rechargez la fiche pour voir sa dernière " +
          "version, puis refaites votre correction si elle est encore utile.",
      ),
      h("button", { type: "button", class: "bouton bouton--secondaire", id: "recharger", onclick: reload }, "Recharger la dernière version"),
    ),
  );
  document.title = `Erreur — ${page.title}`;
  alertZone.focus();
}

/**
 * Sends a correction: `changes` with the record's version. On success the new record is shown, with
 * `done` in the status region and the focus on the section's title (or `focusId`).
 * @param {{changes: object, done: string, sectionId: string, errors?: import("./formulaire.js").FormErrors,
 *   mapField?: (field: string) => string|null, setBusy?: (busy: boolean) => void, focusId?: string}} options
 * @returns {Promise<"saved"|"invalid"|"failed">} invalid: the errors are shown in the form (422); failed: in
 *   the page's alert region (409, 404…)
 */
export async function correct({ changes, done, sectionId, errors, mapField = (f) => f, setBusy, focusId }) {
  if (page.busy) return "failed";
  resetMessages();
  if (!Object.keys(changes).length) {
    closeForm();
    say("Aucune modification : la fiche est inchangée.");
    focusSection(sectionId);
    return "saved";
  }
  page.busy = true;
  setBusy?.(true);
  setStatus("Enregistrement de la correction…");
  try {
    const updated = await api(path("/moderation/structures"), {
      method: "PATCH",
      body: { version: record().version, ...changes },
    });
    page.view.published = updated;
    page.title = `${updated.name} — ${TITLE}`;
    document.title = page.title;
    page.open = null;
    render();
    setStatus("");
    say(done);
    ((focusId && document.getElementById(focusId)) || document.getElementById(`titre-${sectionId}`))?.focus();
    page.history?.refresh();
    return "saved";
  } catch (error) {
    setStatus("");
    if (error.redirecting) return "failed";
    if (error.status === 422 && errors) {
      const fields = (error.fields || []).map((f) => ({ ...f, field: mapField(f.field) ?? f.field }));
      errors.show(error.message, fields);
      return "invalid";
    }
    if (error.status === 409 || error.status === 404) {
      showConflict(error.message);
    } else {
      showError(error);
      document.title = `Erreur — ${page.title}`;
      alertZone.focus();
    }
    return "failed";
  } finally {
    page.busy = false;
    setBusy?.(false);
  }
}

function focusSection(id) {
  document.getElementById(`titre-${id}`)?.focus();
}

// ------------------------------------------------------------------ the sections, and their forms
/** Opens the correction form of section `id` (one at a time: another open one closes, unsaved). */
function openForm(id) {
  if (page.busy) return;
  resetMessages();
  page.open = id;
  renderSections();
  const form = page.sections.get(id)?.formParts;
  (form?.first() || document.getElementById(`titre-${id}`))?.focus();
}

function closeForm() {
  const id = page.open;
  page.open = null;
  renderSections();
  if (id) document.getElementById(`corriger-${id}`)?.focus();
}

const context = {
  record,
  siret: () => page.siret,
  isBusy: () => page.busy,
  get title() {
    return page.title;
  },
  correct,
  openForm,
  closeForm,
  resetMessages,
};

function headerCard() {
  const published = record();
  const submission = page.view.submission || { state: "none" };
  const waiting =
    submission.state === "submitted"
      ? h("p", {}, "Une modification de l'organisme attend une décision dans la ", h("a", { href: `/moderation/file?siret=${page.siret}` }, "file de modération"), ".")
      : submission.state === "draft"
        ? h("p", {}, "L'organisme a une modification en cours de saisie (non soumise).")
        : null;
  return h(
    "section",
    { class: "carte fiche-entete", "aria-labelledby": "titre-structure" },
    h("p", { class: "carte__surtitre" }, "Fiche structure"),
    h("h2", { id: "titre-structure", class: "carte__titre", tabindex: "-1" }, published.name),
    h(
      "dl",
      { class: "carte__donnees" },
      h("dt", {}, "SIRET"),
      h("dd", {}, h("span", { class: "insecable" }, formatSiret(published.siret))),
    ),
    waiting,
    h(
      "ul",
      { class: "liste-liens" },
      h("li", {}, h("a", { href: `/messagerie?siret=${encodeURIComponent(page.siret)}` }, "Messages échangés avec cette structure")),
      h("li", {}, h("a", { href: `/ma-structure?siret=${encodeURIComponent(page.siret)}` }, "La fiche telle que l'organisme la voit")),
    ),
  );
}

function historySection() {
  const list = h("div", { "aria-busy": "true" }, h("p", {}, "Chargement de l'historique…"));
  const refresh = async () => {
    list.setAttribute("aria-busy", "true");
    try {
      const entries = await api(path("/structures", "/history"));
      fill(list, historyList(Array.isArray(entries) ? entries : []));
    } catch (error) {
      if (error.redirecting) return;
      fill(list, h("p", { class: "alerte alerte--erreur" }, `L'historique n'a pas pu être chargé : ${error.message}`));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  };
  const element = h(
    "section",
    { class: "carte rubrique", "aria-labelledby": "titre-historique" },
    h("h2", { id: "titre-historique", class: "carte__titre" }, "Historique"),
    h("p", { class: "fiche-rubrique__aide" }, "Les modifications publiées de la fiche, des plus récentes aux plus anciennes, avec leur auteur."),
    list,
  );
  return { element, refresh };
}

function renderSections() {
  for (const rubric of [...rubrics(context), contactsRubric(context)]) {
    const holder = page.sections.get(rubric.id)?.holder;
    if (!holder) continue;
    const built = rubric.build(page.open === rubric.id);
    page.sections.get(rubric.id).formParts = built.formParts || null;
    fill(holder, built.element);
  }
}

function render() {
  if (!page.sections.size) {
    const all = [...rubrics(context), contactsRubric(context)];
    const order = ["identite", "adresse", "organisation", "contacts", "coordonnees", "qualite", "habilitations"];
    for (const id of order) {
      if (all.some((r) => r.id === id)) page.sections.set(id, { holder: h("div", {}), formParts: null });
    }
    page.history = historySection();
    fill(
      area,
      h("div", { id: "entete-fiche" }),
      [...page.sections.values()].map((s) => s.holder),
      page.history.element,
    );
    page.history.refresh();
  }
  fill(document.getElementById("entete-fiche"), headerCard());
  renderSections();
}

// ------------------------------------------------------------------ loading
async function load() {
  setStatus("Chargement de la fiche structure…");
  try {
    page.view = await api(path("/structures"));
    page.title = `${page.view.published.name} — ${TITLE}`;
    document.title = page.title;
    clearError();
    render();
    setStatus("");
    return true;
  } catch (error) {
    setStatus("");
    if (!error.redirecting) showError(error, { retry: ![403, 404, 422].includes(error.status) });
    return false;
  }
}

async function reload() {
  if (page.busy) return;
  page.open = null;
  resetMessages();
  if (await load()) {
    page.history?.refresh();
    say("Dernière version de la fiche chargée.");
    document.getElementById("titre-structure")?.focus();
  }
}

async function start() {
  try {
    await mountShell({ current: "structures" });
  } catch {
    return; // mountShell has shown the error in the alert region
  }
  if (!/^\d{14}$/.test(page.siret)) {
    fill(
      area,
      h(
        "div",
        { class: "alerte alerte--info" },
        h("p", { class: "alerte__titre" }, "Aucune structure choisie"),
        h("p", {}, "Cherchez la structure dans la page ", h("a", { href: "/moderation/recherche-structures" }, "Structures"), ", puis ouvrez sa fiche."),
      ),
    );
    return;
  }
  if (await load()) {
    // A link to one section (#rubrique-contacts, from the contact requests): its title, once it exists.
    const target = /^#rubrique-([a-z]+)$/.exec(window.location.hash);
    const heading = target && document.getElementById(`titre-${target[1]}`);
    if (heading) {
      heading.scrollIntoView();
      heading.focus();
    }
  }
}

start();
