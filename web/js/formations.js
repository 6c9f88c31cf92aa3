// *Formations* (/formations), for an OF user in its structure space: the guide's *Moteur de recherche des
// formations* on the space's formations, those it is responsible for (the mandataire) and those it trains
// sessions of (read-only: "Formateur"), one line per session, with *Ajouter une formation*. The dashboard's
// blocks open it pre-filtered (?block=diffusees…); everything searched lives in the address.
// API: GET /structures/{siret}/formations (recherche-page.js), GET /referentials/financements (the measures);
// *Exporter* and the bell of export files (exports-page.js): POST /exports, GET /exports, GET /exports/{id}.

import { h, fill, formatSiret } from "./dom.js";
import { exportsArea } from "./exports-page.js";
import { successBox } from "./format.js";
import { searchPage } from "./recherche-page.js";
import { announce, focusSpaceSelector, mountShell, STRUCTURE_EVENT } from "./shell.js";

const space = document.getElementById("espace");
const area = document.getElementById("formations");
const result = document.getElementById("resultat");

function addLink(structure) {
  return h(
    "div",
    { class: "barre-outils barre-outils--gauche" },
    h(
      "a",
      { class: "bouton bouton--principal", href: `/nouvelle-formation?siret=${encodeURIComponent(structure.siret)}` },
      "Ajouter une formation",
    ),
    structure.nda
      ? null
      : h(
          "p",
          { class: "champ__attention" },
          "Cet espace structure ne porte pas de numéro de déclaration d'activité : seul l'organisme porteur du NDA " +
            "est considéré comme organisme responsable. Pour créer une formation, choisissez son espace.",
        ),
  );
}

function chooseFirst() {
  return h(
    "section",
    { class: "alerte alerte--info", "aria-labelledby": "titre-choix" },
    h("h2", { id: "titre-choix", class: "alerte__titre" }, "Choisissez d'abord un espace structure"),
    h(
      "p",
      {},
      "Vous avez des droits d'accès sur plusieurs structures. Sélectionnez, dans la liste « Espace structure » " +
        "située sous votre nom en haut de la page, la structure dont vous voulez voir les formations.",
    ),
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: focusSpaceSelector }, "Aller à la liste « Espace structure »"),
  );
}

function spaceLine(structure) {
  return [
    h(
      "p",
      { class: "fiche-consigne" },
      `Espace structure : ${structure.name} (SIRET `,
      h("span", { class: "insecable" }, formatSiret(structure.siret)),
      ")",
    ),
    addLink(structure),
  ];
}

let search = null;
let exportsTools = null; // *Exporter* and the bell: built with the search, for the space shown
let currentSiret = null;

async function render(me, structure) {
  if (!me.structures.length) {
    space.replaceChildren();
    fill(area, h("p", { class: "vide" }, "Votre compte n'a encore de droits de saisie sur aucune structure."));
    search = null;
    return;
  }
  if (!structure) {
    fill(space, chooseFirst());
    area.replaceChildren();
    search = null;
    return;
  }
  fill(space, spaceLine(structure));
  currentSiret = structure.siret;
  exportsTools ||= exportsArea({ siret: () => currentSiret, selection: () => search?.state.selection || [] });
  search ||= searchPage({
    root: area,
    emptyText: "Aucune formation n'est encore enregistrée dans cet espace structure.",
    formLabel: "Rechercher des formations de l'espace structure",
    tools: exportsTools.element,
  });
  await search.setScope({ siret: structure.siret });
}

/** After *Supprimer ma demande* on a formation never published (?supprimee=F…): said once. */
function showDeleted() {
  const params = new URLSearchParams(window.location.search);
  const ref = params.get("supprimee");
  if (!ref) return;
  params.delete("supprimee");
  const query = params.toString();
  window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
  if (/^F\d{7}$/.test(ref)) {
    fill(result, successBox(`La demande de création de la formation ${ref} est supprimée, avec toutes ses informations.`));
  }
}

try {
  showDeleted(); // before the search reads the address
  const { me, structure } = await mountShell({ current: "formations" });
  await render(me, structure);
  document.addEventListener(STRUCTURE_EVENT, async (event) => {
    result.replaceChildren();
    await render(event.detail.me, event.detail.structure);
    announce(`Espace structure choisi : ${event.detail.structure.name}. Liste des formations mise à jour.`);
  });
} catch {
  // mountShell has shown the error in the alert region
}
