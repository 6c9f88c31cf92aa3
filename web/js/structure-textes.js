// The values of a structure record as a sentence (no DOM: tested with node --test): an address, a contact,
// a Qualiopi label, a habilitation, and the lines of a difference in the record's history, for *Ma structure*
// (tab *Gestion*) and the moderators' page of a structure alike.

import { contactTypeLabel } from "./types-contact.js";

const LONG_DAY = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function dayText(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(iso || "") : LONG_DAY.format(date);
}

/** "12 rue de la Paix, Bâtiment B, 14000 Caen"; "" without an address. */
export function addressText(address) {
  if (!address) return "";
  const town = [address.postal_code, address.city].filter(Boolean).join(" ");
  return [address.line1, address.line2, town].filter(Boolean).join(", ");
}

/** "Madame Anne Roussel". */
export function contactName(contact) {
  return [contact.civility, contact.first_name, contact.last_name].filter(Boolean).join(" ");
}

/** "Madame Anne Roussel (contact principal), Directrice, direction@of-demo.test, 02 31 00 00 02, Direction". */
export function contactText(contact) {
  const types = (contact.types || []).map(contactTypeLabel);
  return [
    contactName(contact) + (contact.principal ? " (contact principal)" : ""),
    contact.role,
    contact.email,
    ...(contact.phones || []),
    types.length ? `type : ${types.join(", ")}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

/** "Qualiopi : Actions de formation, VAE (valable jusqu'au 12 mai 2027)". */
export function qualityText(label) {
  const categories = (label.categories || []).length ? label.categories.join(", ") : "catégories non précisées";
  const until = label.valid_until ? ` (valable jusqu'au ${dayText(label.valid_until)})` : "";
  return `${label.name || "Qualiopi"} : ${categories}${until}`;
}

/** "RNCP37861 — CAP Boulanger". */
export function habilitationText(item) {
  return `${item.code} — ${item.title}`;
}

const ITEM_TEXT = {
  contacts: contactText,
  qualiopi: qualityText,
  habilitations: habilitationText,
  emails: (entry) => (entry.label ? `${entry.label} : ${entry.email}` : entry.email),
  phones: (entry) => (entry.label ? `${entry.label} : ${entry.number}` : entry.number),
  websites: (entry) => (entry.label ? `${entry.label} : ${entry.url}` : entry.url),
};

/** A value of field `field` as text; "(vide)" when empty. */
export function valueText(field, value) {
  if (value === null || value === undefined || value === "") return "(vide)";
  if (field === "address") return addressText(value) || "(vide)";
  if (Array.isArray(value)) {
    const text = ITEM_TEXT[field] || ((item) => (typeof item === "object" ? JSON.stringify(item) : String(item)));
    return value.length ? value.map(text).join(" ; ") : "(vide)";
  }
  if (typeof value === "object") return JSON.stringify(value);
  return `« ${value} »`;
}

/**
 * What a difference of the history says, line by line: the entries added and removed for a list
 * (contacts, labels, habilitations, e-mails…), before and after for the rest.
 * @returns {string[]}
 */
export function differenceLines(difference) {
  const lines = [];
  const text = ITEM_TEXT[difference.field];
  const isList = Array.isArray(difference.before) || Array.isArray(difference.after);
  if (text && isList) {
    for (const item of difference.added || []) lines.push(`Ajouté : ${text(item)}`);
    for (const item of difference.removed || []) lines.push(`Supprimé : ${text(item)}`);
    if (!lines.length) lines.push("Ordre ou libellés modifiés.");
    return lines;
  }
  lines.push(`Avant : ${valueText(difference.field, difference.before)}`);
  lines.push(`Après : ${valueText(difference.field, difference.after)}`);
  return lines;
}
