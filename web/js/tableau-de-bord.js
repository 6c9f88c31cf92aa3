// The dashboard (/): the home page after signing in.

import { h, fill, formatSiret } from "./dom.js";
import { focusSpaceSelector, fullName, isModerator, mountShell, STRUCTURE_EVENT } from "./shell.js";

const area = document.getElementById("tableau");

function moderatorView(me) {
  return [
    h("p", { class: "intro" }, `Bienvenue, ${fullName(me)}.`),
    h("p", {}, "Vous êtes dans l'espace du Carif-Oref. Depuis le menu :"),
    h(
      "ul",
      { class: "liste-liens" },
      h(
        "li",
        {},
        h("a", { href: "/moderation/demandes-de-compte" }, "Demandes de compte"),
        " : accepter ou refuser les demandes de création de compte des organismes ;",
      ),
      h(
        "li",
        {},
        h("a", { href: "/moderation/comptes" }, "Comptes et droits"),
        " : retrouver un compte et gérer ses droits sur les structures.",
      ),
    ),
    h(
      "p",
      {},
      "Les autres espaces de modération — fiches structure, formations et sessions soumises à validation, " +
        "messages des organismes — arriveront ici.",
    ),
  ];
}

function noStructureView() {
  return h(
    "div",
    { class: "alerte alerte--info" },
    h("p", { class: "alerte__titre" }, "Aucune structure rattachée"),
    h(
      "p",
      {},
      "Votre compte n'a encore de droits de saisie sur aucune structure. Contactez le Carif-Oref pour les obtenir.",
    ),
  );
}

function chooseFirstView() {
  return h(
    "section",
    { class: "alerte alerte--info", "aria-labelledby": "titre-choix" },
    h("h2", { id: "titre-choix", class: "alerte__titre" }, "Choisissez d'abord un espace structure"),
    h(
      "p",
      {},
      "Vous avez des droits d'accès sur plusieurs structures. Sélectionnez, dans la liste « Espace structure » " +
        "située sous votre nom en haut de la page, la structure sur laquelle vous souhaitez intervenir : " +
        "ce choix détermine l'affichage de tous les autres éléments (fiche structure, formations, contacts…).",
    ),
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: focusSpaceSelector }, "Aller à la liste « Espace structure »"),
  );
}

function row(term, ...description) {
  return [h("dt", {}, term), h("dd", {}, ...description)];
}

function structureCard(structure) {
  return h(
    "section",
    { class: "carte", "aria-labelledby": "titre-structure" },
    h("p", { class: "carte__surtitre" }, "Espace structure"),
    h("h2", { id: "titre-structure", class: "carte__titre" }, structure.name),
    h(
      "dl",
      { class: "carte__donnees" },
      row("SIRET", h("span", { class: "insecable" }, formatSiret(structure.siret))),
      structure.nda ? row("Numéro de déclaration d'activité (NDA)", structure.nda) : null,
      row(
        "Statut",
        structure.is_responsible
          ? "organisme responsable (porteur du NDA)"
          : "établissement non responsable (ne porte pas le NDA)",
      ),
    ),
    structure.is_responsible
      ? null
      : h(
          "p",
          { class: "carte__note" },
          "Pour créer une formation, choisissez l'espace de l'organisme responsable, porteur du numéro de déclaration d'activité.",
        ),
  );
}

function ofView(me, structure) {
  if (me.structures.length === 0) return noStructureView();
  if (!structure) return chooseFirstView();
  return [
    structureCard(structure),
    h(
      "p",
      { class: "a-venir" },
      "Les blocs de votre tableau de bord — formations, messages, contacts et mémos — apparaîtront ici " +
        "au fur et à mesure de leur mise en service.",
    ),
  ];
}

function render(me, structure) {
  fill(area, isModerator(me) ? moderatorView(me) : ofView(me, structure));
}

try {
  const { me, structure } = await mountShell({ current: "dashboard" });
  render(me, structure);
  document.addEventListener(STRUCTURE_EVENT, (event) => render(event.detail.me, event.detail.structure));
} catch {
  // mountShell has shown the error in the alert region
}
