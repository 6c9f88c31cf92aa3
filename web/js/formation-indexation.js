// Moderators: the Carif-Oref's indexing of a formation (Formacode, NSF, ROME), on the formation's page.
// Only the lists that changed are sent (PATCH /moderation/formations/{ref}, with the formation's version:
// a stale one gets 409). The OF reads the indexing (formation-vues.js indexingView).

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { codesText, indexingChanges } from "./formation-etat.js";

const LISTS = [
  {
    name: "formacodes",
    label: "Formacode",
    help: "Des codes de 5 chiffres (par exemple : 21538), 25 au plus, séparés par des virgules ou des espaces.",
  },
  {
    name: "nsf",
    label: "Codes NSF",
    help: "Des codes de 3 chiffres, parfois suivis d'une lettre (par exemple : 221s), 3 au plus.",
  },
  {
    name: "romes",
    label: "Codes ROME",
    help: "Des codes d'une lettre et 4 chiffres (par exemple : D1102), 5 au plus.",
  },
];

/**
 * @param {{view: object, onSaved: (view: object, message: string) => void, onStale: (message: string) => void}} options
 * @returns {HTMLElement} the section, with its form
 */
export function indexingForm({ view, onSaved, onStale }) {
  const zone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1", id: "indexation-erreurs" });
  const result = h("div", { role: "status", id: "indexation-resultat" });
  const inputs = {};
  const fields = {};
  const controls = LISTS.map((list) => {
    const id = `indexation-${list.name}`;
    const input = h("input", {
      type: "text",
      id,
      name: list.name,
      class: "champ__saisie",
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": `${id}-aide`,
    });
    input.value = codesText(view[list.name]);
    const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
    inputs[list.name] = input;
    fields[list.name] = { input, error, label: list.label };
    return h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: id }, list.label),
      h("p", { class: "champ__aide", id: `${id}-aide` }, list.help),
      error,
      input,
    );
  });
  const button = h("button", { type: "submit", class: "bouton bouton--principal", id: "enregistrer-indexation" }, "Enregistrer l'indexation");
  const form = h("form", { class: "formulaire", novalidate: true, "aria-labelledby": "titre-indexation" }, zone, controls, h("div", { class: "actions" }, button));
  const errors = new FormErrors({ zone, fields, heading: "L'indexation n'est pas enregistrée" });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.clear();
    result.replaceChildren();
    const values = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value]));
    const body = indexingChanges(view, values);
    if (!body) {
      fill(result, h("p", { class: "alerte alerte--info" }, "L'indexation n'a pas changé : rien à enregistrer."));
      return;
    }
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const saved = await api(`/moderation/formations/${encodeURIComponent(view.ref)}`, { method: "PATCH", body });
      onSaved(saved, "L'indexation de la formation est enregistrée (Formacode, NSF, ROME).");
    } catch (error) {
      if (error.redirecting) return;
      if (error.status === 409) {
        onStale(error.message);
      } else {
        const found = fieldsOf(error).map((f) => ({ ...f, field: String(f.field).split(".")[0] }));
        errors.show(error.message, found);
      }
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });

  return h(
    "section",
    { class: "fiche-rubrique formation-indexation", "aria-labelledby": "titre-indexation" },
    h("h2", { id: "titre-indexation", class: "fiche-rubrique__titre" }, "Indexation par le Carif-Oref"),
    h(
      "p",
      { class: "fiche-rubrique__aide" },
      "Formacode, NSF et ROME : l'indexation de l'offre est faite par le Carif-Oref ; l'organisme la lit sans pouvoir " +
        "la modifier. Seules les listes modifiées sont enregistrées.",
    ),
    result,
    form,
  );
}
