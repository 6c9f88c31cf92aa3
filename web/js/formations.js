// *Formations* (/formations), for an OF user in its structure space: the space's formations, those it is
// responsible for (the mandataire) then those it trains sessions of, each with its reference (a link to
// the formation), title, certifications, state (the guide's colours, and always in words) and role; and
// *Ajouter une formation*. The guide's full search engine comes later.
// API: GET /structures/{siret}/formations.

import { api } from "./api.js";
import { h, fill, formatSiret, scrollingTable } from "./dom.js";
import { plural, successBox } from "./format.js";
import { roleLabel } from "./formation-etat.js";
import { statusBadge } from "./formation-vues.js";
import { announce, clearError, focusSpaceSelector, mountShell, setStatus, showError, STRUCTURE_EVENT } from "./shell.js";

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

function table(formations) {
  if (!formations.length) {
    return h("p", { class: "vide" }, "Aucune formation n'est encore enregistrée dans cet espace structure.");
  }
  return scrollingTable(
    "legende-formations",
    h(
      "table",
      { class: "tableau tableau--formations" },
      h("caption", { id: "legende-formations" }, plural(formations.length, "formation", "formations")),
      h(
        "thead",
        {},
        h("tr", {}, ["Référence", "Intitulé", "Certifications", "État", "Rôle de la structure"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        {},
        formations.map((f) =>
          h(
            "tr",
            { "data-formation": f.ref },
            h(
              "th",
              { scope: "row", class: "insecable" },
              h(
                "a",
                { href: `/formation?ref=${encodeURIComponent(f.ref)}` },
                f.ref,
                h("span", { class: "visuellement-cache" }, ` : ${f.title}`),
              ),
            ),
            h("td", {}, f.title),
            h("td", {}, (f.certification_codes || []).length ? f.certification_codes.join(", ") : "Non certifiante"),
            h("td", {}, statusBadge(f.status, f.status_label)),
            h("td", {}, roleLabel(f.role)),
          ),
        ),
      ),
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

let loading = 0;

async function render(me, structure) {
  const ticket = ++loading;
  clearError();
  if (!me.structures.length) {
    fill(area, h("p", { class: "vide" }, "Votre compte n'a encore de droits de saisie sur aucune structure."));
    return;
  }
  if (!structure) {
    fill(area, chooseFirst());
    return;
  }
  setStatus("Chargement des formations…");
  try {
    const formations = await api(`/structures/${encodeURIComponent(structure.siret)}/formations`);
    if (ticket !== loading) return;
    fill(
      area,
      h(
        "p",
        { class: "fiche-consigne" },
        `Espace structure : ${structure.name} (SIRET `,
        h("span", { class: "insecable" }, formatSiret(structure.siret)),
        ")",
      ),
      addLink(structure),
      table(Array.isArray(formations) ? formations : []),
    );
    setStatus("");
  } catch (error) {
    if (ticket !== loading) return;
    setStatus("");
    showError(error, { retry: true });
  }
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
  const { me, structure } = await mountShell({ current: "formations" });
  showDeleted();
  await render(me, structure);
  document.addEventListener(STRUCTURE_EVENT, async (event) => {
    result.replaceChildren();
    await render(event.detail.me, event.detail.structure);
    announce(`Espace structure choisi : ${event.detail.structure.name}. Liste des formations mise à jour.`);
  });
} catch {
  // mountShell has shown the error in the alert region
}
