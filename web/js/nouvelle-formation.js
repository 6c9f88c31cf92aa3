// *Ajouter une formation* (/nouvelle-formation?siret=…), in the structure space holding the NDA (the guide's
// *Création d'une formation*): "Votre formation mène-t-elle à une certification ou une habilitation ?";
// Non → its title; Oui → the certifications chosen with the magnifier's dialog (at most 5, one principal);
// apprenticeship and Parcoursup / Affelnet; the space's formations of the same certification or a close
// title, shown before creating (check that it does not exist already); *Créer* → the formation's page,
// prefilled from the referential.
// API: POST /structures/{siret}/formations, GET /structures/{siret}/formations/similar.

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { certificationsChoice } from "./certifications-choix.js";
import { formErrors, MAX_TITLE } from "./formation-etat.js";
import { cleanOnPaste, cleanPasted } from "./texte-colle.js";
import { chooseStructure } from "./session.js";
import { announce, clearError, focusSpaceSelector, isModerator, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const area = document.getElementById("nouvelle-formation");
const alertZone = document.querySelector('[data-shell="alert"]');

const page = {
  structure: null,
  hasSelector: false,
  certifications: [],
  known: new Map(),
  busy: false,
  /** The key (title + codes) of the last similar-formations check, and what it found. */
  similarKey: null,
  similar: [],
  similarTicket: 0,
  /** The key whose similar formations the person has been shown (Créer goes on once they are). */
  shownKey: null,
};

let parts = null;
let errors = null;

// ------------------------------------------------------------------ the form
function star() {
  return [h("span", { class: "obligatoire", "aria-hidden": "true" }, " *"), h("span", { class: "visuellement-cache" }, " (obligatoire)")];
}

function radio(name, value, label, checked) {
  const id = `${name}-${value}`;
  return h(
    "div",
    { class: "case" },
    h("input", { type: "radio", name, id, value, checked }),
    h("label", { for: id }, label),
  );
}

function checkbox(id, label, help) {
  return h(
    "div",
    { class: "champ champ--case" },
    h(
      "div",
      { class: "case" },
      h("input", { type: "checkbox", id, name: id, "aria-describedby": help ? `${id}-aide` : null }),
      h("label", { for: id }, label),
    ),
    help ? h("p", { class: "champ__aide champ__aide--case", id: `${id}-aide` }, help) : null,
    h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true }),
  );
}

function structureCard(structure) {
  return h(
    "section",
    { class: "carte", "aria-labelledby": "titre-espace" },
    h("p", { class: "carte__surtitre" }, "Organisme responsable (espace structure choisi)"),
    h("h2", { id: "titre-espace", class: "carte__titre" }, structure.name),
    h(
      "dl",
      { class: "carte__donnees" },
      h("dt", {}, "SIRET"),
      h("dd", {}, h("span", { class: "insecable" }, formatSiret(structure.siret))),
      h("dt", {}, "Numéro de déclaration d'activité (NDA)"),
      h("dd", {}, structure.nda || "Aucun : cette structure ne porte pas le NDA"),
    ),
    h(
      "p",
      { class: "carte__note" },
      "Attention à bien sélectionner dans votre espace structure l'organisme porteur du numéro de déclaration " +
        "d'activité, qui seul est considéré comme organisme responsable !",
    ),
  );
}

function changeSpaceLink(text = "Changer d'espace structure") {
  return h(
    "a",
    {
      href: page.hasSelector ? "#espace-structure" : "/",
      onclick: page.hasSelector
        ? (event) => {
            event.preventDefault();
            focusSpaceSelector();
          }
        : null,
    },
    text,
  );
}

function build(structure) {
  const title = h("input", {
    type: "text",
    id: "intitule",
    name: "title",
    class: "champ__saisie",
    autocomplete: "off",
    "aria-describedby": "intitule-aide intitule-compteur",
    "aria-required": "true",
  });
  cleanOnPaste(title, { oneLine: true });
  const counter = h("p", { class: "compte-caracteres", id: "intitule-compteur" }, `0 caractère sur ${MAX_TITLE}`);
  const titleField = h(
    "div",
    { class: "champ", id: "partie-non" },
    h("label", { class: "champ__libelle", for: title.id }, "Intitulé de la formation", star()),
    h(
      "p",
      { class: "champ__aide", id: "intitule-aide" },
      "Lisible et explicite : évitez les acronymes, écrivez en minuscules accentuées (majuscule en début de phrase). " +
        "255 caractères au plus.",
    ),
    h("p", { class: "champ__erreur", id: "intitule-erreur", hidden: true }),
    title,
    counter,
  );
  const choice = certificationsChoice({
    id: "certifications",
    get: () => page.certifications,
    set: (list) => {
      page.certifications = list;
    },
    known: page.known,
    onChange: () => {
      errors?.clearField("certifications");
      checkSimilar();
    },
    say: announce,
  });
  const certifyingPart = h("div", { id: "partie-oui", hidden: true }, choice.element);
  const question = h(
    "fieldset",
    { class: "groupe champ", id: "question-certifiante", "aria-describedby": "question-aide" },
    h("legend", { class: "groupe__titre" }, "Votre formation mène-t-elle à une certification ou une habilitation ?"),
    h(
      "p",
      { class: "groupe__aide", id: "question-aide" },
      "Non : indiquez son intitulé puis cliquez sur Créer. Oui : cliquez sur Rechercher une certification (RNCP ou " +
        "Répertoire spécifique) ; les informations générales de la formation seront préremplies à partir du référentiel.",
    ),
    h("div", { class: "oui-non" }, radio("certifiante", "non", "Non", true), radio("certifiante", "oui", "Oui", false)),
  );
  const apprenticeship = checkbox(
    "apprentissage",
    "Formation en apprentissage (contrat d'apprentissage)",
    "Créez une formation spécifique à ce dispositif. La durée de cycle (de 1 à 5 ans) sera obligatoire.",
  );
  const parcoursup = checkbox(
    "parcoursup",
    "Formation visée par Parcoursup ou Affelnet",
    "Une formation en apprentissage qui doit figurer dans Parcoursup ou Affelnet mène à une seule certification : " +
      "créez une formation par option du diplôme.",
  );
  const similar = h("div", { id: "formations-proches" });
  const similarStatus = h("p", { class: "visuellement-cache", role: "status", id: "formations-proches-etat" });
  const create = h("button", { type: "submit", class: "bouton bouton--principal", id: "creer" }, "Créer");
  const form = h(
    "form",
    { class: "formulaire formulaire--formation", id: "formulaire-creation", novalidate: true, "aria-labelledby": "titre-formulaire" },
    h("h2", { id: "titre-formulaire" }, "Votre formation"),
    h(
      "p",
      { class: "formulaire__mention" },
      "Les champs marqués d'une étoile ",
      h("span", { class: "obligatoire", "aria-hidden": "true" }, "*"),
      " sont obligatoires.",
    ),
    question,
    titleField,
    certifyingPart,
    h(
      "fieldset",
      { class: "groupe" },
      h("legend", { class: "groupe__titre" }, "Apprentissage"),
      apprenticeship,
      parcoursup,
    ),
    similar,
    similarStatus,
    h(
      "div",
      { class: "actions" },
      create,
      h("a", { class: "bouton bouton--secondaire", href: "/formations" }, "Annuler"),
    ),
  );
  parts = { form, title, counter, titleField, certifyingPart, choice, similar, similarStatus, create };

  errors = new FormErrors({
    zone: alertZone,
    fields: {
      title: { input: title, error: titleField.querySelector(".champ__erreur"), label: "Intitulé de la formation" },
      certifications: { input: choice.button, error: choice.error, label: "Certifications", noInvalid: true },
      apprenticeship: {
        input: apprenticeship.querySelector("input"),
        error: apprenticeship.querySelector(".champ__erreur"),
        label: "Formation en apprentissage",
      },
      parcoursup: {
        input: parcoursup.querySelector("input"),
        error: parcoursup.querySelector(".champ__erreur"),
        label: "Parcoursup ou Affelnet",
      },
    },
    heading: "La formation n'a pas été créée",
    title: TITLE,
  });

  for (const input of question.querySelectorAll("input")) input.addEventListener("change", showPart);
  title.addEventListener("input", () => {
    const length = title.value.length;
    counter.textContent = `${length} ${length > 1 ? "caractères" : "caractère"} sur ${MAX_TITLE}`;
    counter.classList.toggle("compte-caracteres--trop", length > MAX_TITLE);
    scheduleSimilar();
  });
  title.addEventListener("change", () => checkSimilar());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });

  const nda = structure.nda
    ? null
    : h(
        "div",
        { class: "alerte alerte--info", id: "sans-nda" },
        h("p", { class: "alerte__titre" }, "Cet espace structure ne porte pas de numéro de déclaration d'activité"),
        h(
          "p",
          {},
          "Seul l'organisme porteur du NDA est considéré comme organisme responsable d'une formation. ",
          changeSpaceLink("Choisissez l'espace structure de l'organisme responsable"),
          " pour créer la formation.",
        ),
      );
  fill(area, structureCard(structure), nda, form);
}

function certifying() {
  return parts.form.querySelector('input[name="certifiante"]:checked')?.value === "oui";
}

function showPart() {
  const yes = certifying();
  parts.titleField.hidden = yes;
  parts.certifyingPart.hidden = !yes;
  errors.clear();
  checkSimilar();
}

// ------------------------------------------------------------------ similar formations (check it does not exist)
function similarQuery() {
  if (certifying()) {
    const codes = page.certifications.map((c) => c.code);
    const principal = page.certifications.find((c) => c.principal);
    const title = principal ? page.known.get(principal.code)?.title || "" : "";
    return { title, codes };
  }
  return { title: cleanPasted(parts.title.value, { oneLine: true }), codes: [] };
}

function keyOf({ title, codes }) {
  return JSON.stringify([title.toLowerCase(), codes]);
}

let timer = null;

function scheduleSimilar() {
  clearTimeout(timer);
  timer = setTimeout(() => checkSimilar(), 600);
}

function renderSimilar(found) {
  if (!found.length) {
    parts.similar.replaceChildren();
    return;
  }
  fill(
    parts.similar,
    h(
      "section",
      { class: "alerte alerte--attention", "aria-labelledby": "titre-proches" },
      h(
        "h3",
        { id: "titre-proches", class: "alerte__titre", tabindex: "-1" },
        found.length > 1
          ? `${found.length} formations de cet espace ressemblent à la vôtre`
          : "Une formation de cet espace ressemble à la vôtre",
      ),
      h("p", {}, "Vérifiez qu'elle n'existe pas déjà avant de la créer :"),
      h(
        "ul",
        { class: "alerte__liste" },
        found.map((f) =>
          h(
            "li",
            {},
            h("a", { href: `/formation?ref=${encodeURIComponent(f.ref)}` }, `${f.ref} : ${f.title}`),
            ` (${f.reason})`,
          ),
        ),
      ),
      h("p", {}, "S'il s'agit bien d'une nouvelle formation, cliquez sur Créer."),
    ),
  );
}

/** Asks the API for the space's formations like this one; resolves to what it found (or [] on failure). */
async function checkSimilar() {
  const query = similarQuery();
  const key = keyOf(query);
  if (key === page.similarKey) return page.similar;
  const ticket = ++page.similarTicket;
  if (!query.title && !query.codes.length) {
    page.similarKey = key;
    page.similar = [];
    renderSimilar([]);
    return [];
  }
  const params = new URLSearchParams();
  if (query.title) params.set("title", query.title.slice(0, MAX_TITLE));
  if (query.codes.length) params.set("codes", query.codes.join(","));
  try {
    const found = await api(`/structures/${encodeURIComponent(page.structure.siret)}/formations/similar?${params}`);
    if (ticket !== page.similarTicket) return page.similar;
    page.similarKey = key;
    page.similar = Array.isArray(found) ? found : [];
    renderSimilar(page.similar);
    if (page.similar.length) page.shownKey = key;
    parts.similarStatus.textContent = page.similar.length
      ? `${page.similar.length > 1 ? `${page.similar.length} formations ressemblent` : "Une formation ressemble"} à la vôtre : vérifiez la liste avant le bouton Créer.`
      : "";
    return page.similar;
  } catch {
    return []; // a convenience: creating works without it
  }
}

// ------------------------------------------------------------------ creating
function localProblems(body) {
  const problems = [];
  if (!body.certifying && !body.title) {
    problems.push({ field: "title", message: "Indiquez l'intitulé de la formation." });
  } else if (!body.certifying && body.title.length > MAX_TITLE) {
    problems.push({ field: "title", message: `L'intitulé ne peut pas dépasser ${MAX_TITLE} caractères.` });
  }
  if (body.certifying && !body.certification_codes.length) {
    problems.push({
      field: "certifications",
      message: "Choisissez au moins une certification, ou indiquez que la formation n'est pas certifiante.",
    });
  }
  if (body.parcoursup && !body.apprenticeship) {
    problems.push({ field: "parcoursup", message: "Seule une formation en apprentissage est visée par Parcoursup ou Affelnet." });
  }
  if (body.parcoursup && body.certifying && body.certification_codes.length > 1) {
    problems.push({
      field: "certifications",
      message: "Une formation en apprentissage visée par Parcoursup ou Affelnet mène à une seule certification.",
    });
  }
  return problems;
}

function requestBody() {
  const yes = certifying();
  const principal = page.certifications.find((c) => c.principal);
  return {
    certifying: yes,
    certification_codes: yes ? page.certifications.map((c) => c.code) : [],
    principal: yes && principal ? principal.code : undefined,
    apprenticeship: document.getElementById("apprentissage").checked,
    parcoursup: document.getElementById("parcoursup").checked,
    title: yes ? undefined : cleanPasted(parts.title.value, { oneLine: true }),
  };
}

function setBusy(value) {
  page.busy = value;
  parts.create.disabled = value;
  parts.form.setAttribute("aria-busy", value ? "true" : "false");
}

function showNoNda(message) {
  errors.show(message, [], {
    heading: "Cet espace structure ne peut pas être l'organisme responsable",
    after: h("p", {}, changeSpaceLink(), " : choisissez celui de l'organisme porteur du numéro de déclaration d'activité."),
  });
}

async function submit() {
  if (page.busy) return;
  errors.clear();
  clearError();
  const body = requestBody();
  const problems = localProblems(body);
  if (problems.length) {
    errors.show("Corrigez les champs signalés, puis cliquez de nouveau sur Créer.", problems);
    return;
  }
  setBusy(true);
  setStatus("Vérification des formations existantes…");
  const alreadyShown = page.shownKey === keyOf(similarQuery());
  const found = await checkSimilar();
  if (found.length && !alreadyShown) {
    // Found just now: the person checks them first, then clicks Créer again.
    setBusy(false);
    setStatus("");
    document.getElementById("titre-proches")?.focus();
    return;
  }
  setStatus("Création de la formation…");
  try {
    const view = await api(`/structures/${encodeURIComponent(page.structure.siret)}/formations`, { method: "POST", body });
    window.location.assign(`/formation?ref=${encodeURIComponent(view.ref)}&creee=1`);
  } catch (error) {
    setBusy(false);
    setStatus("");
    if (error.redirecting) return;
    const fields = fieldsOf(error);
    if (error.status === 422 && fields.some((f) => f.field === "siret")) {
      showNoNda(fields.find((f) => f.field === "siret").message);
    } else if (error.status === 422 && fields.length) {
      errors.show(error.message, formErrors(fields));
    } else {
      showError(error);
      document.title = `Erreur — ${TITLE}`;
      alertZone.focus();
    }
  }
}

// ------------------------------------------------------------------ start
function chooseFirstView() {
  return h(
    "section",
    { class: "alerte alerte--info", "aria-labelledby": "titre-choix" },
    h("h2", { id: "titre-choix", class: "alerte__titre" }, "Choisissez d'abord un espace structure"),
    h(
      "p",
      {},
      "Sélectionnez, dans la liste « Espace structure » située sous votre nom en haut de la page, l'organisme " +
        "porteur du numéro de déclaration d'activité : seul il est considéré comme organisme responsable.",
    ),
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: focusSpaceSelector }, "Aller à la liste « Espace structure »"),
  );
}

function changeSpace(structure) {
  window.location.assign(`/nouvelle-formation?siret=${encodeURIComponent(structure.siret)}`);
}

async function start() {
  let shell;
  try {
    shell = await mountShell({ current: "formations", onStructureChange: changeSpace });
  } catch {
    return; // mountShell has shown the error in the alert region
  }
  const { me, structure } = shell;
  if (isModerator(me)) {
    fill(
      area,
      h(
        "p",
        { class: "vide" },
        "Les formations sont créées par les organismes de formation, dans leur espace structure ; le Carif-Oref les valide.",
      ),
    );
    return;
  }
  page.hasSelector = me.structures.length > 1;
  const asked = (new URLSearchParams(window.location.search).get("siret") || "").replace(/\s+/g, "");
  let chosen = structure;
  if (asked) {
    chosen = me.structures.find((s) => s.siret === asked) || null;
    if (!chosen) {
      showError({ message: "Vous n'avez pas de droits sur cette structure : choisissez un de vos espaces structure." });
      return;
    }
    if (!structure || structure.siret !== asked) {
      chooseStructure(asked); // the link of another space of this account: it becomes the space, as if chosen
      const selector = document.getElementById("espace-structure");
      if (selector) selector.value = asked;
    }
  }
  if (!chosen) {
    fill(area, chooseFirstView());
    return;
  }
  page.structure = chosen;
  build(chosen);
}

start();
