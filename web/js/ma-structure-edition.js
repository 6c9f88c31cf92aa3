// *Ma structure*, edit mode: the lists of *Coordonnées* (Ajouter, Modifier, Supprimer) and the contact
// request of *Contacts*, working on the page's copy of the draft; and the API's field errors after a
// save (`data.emails.0.email`…), shown next to the entry at fault and kept there while it exists.

import { h, fill } from "./dom.js";
import { FormErrors } from "./formulaire.js";
import { announce } from "./shell.js";
import { KINDS, MAX_ENTRIES, openEntryDialog } from "./ma-structure-saisie.js";
import { CONTACT_REQUEST_HELP } from "./ma-structure-vues.js";

const TITLE = document.title;
const alertZone = document.querySelector('[data-shell="alert"]');

/** The page's state (see ma-structure.js), and what to do after every change of the draft on screen. */
let page = null;
let changed = () => {};

export function bindEditor(state, { onChange }) {
  page = state;
  changed = onChange;
}

// ------------------------------------------------------------------ edit mode: the lists of Coordonnées
export function editableList(kindName) {
  const kind = KINDS[kindName];
  const box = h("div", { class: "fiche-entrees-zone" });
  const addError = h("p", { class: "champ__erreur", id: `ajouter-${kindName}-erreur`, hidden: true });
  const addButton = h(
    "button",
    {
      type: "button",
      id: `ajouter-${kindName}`,
      class: "bouton bouton--secondaire",
      "aria-describedby": `aide-${kindName}`,
      onclick: (event) => openEntry(kindName, null, event.currentTarget),
    },
    "Ajouter",
    h("span", { class: "visuellement-cache" }, ` ${kind.an}`),
  );
  const full = h(
    "p",
    { class: "fiche-rubrique__aide", id: `plein-${kindName}`, hidden: true, tabindex: "-1" },
    `Vous avez atteint le maximum de ${MAX_ENTRIES} ${kind.title.toLowerCase()} : supprimez-en pour en ajouter d'autres.`,
  );
  page.lists[kindName] = { box, addButton, addError, full };
  return h(
    "section",
    { class: "fiche-rubrique champ fiche-champ--liste", "aria-labelledby": `titre-${kindName}` },
    h("h3", { class: "fiche-rubrique__titre", id: `titre-${kindName}`, tabindex: "-1" }, kind.title),
    h(
      "p",
      { class: "fiche-rubrique__aide", id: `aide-${kindName}` },
      `Pour ajouter ${kind.an}, cliquez sur Ajouter : une fenêtre s'ouvre, complétez-la puis cliquez sur Valider. ` +
        `${MAX_ENTRIES} au maximum.`,
    ),
    addError,
    box,
    full,
    addButton,
  );
}

function entryLabelText(kindName, entry) {
  return `${KINDS[kindName].the} ${entry[KINDS[kindName].key]}`;
}

export function renderList(kindName) {
  const kind = KINDS[kindName];
  const { box, addButton, full } = page.lists[kindName];
  const entries = page.edit[kindName];
  addButton.hidden = entries.length >= MAX_ENTRIES;
  full.hidden = entries.length < MAX_ENTRIES;
  if (!entries.length) {
    fill(box, h("p", { class: "vide" }, kind.empty));
    return;
  }
  fill(
    box,
    h(
      "ul",
      { class: "fiche-entrees fiche-entrees--modifiables" },
      entries.map((entry, index) =>
        h(
          "li",
          { class: "fiche-entree champ", id: `entree-${kindName}-${index}` },
          h(
            "span",
            { class: "fiche-entree__texte" },
            entry.label ? h("span", { class: "fiche-entree__libelle" }, `${entry.label} : `) : null,
            h("span", { class: "fiche-entree__valeur" }, entry[kind.key]),
          ),
          h("p", { class: "champ__erreur", id: `entree-${kindName}-${index}-libelle-erreur`, hidden: true }),
          h("p", { class: "champ__erreur", id: `entree-${kindName}-${index}-valeur-erreur`, hidden: true }),
          h(
            "span",
            { class: "fiche-entree__actions" },
            h(
              "button",
              {
                type: "button",
                id: `modifier-${kindName}-${index}`,
                class: "bouton bouton--secondaire bouton--petit",
                onclick: (event) => openEntry(kindName, index, event.currentTarget),
              },
              "Modifier",
              h("span", { class: "visuellement-cache" }, ` ${entryLabelText(kindName, entry)}`),
            ),
            h(
              "button",
              {
                type: "button",
                id: `supprimer-${kindName}-${index}`,
                class: "bouton bouton--danger bouton--petit",
                onclick: () => removeEntry(kindName, index),
              },
              "Supprimer",
              h("span", { class: "visuellement-cache" }, ` ${entryLabelText(kindName, entry)}`),
            ),
          ),
        ),
      ),
    ),
  );
}

function openEntry(kindName, index, opener) {
  if (page.busy || !page.edit) return;
  const entries = page.edit[kindName];
  if (index === null && entries.length >= MAX_ENTRIES) return;
  openEntryDialog({
    kindName,
    entries,
    index,
    opener,
    onValid: (entry) => {
      const kind = KINDS[kindName];
      let at = index;
      if (index === null) {
        entries.push(entry);
        at = entries.length - 1;
      } else {
        entries[index] = entry;
        dropErrorsOf(kindName, index, { removed: false });
      }
      listChanged(kindName);
      const done = index === null ? "ajouté" : "modifié";
      announce(`${cap(kind.the)} ${entry[kind.key]} est ${done}${kind.feminine ? "e" : ""}. Pensez à sauvegarder.`);
      if (index === null) {
        return page.lists[kindName].addButton.hidden ? document.getElementById(`modifier-${kindName}-${at}`) : null;
      }
      return document.getElementById(`modifier-${kindName}-${at}`);
    },
  });
}

function removeEntry(kindName, index) {
  if (page.busy || !page.edit) return;
  const kind = KINDS[kindName];
  const [entry] = page.edit[kindName].splice(index, 1);
  dropErrorsOf(kindName, index, { removed: true });
  listChanged(kindName);
  announce(`${cap(kind.the)} ${entry[kind.key]} est supprimé${kind.feminine ? "e" : ""}. Pensez à sauvegarder.`);
  const remaining = page.edit[kindName].length;
  const next =
    remaining > 0
      ? document.getElementById(`supprimer-${kindName}-${Math.min(index, remaining - 1)}`)
      : page.lists[kindName].addButton;
  (next || document.getElementById(`titre-${kindName}`))?.focus();
}

function cap(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listChanged(kindName) {
  renderList(kindName);
  rebuildErrors({ remark: true });
  changed();
}

// ------------------------------------------------------------------ edit mode: the contact request
export function contactRequestField() {
  const textarea = h("textarea", {
    class: "champ__saisie",
    id: "demande-contacts",
    name: "contact_request",
    rows: "6",
    maxlength: "2000",
    "aria-describedby": "demande-contacts-aide",
  });
  textarea.value = page.edit.contact_request || "";
  textarea.addEventListener("input", () => {
    page.edit.contact_request = textarea.value;
    changed();
  });
  return h(
    "section",
    { class: "fiche-rubrique" },
    h("h3", { class: "fiche-rubrique__titre" }, "Demande de modification des contacts"),
    h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: "demande-contacts" }, "Demande d'ajout ou de suppression de contact"),
      h("p", { class: "champ__aide", id: "demande-contacts-aide" }, `${CONTACT_REQUEST_HELP} 2 000 caractères au maximum.`),
      h("p", { class: "champ__erreur", id: "demande-contacts-erreur", hidden: true }),
      textarea,
    ),
  );
}

// ------------------------------------------------------------------ the API's field errors, next to their entries
function inTab(tab, element) {
  return {
    id: element.id,
    focus: () => {
      page.tabs.select(tab);
      element.focus();
    },
  };
}

function errorFields() {
  const fields = {};
  const request = document.getElementById("demande-contacts");
  if (request) {
    fields["data.contact_request"] = {
      input: request,
      error: document.getElementById("demande-contacts-erreur"),
      label: "Demande d'ajout ou de suppression de contact",
      focus: inTab("contacts", request),
      tab: "contacts",
    };
  }
  for (const [kindName, kind] of Object.entries(KINDS)) {
    const list = page.lists[kindName];
    if (!list) continue;
    const listTarget = list.addButton.hidden ? document.getElementById(`titre-${kindName}`) : list.addButton;
    fields[`data.${kindName}`] = {
      input: list.addButton,
      error: list.addError,
      label: kind.title,
      noInvalid: true,
      focus: inTab("coordonnees", listTarget),
      tab: "coordonnees",
    };
    page.edit[kindName].forEach((entry, index) => {
      const button = document.getElementById(`modifier-${kindName}-${index}`);
      const number = `${kind.label} n° ${index + 1} (${entry[kind.key]})`;
      fields[`data.${kindName}.${index}.${kind.key}`] = {
        input: button,
        error: document.getElementById(`entree-${kindName}-${index}-valeur-erreur`),
        label: number,
        noInvalid: true,
        focus: inTab("coordonnees", button),
        tab: "coordonnees",
      };
      fields[`data.${kindName}.${index}.label`] = {
        input: button,
        error: document.getElementById(`entree-${kindName}-${index}-libelle-erreur`),
        label: `Libellé de ${number.charAt(0).toLowerCase()}${number.slice(1)}`,
        noInvalid: true,
        focus: inTab("coordonnees", button),
        tab: "coordonnees",
      };
    });
  }
  return fields;
}

/** New FormErrors on the elements now on screen; `remark`: shows again the errors still relevant. */
export function rebuildErrors({ remark = false } = {}) {
  page.errors = new FormErrors({
    zone: alertZone,
    fields: errorFields(),
    heading: "Vos modifications n'ont pas été sauvegardées",
    title: TITLE,
  });
  if (!remark) return;
  if (!page.apiErrors.length) {
    if (page.summaryShown) page.errors.clear(); // every entry at fault has been changed or removed
    page.summaryShown = false;
    return;
  }
  for (const item of page.apiErrors) page.errors.markField(item.field, item.message);
}

/** Forgets the errors of entry `index` (changed or removed); after a removal, the next ones move up. */
function dropErrorsOf(kindName, index, { removed }) {
  const prefix = `data.${kindName}.`;
  page.apiErrors = page.apiErrors.flatMap((item) => {
    if (item.field === `data.${kindName}`) return removed ? [] : [item];
    if (!item.field.startsWith(prefix)) return [item];
    const [position, ...rest] = item.field.slice(prefix.length).split(".");
    const n = Number(position);
    if (n === index) return [];
    if (removed && n > index) return [{ ...item, field: `${prefix}${n - 1}.${rest.join(".")}` }];
    return [item];
  });
}

export function showFieldErrors(message, fields) {
  page.apiErrors = fields.filter((f) => page.errors.fields[f.field]);
  const first = page.apiErrors[0];
  if (first) page.tabs.select(page.errors.fields[first.field].tab);
  page.errors.show(message, fields);
  page.summaryShown = true;
}
