// *Ma structure*, what the OF edits in its draft: the e-mails, phones and websites of *Coordonnées*
// (each added or changed through a dialog, checked here with the API's own rules before it closes)
// and the contact request of *Contacts*.

import { modal } from "./dialogue.js";
import { FormErrors } from "./formulaire.js";
import { KINDS } from "./coordonnees.js";

/** At most this many entries per list (the API's limit). */
export const MAX_ENTRIES = 10;

// The three lists of *Coordonnées* (in a module of their own, without DOM, for the pages that only show them).
export { KINDS };

// ------------------------------------------------------------------ the API's rules, in the page
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/;
const URL_PATTERN = /^https?:\/\/[^\s/$.?#][^\s]*\.[^\s]{2,}$/i;
const OVERSEAS = ["262", "269", "590", "594", "596", "508", "681", "687", "689"];
const EMAIL_ERROR = "L'adresse e-mail n'est pas valide (exemple : prenom.nom@organisme.fr).";
const PHONE_ERROR = "Le numéro de téléphone doit être un numéro français à 10 chiffres (exemple : 02 31 00 00 00).";
const URL_ERROR = "L'adresse du site doit commencer par http:// ou https:// (exemple : https://www.organisme.fr).";
const LABEL_MAX = 50;

/** A French number as "02 31 00 00 00", or null (the same rule as the API). */
export function normalisePhone(value) {
  let digits = String(value || "").replace(/[\s.\-/()]/g, "");
  if (digits.startsWith("+")) digits = `00${digits.slice(1)}`;
  if (digits.startsWith("0033")) {
    digits = `0${digits.slice(4).replace(/^0/, "")}`;
  } else {
    const code = OVERSEAS.find((c) => digits.startsWith(`00${c}`));
    if (code) digits = `0${digits.slice(2 + code.length).replace(/^0/, "")}`;
  }
  if (!/^0[1-9]\d{8}$/.test(digits)) return null;
  return digits.match(/../g).join(" ");
}

/** The label as the API keeps it: spaces collapsed, null when empty. */
export function normaliseLabel(value) {
  return String(value || "").split(/\s+/).filter(Boolean).join(" ") || null;
}

/**
 * Checks one value of a list.
 * @returns {{value?: string, error?: string}} the value as the API will keep it, or why it is refused
 */
export function checkValue(kindName, raw) {
  const kind = KINDS[kindName];
  const text = String(raw || "").trim();
  if (!text) return { error: kind.required };
  if (kindName === "emails") {
    const email = text.toLowerCase();
    if (email.length > 254 || !EMAIL.test(email) || email.includes("..")) return { error: EMAIL_ERROR };
    return { value: email };
  }
  if (kindName === "phones") {
    const phone = normalisePhone(text);
    return phone ? { value: phone } : { error: PHONE_ERROR };
  }
  if (text.length > 500 || !URL_PATTERN.test(text)) return { error: URL_ERROR };
  return { value: text };
}

export function checkLabel(raw) {
  const label = normaliseLabel(raw);
  if (label && label.length > LABEL_MAX) return { error: `Le libellé ne peut pas dépasser ${LABEL_MAX} caractères.` };
  return { value: label };
}

/** What the API compares: the draft's fields, in a stable form. */
export function draftKey(data) {
  if (!data) return "";
  const list = (name) =>
    (data[name] || []).map((entry) => ({ label: normaliseLabel(entry.label), value: entry[KINDS[name].key] }));
  return JSON.stringify({
    emails: list("emails"),
    phones: list("phones"),
    websites: list("websites"),
    contact_request: String(data.contact_request || "").trim() || null,
  });
}

/** The body's `data` for PUT /structures/{siret}/draft. */
export function draftData(edit) {
  const list = (name) =>
    edit[name].map((entry) => ({ label: normaliseLabel(entry.label), [KINDS[name].key]: entry[KINDS[name].key] }));
  return {
    emails: list("emails"),
    phones: list("phones"),
    websites: list("websites"),
    contact_request: String(edit.contact_request || "").trim() || null,
  };
}

export function copyDraft(data) {
  return {
    emails: (data.emails || []).map((e) => ({ ...e })),
    phones: (data.phones || []).map((e) => ({ ...e })),
    websites: (data.websites || []).map((e) => ({ ...e })),
    contact_request: data.contact_request || "",
  };
}

// ------------------------------------------------------------------ the dialog "Ajouter" / "Modifier"
const dialog = document.getElementById("dialogue-entree");
const form = document.getElementById("formulaire-entree");
const title = document.getElementById("dialogue-entree-titre");
const mention = document.getElementById("dialogue-entree-mention");
const labelInput = document.getElementById("entree-libelle");
const valueInput = document.getElementById("entree-valeur");
const valueLabel = document.getElementById("entree-valeur-libelle");
const valueHelp = document.getElementById("entree-valeur-aide");
const entryModal = modal(dialog);
const PAGE_TITLE = document.title;
const errors = new FormErrors({
  zone: document.getElementById("dialogue-entree-erreur"),
  fields: {
    label: { input: labelInput, error: document.getElementById("entree-libelle-erreur"), label: "Libellé" },
    value: { input: valueInput, error: document.getElementById("entree-valeur-erreur"), label: "Valeur" },
  },
  heading: "Cette saisie ne peut pas être validée",
  title: PAGE_TITLE,
});

/** What the open dialog is about. */
let current = null;

/**
 * Opens the dialog to add an entry (index null) or change entry `index` of `entries`.
 * @param {{kindName: string, entries: object[], index: number|null, opener: HTMLElement,
 *   onValid: (entry: object) => HTMLElement|null}} options onValid returns where the focus goes
 */
export function openEntryDialog({ kindName, entries, index = null, opener, onValid }) {
  const kind = KINDS[kindName];
  current = { kindName, entries, index, onValid };
  errors.clear();
  errors.fields.value.label = kind.label;
  const entry = index === null ? null : entries[index];
  title.textContent = index === null ? `Ajouter ${kind.an}` : `Modifier ${kind.the}`;
  mention.textContent = `Le libellé est facultatif ; ${kind.the} est obligatoire.`;
  valueLabel.textContent = kind.label;
  valueHelp.textContent = kind.help;
  valueInput.type = kind.type;
  valueInput.inputMode = kind.inputmode;
  valueInput.maxLength = kind.maxlength;
  labelInput.value = entry ? entry.label || "" : "";
  valueInput.value = entry ? entry[kind.key] : "";
  entryModal.open(opener, index === null ? labelInput : valueInput);
}

document.getElementById("entree-annuler").addEventListener("click", () => entryModal.close());

dialog.addEventListener("close", () => {
  if (errors.zone.hasChildNodes()) errors.clear();
  current = null;
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!current) return;
  const { kindName, entries, index, onValid } = current;
  const kind = KINDS[kindName];
  errors.clear();
  const label = checkLabel(labelInput.value);
  const value = checkValue(kindName, valueInput.value);
  const problems = [];
  if (label.error) problems.push({ field: "label", message: label.error });
  if (value.error) {
    problems.push({ field: "value", message: value.error });
  } else if (entries.some((e, i) => i !== index && String(e[kind.key]).toLowerCase() === value.value.toLowerCase())) {
    problems.push({ field: "value", message: kind.duplicate });
  }
  if (problems.length) {
    errors.show("Corrigez les champs signalés, puis cliquez de nouveau sur Valider.", problems);
    return;
  }
  const focus = onValid({ label: label.value, [kind.key]: value.value });
  entryModal.close(focus || undefined);
});
