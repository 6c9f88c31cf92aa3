// Moderators: the pending account requests (/moderation/demandes-de-compte), accepted or refused
// one by one (POST /moderation/account-requests/{id}/decision). The same list holds the rights requests
// (`kind: "rights"`): an existing account asks for access to another structure (*Mon compte*).

import { api } from "./api.js";
import { h, fill, formatSiret, scrollingTable } from "./dom.js";
import { modal } from "./dialogue.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const area = document.getElementById("demandes");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

const DAY = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeZone: "Europe/Paris" });
const TIME = new Intl.DateTimeFormat("fr-FR", { timeStyle: "short", timeZone: "Europe/Paris" });

/** What is on screen: the rows by request id, with their errors. */
const rows = new Map();
let busy = false;

function contactName(request) {
  return `${request.contact.first_name} ${request.contact.last_name}`.trim();
}

function isRightsRequest(request) {
  return request.kind === "rights";
}

/** What the request is, in words (shown in the row, under its date). */
function kindText(request) {
  return isRightsRequest(request) ? "Demande d'accès d'un compte existant" : "Création de compte";
}

function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso || "");
  return [h("span", { class: "insecable" }, DAY.format(date)), " ", h("span", { class: "insecable" }, `à ${TIME.format(date)}`)];
}

function say(message) {
  fill(result, h("div", { class: "alerte alerte--succes" }, h("p", {}, message)));
}

// ------------------------------------------------------------------ the table
function structureCell(request, ids) {
  if (request.structure_name) {
    return h(
      "td",
      {},
      h("span", { class: "cellule__principal" }, request.structure_name),
      h("span", { class: "cellule__detail" }, "structure existante"),
    );
  }
  return h(
    "td",
    {},
    h(
      "div",
      { class: "champ champ--compact" },
      h("label", { class: "champ__libelle", for: ids.name }, "Raison sociale de la structure à créer"),
      h("p", { class: "champ__aide", id: `${ids.name}-aide` }, "Aucune structure n'existe encore pour ce SIRET."),
      h("p", { class: "champ__erreur", id: `${ids.name}-erreur`, hidden: true }),
      h("input", {
        class: "champ__saisie",
        type: "text",
        id: ids.name,
        maxlength: "200",
        autocomplete: "off",
        "aria-describedby": `${ids.name}-aide`,
      }),
    ),
  );
}

function documentCell(request) {
  if (isRightsRequest(request) && request.message) {
    return h("td", {}, h("span", { class: "cellule__detail" }, "Message : "), h("span", { class: "cellule__message" }, request.message));
  }
  if (!request.document_url) return h("td", {}, h("span", { class: "cellule__detail" }, "Aucun document"));
  return h(
    "td",
    {},
    h(
      "a",
      { href: request.document_url, target: "_blank", rel: "noopener noreferrer" },
      "Voir le document",
      h("span", { class: "visuellement-cache" }, ` de ${contactName(request)}`),
      " (nouvel onglet)",
    ),
  );
}

// What the DGEFP's list of training organisations says of the SIRET and the NDA (once imported).
const NATIONAL = {
  match: "conforme",
  other_organisation: "NDA d'un autre organisme",
  unknown: "NDA inconnu",
  lapsed: "NDA caduc",
};

function nationalLine(request) {
  const national = request.national;
  if (!national) return null;
  return h(
    "p",
    { class: `cellule__detail liste-of liste-of--${national.status === "match" ? "conforme" : "alerte"}` },
    h("strong", {}, `Liste publique des OF : ${NATIONAL[national.status] || national.status}. `),
    national.message,
  );
}

function requestRow(request, index) {
  const ids = { name: `raison-sociale-${index}`, nda: `nda-${index}` };
  const who = contactName(request);
  const accept = h(
    "button",
    { type: "button", class: "bouton bouton--principal bouton--petit" },
    "Accepter",
    h("span", { class: "visuellement-cache" }, ` la demande de ${who}`),
  );
  const refuse = h(
    "button",
    { type: "button", class: "bouton bouton--danger bouton--petit" },
    "Refuser",
    h("span", { class: "visuellement-cache" }, ` la demande de ${who}`),
  );
  const ndaError = h("p", { class: "champ__erreur", id: `${ids.nda}-erreur`, hidden: true });
  const ndaValue = h("span", { id: ids.nda, tabindex: "-1" }, request.nda || "non indiqué");
  const tr = h(
    "tr",
    { "data-demande": request.id },
    h(
      "td",
      {},
      h("time", { datetime: request.created_at }, when(request.created_at)),
      h("span", { class: `cellule__detail demande-type demande-type--${isRightsRequest(request) ? "acces" : "compte"}` }, kindText(request)),
    ),
    h(
      "td",
      {},
      h("span", { class: "cellule__ligne" }, "SIRET : ", h("span", { class: "insecable" }, formatSiret(request.siret))),
      h("div", { class: "champ champ--cellule" }, ndaError, h("span", { class: "cellule__ligne" }, "NDA : ", ndaValue)),
      nationalLine(request),
    ),
    h(
      "th",
      { scope: "row", class: "cellule--contact" },
      h("span", { class: "cellule__principal" }, who),
      h("a", { href: `mailto:${request.contact.email}`, class: "cellule__lien" }, request.contact.email),
      request.contact.phone
        ? h("a", { href: `tel:${request.contact.phone.replace(/\s+/g, "")}`, class: "cellule__lien insecable" }, request.contact.phone)
        : null,
    ),
    structureCell(request, ids),
    documentCell(request),
    h("td", {}, h("div", { class: "actions actions--cellule" }, accept, refuse)),
  );
  const fields = { nda: { input: ndaValue, error: ndaError, label: "NDA", noInvalid: true } };
  const nameInput = tr.querySelector(`#${ids.name}`);
  if (nameInput) {
    fields.structure_name = {
      input: nameInput,
      error: tr.querySelector(`#${ids.name}-erreur`),
      label: "Raison sociale de la structure à créer",
    };
  }
  const entry = {
    request,
    tr,
    accept,
    refuse,
    nameInput,
    errors: new FormErrors({
      zone: alertZone,
      fields,
      heading: `La demande de ${who} (${request.contact.email}) n'est pas traitée`,
      title: TITLE,
    }),
  };
  accept.addEventListener("click", () => decide(entry, { decision: "approve" }));
  refuse.addEventListener("click", () => openRefusal(entry));
  rows.set(request.id, entry);
  return tr;
}

function emptyView() {
  return h(
    "p",
    { class: "vide", id: "aucune-demande", tabindex: "-1" },
    "Aucune demande de compte en attente : toutes les demandes ont été traitées.",
  );
}

function caption() {
  const count = rows.size;
  return count === 1 ? "1 demande de compte en attente" : `${count} demandes de compte en attente`;
}

function render(requests) {
  rows.clear();
  if (!requests.length) {
    fill(area, refreshButton(), emptyView());
    return;
  }
  const body = h("tbody", {}, requests.map((request, index) => requestRow(request, index)));
  fill(
    area,
    refreshButton(),
    scrollingTable(
      "legende-demandes",
      h(
        "table",
        { class: "tableau" },
        h("caption", { id: "legende-demandes" }, caption()),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Date de la demande", "SIRET et NDA", "Contact", "Structure", "Document", "Actions"].map((label) =>
              h("th", { scope: "col" }, label),
            ),
          ),
        ),
        body,
      ),
    ),
  );
}

function refreshButton() {
  return h(
    "div",
    { class: "barre-outils" },
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: () => load({ announce: true }) }, "Actualiser la liste"),
  );
}

async function load({ announce = false } = {}) {
  setStatus("Chargement des demandes…");
  try {
    const requests = await api("/moderation/account-requests");
    clearError();
    render(Array.isArray(requests) ? requests : []);
    setStatus(announce ? `Liste actualisée : ${caption()}.` : "");
  } catch (error) {
    setStatus("");
    showError(error, { retry: true });
  }
}

/** After a decision: the row goes, the focus moves to the next row (or the sentence saying none is left). */
function removeRow(entry) {
  const next = entry.tr.nextElementSibling || entry.tr.previousElementSibling;
  rows.delete(entry.request.id);
  entry.tr.remove();
  if (!rows.size) {
    fill(area, refreshButton(), emptyView());
    return document.getElementById("aucune-demande");
  }
  document.getElementById("legende-demandes").textContent = caption();
  const nextEntry = next ? rows.get(next.dataset.demande) : null;
  return nextEntry ? nextEntry.accept : null;
}

// ------------------------------------------------------------------ decisions
async function send(entry, body) {
  return api(`/moderation/account-requests/${encodeURIComponent(entry.request.id)}/decision`, { method: "POST", body });
}

function setRowBusy(entry, value) {
  busy = value;
  entry.accept.disabled = value;
  entry.refuse.disabled = value;
  entry.tr.setAttribute("aria-busy", value ? "true" : "false");
}

function clearAll() {
  for (const entry of rows.values()) entry.errors.clear();
}

async function decide(entry, body) {
  if (busy) return;
  clearAll();
  result.replaceChildren();
  const payload = { ...body };
  if (entry.nameInput) payload.structure_name = entry.nameInput.value.trim();
  setRowBusy(entry, true);
  setStatus("Enregistrement de la décision…");
  try {
    await send(entry, payload);
  } catch (error) {
    setRowBusy(entry, false);
    setStatus("");
    if (error.redirecting) return;
    showRowError(entry, error);
    return;
  }
  setStatus("");
  const focus = removeRow(entry);
  say(
    isRightsRequest(entry.request)
      ? `Accès donné : ${contactName(entry.request)} (${entry.request.contact.email}) a été prévenu(e) par e-mail.`
      : `Compte créé : la clé d'activation a été envoyée à ${entry.request.contact.email}.`,
  );
  focus?.focus();
}

function showRowError(entry, error) {
  const after =
    error.status === 409 || error.status === 404
      ? h("button", { type: "button", class: "bouton bouton--secondaire", onclick: () => load({ announce: true }) }, "Actualiser la liste")
      : null;
  entry.errors.show(error.message || "La décision n'a pas pu être enregistrée. Réessayez.", fieldsOf(error), { after });
}

// ------------------------------------------------------------------ the refusal dialog
const dialog = document.getElementById("dialogue-refus");
const refusalForm = document.getElementById("formulaire-refus");
const reason = document.getElementById("raison-refus");
const confirm = document.getElementById("confirmer-refus");
const refusal = modal(dialog, { busy: () => busy });
const refusalErrors = new FormErrors({
  zone: document.getElementById("dialogue-refus-erreur"),
  fields: { reason: { input: reason, error: document.getElementById("raison-refus-erreur"), label: "Raison du refus" } },
  heading: "Le refus n'est pas enregistré",
  title: TITLE,
});
let refused = null;

function openRefusal(entry) {
  if (busy) return;
  clearAll();
  refusalErrors.clear();
  refused = entry;
  reason.value = "";
  const who = contactName(entry.request);
  document.getElementById("dialogue-refus-titre").textContent = `Refuser la demande de ${who}`;
  document.getElementById("dialogue-refus-description").textContent =
    `SIRET ${formatSiret(entry.request.siret)}. La raison du refus est envoyée par e-mail à ${entry.request.contact.email}.`;
  refusal.open(entry.refuse, reason);
}

document.getElementById("annuler-refus").addEventListener("click", () => refusal.close());

dialog.addEventListener("close", () => {
  // Closed with its own errors (Escape, Annuler): they go, and the title with them. Closed because of
  // an error shown on the page, the page's error stays (and its title).
  if (refusalErrors.zone.hasChildNodes()) refusalErrors.clear();
  refused = null;
  confirm.disabled = false;
});

refusalForm.addEventListener("submit", async (event) => {
  event.preventDefault(); // method="dialog" would close it before the API has answered
  const entry = refused;
  if (!entry || busy) return;
  refusalErrors.clear();
  busy = true;
  confirm.disabled = true;
  confirm.textContent = "Envoi du refus…";
  try {
    await send(entry, { decision: "reject", reason: reason.value.trim() });
  } catch (error) {
    busy = false;
    confirm.disabled = false;
    confirm.textContent = "Confirmer le refus";
    if (error.redirecting) return;
    const fields = fieldsOf(error);
    if (fields.some((f) => f.field === "reason")) {
      refusalErrors.show(error.message, fields);
      reason.focus();
    } else {
      refusal.close(alertZone); // the focus goes to the message, not back to the button
      showRowError(entry, error);
    }
    return;
  }
  busy = false;
  confirm.textContent = "Confirmer le refus";
  const focus = removeRow(entry);
  refusal.close(focus || undefined);
  say(`Demande refusée : ${contactName(entry.request)} (${entry.request.contact.email}) a été prévenu(e) par e-mail.`);
});

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "account-requests" });
  await load();
} catch {
  // mountShell has shown the error in the alert region
}
