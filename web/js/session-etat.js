// A formation's sessions, what the page knows without the DOM: the labels, red stars and settings of the
// guide's session screens (mirrors of layers/ofeli/ofeli/domain/sessions.py, compared by
// tests/unit/test_web_sessions.py), a session's form values to and from the API's SessionDraft, its state
// (à venir, en cours, terminée, archivée), the yearly session of short ones, the API's error and warning
// paths (`sessions.S0000012.funding.0.measure`) and how a person reads them, funding lines (financer →
// measure → publics), competence blocks, recruitment modalities (ISC, RDVI, ICO), places and addresses.
// Pure: tested by tests/web/sessions.test.mjs.

import { cleanPasted } from "./texte-colle.js";

// ------------------------------------------------------------------ the guide's words and settings
export const SESSION_LABELS = {
  ref: "Référence de la session",
  start_date: "Date de début",
  end_date: "Date de fin",
  entry_type: "Type de session (dates fixes, à la demande, entrée-sortie permanente)",
  trainer_siret: "Organisme formateur",
  teaching_mode: "Modalité d'enseignement",
  places: "Lieux de formation",
  contacts: "Contacts de la session",
  contact_request: "Demande de contacts spécifiques",
  funding: "Financements",
  funding_conditions: "Détail des conditions de prise en charge",
  audience_info: "Informations complémentaires sur le public visé",
  cycles: "Cycles de l'alternance",
  blocks: "Blocs de compétences",
  hours_in_centre: "Durée en centre (en heures)",
  hours_in_company: "Durée en entreprise (en heures)",
  total_hours: "Durée totale (en heures)",
  prerequisites: "Prérequis",
  path_type: "Type de parcours",
  rhythms: "Rythme",
  rhythm_comment: "Commentaire rythme",
  equipment: "Équipements",
  registration: "Lieu d'inscription",
  website: "Page web de la session",
  recruitment: "Modalités de recrutement",
  archived: "Session archivée",
};

export const PART_LABELS = {
  place_id: "Lieu de l'organisme formateur",
  name: "Nom du lieu",
  address: "Adresse",
  line1: "Adresse (1re ligne)",
  line2: "Adresse (2e ligne)",
  line3: "Adresse (3e ligne)",
  postal_code: "Code postal",
  city: "Ville",
  insee_code: "Code INSEE de la commune",
  latitude: "Latitude",
  longitude: "Longitude",
  contact_id: "Contact",
  contact_type: "Type de contact",
  financer: "Financeur",
  measure: "Mesure",
  publics: "Publics",
  recruitment_state: "État du recrutement",
  seats: "Nombre de places",
  market_number: "Numéro de marché",
  scheme_state: "État du dispositif",
  year: "Année de cycle",
  cycle_type: "Type de cycle",
  contract_type: "Type de contrat d'alternance",
  rhythm: "Rythme de l'alternance",
  unit: "Unité",
  in_centre: "En centre",
  in_company: "En entreprise",
  certification: "Certification",
  validation: "Type de validation",
  equipment_type: "Type d'équipement",
  description: "Description",
  code: "Modalité de recrutement",
  number: "Numéro",
  state: "État du recrutement",
  periods: "Périodes de candidature",
  start: "Début",
  end: "Fin",
  date: "Date de réalisation",
  hours: "Horaires",
  remote: "À distance",
  comment: "Commentaire",
};

/** The fields with the red star (always required at submission). */
export const REQUIRED = ["start_date", "end_date", "funding", "total_hours", "registration"];

/** A short or individualised session is one yearly session: [[month, day], [month, day]] (see sessions.py). */
export const YEARLY_SESSION = [
  [1, 2],
  [12, 30],
];
export const SHORT_SESSION_HOURS = 35;
export const APPLICATION_SEATS = [1, 999];
export const MEETING_SEATS = [1, 299];
export const MAX_MEETINGS = 120;
export const EARLIEST = "07:00";
export const LATEST = "20:00";
export const EXPORTED_COMMENT = 500;
export const REMOTE_ADDRESS = "Lieu de formation à distance – 75000 Paris";

export const ENTRY_TYPES = {
  fixed: "Entrée et sortie à date fixe",
  on_demand: "Session à la demande (ouverte en fonction du nombre d'inscrits)",
  permanent: "Entrée-sortie permanente",
};

export const RHYTHMS = {
  temps_plein: "Temps plein",
  temps_partiel: "Temps partiel",
  intra_entreprise: "Formation intra-entreprise",
  alternance: "En alternance",
  cours_du_soir: "Cours du soir",
  week_end: "Week-end",
};

export const SCHEME_STATES = {
  conventionne: "Conventionné",
  en_cours: "En cours de conventionnement",
  non_conventionne: "Non conventionné",
};

/** The work-study rhythm per unit (LHEO dict-unite-rythme): [span read, most units] (RHYTHM_SPANS). */
export const RHYTHM_SPANS = {
  0: ["une journée", 24],
  1: ["une semaine", 14],
  2: ["une semaine", 7],
  3: ["un mois", 5],
  4: ["une année", 12],
};
export const RHYTHM_UNIT_NAMES = { 0: "heures", 1: "demi-journées", 2: "journées", 3: "semaines", 4: "mois" };

/** The guide's help on each unit of the rhythm of the alternance. */
export function rhythmHelp(unit) {
  const span = RHYTHM_SPANS[unit];
  if (!span) return "Choisissez l'unité, puis le temps en centre et en entreprise.";
  const [over, most] = span;
  const examples = {
    0: "par exemple 4 heures en centre et 4 heures en entreprise",
    1: "par exemple 2 demi-journées en centre et 8 en entreprise",
    2: "par exemple 1 journée en centre et 4 journées en entreprise",
    3: "par exemple 1 semaine en centre et 3 semaines en entreprise",
    4: "par exemple 3 mois en centre et 9 mois en entreprise",
  };
  return `Le rythme se lit sur ${over} (${most} ${RHYTHM_UNIT_NAMES[unit]} au plus en tout) : ${examples[unit]}.`;
}

// The guide's teaching modes (LHEO dict-modalites-enseignement), in its words and order.
export const TEACHING_MODE_CHOICES = [
  ["0", "Entièrement en présentiel"],
  ["2", "Entièrement à distance"],
  ["1", "En présentiel et à distance (mixte)"],
];
export const REMOTE_TEACHING = "2";
export const REGIONAL_COUNCIL = "2";
export const FRANCE_TRAVAIL = "4";
export const OPEN = "1";
export const PARTIAL = "0";
export const TOTAL = "1";
export const MIXED_VALIDATION = "2";
export const APPLICATION = "7";
export const INTERVIEW = "8";
export const INFORMATION_MEETING = "9";
export const FRANCE_TRAVAIL_MODALITIES = [APPLICATION, INTERVIEW, INFORMATION_MEETING];

// ------------------------------------------------------------------ states
/** The life of a session (the API says `a_venir`… or, in the domain's words, `upcoming`…); `mark` repeats it. */
export const STATES = {
  a_venir: { label: "À venir", mark: "◷" },
  en_cours: { label: "En cours", mark: "▶" },
  terminee: { label: "Terminée", mark: "■" },
  archivee: { label: "Archivée", mark: "▪" },
};
const STATE_ALIASES = { upcoming: "a_venir", running: "en_cours", finished: "terminee", archived: "archivee" };

export function stateCode(state) {
  return STATE_ALIASES[state] || state;
}

export function stateLabel(state, fallback = "") {
  return STATES[stateCode(state)]?.label || fallback || String(state || "");
}

/** The state of a session on `today` (an ISO day): archived, finished (ended before today), running, upcoming. */
export function sessionState(session, today) {
  if (session?.archived) return "archivee";
  if (session?.end_date && session.end_date < today) return "terminee";
  if (session?.start_date && session.start_date <= today) return "en_cours";
  return "a_venir";
}

export function isFinished(session, today) {
  const state = stateCode(session?.state) || sessionState(session, today);
  return state === "terminee" || state === "archivee" || sessionState(session, today) === "terminee";
}

// ------------------------------------------------------------------ days
/** "2026-03-02" → "02/03/2026"; "" when none. */
export function dayText(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day || ""));
  return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
}

/** "02/03/2026" → "2026-03-02"; null when it is not a day. */
export function isoFromText(text) {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(String(text || "").trim());
  return match ? `${match[3]}-${match[2]}-${match[1]}` : null;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** The yearly session of `year`: ["2026-01-02", "2026-12-30"] (YEARLY_SESSION). */
export function yearlySession(year) {
  const [[m1, d1], [m2, d2]] = YEARLY_SESSION;
  return [`${year}-${pad(m1)}-${pad(d1)}`, `${year}-${pad(m2)}-${pad(d2)}`];
}

export function isYearly(session) {
  if (session?.entry_type !== "permanent" || !session.start_date) return false;
  const [start, end] = yearlySession(Number(session.start_date.slice(0, 4)));
  return session.start_date === start && session.end_date === end;
}

/**
 * What the short-session warning offers: the dates it names ("du 02/01/2026 au 30/12/2026"), else the yearly
 * session of the session's year (or of `today`'s). {start, end} as ISO days.
 */
export function yearlyOffer(message, session, today) {
  const match = /du (\d{2}\/\d{2}\/\d{4}) au (\d{2}\/\d{2}\/\d{4})/.exec(String(message || ""));
  if (match) return { start: isoFromText(match[1]), end: isoFromText(match[2]) };
  const year = Number(String(session?.start_date || today || "").slice(0, 4)) || new Date().getFullYear();
  const [start, end] = yearlySession(year);
  return { start, end };
}

/** The session as a yearly session with permanent entry, from `offer` ({start, end}). */
export function asYearly(session, offer) {
  return { ...session, start_date: offer.start, end_date: offer.end, entry_type: "permanent" };
}

/** Duplication's dates: a French message, or null when they can be sent. */
export function duplicateProblem(start, end) {
  if (!start) return { field: "start", message: "Indiquez la date de début de la nouvelle session." };
  if (!end) return { field: "end", message: "Indiquez la date de fin de la nouvelle session." };
  if (end < start) {
    return {
      field: "end",
      message: `La date de fin (${dayText(end)}) est antérieure à la date de début (${dayText(start)}).`,
    };
  }
  return null;
}

// ------------------------------------------------------------------ the form's values and the API's SessionDraft
export function emptyAddress() {
  return { line1: null, line2: null, line3: null, postal_code: null, city: null, insee_code: null, latitude: null, longitude: null };
}

export function emptySession() {
  return {
    ref: null,
    start_date: null,
    end_date: null,
    entry_type: "fixed",
    trainer_siret: null,
    teaching_mode: "0",
    places: [],
    contacts: [],
    contact_request: null,
    funding: [],
    funding_conditions: null,
    audience_info: null,
    cycles: [],
    blocks: [],
    hours_in_centre: null,
    hours_in_company: null,
    total_hours: null,
    prerequisites: null,
    path_type: null,
    rhythms: [],
    rhythm_comment: null,
    equipment: [],
    registration: null,
    website: null,
    recruitment: [],
    archived: false,
  };
}

const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** A SessionDraft (or a published session, with its state) as the form edits it: every key there, a deep copy. */
export function sessionFromDraft(session) {
  const out = { ...emptySession(), ...copy(session || {}) };
  for (const name of ["places", "contacts", "funding", "cycles", "blocks", "rhythms", "equipment", "recruitment"]) {
    if (!Array.isArray(out[name])) out[name] = [];
  }
  delete out.state;
  delete out.state_label;
  return out;
}

function text(value, { oneLine = false } = {}) {
  if (value === null || value === undefined) return null;
  return cleanPasted(String(value), { oneLine }) || null;
}

function code(value) {
  const cleaned = String(value ?? "").replace(/\s+/g, "").toUpperCase();
  return cleaned || null;
}

/** "12" → 12; "", "abc" → null; `zero`: whether 0 is kept (hours: "left empty rather than zero"). */
export function integer(value, { zero = true } = {}) {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "number" ? value : Number(String(value).trim().replace(",", "."));
  if (!Number.isInteger(number)) return null;
  if (number === 0 && !zero) return null;
  return number;
}

function day(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(String(value || "")) ? String(value) : null;
}

function hour(value) {
  const match = /^(\d{2}):(\d{2})/.exec(String(value || ""));
  return match ? `${match[1]}:${match[2]}` : null;
}

export function addressToDraft(address) {
  if (!address) return null;
  const out = {
    line1: text(address.line1, { oneLine: true }),
    line2: text(address.line2, { oneLine: true }),
    line3: text(address.line3, { oneLine: true }),
    postal_code: code(address.postal_code),
    city: text(address.city, { oneLine: true }),
    insee_code: code(address.insee_code),
    latitude: typeof address.latitude === "number" ? address.latitude : null,
    longitude: typeof address.longitude === "number" ? address.longitude : null,
  };
  return Object.values(out).some((v) => v !== null) ? out : null;
}

export function placeToDraft(place) {
  if (!place) return null;
  if (place.place_id) return { place_id: place.place_id, name: null, address: null };
  const out = { place_id: null, name: text(place.name, { oneLine: true }), address: addressToDraft(place.address) };
  return out.name || out.address ? out : null;
}

/** A recruitment modality with only the fields its code uses (as the API keeps them). */
export function modalityToDraft(modality) {
  const kind = modalityKind(modality.code);
  const out = {
    code: String(modality.code),
    number: null,
    state: null,
    seats: null,
    periods: [],
    date: null,
    end_date: null,
    hours: null,
    remote: false,
    address: null,
    comment: text(modality.comment),
  };
  if (kind !== "other") {
    out.number = text(modality.number, { oneLine: true });
    out.state = modality.state || OPEN;
    out.seats = integer(modality.seats);
  }
  if (kind === "application") {
    out.periods = (modality.periods || []).map((p) => ({ start: day(p.start), end: day(p.end) }));
  }
  if (kind === "meeting") {
    out.date = day(modality.date);
    out.end_date = day(modality.end_date);
    const start = hour(modality.hours?.start);
    const end = hour(modality.hours?.end);
    out.hours = start || end ? { start, end } : null;
    out.remote = Boolean(modality.remote);
    out.address = out.remote ? null : addressToDraft(modality.address);
  }
  return out;
}

/** The form's values as the API takes a SessionDraft (in `data.sessions` of PUT …/draft). */
export function sessionToDraft(form) {
  const s = { ...emptySession(), ...(form || {}) };
  const centre = integer(s.hours_in_centre, { zero: false });
  const company = integer(s.hours_in_company, { zero: false });
  return {
    ref: s.ref || null,
    start_date: day(s.start_date),
    end_date: day(s.end_date),
    entry_type: ENTRY_TYPES[s.entry_type] ? s.entry_type : "fixed",
    trainer_siret: s.trainer_siret || null,
    teaching_mode: s.teaching_mode || "0",
    places: s.places.map(placeToDraft).filter(Boolean),
    contacts: s.contacts
      .filter((c) => c.contact_id)
      .map((c) => ({ contact_id: c.contact_id, contact_type: c.contact_type || null })),
    contact_request: text(s.contact_request),
    funding: s.funding.map((line) => ({
      financer: line.financer || null,
      measure: line.measure || null,
      publics: [...(line.publics || [])],
      recruitment_state: line.recruitment_state || OPEN,
      seats: integer(line.seats, { zero: false }),
      market_number: text(line.market_number, { oneLine: true }),
      scheme_state: line.scheme_state || null,
    })),
    funding_conditions: text(s.funding_conditions),
    audience_info: text(s.audience_info),
    cycles: s.cycles.map((c) => ({
      year: integer(c.year),
      cycle_type: c.cycle_type || "1",
      contract_type: c.contract_type || "1",
      rhythm:
        c.rhythm && (c.rhythm.unit || c.rhythm.in_centre !== null || c.rhythm.in_company !== null)
          ? { unit: c.rhythm.unit || null, in_centre: integer(c.rhythm.in_centre), in_company: integer(c.rhythm.in_company) }
          : null,
    })),
    blocks: s.blocks.map((b) => ({ certification: b.certification, validation: b.validation || null, blocks: [...(b.blocks || [])] })),
    hours_in_centre: centre,
    hours_in_company: company,
    total_hours: totalHours(s),
    prerequisites: text(s.prerequisites),
    path_type: s.path_type || null,
    rhythms: s.rhythms.filter((r) => RHYTHMS[r]),
    rhythm_comment: text(s.rhythm_comment),
    equipment: s.equipment.map((e) => ({ equipment_type: e.equipment_type || "0", description: text(e.description) })),
    registration: placeToDraft(s.registration),
    website: text(s.website, { oneLine: true }),
    recruitment: s.recruitment.map(modalityToDraft),
    archived: Boolean(s.archived),
  };
}

/** A string that changes when, and only when, what would be saved of these sessions changes. */
export function sessionsKey(forms) {
  return JSON.stringify((forms || []).map(sessionToDraft));
}

/**
 * The total hours: computed from the hours in centre and in company when one is given (empty, not zero),
 * else the total typed; null when none.
 */
export function totalHours(session) {
  const centre = integer(session.hours_in_centre, { zero: false });
  const company = integer(session.hours_in_company, { zero: false });
  if (centre !== null || company !== null) return (centre || 0) + (company || 0);
  return integer(session.total_hours, { zero: false });
}

export function isComputedTotal(session) {
  return integer(session.hours_in_centre, { zero: false }) !== null || integer(session.hours_in_company, { zero: false }) !== null;
}

// ------------------------------------------------------------------ a session as a person reads it
/** The key a session has in the page and in the API's paths: its S number, else its position. */
export function sessionKey(session, position) {
  return session?.ref || String(position);
}

export function sessionTitle(session) {
  const name = session?.ref ? `Session ${session.ref}` : "Nouvelle session";
  if (session?.start_date && session?.end_date) return `${name} du ${dayText(session.start_date)} au ${dayText(session.end_date)}`;
  return name;
}

export function addressText(address) {
  if (!address) return "";
  const town = [address.postal_code, address.city].filter(Boolean).join(" ");
  return [address.line1, address.line2, address.line3, town].filter(Boolean).join(", ");
}

/** A place as written: created here, or a trainer's place (`known`: place_id → {place_id, name, address}). */
export function resolvedPlace(place, known = new Map()) {
  if (place?.place_id && known.has(place.place_id)) return { ...known.get(place.place_id), place_id: place.place_id };
  return place || null;
}

/** Where the session takes place, in a few words: the first place's town, remote, or nothing yet. */
export function placeSummary(session, known = new Map()) {
  const place = resolvedPlace((session?.places || [])[0], known);
  if (place?.address && (place.address.city || place.address.postal_code)) {
    const town = place.address.city || "";
    const more = session.places.length > 1 ? ` (+ ${session.places.length - 1})` : "";
    return `${town}${place.address.postal_code ? ` (${place.address.postal_code})` : ""}${more}`;
  }
  if (place?.place_id) return "Un lieu de l'organisme formateur";
  if (place?.name) return place.name;
  if (session?.teaching_mode === REMOTE_TEACHING) return "À distance";
  if (session?.city) return `${session.city}${session.postal_code ? ` (${session.postal_code})` : ""}`; // older views
  return "Non renseigné";
}

/** The places already written in the formation's sessions (created ones, by name and address), once each. */
export function knownPlaces(sessions) {
  const out = [];
  const seen = new Set();
  for (const session of sessions || []) {
    for (const place of [...(session.places || []), session.registration].filter(Boolean)) {
      if (place.place_id || !place.address) continue;
      const key = `${(place.name || "").toLowerCase()}|${addressText(place.address).toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ name: place.name || null, address: copy(place.address) });
    }
  }
  return out;
}

export function placeText(place, known = new Map()) {
  const found = resolvedPlace(place, known);
  if (!found) return "";
  if (found.place_id && !found.address) return "Un lieu de l'organisme formateur";
  return [found.name, addressText(found.address)].filter(Boolean).join(" — ");
}

/** A hit of GET /addresses as a place's address. */
export function addressFromHit(hit, keep = {}) {
  return {
    line1: hit.line1 || null,
    line2: keep.line2 || null,
    line3: keep.line3 || null,
    postal_code: hit.postal_code || null,
    city: hit.city || null,
    insee_code: hit.insee_code || null,
    latitude: typeof hit.latitude === "number" ? hit.latitude : null,
    longitude: typeof hit.longitude === "number" ? hit.longitude : null,
  };
}

/**
 * A referenced organisation (GET /organisations) as a place: its name and its address as the directory has it
 * (street line, postal code, city, cut to LHEO's 50 characters). The directory has no INSEE code: left empty
 * for *Rechercher une adresse* (or the manual entry) to complete, never guessed.
 */
export function placeOfOrganisation(organisation) {
  const line = (value) => (value ? String(value).slice(0, 50) : null);
  return {
    place_id: null,
    name: organisation.name || null,
    address: {
      ...emptyAddress(),
      line1: line(organisation.line1),
      postal_code: organisation.postal_code || null,
      city: line(organisation.city),
    },
  };
}

// ------------------------------------------------------------------ the API's paths
/**
 * `sessions.S0000012.funding.0.measure` (or `data.sessions.3.start_date`) → {key: "S0000012", path:
 * "funding.0.measure"}; `sessions.S0000012` → {key, path: ""}; null for a path that is not a session's.
 */
export function splitSessionPath(apiField) {
  const match = /^(?:body\.)?(?:data\.)?sessions\.([^.]+)(?:\.(.*))?$/.exec(String(apiField || ""));
  if (!match) return null;
  return { key: match[1], path: match[2] || "" };
}

/**
 * The API's messages (errors or warnings: [{field, message}]) split between the formation's and the
 * sessions': {formation: [...], sessions: {key: [{path, message}]}}.
 */
export function splitMessages(fields) {
  const out = { formation: [], sessions: {} };
  for (const item of fields || []) {
    const found = splitSessionPath(item.field);
    if (found) (out.sessions[found.key] ||= []).push({ path: found.path, message: item.message });
    else out.formation.push(item);
  }
  return out;
}

/** "recruitment.1.hours.end" → "Modalités de recrutement n° 2 — Horaires — Fin". */
export function pathLabel(path) {
  const parts = String(path || "").split(".").filter(Boolean);
  if (!parts.length) return "La session";
  const words = [SESSION_LABELS[parts[0]] || parts[0]];
  for (const part of parts.slice(1)) {
    if (/^\d+$/.test(part)) words[words.length - 1] += ` n° ${Number(part) + 1}`;
    else words.push(PART_LABELS[part] || part);
  }
  return words.join(" — ");
}

/** The registered path that shows a message on `path`: itself, else its nearest parent ("" when none). */
export function targetPath(path, known) {
  const parts = String(path || "").split(".").filter(Boolean);
  while (parts.length) {
    const candidate = parts.join(".");
    if (known.has(candidate)) return candidate;
    parts.pop();
  }
  return "";
}

/** A stable element id for a path of the session form: "funding.0.measure" → "session-funding-0-measure". */
export function pathId(path) {
  return `session-${String(path || "").replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "")}`;
}

// ------------------------------------------------------------------ funding (financers → measures → publics)
export function financerOf(referential, financer) {
  return (referential?.financers || []).find((f) => f.code === financer) || null;
}

export function measuresOf(referential, financer) {
  return financerOf(referential, financer)?.measures || [];
}

export function measureOf(referential, financer, measure) {
  return measuresOf(referential, financer).find((m) => m.code === measure) || null;
}

/** A public's label: the measure's `publics` may be objects ({code, label}) or codes with the referential's list. */
export function publicLabels(referential, financer, measure, codes) {
  const found = measureOf(referential, financer, measure);
  const fromMeasure = new Map(
    (found?.publics || []).filter((p) => p && typeof p === "object").map((p) => [p.code, p.label]),
  );
  const fromList = new Map((referential?.publics || []).map((p) => [p.code, p.label]));
  return (codes || []).map((c) => fromMeasure.get(c) || fromList.get(c) || c);
}

function publicCodes(measure) {
  return (measure?.publics || []).map((p) => (p && typeof p === "object" ? p.code : p));
}

export function emptyFundingLine() {
  return { financer: null, measure: null, publics: [], recruitment_state: OPEN, seats: null, market_number: null, scheme_state: null };
}

/** A financer chosen: its measure and publics are chosen again (a measure belongs to one financer). */
export function withFinancer(line, financer) {
  if (line.financer === financer) return { ...line };
  return { ...line, financer: financer || null, measure: null, publics: [] };
}

/** A measure chosen: *la rubrique Publics se remplira automatiquement après sélection de la Mesure*. */
export function withMeasure(line, referential, measure) {
  const found = measureOf(referential, line.financer, measure);
  return { ...line, measure: measure || null, publics: found ? publicCodes(found) : [] };
}

export function regionalCouncilFunded(session) {
  return (session?.funding || []).some((line) => line.financer === REGIONAL_COUNCIL);
}

export function franceTravailFunded(session) {
  return (session?.funding || []).some((line) => line.financer === FRANCE_TRAVAIL);
}

// ------------------------------------------------------------------ competence blocks
/**
 * The blocks entries in the formation's order of certifications (the principal first), one per certification
 * that has blocks (`certifications`: [{code, principal, blocks: [{code, title}]}]), missing ones empty.
 */
export function blockEntries(session, certifications) {
  const ordered = [...(certifications || [])].sort((a, b) => Number(Boolean(b.principal)) - Number(Boolean(a.principal)));
  return ordered.map((c) => {
    const entry = (session?.blocks || []).find((b) => b.certification === c.code);
    return { certification: c, entry: entry ? { ...entry, blocks: [...(entry.blocks || [])] } : null };
  });
}

/** *Si la validation est totale (ou mixte), tous les blocs seront sélectionnés automatiquement*. */
export function withValidation(entry, validation, allBlocks) {
  const codes = (allBlocks || []).map((b) => (typeof b === "string" ? b : b.code));
  if (validation === TOTAL || validation === MIXED_VALIDATION) return { ...entry, validation, blocks: codes };
  if (validation === PARTIAL) {
    const kept = (entry.blocks || []).filter((b) => codes.includes(b));
    return { ...entry, validation, blocks: kept.length === codes.length ? [] : kept };
  }
  return { ...entry, validation: validation || null };
}

/** The session's blocks with one entry replaced (or added, or removed when `entry` is null), in order. */
export function setBlockEntry(session, certifications, code, entry) {
  const order = new Map(
    [...(certifications || [])]
      .sort((a, b) => Number(Boolean(b.principal)) - Number(Boolean(a.principal)))
      .map((c, i) => [c.code, i]),
  );
  const others = (session.blocks || []).filter((b) => b.certification !== code);
  const list = entry ? [...others, { ...entry, certification: code }] : others;
  return list.sort((a, b) => (order.get(a.certification) ?? 99) - (order.get(b.certification) ?? 99));
}

// ------------------------------------------------------------------ recruitment modalities
export const MODALITY_NAMES = {
  7: { short: "ISC", long: "Inscription sur candidature (ISC)" },
  8: { short: "RDVI", long: "Entretien ou rendez-vous individuel (RDVI)" },
  9: { short: "ICO", long: "Information collective (ICO)" },
};

/** "application" (ISC, 7), "meeting" (RDVI 8, ICO 9), "other" (0 to 6: documentary for France Travail). */
export function modalityKind(code) {
  const value = String(code ?? "");
  if (value === APPLICATION) return "application";
  if (value === INTERVIEW || value === INFORMATION_MEETING) return "meeting";
  return "other";
}

export function modalityName(code, labels = {}) {
  const known = MODALITY_NAMES[String(code)];
  if (known) return known.long;
  const label = labels[String(code)] || String(code ?? "");
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function newModality(code) {
  const kind = modalityKind(code);
  return {
    code: String(code),
    number: null,
    state: kind === "other" ? null : OPEN,
    seats: null,
    periods: kind === "application" ? [{ start: null, end: null }] : [],
    date: null,
    end_date: null,
    hours: kind === "meeting" ? { start: null, end: null } : null,
    remote: false,
    address: null,
    comment: null,
  };
}

/** What the places of a modality mean (the guide's help texts). */
export function seatsHelp(code) {
  const kind = modalityKind(code);
  if (kind === "application") return `De ${APPLICATION_SEATS[0]} à ${APPLICATION_SEATS[1]}.`;
  if (String(code) === INTERVIEW) {
    return (
      `De ${MEETING_SEATS[0]} à ${MEETING_SEATS[1]} : le nombre de personnes que l'organisme peut recevoir de manière ` +
      "simultanée (5 : il y a 5 personnes pour recevoir les 5 candidats)."
    );
  }
  if (String(code) === INFORMATION_MEETING) {
    return (
      `De ${MEETING_SEATS[0]} à ${MEETING_SEATS[1]} : le nombre de personnes que l'organisme peut recevoir ` +
      "physiquement dans une salle ou à distance."
    );
  }
  return "";
}

const NUMBER = new Intl.NumberFormat("fr-FR");

/** The comment's counter: its length, and what France Travail reads of it (its first 500 characters). */
export function commentCounter(length) {
  const count = Number(length) || 0;
  const base = `${NUMBER.format(count)} ${count > 1 ? "caractères" : "caractère"}`;
  if (count > EXPORTED_COMMENT) {
    return `${base} : seuls les ${EXPORTED_COMMENT} premiers sont transmis à France Travail (le texte entier est conservé).`;
  }
  return `${base} : les ${EXPORTED_COMMENT} premiers caractères sont transmis à France Travail.`;
}

/** A number of meetings planned (RDVI and ICO) above the limit: the message, else null. */
export function meetingsProblem(session) {
  const count = (session?.recruitment || []).filter((m) => modalityKind(m.code) === "meeting").length;
  if (count < MAX_MEETINGS) return null;
  return `Une session planifie au plus ${MAX_MEETINGS} entretiens individuels et informations collectives.`;
}

/** Whether the session has at least one of France Travail's modalities (7, 8, 9). */
export function hasFranceTravailModality(session) {
  return (session?.recruitment || []).some((m) => FRANCE_TRAVAIL_MODALITIES.includes(String(m.code)));
}

// ------------------------------------------------------------------ apprenticeship
/** The years a cycle line may take: 1 to the formation's cycle duration (none when it is not set). */
export function cycleYears(cycleDuration) {
  const n = integer(cycleDuration);
  if (!n || n < 1) return [];
  return Array.from({ length: Math.min(n, 5) }, (_, i) => i + 1);
}

export function newCycle(session, cycleDuration) {
  const taken = new Set((session?.cycles || []).map((c) => Number(c.year)));
  const year = cycleYears(cycleDuration).find((y) => !taken.has(y)) ?? null;
  return { year, cycle_type: "1", contract_type: "1", rhythm: { unit: null, in_centre: null, in_company: null } };
}

// ------------------------------------------------------------------ the list of a formation's sessions
/**
 * The rows of the Sessions table. Read mode: the published sessions. Edit mode (`drafts`: the draft's sessions
 * as the form holds them): the draft's (current, upcoming and new ones, editable unless finished), then the
 * published ones the draft no longer holds (finished or archived: read-only, to duplicate).
 * Each row: {key, position, session, state, label, published, editable, duplicable}.
 */
export function sessionRows(view, drafts, { edition = false, today }) {
  const published = Array.isArray(view?.sessions) ? view.sessions : [];
  const byRef = new Map(published.filter((s) => s.ref).map((s) => [s.ref, s]));
  const mandataire = Boolean(view?.can_edit);
  const row = (session, position, source) => {
    const before = session.ref ? byRef.get(session.ref) : null;
    const state = source === "published" && session.state ? stateCode(session.state) : sessionState(session, today);
    const finished = state === "terminee" || state === "archivee";
    return {
      key: sessionKey(session, position),
      position,
      session,
      state,
      label: source === "published" && session.state_label ? session.state_label : stateLabel(state),
      published: Boolean(before),
      editable: edition && source === "draft" && !finished,
      duplicable: edition && mandataire && Boolean(session.ref),
    };
  };
  if (!edition) return published.map((s, i) => row(s, i, "published"));
  const rows = (drafts || []).map((s, i) => row(s, i, "draft"));
  const inDraft = new Set((drafts || []).map((s) => s.ref).filter(Boolean));
  published.forEach((s, i) => {
    if (!s.ref || !inDraft.has(s.ref)) rows.push({ ...row(s, i, "published"), key: s.ref || `publiee-${i}`, editable: false });
  });
  return rows;
}

/** "3 erreurs" for a session's row; "" when none. */
export function errorCount(count) {
  if (!count) return "";
  return count > 1 ? `${count} erreurs à corriger` : "1 erreur à corriger";
}
