// Contacts (/contacts), for an OF user in its structure space: the structure's contacts (kept by the
// Carif-Oref, the principal one first: sessions choose theirs among them) and the accounts that have
// rights of entry on the structure. Changes are asked through *Ma structure*, tab Contacts.
// API: GET /structures/{siret}/contacts, GET /structures/{siret}/dashboard (the accounts with rights).

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { plural } from "./format.js";
import { contactCard } from "./ma-structure-vues.js";
import { announce, clearError, mountShell, setStatus, showError, STRUCTURE_EVENT } from "./shell.js";

const area = document.getElementById("contacts");

function structureContacts(contacts) {
  return h(
    "section",
    { class: "fiche-rubrique", "aria-labelledby": "titre-contacts-structure" },
    h("h2", { id: "titre-contacts-structure" }, "Contacts liés à la structure"),
    h(
      "p",
      { class: "fiche-rubrique__aide" },
      "Le contact dit « principal » est la personne responsable de l'établissement. Vous choisirez les contacts " +
        "de vos sessions parmi ceux-ci.",
    ),
    contacts.length
      ? [
          h("p", {}, plural(contacts.length, "1 contact", `${contacts.length} contacts`)),
          h("ul", { class: "fiche-contacts" }, contacts.map(contactCard)),
        ]
      : h("p", { class: "vide" }, "Aucun contact n'est enregistré pour cette structure."),
    h(
      "p",
      {},
      "Pour ajouter ou retirer un contact, faites une demande au Carif-Oref dans ",
      h("a", { href: "/ma-structure#contacts" }, "Ma structure, onglet Contacts"),
      " (vous n'avez pas la main pour ajouter ou supprimer un contact).",
    ),
  );
}

function accounts(people) {
  return h(
    "section",
    { class: "fiche-rubrique", "aria-labelledby": "titre-contacts-droits" },
    h("h2", { id: "titre-contacts-droits" }, "Contacts qui ont des droits de saisie"),
    people.length
      ? h(
          "ul",
          { class: "fiche-contacts" },
          people.map((person) =>
            h(
              "li",
              { class: "fiche-contact" },
              h("p", { class: "fiche-contact__nom" }, person.name),
              person.email ? h("p", {}, h("a", { href: `mailto:${person.email}` }, person.email)) : null,
            ),
          ),
        )
      : h("p", { class: "vide" }, "Aucun compte n'a de droits de saisie sur cette structure."),
  );
}

async function render(structure) {
  clearError();
  if (!structure) {
    fill(area, h("p", {}, "Choisissez d'abord un espace structure, sous votre nom en haut à droite."));
    return;
  }
  setStatus("Chargement des contacts…");
  try {
    const siret = encodeURIComponent(structure.siret);
    const [contacts, dashboard] = await Promise.all([
      api(`/structures/${siret}/contacts`),
      api(`/structures/${siret}/dashboard`),
    ]);
    const people = (dashboard.contacts || []).filter((c) => c.role === "Droits de saisie");
    fill(area, structureContacts(contacts || []), accounts(people));
    setStatus("");
  } catch (error) {
    setStatus("");
    showError(error, { retry: true });
  }
}

try {
  const { structure } = await mountShell({ current: "contacts" });
  await render(structure);
  document.addEventListener(STRUCTURE_EVENT, async (event) => {
    await render(event.detail.structure);
    announce(`Espace structure choisi : ${event.detail.structure.name}. Contacts mis à jour.`);
  });
} catch {
  // mountShell has shown the error in the alert region
}
