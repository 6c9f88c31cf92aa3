// What a moderator's corrections of a structure record send (PATCH /moderation/structures/{siret}): for each
// section of the record, only the fields that change, as the API expects them. No DOM: tested with node --test.

import { compactSiret } from "./format.js";

/** The Qualiopi categories of the national list (the DGEFP's *liste publique des OF*). */
export const QUALIOPI_CATEGORIES = [
  "Actions de formation",
  "Bilans de compétences",
  "VAE",
  "Actions de formation par apprentissage",
];
export const MAX_PHONES = 3;

function text(value) {
  return String(value ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

function orNull(value) {
  return text(value) || null;
}

/** Fields of `after` that differ from `record`'s (null and "" alike). */
function changed(record, after) {
  const out = {};
  for (const [name, value] of Object.entries(after)) {
    if ((record[name] ?? null) !== (value ?? null)) out[name] = value;
  }
  return out;
}

/** Identité: name, NDA, legal form, NAF. */
export function identityChanges(record, values) {
  return changed(record, {
    name: text(values.name),
    nda: orNull(String(values.nda ?? "").replace(/\s+/g, "")),
    legal_form: orNull(values.legal_form),
    naf: orNull(String(values.naf ?? "").replace(/\s+/g, "").toUpperCase()),
  });
}

/** Adresse: the new address, or null when every field is empty (the address is cleared). */
export function addressValue(values) {
  const address = {
    line1: text(values.line1),
    line2: orNull(values.line2),
    postal_code: text(values.postal_code).replace(/\s+/g, ""),
    city: text(values.city),
  };
  if (!address.line1 && !address.line2 && !address.postal_code && !address.city) return null;
  return address;
}

export function addressChanges(record, values) {
  const address = addressValue(values);
  return JSON.stringify(address) === JSON.stringify(record.address ?? null) ? {} : { address };
}

/** Organisation: the parent's SIRET (empty: detached) and the network. */
export function organisationChanges(record, values) {
  return changed(record, {
    parent_siret: compactSiret(values.parent_siret) || null,
    network: orNull(values.network),
  });
}

/** A contact as the API takes it (without what it adds itself, such as `type_labels`). */
export function contactInput(contact) {
  const input = {
    principal: Boolean(contact.principal),
    civility: contact.civility || null,
    last_name: text(contact.last_name),
    first_name: text(contact.first_name),
    role: orNull(contact.role),
    email: orNull(contact.email),
    phones: (contact.phones || []).map(text).filter(Boolean).slice(0, MAX_PHONES),
    types: [...new Set((contact.types || []).map(String))],
  };
  return contact.id ? { id: contact.id, ...input } : input;
}

/**
 * The whole list after adding (index null) or changing contact `index`. A contact that becomes the
 * principal one takes the mark from the others (at most one principal); the principal one comes first.
 * @returns {{contacts: object[], position: number}} position: where the edited contact is in the list sent
 */
export function contactsWith(contacts, index, contact) {
  const list = contacts.map(contactInput);
  const edited = contactInput(index === null ? contact : { ...contact, id: contacts[index].id });
  if (index === null) list.push(edited);
  else list[index] = edited;
  if (edited.principal) for (const other of list) if (other !== edited) other.principal = false;
  const sorted = [...list.filter((c) => c.principal), ...list.filter((c) => !c.principal)];
  return { contacts: sorted, position: sorted.indexOf(edited) };
}

/** The whole list without contact `index`. */
export function contactsWithout(contacts, index) {
  return contacts.filter((_, i) => i !== index).map(contactInput);
}

/**
 * Qualité: the first Qualiopi label with these categories and this end of validity (what came with it from
 * the national list kept), the others unchanged; no category and no date: no label at all.
 */
export function qualiopiChanges(record, values) {
  const labels = record.qualiopi || [];
  const categories = QUALIOPI_CATEGORIES.filter((c) => (values.categories || []).includes(c));
  const until = text(values.valid_until) || null;
  const rest = labels.slice(1);
  const first = categories.length || until ? [{ ...(labels[0] || { name: "Qualiopi" }), categories, valid_until: until }] : [];
  const qualiopi = [...first, ...rest];
  return JSON.stringify(qualiopi) === JSON.stringify(labels) ? {} : { qualiopi };
}

/** Habilitations: the rows typed, the empty ones left out. */
export function habilitationsChanges(record, rows) {
  const habilitations = rows
    .map((row) => ({ code: text(row.code).toUpperCase(), title: text(row.title) }))
    .filter((row) => row.code || row.title);
  const before = (record.habilitations || []).map(({ code, title }) => ({ code, title }));
  return JSON.stringify(habilitations) === JSON.stringify(before) ? {} : { habilitations };
}

/**
 * The field of the contact form an API error names ("contacts.2.email" → "email", "contacts.2.phones.1" →
 * "phones.1"), when it is about contact `index`; null otherwise.
 */
export function contactField(apiField, index) {
  const match = /^contacts\.(\d+)\.(.+)$/.exec(String(apiField || ""));
  if (!match || Number(match[1]) !== index) return null;
  return match[2];
}
