// A formation's page, what it knows without the DOM: the states of a formation (the guide's colours),
// which mode the page is in, the edit form's values to and from the API's FormationDraft, dirty checks,
// where the API's field errors and warnings go, the character counters, the indexing's code lists.
// Pure: tested by tests/web/formations.test.mjs.

import { normalised } from "./certifications.js";
import { cleanPasted } from "./texte-colle.js";
import { levelLabel, NO_SPECIFIC_LEVEL } from "./niveaux.js";

export const MAX_TITLE = 255;
export const MAX_TEXT = 3000;

/** The life of a formation, as the API names it; `mark` repeats in a sign what the colour says. */
export const STATUSES = {
  en_creation: { label: "En création", mark: "✎" },
  publiee: { label: "Publiée", mark: "✓" },
  en_attente: { label: "En attente de validation", mark: "◔" },
  terminee: { label: "Terminée (non diffusée)", mark: "■" },
  archivee: { label: "Archivée", mark: "▪" },
};

export function statusLabel(status, fallback = "") {
  return STATUSES[status]?.label || fallback || String(status || "");
}

export const ROLES = { responsable: "Responsable (mandataire)", formateur: "Formateur" };

export function roleLabel(role) {
  return ROLES[role] || String(role || "");
}

export const MANDATAIRE_ONLY = "Seul le mandataire peut modifier cette formation et ses sessions.";

/**
 * The page's mode:
 * - "moderation": a moderator reads it and sets its indexing;
 * - "formateur": a trainer's user (or anybody who is not the mandataire) reads it;
 * - "lecture": the mandataire reads the published version (*Demande de modification* opens a draft);
 * - "edition": a draft is open (a formation in creation, a modification, a rejected request);
 * - "soumise": the request waits for the Carif-Oref (orange, locked).
 */
export function pageMode(view, { moderator = false } = {}) {
  if (moderator) return "moderation";
  if (!view.can_edit) return "formateur";
  const state = view.submission?.state;
  if (state === "submitted") return "soumise";
  if (state === "draft" && view.draft) return "edition";
  return "lecture";
}

/** What the read-only view shows: the published version, or the draft of a formation never published. */
export function shownData(view) {
  return view.published || view.draft || emptyDraft();
}

export function emptyDraft() {
  return {
    certifying: false,
    certifications: [],
    apprenticeship: false,
    parcoursup: false,
    title: null,
    objective: null,
    content: null,
    expected_results: null,
    cycle_years: null,
    entry_level: NO_SPECIFIC_LEVEL,
    exit_level: null,
    contact_id: null,
    website: null,
  };
}

// ------------------------------------------------------------------ the edit form's values
/** A FormationDraft as the form holds it: strings in the fields ("" when empty), booleans in the boxes. */
export function formFromDraft(draft) {
  const d = { ...emptyDraft(), ...(draft || {}) };
  const text = (value) => (value === null || value === undefined ? "" : String(value));
  return {
    certifying: Boolean(d.certifying),
    certifications: normalised(d.certifications || []),
    apprenticeship: Boolean(d.apprenticeship),
    parcoursup: Boolean(d.parcoursup),
    title: text(d.title),
    objective: text(d.objective),
    content: text(d.content),
    expected_results: text(d.expected_results),
    cycle_years: text(d.cycle_years),
    entry_level: text(d.entry_level),
    exit_level: text(d.exit_level),
    contact_id: text(d.contact_id),
    website: text(d.website),
  };
}

/** The form's values as PUT /formations/{ref}/draft takes them (`data`): texts cleaned, empty ones null. */
export function draftFromForm(form) {
  const long = (value) => cleanPasted(value) || null;
  const years = Number.parseInt(String(form.cycle_years || ""), 10);
  return {
    certifying: Boolean(form.certifying),
    certifications: form.certifying ? normalised(form.certifications) : [],
    apprenticeship: Boolean(form.apprenticeship),
    parcoursup: Boolean(form.parcoursup),
    title: cleanPasted(form.title, { oneLine: true }) || null,
    objective: long(form.objective),
    content: long(form.content),
    expected_results: long(form.expected_results),
    cycle_years: Number.isFinite(years) ? years : null,
    entry_level: form.entry_level || NO_SPECIFIC_LEVEL,
    exit_level: form.exit_level || null,
    contact_id: form.contact_id || null,
    website: String(form.website || "").trim() || null,
  };
}

/** A string of the form's values that changes when, and only when, what would be saved changes. */
export function draftKey(form) {
  return JSON.stringify(draftFromForm(form));
}

// ------------------------------------------------------------------ the API's field names
/**
 * The form's field an error of the API belongs to: `data.title` (a save) and `title` (a submission) →
 * "title"; `certifications.1`, `certification_codes.0` → "certifications"; anything else (the sessions'
 * `sessions.S0000004`, `data`, `body`) as it is, for the summary.
 */
export function fieldOf(apiField) {
  let name = String(apiField || "");
  name = name.replace(/^(body\.)?(data\.)?/, "");
  const head = name.split(".")[0];
  if (head === "certifications" || head === "certification_codes") return "certifications";
  if (FORM_FIELDS.includes(head)) return head;
  return String(apiField || "");
}

export const FORM_FIELDS = [
  "certifying",
  "certifications",
  "apprenticeship",
  "parcoursup",
  "title",
  "objective",
  "content",
  "expected_results",
  "cycle_years",
  "entry_level",
  "exit_level",
  "contact_id",
  "website",
];

/** The API's field errors with the form's names (see fieldOf). */
export function formErrors(fields) {
  return (fields || []).map((f) => ({ field: fieldOf(f.field), message: f.message }));
}

/** The view's warnings (the guide's recommendations, not blocking), by field: {title: ["…"], …}. */
export function warningsByField(warnings) {
  const out = {};
  for (const w of warnings || []) {
    const name = fieldOf(w.field);
    (out[name] ||= []).push(w.message);
  }
  return out;
}

// ------------------------------------------------------------------ counters
const NUMBER = new Intl.NumberFormat("fr-FR");

/** "12 caractères sur 255"; over the limit: "3 012 caractères sur 3 000 : 12 de trop". */
export function counterText(length, max) {
  const count = Number(length) || 0;
  const base = `${NUMBER.format(count)} ${count > 1 ? "caractères" : "caractère"} sur ${NUMBER.format(max)}`;
  return count > max ? `${base} : ${NUMBER.format(count - max)} de trop` : base;
}

// ------------------------------------------------------------------ the Carif-Oref's indexing
/** "21538, 22454 ;31054" → ["21538", "22454", "31054"] (spaces, commas and semicolons separate). */
export function parseCodes(text) {
  return [...new Set(String(text || "").split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean))];
}

export function codesText(codes) {
  return (codes || []).join(", ");
}

/** The indexing's lists that changed, as PATCH /moderation/formations/{ref} takes them (null: nothing). */
export function indexingChanges(view, values) {
  const body = {};
  for (const name of ["formacodes", "nsf", "romes"]) {
    const codes = parseCodes(values[name]);
    const before = view[name] || [];
    if (codes.join(",").toLowerCase() !== before.join(",").toLowerCase()) body[name] = codes;
  }
  return Object.keys(body).length ? { version: view.version, ...body } : null;
}

// ------------------------------------------------------------------ values, as a person reads them
/**
 * "Madame Anne Roussel (Directrice)"; a contact no longer in the list is said so. Among the contacts of
 * several structures (a session's: the responsible one, its head office, its branches), the structure too.
 */
export function contactText(contacts, id) {
  if (!id) return "";
  const found = (contacts || []).find((c) => c.id === id);
  if (!found) return "Un contact de l'organisme responsable";
  const name = [found.civility, found.first_name, found.last_name].filter(Boolean).join(" ");
  const text = found.role ? `${name} (${found.role})` : name;
  const structures = new Set((contacts || []).map((c) => c.siret).filter(Boolean));
  return structures.size > 1 && found.structure_name ? `${text} — ${found.structure_name}` : text;
}

/**
 * A value of a formation's field in words, for the moderators' differences (GET /moderation/submissions/{id}):
 * a certification "RNCP37861 (principale)", a level by its label, a cycle in years, a contact by name.
 * Null when the field needs no special words (the page then says the value as it is).
 */
export function formationValueText(field, value, contacts = []) {
  if (value === null || value === undefined || value === "") return null;
  switch (field) {
    case "certifications":
      return value && typeof value === "object" ? `${value.code}${value.principal ? " (principale)" : ""}` : null;
    case "entry_level":
    case "exit_level":
      return levelLabel(value);
    case "cycle_years":
      return Number(value) > 1 ? `${value} ans` : `${value} an`;
    case "contact_id":
      return contactText(contacts, value);
    default:
      return null;
  }
}
