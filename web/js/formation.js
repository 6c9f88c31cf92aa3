// A formation (/formation?ref=F…), as the guide's *Modification d'une formation* describes it:
//   read mode (the published version, with its state) → *Demande de modification* (PUT …/draft version 0)
//   → edit mode (a formation in creation opens there): *Sauvegarder le brouillon* (PUT …/draft),
//   *Supprimer ma demande* (DELETE …/draft; a formation never published goes with it), *Soumettre pour
//   validation* then *Confirmer* (POST …/submission) → pending, on the guide's orange, locked until the
//   Carif-Oref decides: *Voir ma demande*, *Annuler ma demande de vérification* (DELETE …/submission);
//   a rejection comes back as a draft with the Carif-Oref's comment.
// A trainer's users read it ("Seul le mandataire peut modifier cette formation et ses sessions."); moderators
// read it and set its indexing (Formacode, NSF, ROME). The *Sessions* part (formation-sessions.js) lists the
// sessions; in a draft it adds, edits and duplicates them, saved and submitted with the formation.
//
// The state and the form's values are in formation-etat.js (pure), the read-only views in formation-vues.js,
// the edit form in formation-saisie.js, the moderators' indexing in formation-indexation.js.

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { modal } from "./dialogue.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { dateTimeText, successBox } from "./format.js";
import {
  draftFromForm,
  draftKey,
  formErrors,
  formFromDraft,
  MANDATAIRE_ONLY,
  pageMode,
  shownData,
} from "./formation-etat.js";
import { indexingForm } from "./formation-indexation.js";
import { editForm } from "./formation-saisie.js";
import { indexingView, readView, statusBadge } from "./formation-vues.js";
import { sessionsPart } from "./formation-sessions.js";
import { splitMessages } from "./session-etat.js";
import { queueUrl } from "./moderation-commun.js";
import { announce, clearError, isModerator, mountShell, setStatus, showError } from "./shell.js";

const area = document.getElementById("formation");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');
const ref = (new URLSearchParams(window.location.search).get("ref") || "").trim().toUpperCase();

const STALE_BEFORE_SUBMIT =
  "Cette formation a été modifiée entre-temps (dans un autre onglet ou par un collègue) : rechargez la dernière " +
  "version et vérifiez-la avant de la soumettre.";

const page = {
  moderator: false,
  /** The last view answered by the API (GET /formations/{ref} and every write). */
  view: null,
  /** The contacts of the responsible structure (the form's list, the read view's names). */
  contacts: [],
  /** The form's values while a draft is open (edit mode), else null; and their key as last saved. */
  edit: null,
  savedKey: "",
  /** What is known of each certification code (the view's summaries, the hits chosen in the dialog). */
  known: new Map(),
  busy: false,
  errors: null,
  title: document.title,
};

/** The Sessions part: the draft's sessions are saved with the formation (`data.sessions`). */
const sessions = sessionsPart({
  ref,
  view: () => page.view,
  formation: () => page.edit,
  // a session names contacts of the OF's structures: the responsible one, its head office, its branches
  contacts: () => (page.view && page.view.session_contacts && page.view.session_contacts.length ? page.view.session_contacts : page.contacts),
  known: () => page.known,
  edition: () => mode() === "edition",
  moderator: () => page.moderator,
  busy: () => page.busy,
  setBusy: (value, message) => setBusy(value, message),
  dirty: () => isDirty(),
  save: () => save(),
  show: (view) => {
    resetMessages();
    applyView(view);
    render();
  },
  changed: () => updateDirty(),
  say: (message) => say(message),
  announce: (message) => announce(message),
  failed: (error) => writeFailed(error),
});

// ------------------------------------------------------------------ state
function mode() {
  return pageMode(page.view, { moderator: page.moderator });
}

function isDirty() {
  return (Boolean(page.edit) && draftKey(page.edit) !== page.savedKey) || sessions.dirty();
}

function applyView(view) {
  page.view = view;
  page.known = new Map((view.certifications || []).map((c) => [c.code, c]));
  if (mode() === "edition") {
    page.edit = formFromDraft(view.draft);
    page.savedKey = draftKey(page.edit);
  } else {
    page.edit = null;
    page.savedKey = "";
  }
  page.title = `${view.title} — Formation — OFeli`;
  document.title = page.title;
  sessions.load(view);
}

function path(suffix = "") {
  return `/formations/${encodeURIComponent(ref)}${suffix}`;
}

// ------------------------------------------------------------------ messages
function say(message) {
  fill(result, successBox(message));
}

function resetMessages() {
  page.errors?.clear();
  clearError();
  result.replaceChildren();
  document.title = page.title;
}

function focusById(id) {
  const element = document.getElementById(id);
  element?.focus();
  return element;
}

function showFailure(error) {
  showError(error);
  document.title = `Erreur — ${page.title}`;
  alertZone.focus();
}

/** A write refused because the formation changed elsewhere (409), is locked (423) or has gone (404). */
function showConflict(message) {
  const keeping = Boolean(page.edit);
  fill(
    alertZone,
    h(
      "div",
      { class: "alerte alerte--erreur" },
      h("p", { class: "alerte__titre" }, keeping ? "Votre saisie n'a pas été enregistrée" : "Action impossible"),
      h("p", {}, message),
      keeping
        ? h(
            "p",
            {},
            "Ce que vous avez saisi reste affiché, mais n'est pas enregistré. Notez-le si besoin : recharger la " +
              "dernière version remplacera votre saisie à l'écran.",
          )
        : null,
      h("button", { type: "button", class: "bouton bouton--secondaire", id: "recharger", onclick: reloadLatest }, "Recharger la dernière version"),
    ),
  );
  document.title = `Erreur — ${page.title}`;
  alertZone.focus();
}

/** After a refused write: field errors next to their fields, conflicts with a way out, the rest as is. */
function writeFailed(error, { conflicts = [404, 409, 423] } = {}) {
  if (error.redirecting) return;
  const fields = fieldsOf(error);
  if (error.status === 422 && fields.length) {
    // the sessions' errors go to their forms, with their part of the summary (links that open them)
    const split = splitMessages(fields);
    const inSessions = sessions.showErrors(split.sessions);
    if (page.errors) page.errors.show(error.message, formErrors(split.formation), { after: inSessions });
    else showFailure(error);
  } else if (conflicts.includes(error.status)) {
    showConflict(error.message);
  } else {
    showFailure(error);
  }
}

function setBusy(value, message = "") {
  page.busy = value;
  setStatus(message);
  for (const button of area.querySelectorAll(".formation-flux button, .fiche-barre button")) button.disabled = value;
  area.setAttribute("aria-busy", value ? "true" : "false");
}

// ------------------------------------------------------------------ the page's parts
function header() {
  const view = page.view;
  return h(
    "section",
    { class: "carte fiche-entete", "aria-labelledby": "titre-formation" },
    h("p", { class: "carte__surtitre" }, `Formation ${view.ref}`),
    h("h2", { id: "titre-formation", class: "carte__titre", tabindex: "-1" }, view.title),
    h(
      "dl",
      { class: "carte__donnees" },
      h("dt", {}, "Référence"),
      h("dd", {}, h("span", { class: "insecable" }, view.ref)),
      h("dt", {}, "État"),
      h("dd", {}, statusBadge(view.status, view.status_label)),
      h("dt", {}, "Organisme responsable (mandataire)"),
      h("dd", {}, view.responsible_name),
    ),
    brokenLinks(view.broken_links || []),
  );
}

/** The block *Erreur liens site internet*, on the formation itself: which page, why, checked when. */
function brokenLinks(findings) {
  if (!findings.length) return null;
  return h(
    "div",
    { class: "alerte alerte--attention", id: "liens-en-erreur" },
    h("p", {}, h("strong", {}, findings.length > 1 ? "Des liens de cette formation sont en erreur" : "Un lien de cette formation est en erreur"), " : corrigez-le par une demande de modification pour que votre offre reste visible."),
    h(
      "ul",
      {},
      findings.map((f) =>
        h("li", {}, h("span", { class: "url" }, f.url), ` — ${f.reason} (vérifié le ${new Date(f.checked_at).toLocaleDateString("fr-FR")})`),
      ),
    ),
  );
}

function toolbarAction(id, label, help, kind, onclick) {
  return h(
    "div",
    { class: "fiche-barre__action" },
    h("button", { type: "button", id, class: `bouton ${kind}`, "aria-describedby": `${id}-aide`, onclick }, label),
    h("span", { class: "fiche-barre__aide", id: `${id}-aide` }, help),
  );
}

function rejectedBanner(comment) {
  return h(
    "section",
    { class: "alerte alerte--erreur fiche-refus", "aria-labelledby": "titre-refus" },
    h("h2", { id: "titre-refus", class: "alerte__titre" }, "Votre dernière demande n'a pas été validée par le Carif-Oref"),
    h("p", {}, "Commentaire du Carif-Oref :"),
    h("blockquote", { class: "fiche-commentaire" }, comment),
    h("p", {}, "Corrigez votre saisie en tenant compte de ce commentaire, puis soumettez-la de nouveau pour validation."),
  );
}

function submittedLine(submission) {
  const at = submission.submitted_at ? ` le ${dateTimeText(submission.submitted_at)}` : "";
  const by = submission.submitted_by ? ` par ${submission.submitted_by}` : "";
  return `Demande soumise${at}${by}.`;
}

function flow() {
  const view = page.view;
  const submission = view.submission;
  switch (mode()) {
    case "formateur":
      return h(
        "div",
        { class: "alerte alerte--info formation-flux", id: "lecture-seule" },
        h("p", { class: "alerte__titre" }, "Consultation en lecture seule"),
        h("p", {}, MANDATAIRE_ONLY),
        h(
          "p",
          {},
          `Votre structure assure des sessions de cette formation en tant qu'organisme formateur ; l'organisme ` +
            `responsable (le mandataire) est ${view.responsible_name}.`,
        ),
      );
    case "moderation":
      return h(
        "div",
        { class: "alerte alerte--info formation-flux" },
        h("p", { class: "alerte__titre" }, "Consultation par le Carif-Oref"),
        h("p", {}, "Les modérateurs ne modifient pas la formation d'un organisme : ils valident ou refusent ses demandes, et indexent l'offre ci-dessous."),
        submission.state === "submitted"
          ? h("p", {}, `${submittedLine(submission)} Elle attend une décision dans la `, h("a", { href: queueUrl() }, "file de modération"), ".")
          : null,
      );
    case "lecture":
      return h(
        "section",
        { class: "fiche-flux formation-flux", "aria-labelledby": "titre-flux" },
        h("h2", { id: "titre-flux", class: "fiche-flux__titre", tabindex: "-1" }, "Modifier cette formation"),
        h(
          "p",
          {},
          "Vous consultez la formation publiée, en lecture. Pour modifier son contenu, cliquez sur Demande de " +
            "modification : vos modifications seront vérifiées par le Carif-Oref avant d'être publiées.",
        ),
        h("button", { type: "button", id: "demande-modification", class: "bouton bouton--principal", onclick: openDraft }, "Demande de modification"),
      );
    case "soumise": {
      const open = !view.published; // a formation in creation: the request is all there is to see
      const request = h(
        "div",
        { id: "ma-demande", class: "formation-demande", hidden: !open },
        h("h3", { class: "fiche-rubrique__titre" }, view.published ? "Ma demande de modification" : "Ma demande de création"),
        h("p", {}, submittedLine(submission)),
        readView(view, view.draft, { contacts: page.contacts, certifications: view.certifications, idPrefix: "demande", level: 4 }),
        h(
          "button",
          { type: "button", id: "bouton-retirer", class: "bouton bouton--danger", onclick: askWithdraw },
          "Annuler ma demande de vérification",
        ),
      );
      const toggle = h(
        "button",
        {
          type: "button",
          id: "voir-demande",
          class: "bouton bouton--secondaire",
          "aria-expanded": String(open),
          "aria-controls": "ma-demande",
        },
        "Voir ma demande",
      );
      toggle.addEventListener("click", () => {
        const show = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(show));
        request.hidden = !show;
      });
      return h(
        "section",
        { class: "alerte fiche-attente formation-flux formation-attente", "aria-labelledby": "titre-flux" },
        h("h2", { id: "titre-flux", class: "alerte__titre", tabindex: "-1" }, "Formation en attente de validation par le Carif-Oref"),
        h("p", {}, submittedLine(submission)),
        h(
          "p",
          {},
          h("strong", {}, "Attention : "),
          "vous ne pouvez plus modifier cette formation tant que nos services ne l'ont pas validée. S'il s'agit " +
            "d'une erreur de votre part, cliquez sur Voir ma demande puis sur Annuler ma demande de vérification.",
        ),
        toggle,
        request,
      );
    }
    default: {
      const creating = !view.published;
      return [
        submission.comment ? rejectedBanner(submission.comment) : null,
        h(
          "section",
          { class: "fiche-flux fiche-flux--edition formation-flux", "aria-labelledby": "titre-flux" },
          h(
            "h2",
            { id: "titre-flux", class: "fiche-flux__titre", tabindex: "-1" },
            creating ? "Formation en cours de création" : "Demande de modification en cours",
          ),
          submission.saved_at
            ? h(
                "p",
                { class: "fiche-flux__sauvegarde" },
                `Brouillon sauvegardé le ${dateTimeText(submission.saved_at)}${submission.saved_by ? ` par ${submission.saved_by}` : ""}.`,
              )
            : null,
          h("p", { id: "etat-sauvegarde", class: "fiche-flux__etat", "aria-live": "polite" }),
          h(
            "p",
            {},
            "Une fois tous les éléments renseignés, cliquez sur Sauvegarder le brouillon et, si votre saisie est " +
              "terminée, sur Soumettre pour validation puis sur Confirmer. Le Carif-Oref procédera à l'indexation " +
              "et à la publication de votre offre.",
          ),
        ),
      ];
    }
  }
}

function toolbar() {
  return h(
    "div",
    { class: "fiche-barre", role: "group", "aria-label": "Actions sur la demande en cours" },
    toolbarAction(
      "bouton-sauvegarder",
      "Sauvegarder le brouillon",
      "Sauvegarde temporairement vos informations",
      "bouton--secondaire",
      clickSave,
    ),
    toolbarAction(
      "bouton-supprimer",
      "Supprimer ma demande",
      "Toutes vos modifications sont alors supprimées",
      "bouton--danger",
      askDrop,
    ),
    toolbarAction(
      "bouton-soumettre",
      "Soumettre pour validation",
      "Envoie votre demande au Carif-Oref pour vérification et publication",
      "bouton--principal",
      askSubmit,
    ),
  );
}

function content() {
  const view = page.view;
  const current = mode();
  if (current === "edition") {
    const form = editForm({
      form: page.edit,
      view,
      contacts: page.contacts,
      known: page.known,
      onChange: () => {
        updateDirty();
        sessions.formationChanged(); // apprenticeship, cycle duration, certifications: the session form follows
      },
      say: announce,
    });
    page.errors = new FormErrors({ zone: alertZone, fields: form.fields, heading: "La demande n'a pas été enregistrée", title: page.title });
    return h(
      "section",
      { class: "formation-saisie", "aria-labelledby": "titre-informations" },
      h("h2", { id: "titre-informations" }, view.published ? "Informations de la formation (modification)" : "Informations de la formation"),
      form.element,
      toolbar(),
    );
  }
  page.errors = null;
  if (current === "soumise" && !view.published) return null; // the request, unfolded above, is the formation
  const data = shownData(view);
  return h(
    "section",
    { class: "formation-lecture", "aria-labelledby": "titre-informations" },
    h("h2", { id: "titre-informations" }, view.published ? "Informations de la formation (version publiée)" : "Informations de la formation"),
    readView(view, data, { contacts: page.contacts, certifications: view.published && view.draft ? null : view.certifications }),
  );
}

function indexing() {
  const view = page.view;
  if (page.moderator) {
    return indexingForm({
      view,
      onSaved: (saved, message) => {
        applyView(saved);
        render();
        say(message);
        focusById("titre-indexation");
      },
      onStale: (message) => showConflict(message),
    });
  }
  return h(
    "section",
    { class: "fiche-rubrique formation-indexation", "aria-labelledby": "titre-indexation" },
    h("h2", { id: "titre-indexation", class: "fiche-rubrique__titre" }, "Indexation (Formacode, NSF, ROME)"),
    h("p", { class: "fiche-rubrique__aide" }, "L'indexation de votre offre est faite par le Carif-Oref."),
    indexingView(view),
  );
}

function render() {
  fill(area, header(), h("div", { class: "fiche-flux-zone" }, flow()), content(), indexing(), sessions.element());
  updateDirty();
}

/** The line that says whether everything on screen is saved (in words, not colour alone). */
function updateDirty() {
  const line = document.getElementById("etat-sauvegarde");
  if (!line) return;
  const dirty = isDirty();
  line.textContent = dirty
    ? "Vous avez des modifications non sauvegardées : pensez à cliquer sur Sauvegarder le brouillon."
    : "Toutes vos modifications sont sauvegardées.";
  line.classList.toggle("fiche-flux__etat--non-sauvegarde", dirty);
}

// ------------------------------------------------------------------ the workflow's actions
async function openDraft() {
  if (page.busy) return;
  resetMessages();
  setBusy(true, "Ouverture de la demande de modification…");
  try {
    const view = await api(path("/draft"), { method: "PUT", body: { version: 0, data: page.view.published } });
    applyView(view);
    render();
    setBusy(false);
    say("Demande de modification ouverte. Faites vos modifications, sauvegardez-les, puis cliquez sur Soumettre pour validation.");
    focusById("titre-flux");
  } catch (error) {
    setBusy(false);
    writeFailed(error);
  }
}

/** PUT the draft; true when saved (the page then shows what the API kept: cleaned texts, warnings). */
async function save() {
  resetMessages();
  setBusy(true, "Sauvegarde du brouillon…");
  try {
    const view = await api(path("/draft"), {
      method: "PUT",
      body: { version: page.view.submission.version, data: { ...draftFromForm(page.edit), sessions: sessions.data() } },
    });
    applyView(view);
    render();
    setBusy(false);
    return true;
  } catch (error) {
    setBusy(false);
    writeFailed(error);
    return false;
  }
}

async function clickSave() {
  if (page.busy || !page.edit) return;
  if (await save()) {
    const warnings = (page.view.warnings || []).length;
    say(
      "Votre brouillon est sauvegardé. Il n'est pas encore envoyé au Carif-Oref : lorsque votre saisie est terminée, " +
        "cliquez sur Soumettre pour validation." +
        (warnings ? ` ${warnings > 1 ? `${warnings} recommandations du guide ne sont pas suivies` : "Une recommandation du guide n'est pas suivie"} : voyez les remarques près des champs.` : ""),
    );
    focusById("bouton-sauvegarder");
  }
}

async function reloadLatest() {
  if (page.busy) return;
  setBusy(true, "Chargement de la dernière version…");
  try {
    const view = await api(path());
    resetMessages();
    page.edit = null;
    applyView(view);
    render();
    setBusy(false);
    say("Dernière version chargée.");
    focusById("titre-flux") || focusById("titre-formation");
  } catch (error) {
    setBusy(false);
    if (!error.redirecting) showFailure(error);
  }
}

// The confirmation dialog, shared by Supprimer ma demande, Soumettre pour validation and Annuler ma demande.
const confirmDialog = document.getElementById("dialogue-confirmation");
const confirmYes = document.getElementById("confirmation-oui");
const confirmNo = document.getElementById("confirmation-non");
let confirming = null;
let confirmBusy = false;
const confirmModal = modal(confirmDialog, { busy: () => confirmBusy });

function confirmThen({ title, text, yes, yesKind, no, opener, safeFirst = false, action }) {
  if (page.busy) return;
  document.getElementById("dialogue-confirmation-titre").textContent = title;
  fill(document.getElementById("dialogue-confirmation-texte"), text);
  confirmYes.textContent = yes;
  confirmYes.className = `bouton ${yesKind}`;
  confirmNo.textContent = no;
  confirming = action;
  confirmModal.open(opener, safeFirst ? confirmNo : confirmYes);
}

confirmNo.addEventListener("click", () => confirmModal.close());
confirmDialog.addEventListener("close", () => {
  confirming = null;
});
confirmYes.addEventListener("click", async () => {
  const action = confirming;
  if (!action || confirmBusy) return;
  confirmBusy = true;
  confirmYes.disabled = true;
  confirmNo.disabled = true;
  let focus = null;
  try {
    focus = await action();
  } finally {
    confirmBusy = false;
    confirmYes.disabled = false;
    confirmNo.disabled = false;
  }
  if (focus !== "parti") confirmModal.close(focus || alertZone);
});

function askDrop(event) {
  const creating = !page.view.published;
  confirmThen({
    title: "Supprimer ma demande ?",
    text: [
      h(
        "p",
        {},
        creating
          ? "Cette formation n'a jamais été publiée : elle sera supprimée avec toutes les informations saisies."
          : "Toutes vos modifications, sauvegardées ou non, seront supprimées. La formation publiée reste inchangée.",
      ),
    ],
    yes: creating ? "Supprimer la formation" : "Supprimer mes modifications",
    yesKind: "bouton--danger",
    no: "Continuer la saisie",
    opener: event.currentTarget,
    safeFirst: true,
    action: drop,
  });
}

async function drop() {
  resetMessages();
  setBusy(true, "Suppression de la demande…");
  try {
    await api(path("/draft"), { method: "DELETE" });
    page.edit = null; // nothing left to lose: no warning when leaving
    if (!page.view.published) {
      window.location.assign(`/formations?supprimee=${encodeURIComponent(ref)}`);
      return "parti";
    }
    const view = await api(path());
    applyView(view);
    render();
    setBusy(false);
    say("Votre demande est supprimée : la formation publiée est inchangée.");
    return document.getElementById("demande-modification") || document.getElementById("titre-flux");
  } catch (error) {
    setBusy(false);
    writeFailed(error);
    return alertZone;
  }
}

function askSubmit(event) {
  const dirty = isDirty();
  confirmThen({
    title: "Soumettre pour validation",
    text: [
      h("p", {}, "Votre demande va être envoyée au Carif-Oref de Normandie pour vérification et publication."),
      dirty ? h("p", {}, "Vos modifications non sauvegardées seront d'abord sauvegardées.") : null,
      h(
        "p",
        { class: "champ__attention" },
        h("strong", {}, "Attention : "),
        "vous ne pourrez plus modifier cette formation tant que nos services ne l'auront pas validée. Vous pourrez " +
          "encore annuler votre demande de vérification tant qu'elle n'est pas traitée.",
      ),
    ].filter(Boolean),
    yes: "Confirmer",
    yesKind: "bouton--principal",
    no: "Revenir à la saisie",
    opener: event.currentTarget,
    action: submit,
  });
}

async function submit() {
  if (isDirty()) {
    if (!(await save())) return alertZone;
  } else {
    // make sure what is submitted is what is on screen (the version is also sent)
    setBusy(true, "Vérification de la dernière version…");
    try {
      const fresh = await api(path());
      setBusy(false);
      if (fresh.submission.state !== "draft" || fresh.submission.version !== page.view.submission.version) {
        showConflict(STALE_BEFORE_SUBMIT);
        return alertZone;
      }
    } catch (error) {
      setBusy(false);
      if (!error.redirecting) showFailure(error);
      return alertZone;
    }
  }
  resetMessages();
  setBusy(true, "Envoi de votre demande au Carif-Oref…");
  try {
    const view = await api(path("/submission"), { method: "POST", body: { version: page.view.submission.version } });
    applyView(view);
    render();
    setBusy(false);
    say("Votre demande est envoyée au Carif-Oref, qui va la vérifier avant de la publier.");
    return document.getElementById("titre-flux");
  } catch (error) {
    setBusy(false);
    writeFailed(error, { conflicts: [404, 409, 423] });
    return alertZone;
  }
}

function askWithdraw(event) {
  confirmThen({
    title: "Annuler ma demande de vérification",
    text: [
      h(
        "p",
        {},
        "Votre demande sera retirée de la file de validation du Carif-Oref. Elle redeviendra un brouillon : vous " +
          "pourrez la corriger puis la soumettre de nouveau.",
      ),
    ],
    yes: "Retirer ma demande",
    yesKind: "bouton--danger",
    no: "Conserver ma demande",
    opener: event.currentTarget,
    safeFirst: true,
    action: withdraw,
  });
}

async function withdraw() {
  resetMessages();
  setBusy(true, "Annulation de votre demande…");
  try {
    const view = await api(path("/submission"), { method: "DELETE" });
    applyView(view);
    render();
    setBusy(false);
    say("Votre demande de vérification est annulée : vous pouvez de nouveau modifier la formation, puis la soumettre.");
    return document.getElementById("titre-flux");
  } catch (error) {
    setBusy(false);
    writeFailed(error);
    return alertZone;
  }
}

window.addEventListener("beforeunload", (event) => {
  if (!isDirty()) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need it to ask
});

// ------------------------------------------------------------------ start
/** After *Créer* (?creee=1): said once, then the parameter goes. */
function showCreated() {
  const params = new URLSearchParams(window.location.search);
  if (!params.has("creee")) return;
  params.delete("creee");
  window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
  say(
    `La formation ${ref} est créée. Ses informations générales sont préremplies : complétez-les, sauvegardez le ` +
      "brouillon, puis soumettez-la pour validation.",
  );
}

async function loadContacts(view) {
  if (!page.moderator && !view.can_edit) return []; // a trainer has no rights on the responsible structure
  try {
    const contacts = await api(`/structures/${encodeURIComponent(view.siret)}/contacts`);
    return Array.isArray(contacts) ? contacts : [];
  } catch {
    return []; // the form still works: the contact list is then empty
  }
}

async function start() {
  let shell;
  try {
    shell = await mountShell({ current: "formations" });
  } catch {
    return; // mountShell has shown the error in the alert region
  }
  page.moderator = isModerator(shell.me);
  if (page.moderator) {
    const back = document.getElementById("retour-liste");
    back.textContent = "Retour à la file de modération";
    back.setAttribute("href", queueUrl());
  }
  if (!/^F\d{7}$/.test(ref)) {
    fill(area, h("p", { class: "vide" }, "Cette adresse ne désigne aucune formation : ouvrez-la depuis la liste des formations."));
    return;
  }
  setStatus("Chargement de la formation…");
  try {
    const view = await api(path());
    page.contacts = await loadContacts(view);
    applyView(view);
    render();
    setStatus("");
    showCreated();
  } catch (error) {
    setStatus("");
    if (!error.redirecting) showError(error, { retry: error.status >= 500 || error.status === 0 });
  }
}

start();
