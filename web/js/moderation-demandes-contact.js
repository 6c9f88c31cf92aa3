// Moderators: the structures' pending contact requests (/moderation/demandes-de-contact), oldest first
// (GET /moderation/contact-requests). Each is shown beside the structure's current contacts
// (GET /structures/{siret}/contacts), with the way to correct them on the structure's page, and
// *Marquer comme traitée* (POST /moderation/contact-requests/{id}/done), after which it leaves the list.

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { dateTime, plural, successBox } from "./format.js";
import { contactCard } from "./ma-structure-vues.js";
import { clearError, mountShell, refreshAlerts, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const area = document.getElementById("demandes");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

let requests = [];
let busy = false;

function heading() {
  return h(
    "h2",
    { id: "titre-demandes", tabindex: "-1" },
    requests.length ? plural(requests.length, "demande à traiter", "demandes à traiter") : "Aucune demande à traiter",
  );
}

async function currentContacts(siret, box) {
  try {
    const contacts = await api(`/structures/${encodeURIComponent(siret)}/contacts`);
    const list = Array.isArray(contacts) ? contacts : [];
    fill(
      box,
      list.length
        ? h("ul", { class: "fiche-contacts" }, list.map(contactCard))
        : h("p", { class: "vide" }, "Aucun contact n'est enregistré pour cette structure."),
    );
  } catch (error) {
    if (error.redirecting) return;
    fill(box, h("p", { class: "alerte alerte--erreur" }, `Les contacts n'ont pas pu être chargés : ${error.message}`));
  } finally {
    box.setAttribute("aria-busy", "false");
  }
}

function requestCard(request) {
  const titleId = `demande-${request.id}-titre`;
  const contactsId = `demande-${request.id}-contacts`;
  const contactsBox = h("div", { "aria-busy": "true" }, h("p", {}, "Chargement des contacts…"));
  currentContacts(request.siret, contactsBox);
  return h(
    "li",
    { class: "carte demande-contact", "data-demande": request.id },
    h(
      "article",
      { "aria-labelledby": titleId },
      h("h3", { id: titleId, class: "carte__titre", tabindex: "-1" }, request.title),
      h(
        "dl",
        { class: "carte__donnees" },
        h("dt", {}, "SIRET"),
        h("dd", {}, h("span", { class: "insecable" }, formatSiret(request.siret))),
        h("dt", {}, "Demandée par"),
        h("dd", {}, h("span", { class: "coupable" }, request.requested_by), " le ", dateTime(request.requested_at)),
        request.approved_by ? [h("dt", {}, "Modification validée par"), h("dd", {}, h("span", { class: "coupable" }, request.approved_by))] : null,
      ),
      h(
        "div",
        { class: "demande-contact__colonnes" },
        h(
          "section",
          { class: "demande-contact__texte", "aria-labelledby": `demande-${request.id}-texte` },
          h("h4", { id: `demande-${request.id}-texte`, class: "fiche-rubrique__sous-titre" }, "La demande de l'organisme"),
          h("blockquote", { class: "fiche-commentaire cellule__message" }, request.text),
        ),
        h(
          "section",
          { class: "demande-contact__contacts", "aria-labelledby": contactsId },
          h("h4", { id: contactsId, class: "fiche-rubrique__sous-titre" }, "Les contacts actuels de la structure"),
          contactsBox,
        ),
      ),
      h(
        "div",
        { class: "actions" },
        h(
          "a",
          { class: "bouton bouton--secondaire", href: `/moderation/structure?siret=${encodeURIComponent(request.siret)}#rubrique-contacts` },
          "Corriger les contacts",
          h("span", { class: "visuellement-cache" }, ` de ${request.title}`),
        ),
        h(
          "button",
          { type: "button", class: "bouton bouton--principal", onclick: (event) => markDone(request, event.currentTarget) },
          "Marquer comme traitée",
          h("span", { class: "visuellement-cache" }, ` : la demande de ${request.title}`),
        ),
      ),
    ),
  );
}

function render() {
  fill(
    area,
    heading(),
    requests.length
      ? h("ol", { class: "demandes-contact" }, requests.map(requestCard))
      : h("p", { class: "vide" }, "Toutes les demandes de contact ont été traitées."),
  );
}

async function load() {
  setStatus("Chargement des demandes de contact…");
  try {
    const list = await api("/moderation/contact-requests");
    requests = Array.isArray(list) ? list : [];
    clearError();
    render();
    setStatus("");
    return true;
  } catch (error) {
    setStatus("");
    if (!error.redirecting) showError(error, { retry: true });
    return false;
  }
}

async function markDone(request, button) {
  if (busy) return;
  busy = true;
  button.disabled = true;
  clearError();
  result.replaceChildren();
  document.title = TITLE;
  const index = requests.findIndex((r) => r.id === request.id);
  try {
    await api(`/moderation/contact-requests/${encodeURIComponent(request.id)}/done`, { method: "POST" });
    requests = requests.filter((r) => r.id !== request.id);
    render();
    fill(result, successBox(`La demande de contact de « ${request.title} » est marquée comme traitée.`));
    const next = requests[Math.min(index, requests.length - 1)];
    document.getElementById(next ? `demande-${next.id}-titre` : "titre-demandes")?.focus();
    refreshAlerts();
  } catch (error) {
    if (error.redirecting) return;
    if (error.status === 409 || error.status === 404) {
      await load();
      refreshAlerts();
      showError({ message: `${error.message} La liste a été mise à jour.` });
    } else {
      button.disabled = false;
      showError(error);
    }
    document.title = `Erreur — ${TITLE}`;
    alertZone.focus();
  } finally {
    busy = false;
  }
}

try {
  await mountShell({ current: "contact-requests" });
  await load();
} catch {
  // mountShell has shown the error in the alert region
}
