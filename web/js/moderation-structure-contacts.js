// The moderators' page of a structure: its contacts, the principal one first (the cards of *Ma structure*),
// with *Ajouter un contact*, *Modifier* (a dialog: civility, names, function, e-mail, up to 3 phones, LHEO
// contact types, principal or not) and *Retirer* (after a confirmation). Each change sends the whole list.

import { h } from "./dom.js";
import { modal } from "./dialogue.js";
import { FormErrors } from "./formulaire.js";
import { contactCard } from "./ma-structure-vues.js";
import { MAX_PHONES, contactField, contactsWith, contactsWithout } from "./moderation-corrections.js";
import { section } from "./moderation-structure-champs.js";
import { contactName } from "./structure-textes.js";
import { CONTACT_TYPES } from "./types-contact.js";

const dialog = document.getElementById("dialogue-contact");
const form = document.getElementById("formulaire-contact");
const dialogTitle = document.getElementById("dialogue-contact-titre");
const saveButton = document.getElementById("contact-enregistrer");
const cancelButton = document.getElementById("contact-annuler");
const inputs = {
  civility: document.getElementById("contact-civilite"),
  last_name: document.getElementById("contact-nom"),
  first_name: document.getElementById("contact-prenom"),
  role: document.getElementById("contact-fonction"),
  email: document.getElementById("contact-email"),
  phones: [0, 1, 2].map((i) => document.getElementById(`contact-telephone-${i}`)),
  principalYes: document.getElementById("contact-principal-oui"),
  principalNo: document.getElementById("contact-principal-non"),
};
const typesBox = document.getElementById("contact-types-cases");
const typeInputs = CONTACT_TYPES.map(({ code, label }) => {
  const input = h("input", { type: "checkbox", id: `contact-type-${code}`, name: "types", value: code });
  typesBox.append(h("div", { class: "case" }, input, h("label", { for: input.id }, label)));
  return input;
});

let busy = false;
const contactModal = modal(dialog, { busy: () => busy });
const errorOf = (id) => document.getElementById(`${id}-erreur`);
const fields = {
  civility: { input: inputs.civility, error: errorOf("contact-civilite"), label: "Civilité" },
  last_name: { input: inputs.last_name, error: errorOf("contact-nom"), label: "Nom" },
  first_name: { input: inputs.first_name, error: errorOf("contact-prenom"), label: "Prénom" },
  role: { input: inputs.role, error: errorOf("contact-fonction"), label: "Fonction" },
  email: { input: inputs.email, error: errorOf("contact-email"), label: "Adresse e-mail" },
  types: { input: typeInputs[0], error: errorOf("contact-types"), label: "Types de contact" },
  principal: { input: inputs.principalYes, error: errorOf("contact-principal"), label: "Contact principal" },
};
inputs.phones.forEach((input, i) => {
  fields[`phones.${i}`] = { input, error: errorOf(`contact-telephone-${i}`), label: `Téléphone ${i + 1}` };
});
let errors = null;

/** What the dialog is about: {ctx, index} (index null: a new contact). */
let current = null;

function fillForm(contact) {
  inputs.civility.value = contact.civility || "";
  inputs.last_name.value = contact.last_name || "";
  inputs.first_name.value = contact.first_name || "";
  inputs.role.value = contact.role || "";
  inputs.email.value = contact.email || "";
  inputs.phones.forEach((input, i) => {
    input.value = (contact.phones || [])[i] || "";
  });
  for (const input of typeInputs) input.checked = (contact.types || []).includes(input.value);
  inputs.principalYes.checked = Boolean(contact.principal);
  inputs.principalNo.checked = !contact.principal;
}

function formValue() {
  return {
    civility: inputs.civility.value || null,
    last_name: inputs.last_name.value,
    first_name: inputs.first_name.value,
    role: inputs.role.value,
    email: inputs.email.value,
    phones: inputs.phones.map((input) => input.value).slice(0, MAX_PHONES),
    types: typeInputs.filter((input) => input.checked).map((input) => input.value),
    principal: inputs.principalYes.checked,
  };
}

function openDialog(ctx, index, opener) {
  if (ctx.isBusy()) return;
  ctx.resetMessages();
  current = { ctx, index };
  errors = new FormErrors({
    zone: document.getElementById("dialogue-contact-erreur"),
    fields,
    heading: "Le contact n'a pas été enregistré",
    title: ctx.title,
  });
  errors.clear();
  const contact = index === null ? { principal: false, types: [] } : ctx.record().contacts[index];
  dialogTitle.textContent = index === null ? "Ajouter un contact" : `Modifier le contact ${contactName(contact)}`;
  fillForm(contact);
  contactModal.open(opener, inputs.civility);
}

cancelButton.addEventListener("click", () => contactModal.close());
dialog.addEventListener("close", () => {
  errors?.clear();
  current = null;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!current || busy) return;
  const { ctx, index } = current;
  errors.clear();
  const value = formValue();
  const problems = [];
  if (!value.last_name.trim()) problems.push({ field: "last_name", message: "Saisissez le nom." });
  if (!value.first_name.trim()) problems.push({ field: "first_name", message: "Saisissez le prénom." });
  if (problems.length) {
    errors.show("Corrigez les champs signalés, puis cliquez de nouveau sur Enregistrer le contact.", problems);
    return;
  }
  const contacts = ctx.record().contacts;
  const { contacts: list, position } = contactsWith(contacts, index, value);
  // The phones typed, in the fields where they were typed: an error on the API's "phones.0" is the first non-empty one.
  const typedPhones = inputs.phones.map((input, i) => (input.value.trim() ? i : null)).filter((i) => i !== null);
  busy = true;
  saveButton.disabled = true;
  cancelButton.disabled = true;
  const name = contactName(value);
  const outcome = await ctx.correct({
    changes: { contacts: list },
    done: index === null ? `Contact ${name} ajouté.` : `Contact ${name} modifié.`,
    sectionId: "contacts",
    errors,
    mapField: (field) => {
      const own = contactField(field, position);
      if (own === null) return null;
      const phone = /^phones\.(\d+)$/.exec(own);
      if (phone) return `phones.${typedPhones[Number(phone[1])] ?? 0}`;
      return own.startsWith("types") ? "types" : own;
    },
  });
  busy = false;
  saveButton.disabled = false;
  cancelButton.disabled = false;
  if (outcome === "saved") contactModal.close(document.getElementById("titre-contacts"));
  else if (outcome === "failed") contactModal.close(document.querySelector('[data-shell="alert"]'));
});

// ------------------------------------------------------------------ removing a contact
const removeDialog = document.getElementById("dialogue-retrait");
const removeYes = document.getElementById("retrait-oui");
const removeNo = document.getElementById("retrait-non");
let removing = null;
let removeBusy = false;
const removeModal = modal(removeDialog, { busy: () => removeBusy });

function askRemove(ctx, index, opener) {
  if (ctx.isBusy()) return;
  ctx.resetMessages();
  const contact = ctx.record().contacts[index];
  removing = { ctx, index, name: contactName(contact) };
  document.getElementById("dialogue-retrait-titre").textContent = `Retirer le contact ${removing.name} ?`;
  document.getElementById("dialogue-retrait-texte").textContent =
    "Le contact disparaît de la fiche de la structure et de la liste que ses sessions proposent. " +
    "Le changement est enregistré dans l'historique de la fiche.";
  removeModal.open(opener, removeNo);
}

removeNo.addEventListener("click", () => removeModal.close());
removeDialog.addEventListener("close", () => {
  removing = null;
});
removeYes.addEventListener("click", async () => {
  if (!removing || removeBusy) return;
  const { ctx, index, name } = removing;
  removeBusy = true;
  removeYes.disabled = true;
  removeNo.disabled = true;
  const outcome = await ctx.correct({
    changes: { contacts: contactsWithout(ctx.record().contacts, index) },
    done: `Contact ${name} retiré.`,
    sectionId: "contacts",
  });
  removeBusy = false;
  removeYes.disabled = false;
  removeNo.disabled = false;
  removeModal.close(
    outcome === "saved" ? document.getElementById("titre-contacts") : document.querySelector('[data-shell="alert"]'),
  );
});

// ------------------------------------------------------------------ the section
function contactItem(ctx, contact, index) {
  const item = contactCard(contact);
  const name = contactName(contact);
  item.append(
    h(
      "p",
      { class: "fiche-entree__actions" },
      h(
        "button",
        {
          type: "button",
          class: "bouton bouton--secondaire bouton--petit",
          id: `modifier-contact-${index}`,
          onclick: (event) => openDialog(ctx, index, event.currentTarget),
        },
        "Modifier",
        h("span", { class: "visuellement-cache" }, ` le contact ${name}`),
      ),
      " ",
      h(
        "button",
        {
          type: "button",
          class: "bouton bouton--danger bouton--petit",
          id: `retirer-contact-${index}`,
          onclick: (event) => askRemove(ctx, index, event.currentTarget),
        },
        "Retirer",
        h("span", { class: "visuellement-cache" }, ` le contact ${name}`),
      ),
    ),
  );
  return item;
}

export function contactsRubric(ctx) {
  return {
    id: "contacts",
    build() {
      const parts = section({ id: "contacts", title: "Contacts", what: "les contacts" });
      const contacts = ctx.record().contacts || [];
      parts.body.append(
        h("p", { class: "fiche-rubrique__aide" }, "Le contact principal est la personne responsable de l'établissement ; il est toujours en tête de liste."),
        contacts.length
          ? h("ul", { class: "fiche-contacts" }, contacts.map((c, i) => contactItem(ctx, c, i)))
          : h("p", { class: "vide" }, "Aucun contact n'est enregistré."),
        h(
          "button",
          { type: "button", class: "bouton bouton--secondaire", id: "ajouter-contact", onclick: (event) => openDialog(ctx, null, event.currentTarget) },
          "Ajouter un contact",
        ),
      );
      return { element: parts.element };
    },
  };
}
