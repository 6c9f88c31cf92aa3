// Moderators: one submitted change (/moderation/soumission?id=…): who submitted it and when, the
// field-by-field difference with the published version (GET /moderation/submissions/{id}), and the
// decision (POST /moderation/submissions/{id}/decision): "Valider et publier" or "Refuser" with a comment.

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { modal } from "./dialogue.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { dateTime, kindLabel } from "./format.js";
import { formationValueText } from "./formation-etat.js";
import { queueUrl, setDecisionMessage } from "./moderation-commun.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const area = document.getElementById("demande");
const alertZone = document.querySelector('[data-shell="alert"]');
const submissionId = new URLSearchParams(window.location.search).get("id") || "";

document.getElementById("retour-file").setAttribute("href", queueUrl());

/** The submission shown, as the API answered it. */
let submission = null;
/** A formation's: the contacts of its responsible structure, to name the contact chosen. */
let contacts = [];
let busy = false;

// ------------------------------------------------------------------ values, as a person reads them
const NOT_SET = "Non renseigné";

/** One entry of a list ({label, email} …) or a plain value, in words. */
function entryText(item) {
  if (item === null || item === undefined || item === "") return "";
  if (typeof item === "boolean") return item ? "Oui" : "Non";
  if (typeof item !== "object") return String(item);
  const main = item.email ?? item.number ?? item.url;
  const value =
    main !== undefined
      ? String(main)
      : Object.entries(item)
          .filter(([key, v]) => key !== "label" && v !== null && v !== undefined && v !== "")
          .map(([, v]) => entryText(v))
          .join(", ");
  return item.label ? `${item.label} : ${value}` : value;
}

/** A value of the field `field` in words: a formation's certifications, levels, cycle, contact in its own words. */
function valueText(field, item) {
  const special = submission && submission.kind === "formation" ? formationValueText(field, item, contacts) : null;
  return special ?? entryText(item);
}

/** The same canonical form as the API's comparison (keys sorted), to find an entry in added / removed. */
function canon(value) {
  if (Array.isArray(value)) return `[${value.map(canon).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canon(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function notSet() {
  return h("span", { class: "diff-vide" }, NOT_SET);
}

/** A list, each entry marked "ajouté" or "retiré" in words (the colour only repeats it). */
const COLUMNS = ["Rubrique", "Version publiée", "Version soumise"];

/** A cell of the table, with its explicit role and its column's name (shown above it on a phone). */
function cell(column, ...content) {
  return h("td", { role: "cell", "data-colonne": COLUMNS[column] }, ...content);
}

function listCell(column, items, marked, word, modifier, field) {
  if (!items.length) return cell(column, h("span", { class: "diff-vide" }, "Aucune entrée"));
  const keys = new Set(marked.map(canon));
  return cell(
    column,
    h(
      "ul",
      { class: "diff-liste" },
      items.map((item) => {
        const changed = keys.has(canon(item));
        return h(
          "li",
          { class: changed ? `diff-element diff-element--${modifier}` : "diff-element" },
          changed ? [h("span", { class: `diff-marque diff-marque--${modifier}` }, word), h("span", { class: "visuellement-cache" }, " : ")] : null,
          h("span", { class: "diff-valeur" }, valueText(field, item)),
        );
      }),
    ),
  );
}

function textCell(column, value, field) {
  const text = valueText(field, value);
  return cell(column, text ? h("span", { class: "diff-texte" }, text) : notSet());
}

function isList(difference) {
  return (
    Array.isArray(difference.before) ||
    Array.isArray(difference.after) ||
    (difference.added || []).length > 0 ||
    (difference.removed || []).length > 0
  );
}

function differenceRow(difference) {
  if (isList(difference)) {
    const before = Array.isArray(difference.before) ? difference.before : [];
    const after = Array.isArray(difference.after) ? difference.after : [];
    return h(
      "tr",
      { role: "row" },
      h("th", { scope: "row", role: "rowheader" }, difference.label),
      listCell(1, before, difference.removed || [], "retiré", "retrait", difference.field),
      listCell(2, after, difference.added || [], "ajouté", "ajout", difference.field),
    );
  }
  return h(
    "tr",
    { role: "row" },
    h("th", { scope: "row", role: "rowheader" }, difference.label),
    textCell(1, difference.before, difference.field),
    textCell(2, difference.after, difference.field),
  );
}

// ------------------------------------------------------------------ the page
function recordLink(entry) {
  if (entry.kind === "structure") {
    return h(
      "a",
      { href: `/ma-structure?siret=${encodeURIComponent(entry.siret)}` },
      "Voir la fiche structure",
      h("span", { class: "visuellement-cache" }, ` de ${entry.title}`),
    );
  }
  if (entry.kind === "formation") {
    return h(
      "a",
      { href: `/formation?ref=${encodeURIComponent(entry.record_id)}` },
      "Voir la formation",
      h("span", { class: "visuellement-cache" }, ` ${entry.record_id} : ${entry.title}`),
    );
  }
  return null;
}

function row(term, ...description) {
  return [h("dt", {}, term), h("dd", {}, ...description)];
}

function summary(entry) {
  return h(
    "section",
    { class: "carte carte--demande", "aria-labelledby": "titre-demande" },
    h("p", { class: "carte__surtitre" }, kindLabel(entry.kind)),
    h("h2", { id: "titre-demande", class: "carte__titre" }, entry.title),
    h(
      "dl",
      { class: "carte__donnees" },
      entry.kind === "formation" ? row("Référence", h("span", { class: "insecable" }, entry.record_id)) : null,
      row(entry.kind === "formation" ? "SIRET du mandataire" : "SIRET", h("span", { class: "insecable" }, formatSiret(entry.siret))),
      row("Soumise par", h("a", { href: `mailto:${entry.submitted_by}`, class: "coupable" }, entry.submitted_by)),
      row("Soumise le", dateTime(entry.submitted_at)),
    ),
    recordLink(entry) ? h("p", { class: "carte__note" }, recordLink(entry)) : null,
  );
}

function differencesTable(differences) {
  if (!differences.length) {
    return h("p", { class: "vide" }, "Aucune rubrique ne diffère de la version publiée.");
  }
  // Not scrollingTable(): its "scroll sideways" hint would be wrong, the table fits on a phone (CSS).
  return h(
    "div",
    { class: "tableau-defilant", role: "region", "aria-labelledby": "legende-differences", tabindex: "0" },
    h(
      "table",
      { class: "tableau tableau--differences", role: "table" },
      h(
        "caption",
        { id: "legende-differences" },
        differences.length === 1 ? "1 rubrique modifiée" : `${differences.length} rubriques modifiées`,
      ),
      h(
        "thead",
        { role: "rowgroup" },
        h("tr", { role: "row" }, COLUMNS.map((label) => h("th", { scope: "col", role: "columnheader" }, label))),
      ),
      h("tbody", { role: "rowgroup" }, differences.map(differenceRow)),
    ),
  );
}

const approveButton = h("button", { type: "button", class: "bouton bouton--principal", id: "valider" }, "Valider et publier");
const rejectButton = h("button", { type: "button", class: "bouton bouton--danger", id: "refuser" }, "Refuser");

function render(view) {
  fill(
    area,
    summary(view),
    h(
      "section",
      { "aria-labelledby": "titre-differences" },
      h("h2", { id: "titre-differences" }, "Modifications demandées"),
      h(
        "p",
        { class: "intro-page" },
        "Seules les rubriques modifiées sont listées. Dans les listes, les entrées ajoutées sont marquées « ajouté », " +
          "les entrées supprimées « retiré ».",
      ),
      differencesTable(view.differences || []),
    ),
    h(
      "section",
      { "aria-labelledby": "titre-decision", class: "decision" },
      h("h2", { id: "titre-decision" }, "Décision"),
      h(
        "p",
        {},
        "Valider publie la version soumise ; refuser la renvoie à l'organisme en brouillon, avec votre commentaire. " +
          "Dans les deux cas, l'organisme est prévenu par e-mail.",
      ),
      h("div", { class: "actions" }, approveButton, rejectButton),
    ),
  );
}

/** The request was decided or withdrawn meanwhile (404 / 409): say so, and lead back to the queue. */
function showGone(message) {
  approveButton.disabled = true;
  rejectButton.disabled = true;
  area.querySelector(".decision")?.remove();
  fill(
    alertZone,
    h(
      "div",
      { class: "alerte alerte--erreur" },
      h("p", { class: "alerte__titre" }, "Cette demande n'est plus en attente"),
      h("p", {}, message || "Cette demande n'est plus en attente : elle a été traitée ou retirée."),
      h("p", {}, h("a", { href: queueUrl() }, "Retour à la file de modération")),
    ),
  );
  document.title = `Erreur — ${TITLE}`;
  alertZone.focus();
}

function showMissingId() {
  fill(
    alertZone,
    h(
      "div",
      { class: "alerte alerte--erreur" },
      h("p", { class: "alerte__titre" }, "Aucune demande indiquée"),
      h("p", {}, "L'adresse de cette page ne dit pas quelle demande examiner : ouvrez-la depuis la file de modération."),
      h("p", {}, h("a", { href: queueUrl() }, "Aller à la file de modération")),
    ),
  );
}

async function load() {
  setStatus("Chargement de la demande…");
  try {
    submission = await api(`/moderation/submissions/${encodeURIComponent(submissionId)}`);
    if (submission.kind === "formation") {
      contacts = await api(`/structures/${encodeURIComponent(submission.siret)}/contacts`).catch(() => []);
    }
    clearError();
    setStatus("");
    render(submission);
  } catch (error) {
    setStatus("");
    if (error.redirecting) return;
    if (error.status === 404) showGone(error.message);
    else showError(error, { retry: true });
  }
}

// ------------------------------------------------------------------ deciding
async function send(body) {
  return api(`/moderation/submissions/${encodeURIComponent(submissionId)}/decision`, { method: "POST", body });
}

function lowerFirst(text) {
  return text ? text.charAt(0).toLowerCase() + text.slice(1) : "";
}

function leave(done, answer, fallback) {
  const said = answer && typeof answer.message === "string" ? lowerFirst(answer.message) : fallback;
  setDecisionMessage(`${kindLabel(submission.kind)} « ${submission.title} » : ${said}`);
  window.location.assign(queueUrl(done));
}

/** An error of the decision itself: gone, or shown in the alert region (the dialog closed first). */
function decisionFailed(error, dialogControl) {
  if (error.status === 404 || error.status === 409) {
    dialogControl.close(alertZone);
    showGone(error.message);
  } else {
    dialogControl.close(alertZone);
    showError(error);
    alertZone.focus();
  }
}

// "Valider et publier", after a confirmation
const approval = document.getElementById("dialogue-validation");
const confirmApproval = document.getElementById("confirmer-validation");
const approvalDialog = modal(approval, { busy: () => busy });

approveButton.addEventListener("click", () => {
  if (busy || !submission) return;
  clearError();
  document.getElementById("dialogue-validation-description").textContent =
    `La version soumise de « ${submission.title} » (${kindLabel(submission.kind).toLowerCase()}) sera publiée ` +
    `telle quelle, et ${submission.submitted_by} en sera prévenu par e-mail.`;
  approvalDialog.open(approveButton, confirmApproval);
});

document.getElementById("annuler-validation").addEventListener("click", () => approvalDialog.close());

confirmApproval.addEventListener("click", async () => {
  if (busy || !submission) return;
  busy = true;
  confirmApproval.disabled = true;
  confirmApproval.textContent = "Publication…";
  let answer;
  try {
    answer = await send({ decision: "approve" });
  } catch (error) {
    busy = false;
    confirmApproval.disabled = false;
    confirmApproval.textContent = "Confirmer la publication";
    if (!error.redirecting) decisionFailed(error, approvalDialog);
    return;
  }
  leave("valide", answer, "modification validée et publiée ; l'organisme a été prévenu par e-mail.");
});

// "Refuser", with the comment sent to the OF
const refusal = document.getElementById("dialogue-refus");
const refusalForm = document.getElementById("formulaire-refus");
const comment = document.getElementById("commentaire-refus");
const confirmRefusal = document.getElementById("confirmer-refus");
const refusalDialog = modal(refusal, { busy: () => busy });
const refusalErrors = new FormErrors({
  zone: document.getElementById("dialogue-refus-erreur"),
  fields: {
    comment: { input: comment, error: document.getElementById("commentaire-refus-erreur"), label: "Commentaire pour l'organisme" },
  },
  heading: "Le refus n'est pas enregistré",
  title: TITLE,
});

rejectButton.addEventListener("click", () => {
  if (busy || !submission) return;
  clearError();
  refusalErrors.clear();
  document.getElementById("dialogue-refus-titre").textContent = `Refuser la modification de « ${submission.title} »`;
  document.getElementById("dialogue-refus-description").textContent =
    `Votre commentaire est envoyé par e-mail à ${submission.submitted_by} ; la modification lui revient en brouillon ` +
    "pour qu'il la corrige et la soumette de nouveau.";
  refusalDialog.open(rejectButton, comment);
});

document.getElementById("annuler-refus").addEventListener("click", () => refusalDialog.close());

refusal.addEventListener("close", () => {
  if (refusalErrors.zone.hasChildNodes()) refusalErrors.clear();
});

refusalForm.addEventListener("submit", async (event) => {
  event.preventDefault(); // method="dialog" would close it before the API has answered
  if (busy || !submission) return;
  refusalErrors.clear();
  busy = true;
  confirmRefusal.disabled = true;
  confirmRefusal.textContent = "Envoi du refus…";
  let answer;
  try {
    answer = await send({ decision: "reject", comment: comment.value.trim() });
  } catch (error) {
    busy = false;
    confirmRefusal.disabled = false;
    confirmRefusal.textContent = "Confirmer le refus";
    if (error.redirecting) return;
    const fields = fieldsOf(error);
    if (fields.some((f) => f.field === "comment")) {
      refusalErrors.show(error.message, fields);
      comment.focus();
    } else {
      decisionFailed(error, refusalDialog);
    }
    return;
  }
  leave("refuse", answer, "modification refusée ; l'organisme a reçu votre commentaire par e-mail.");
});

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "queue" });
  if (submissionId) await load();
  else showMissingId();
} catch {
  // mountShell has shown the error in the alert region
}
