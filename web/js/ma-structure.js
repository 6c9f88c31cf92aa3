// *Ma structure* (/ma-structure, ?siret= to open another structure): the structure record, tab by tab,
// and its workflow as the user guide describes it:
//   read mode → *Demande de modification* (PUT …/draft version 0) → edit mode: *Annuler* (DELETE …/draft),
//   *Sauvegarder* (PUT …/draft), *Soumettre pour validation* then *Confirmer* (POST …/submission)
//   → submitted, locked until the Carif-Oref decides; *Annuler ma demande de vérification* (DELETE …/submission)
//   goes back to the draft; a rejection comes back as a draft with the Carif-Oref's comment.
// Moderators see the read mode only.

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { modal } from "./dialogue.js";
import { chooseStructure } from "./session.js";
import { clearError, focusSpaceSelector, isModerator, mountShell, setStatus, showError } from "./shell.js";
import { managementPanel } from "./ma-structure-gestion.js";
import { Tabs } from "./ma-structure-onglets.js";
import {
  bindEditor,
  contactRequestField,
  editableList,
  rebuildErrors,
  renderList,
  showFieldErrors,
} from "./ma-structure-edition.js";
import { KINDS, copyDraft, draftData, draftKey } from "./ma-structure-saisie.js";
import * as views from "./ma-structure-vues.js";

const TITLE = document.title;
const area = document.getElementById("fiche");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

const TABS = [
  { id: "identite", label: "Identité" },
  { id: "coordonnees", label: "Coordonnées" },
  { id: "organisation", label: "Organisation" },
  { id: "contacts", label: "Contacts" },
  { id: "qualite", label: "Qualité" },
  { id: "habilitations", label: "Habilitations" },
  { id: "formations", label: "Formations de l'OF" },
  { id: "gestion", label: "Gestion" },
];

const STALE_BEFORE_SUBMIT =
  "Votre fiche a été modifiée entre-temps (dans un autre onglet ou par un collègue) : rechargez la dernière " +
  "version et vérifiez-la avant de la soumettre.";

/** What the page holds. */
const page = {
  me: null,
  siret: null,
  /** The user has rights on this structure (moderators only read). */
  canEdit: false,
  /** The last view answered by GET/PUT/POST /structures/{siret}…. */
  view: null,
  /** The working copy of the draft while it is open (edit mode), else null. */
  edit: null,
  /** draftKey() of the draft as last saved. */
  savedKey: "",
  busy: false,
  /** Field errors of the last save, as the API named them (kept next to the entries while they exist). */
  apiErrors: [],
  /** The page's FormErrors for those errors, rebuilt whenever the edit panels are. */
  errors: null,
  /** The summary of those errors is in the alert region. */
  summaryShown: false,
  tabs: null,
  management: null,
  parts: null,
  lists: {},
};

bindEditor(page, { onChange: () => updateDirty() });

function path(suffix = "") {
  return `/structures/${encodeURIComponent(page.siret)}${suffix}`;
}

function mode() {
  const state = page.view.submission.state;
  if (!page.canEdit) return "lecture";
  if (state === "draft") return "edition";
  if (state === "submitted") return "soumise";
  return "lecture";
}

function isDirty() {
  return Boolean(page.edit) && draftKey(page.edit) !== page.savedKey;
}

function applyView(view) {
  page.view = view;
  page.apiErrors = [];
  if (page.canEdit && view.submission.state === "draft" && view.draft) {
    page.edit = copyDraft(view.draft);
    page.savedKey = draftKey(view.draft);
  } else {
    page.edit = null;
    page.savedKey = "";
  }
}

/** The values a new draft starts from: the published ones. */
function publishedData() {
  const record = page.view.published;
  return draftData(copyDraft(record));
}

// ------------------------------------------------------------------ messages
function say(message) {
  fill(result, h("div", { class: "alerte alerte--succes" }, h("p", {}, message)));
}

function resetMessages() {
  page.errors?.clear();
  page.apiErrors = [];
  page.summaryShown = false;
  clearError();
  result.replaceChildren();
  document.title = TITLE;
}

function focusById(id) {
  const element = document.getElementById(id);
  if (element) element.focus();
  return element;
}

/**
 * A write refused because the record changed elsewhere (409), is locked (423) or has gone (404): what the
 * person typed stays on screen, and reloading the latest version is an explicit choice.
 */
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
            "Ce que vous avez saisi reste affiché, mais n'est pas enregistré. Notez-le si besoin : " +
              "recharger la dernière version remplacera votre saisie à l'écran.",
          )
        : null,
      h(
        "button",
        { type: "button", class: "bouton bouton--secondaire", id: "recharger", onclick: reloadLatest },
        "Recharger la dernière version",
      ),
    ),
  );
  document.title = `Erreur — ${TITLE}`;
  alertZone.focus();
}

function showFailure(error) {
  showError(error);
  document.title = `Erreur — ${TITLE}`;
  alertZone.focus();
}

/** After a refused write: field errors next to their entries, conflicts with a way out, the rest as is. */
function writeFailed(error, { conflicts = [404, 409, 423] } = {}) {
  if (error.redirecting) return;
  if (error.status === 422 && page.errors) {
    showFieldErrors(error.message, error.fields || []);
  } else if (conflicts.includes(error.status)) {
    showConflict(error.message);
  } else {
    showFailure(error);
  }
}

/** While a request runs, nothing can change what it is sending (the answer replaces the screen). */
function setBusy(value, message = "") {
  page.busy = value;
  setStatus(message);
  if (!page.parts) return;
  const editable = [page.tabs.panel("coordonnees"), page.tabs.panel("contacts")];
  for (const zone of [page.parts.flow, ...editable]) {
    for (const button of zone.querySelectorAll("button")) button.disabled = value;
  }
  const request = document.getElementById("demande-contacts");
  if (request) request.readOnly = value;
  page.parts.flow.setAttribute("aria-busy", value ? "true" : "false");
}

// ------------------------------------------------------------------ the frame of the record
function buildSkeleton() {
  page.tabs = new Tabs(TABS, {
    label: "Rubriques de la fiche structure",
    onSelect: (id) => {
      if (id === "gestion") page.management?.refresh();
    },
  });
  page.management = managementPanel(page.siret, { canUpload: page.canEdit });
  fill(page.tabs.panel("gestion"), page.management.elements);
  const header = h("section", { class: "carte fiche-entete", "aria-labelledby": "titre-structure" });
  const flow = h("div", { class: "fiche-flux-zone" });
  page.parts = { header, flow };
  fill(area, header, flow, page.tabs.element);
  page.tabs.select(Tabs.fromHash(TABS) || "identite", { updateUrl: false });
}

function render() {
  if (!page.tabs) buildSkeleton();
  renderHeader();
  renderFlow();
  renderPanels();
  updateDirty();
}

const STATES = {
  none: "publiée, aucune modification en cours",
  draft: "modification en cours, non soumise",
  submitted: "modification en attente de validation par le Carif-Oref",
};

function renderHeader() {
  const record = page.view.published;
  const state = page.view.submission.state;
  fill(
    page.parts.header,
    h("p", { class: "carte__surtitre" }, "Fiche structure"),
    h("h2", { id: "titre-structure", class: "carte__titre", tabindex: "-1" }, record.name),
    h(
      "dl",
      { class: "carte__donnees" },
      h("dt", {}, "SIRET"),
      h("dd", {}, h("span", { class: "insecable" }, formatSiret(record.siret))),
      h("dt", {}, "État de la fiche"),
      h("dd", {}, h("span", { class: `fiche-etat fiche-etat--${state}` }, STATES[state] || state)),
    ),
  );
}

// ------------------------------------------------------------------ the workflow zone, by mode
function tabLink(id, label) {
  return h(
    "a",
    {
      href: `#${id}`,
      onclick: (event) => {
        event.preventDefault();
        page.tabs.select(id, { focus: true });
      },
    },
    label,
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

function flowView() {
  const submission = page.view.submission;
  const current = mode();
  if (!page.canEdit) {
    const note =
      submission.state === "submitted"
        ? `Une modification de cette fiche, soumise ${views.when(submission.submitted_at)}, attend une décision dans la file de modération.`
        : submission.state === "draft"
          ? "Une modification de cette fiche est en cours de saisie par l'organisme (elle n'est pas encore soumise)."
          : null;
    return h(
      "div",
      { class: "alerte alerte--info" },
      h("p", { class: "alerte__titre" }, "Consultation en lecture seule"),
      h("p", {}, "Vous consultez la fiche publiée de cette structure."),
      note ? h("p", {}, note) : null,
    );
  }
  if (current === "lecture") {
    return h(
      "section",
      { class: "fiche-flux", "aria-labelledby": "titre-flux" },
      h("h2", { id: "titre-flux", class: "fiche-flux__titre", tabindex: "-1" }, "Modifier votre fiche"),
      h(
        "p",
        {},
        "Pour modifier ou compléter votre fiche structure (adresses e-mail, téléphones, sites internet, demande " +
          "d'ajout ou de suppression de contact), cliquez sur Demande de modification.",
      ),
      h(
        "button",
        { type: "button", id: "demande-modification", class: "bouton bouton--principal", onclick: openDraft },
        "Demande de modification",
      ),
    );
  }
  if (current === "soumise") {
    return h(
      "section",
      { class: "alerte fiche-attente", "aria-labelledby": "titre-flux" },
      h("h2", { id: "titre-flux", class: "alerte__titre", tabindex: "-1" }, "Demande en attente de validation par le Carif-Oref"),
      h("p", {}, `Demande soumise ${views.when(submission.submitted_at)}.`),
      h(
        "p",
        {},
        h("strong", {}, "Attention : "),
        "après votre demande de validation, vous ne pouvez plus modifier la fiche organisme tant que le " +
          "Carif-Oref ne l'a pas validée.",
      ),
      h(
        "p",
        {},
        "Les valeurs soumises sont affichées dans les onglets ",
        tabLink("coordonnees", "Coordonnées"),
        " et ",
        tabLink("contacts", "Contacts"),
        ". Tant que le Carif-Oref n'a pas traité votre demande, vous pouvez encore l'annuler pour reprendre votre saisie.",
      ),
      h(
        "button",
        { type: "button", id: "bouton-retirer", class: "bouton bouton--secondaire", onclick: askWithdraw },
        "Annuler ma demande de vérification",
      ),
    );
  }
  return [
    submission.comment ? rejectedBanner(submission.comment) : null,
    h(
      "section",
      { class: "fiche-flux fiche-flux--edition", "aria-labelledby": "titre-flux" },
      h("h2", { id: "titre-flux", class: "fiche-flux__titre", tabindex: "-1" }, "Modification en cours"),
      h(
        "p",
        { class: "fiche-flux__sauvegarde" },
        `Modification en cours, sauvegardée ${views.when(submission.saved_at)} par ${submission.saved_by || "un utilisateur"}.`,
      ),
      h("p", { id: "etat-sauvegarde", class: "fiche-flux__etat", "aria-live": "polite" }),
      h(
        "p",
        {},
        "Modifiez vos adresses e-mail, téléphones et sites internet dans l'onglet ",
        tabLink("coordonnees", "Coordonnées"),
        ", et votre demande d'ajout ou de suppression de contact dans l'onglet ",
        tabLink("contacts", "Contacts"),
        ". Lorsque votre saisie est terminée, pensez à cliquer sur Soumettre pour validation.",
      ),
      h(
        "div",
        { class: "fiche-barre", role: "group", "aria-label": "Actions sur la modification en cours" },
        toolbarAction("bouton-annuler", "Annuler", "Efface vos modifications", "bouton--danger", askDrop),
        toolbarAction(
          "bouton-sauvegarder",
          "Sauvegarder",
          "Sauvegarde temporairement vos informations",
          "bouton--secondaire",
          clickSave,
        ),
        toolbarAction(
          "bouton-soumettre",
          "Soumettre pour validation",
          "Envoie votre demande au Carif-Oref de Normandie pour vérification et publication",
          "bouton--principal",
          askSubmit,
        ),
      ),
    ),
  ];
}

function renderFlow() {
  fill(page.parts.flow, flowView());
}

/** The line that says whether everything on screen is saved (text, not colour). */
function updateDirty() {
  const line = document.getElementById("etat-sauvegarde");
  if (!line) return;
  const dirty = isDirty();
  line.textContent = dirty
    ? "Vous avez des modifications non sauvegardées : pensez à cliquer sur Sauvegarder."
    : "Toutes vos modifications sont sauvegardées.";
  line.classList.toggle("fiche-flux__etat--non-sauvegarde", dirty);
}

// ------------------------------------------------------------------ the tabs' content
function renderPanels() {
  const record = page.view.published;
  const current = mode();
  const shown = current === "soumise" && page.view.draft ? page.view.draft : record;
  page.lists = {};

  fill(page.tabs.panel("identite"), views.identityPanel(record));
  fill(page.tabs.panel("organisation"), views.organisationPanel(record));
  fill(page.tabs.panel("qualite"), views.qualityPanel(record));
  fill(page.tabs.panel("habilitations"), views.habilitationsPanel(record));
  fill(page.tabs.panel("formations"), views.formationsPanel(page.view.formations || []));

  const submittedNote =
    current === "soumise"
      ? h("p", { class: "fiche-note-soumise" }, "Valeurs soumises au Carif-Oref, en attente de validation.")
      : null;

  if (current === "edition") {
    fill(
      page.tabs.panel("coordonnees"),
      h("h2", { class: "visuellement-cache" }, "Coordonnées"),
      views.addressSection(record),
      Object.keys(KINDS).map(editableList),
    );
    fill(
      page.tabs.panel("contacts"),
      h("h2", { class: "visuellement-cache" }, "Contacts"),
      views.contactsSection(record),
      contactRequestField(),
    );
    for (const kindName of Object.keys(KINDS)) renderList(kindName);
    rebuildErrors();
  } else {
    page.errors = null;
    fill(
      page.tabs.panel("coordonnees"),
      h("h2", { class: "visuellement-cache" }, "Coordonnées"),
      views.addressSection(record),
      submittedNote,
      Object.keys(KINDS).map((kindName) => views.listSection(kindName, shown[kindName] || [])),
    );
    fill(
      page.tabs.panel("contacts"),
      h("h2", { class: "visuellement-cache" }, "Contacts"),
      views.contactsSection(record),
      h(
        "section",
        { class: "fiche-rubrique" },
        h("h3", { class: "fiche-rubrique__titre" }, "Demande de modification des contacts"),
        h("p", { class: "fiche-rubrique__aide" }, views.CONTACT_REQUEST_HELP),
        current === "soumise" ? submittedNote.cloneNode(true) : null,
        views.contactRequestText(shown.contact_request),
        current === "lecture" && page.canEdit
          ? h("p", { class: "fiche-rubrique__aide" }, "Pour écrire une demande, cliquez sur Demande de modification.")
          : null,
      ),
    );
  }
}

// ------------------------------------------------------------------ the workflow's actions
async function openDraft() {
  if (page.busy) return;
  resetMessages();
  setBusy(true, "Ouverture de la demande de modification…");
  try {
    const view = await api(path("/draft"), { method: "PUT", body: { version: 0, data: publishedData() } });
    applyView(view);
    render();
    say(
      "Demande de modification ouverte. Faites vos modifications, sauvegardez-les si besoin, puis cliquez sur " +
        "Soumettre pour validation lorsque votre saisie est terminée.",
    );
    setBusy(false);
    focusById("titre-flux");
  } catch (error) {
    setBusy(false);
    writeFailed(error);
  }
}

/** PUT the draft; true when saved (the page then shows what the API kept). */
async function save() {
  resetMessages();
  setBusy(true, "Sauvegarde en cours…");
  try {
    const view = await api(path("/draft"), {
      method: "PUT",
      body: { version: page.view.submission.version, data: draftData(page.edit) },
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
    say(
      `Vos modifications sont sauvegardées (${views.when(page.view.submission.saved_at)}). Elles ne sont pas encore ` +
        "envoyées au Carif-Oref : lorsque votre saisie est terminée, cliquez sur Soumettre pour validation.",
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
    applyView(view);
    render();
    const submission = view.submission;
    say(
      submission.state === "draft"
        ? `Dernière version chargée : modification sauvegardée ${views.when(submission.saved_at)} par ${submission.saved_by}.`
        : submission.state === "submitted"
          ? "Dernière version chargée : la modification est soumise au Carif-Oref."
          : "Dernière version chargée : il n'y a plus de modification en cours.",
    );
    setBusy(false);
    focusById("titre-flux") || focusById("titre-structure");
  } catch (error) {
    setBusy(false);
    if (!error.redirecting) showFailure(error);
  }
}

// The confirmation dialog, shared by Annuler, Soumettre pour validation and Annuler ma demande.
const confirmDialog = document.getElementById("dialogue-confirmation");
const confirmYes = document.getElementById("confirmation-oui");
const confirmNo = document.getElementById("confirmation-non");
let confirming = null;
let confirmBusy = false;
const confirmModal = modal(confirmDialog, { busy: () => confirmBusy });

/**
 * @param {{title: string, text: Node[], yes: string, yesKind: string, no: string, opener: HTMLElement,
 *   safeFirst?: boolean, action: () => Promise<HTMLElement|null>}} options action returns where the focus goes
 */
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
  confirmModal.close(focus || alertZone);
});

function askDrop(event) {
  confirmThen({
    title: "Annuler la modification en cours ?",
    text: [
      h(
        "p",
        {},
        "Toutes les modifications de cette demande, sauvegardées ou non, seront effacées. La fiche publiée reste inchangée.",
      ),
    ],
    yes: "Effacer mes modifications",
    yesKind: "bouton--danger",
    no: "Continuer la saisie",
    opener: event.currentTarget,
    safeFirst: true,
    action: drop,
  });
}

async function drop() {
  resetMessages();
  setBusy(true, "Annulation de la modification…");
  try {
    await api(path("/draft"), { method: "DELETE" });
    const view = await api(path());
    page.edit = null; // nothing left to lose: no warning when leaving
    applyView(view);
    render();
    setBusy(false);
    say("Vos modifications sont effacées : la fiche publiée est inchangée.");
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
      h("p", {}, "Votre demande de modification va être envoyée au Carif-Oref de Normandie pour vérification et publication."),
      dirty ? h("p", {}, "Vos modifications non sauvegardées seront d'abord sauvegardées.") : null,
      h(
        "p",
        { class: "champ__attention" },
        h("strong", {}, "Attention : "),
        "après votre demande de validation, vous ne pouvez plus modifier la fiche organisme tant que le Carif-Oref " +
          "ne l'a pas validée. Vous pourrez encore annuler votre demande tant qu'elle n'est pas traitée.",
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
    // POST …/submission carries no version: make sure what is submitted is what is on screen.
    setBusy(true, "Vérification de la dernière version…");
    try {
      const fresh = await api(path());
      setBusy(false);
      const mine = page.view.submission;
      if (fresh.submission.state !== "draft" || fresh.submission.version !== mine.version) {
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
    const view = await api(path("/submission"), { method: "POST" });
    applyView(view);
    render();
    setBusy(false);
    say("Votre demande de modification est envoyée au Carif-Oref, qui va la vérifier avant de la publier.");
    return document.getElementById("titre-flux");
  } catch (error) {
    setBusy(false);
    // 409 here says there is nothing to submit (no draft, or nothing changed): a message, not a conflict.
    writeFailed(error, { conflicts: [404, 423] });
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
        "Votre demande sera retirée de la file de validation du Carif-Oref. Vos modifications redeviendront une " +
          "modification en cours : vous pourrez les corriger puis les soumettre de nouveau.",
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
    say("Votre demande de vérification est annulée : vous pouvez de nouveau modifier votre fiche, puis la soumettre.");
    return document.getElementById("titre-flux");
  } catch (error) {
    setBusy(false);
    writeFailed(error, { conflicts: [404, 409, 423] });
    return alertZone;
  }
}

// ------------------------------------------------------------------ leaving, changing space, the hash
window.addEventListener("beforeunload", (event) => {
  if (!isDirty()) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need it to ask
});

window.addEventListener("hashchange", () => {
  const id = Tabs.fromHash(TABS);
  if (id && page.tabs) page.tabs.select(id, { updateUrl: false });
});

function changeSpace() {
  // Another structure space: its own record (a ?siret= in the address would keep showing this one).
  if (window.location.search) window.location.assign(`/ma-structure${window.location.hash}`);
  else window.location.reload();
}

// ------------------------------------------------------------------ before a record can be shown
function chooseFirstView() {
  return h(
    "section",
    { class: "alerte alerte--info", "aria-labelledby": "titre-choix" },
    h("h2", { id: "titre-choix", class: "alerte__titre" }, "Choisissez d'abord un espace structure"),
    h(
      "p",
      {},
      "Vous avez des droits d'accès sur plusieurs structures. Sélectionnez, dans la liste « Espace structure » " +
        "située sous votre nom en haut de la page, la structure dont vous voulez voir la fiche.",
    ),
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: focusSpaceSelector }, "Aller à la liste « Espace structure »"),
  );
}

function infoView(title, text) {
  return h(
    "div",
    { class: "alerte alerte--info" },
    h("p", { class: "alerte__titre" }, title),
    h("p", {}, text),
  );
}

async function load() {
  setStatus("Chargement de la fiche structure…");
  try {
    const view = await api(path());
    clearError();
    applyView(view);
    render();
    setStatus("");
  } catch (error) {
    setStatus("");
    if (error.redirecting) return;
    showError(error, { retry: ![403, 404, 422].includes(error.status) });
  }
}

async function start() {
  let shell;
  try {
    shell = await mountShell({ current: "structure", onStructureChange: changeSpace });
  } catch {
    return; // mountShell has shown the error in the alert region
  }
  const { me, structure } = shell;
  page.me = me;
  const moderator = isModerator(me);
  const asked = (new URLSearchParams(window.location.search).get("siret") || "").replace(/\s+/g, "");
  if (!asked) {
    if (moderator) {
      fill(
        area,
        infoView(
          "Aucune structure choisie",
          "Ouvrez la fiche d'une structure depuis la file de modération ou depuis la page Comptes et droits.",
        ),
      );
      return;
    }
    if (!me.structures.length) {
      fill(
        area,
        infoView(
          "Aucune structure rattachée",
          "Votre compte n'a encore de droits de saisie sur aucune structure. Contactez le Carif-Oref pour les obtenir.",
        ),
      );
      return;
    }
    if (!structure) {
      fill(area, chooseFirstView());
      return;
    }
  }
  page.siret = asked || structure.siret;
  page.canEdit = !moderator && me.structures.some((s) => s.siret === page.siret);
  if (page.canEdit && asked && (!structure || structure.siret !== asked)) {
    // A link to another structure of this account: it becomes the structure space, as if chosen above.
    chooseStructure(asked);
    const selector = document.getElementById("espace-structure");
    if (selector) selector.value = asked;
  }
  await load();
}

start();
