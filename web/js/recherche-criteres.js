// The guide's *Moteur de recherche des formations* (/formations for an OF, /moderation/recherche-formations
// for the Carif-Oref): its criteria, the dashboard's pre-filtered blocks, the sort, the page and the column
// filters, as one plain object (a "search"), and the ways it is written:
//   - in the page's address (the same names as the API: ?title=boulanger&city=Cherbourg&block=diffusees…),
//     so that a dashboard link, a reload and the back button give the same search;
//   - as the API reads it (GET /structures/{siret}/formations, GET /moderation/formations);
//   - as a sentence (what was searched).
// No DOM: tested with node --test (tests/web/recherche.test.mjs).

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
export const PAGE_SIZES = [10, 20, 50, 100];
export const MAX_PAGE = 10000;
export const MAX_REFS = 50;

/** The criteria of the form, with the longest text the API takes for each. */
export const CRITERIA = {
  q: { label: "Recherche rapide", max: 200 },
  ref: { label: "Référence", max: 600 },
  title: { label: "Intitulé", max: 255 },
  mesure: { label: "Mesure", max: 120 },
  marche: { label: "Numéro de marché", max: 50 },
  city: { label: "Ville", max: 80 },
};

export const REF_TYPES = [
  { value: "F", label: "F (formation)", noun: "formation" },
  { value: "S", label: "S (session)", noun: "session" },
];

/** The states of a line of the results (a session, or a formation without a published session). */
export const STATES = [
  { value: "en_creation", label: "En création", mark: "✎" },
  { value: "diffusee", label: "Diffusée", mark: "✓" },
  { value: "en_attente", label: "En attente de validation", mark: "◔" },
  { value: "terminee", label: "Terminée", mark: "■" },
];

/** The dashboard's *Formations* block: each of its counts opens the search pre-filtered on its key. */
export const BLOCKS = [
  { key: "diffusees", label: "Formations diffusées" },
  { key: "fonds_publics", label: "Formations fonds publics diffusées" },
  { key: "en_attente", label: "Formations en attente de validation" },
  { key: "non_diffusees", label: "Formations non diffusées" },
  { key: "erreur_lien", label: "Erreur liens site internet" },
];

/** The columns of the results table the API sorts and filters on, in their order. */
export const COLUMNS = [
  { key: "ref", label: "Référence" },
  { key: "title", label: "Intitulé" },
  { key: "session", label: "Session" },
  { key: "start", label: "Début" },
  { key: "end", label: "Fin" },
  { key: "city", label: "Ville" },
  { key: "state", label: "État" },
];
export const FILTER_MAX = 100;

const COLUMN_KEYS = COLUMNS.map((c) => c.key);

/**
 * @typedef {{ref: string, title: string, session: string, start: string, end: string, city: string, state: string}} Filters
 * @typedef {{q: string, ref: string, ref_type: "F"|"S", title: string, mesure: string, marche: string, city: string,
 *   state: string, block: string, sort: string, order: "asc"|"desc", page: number, page_size: number, filters: Filters}} Search
 */

export function emptyFilters() {
  return Object.fromEntries(COLUMN_KEYS.map((key) => [key, ""]));
}

/** The search of the menu's *Formations*: every formation of the space, by reference. */
export function emptySearch() {
  return {
    q: "",
    ref: "",
    ref_type: "F",
    title: "",
    mesure: "",
    marche: "",
    city: "",
    state: "",
    block: "",
    sort: "ref",
    order: "asc",
    page: 1,
    page_size: DEFAULT_PAGE_SIZE,
    filters: emptyFilters(),
  };
}

/** Spaces collapsed and trimmed, at most `max` characters. */
export function clean(value, max = 1000) {
  return String(value ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ")
    .slice(0, max)
    .trim();
}

function integer(value, low, high, fallback) {
  const text = String(value ?? "").trim();
  if (!/^\d+$/.test(text)) return fallback;
  const number = Number.parseInt(text, 10);
  return number >= low && number <= high ? number : fallback;
}

const isState = (value) => STATES.some((s) => s.value === value);
const isBlock = (value) => BLOCKS.some((b) => b.key === value);

/** A search with every value checked and cleaned (what the page shows and asks). */
export function normalise(search) {
  const base = emptySearch();
  const given = search || {};
  const result = { ...base };
  for (const [name, { max }] of Object.entries(CRITERIA)) result[name] = clean(given[name], max);
  result.ref_type = given.ref_type === "S" ? "S" : "F";
  result.state = isState(given.state) ? given.state : "";
  result.block = isBlock(given.block) ? given.block : "";
  result.sort = COLUMN_KEYS.includes(given.sort) ? given.sort : base.sort;
  result.order = given.order === "desc" ? "desc" : "asc";
  result.page = integer(given.page, 1, MAX_PAGE, 1);
  result.page_size = integer(given.page_size, 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  result.filters = emptyFilters();
  for (const key of COLUMN_KEYS) result.filters[key] = clean(given.filters?.[key], FILTER_MAX);
  return result;
}

/** The search written in a query string ("?title=boulanger&city=Cherbourg"); the unknown values ignored. */
export function searchFromQuery(queryString) {
  const params = new URLSearchParams(queryString || "");
  const given = { filters: {} };
  for (const name of [...Object.keys(CRITERIA), "ref_type", "state", "block", "sort", "order", "page", "page_size"]) {
    if (params.has(name)) given[name] = params.get(name);
  }
  for (const key of COLUMN_KEYS) given.filters[key] = params.get(`filter_${key}`) || "";
  return normalise(given);
}

function criteriaParams(search, params) {
  for (const name of Object.keys(CRITERIA)) if (search[name]) params.set(name, search[name]);
  if (search.ref_type === "S") params.set("ref_type", "S");
  if (search.state) params.set("state", search.state);
  if (search.block) params.set("block", search.block);
}

function filterParams(search, params, { api = false } = {}) {
  for (const key of COLUMN_KEYS) {
    const text = search.filters[key];
    if (!text) continue;
    params.set(`filter_${key}`, api && (key === "start" || key === "end") ? dayFilterForApi(text) : text);
  }
}

const pad = (n) => String(n).padStart(2, "0");

/**
 * A date column's filter as the page shows days (01/09/2026, 09/2026, 01/09) turned into the API's ISO
 * days (2026-09-01, 2026-09, 09-01): what the API looks for in the ISO day. Anything else is sent as typed.
 */
export function dayFilterForApi(text) {
  const value = clean(text);
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (match) return `${match[3]}-${pad(match[2])}-${pad(match[1])}`;
  match = /^(\d{1,2})[/.-](\d{4})$/.exec(value);
  if (match) return `${match[2]}-${pad(match[1])}`;
  match = /^(\d{1,2})[/.](\d{1,2})$/.exec(value);
  if (match) return `${pad(match[2])}-${pad(match[1])}`;
  return value;
}

/** The query string of the page's address: only what differs from the menu's search ("" when nothing). */
export function queryOf(search) {
  const s = normalise(search);
  const base = emptySearch();
  const params = new URLSearchParams();
  criteriaParams(s, params);
  if (s.sort !== base.sort) params.set("sort", s.sort);
  if (s.order !== base.order) params.set("order", s.order);
  filterParams(s, params);
  if (s.page !== 1) params.set("page", String(s.page));
  if (s.page_size !== DEFAULT_PAGE_SIZE) params.set("page_size", String(s.page_size));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The query of the API: every criterion given, the sort, the page and its size always said. */
export function apiQuery(search) {
  const s = normalise(search);
  const params = new URLSearchParams();
  criteriaParams(s, params);
  filterParams(s, params, { api: true });
  params.set("sort", s.sort);
  params.set("order", s.order);
  params.set("page", String(s.page));
  params.set("page_size", String(s.page_size));
  return params.toString();
}

/**
 * The API's address of a search: a structure space's (`siret`) or, for moderators, every structure's.
 * @param {Search} search
 * @param {{siret?: string, moderator?: boolean}} scope
 */
export function apiPath(search, { siret, moderator = false } = {}) {
  if (moderator) return `/moderation/formations?${apiQuery(search)}`;
  return `/structures/${encodeURIComponent(String(siret || ""))}/formations?${apiQuery(search)}`;
}

/** Two searches asking the same thing. */
export function sameSearch(a, b) {
  return queryOf(a) === queryOf(b);
}

// ------------------------------------------------------------------ what the page does to a search
/** The form's criteria (*Rechercher*): the block and the column filters stay, back to the first page. */
export function withCriteria(search, criteria) {
  const s = normalise(search);
  const next = { ...s };
  for (const name of [...Object.keys(CRITERIA), "ref_type", "state"]) {
    if (criteria && name in criteria) next[name] = criteria[name];
  }
  next.page = 1;
  return normalise(next);
}

/** The cross (*Réinitialiser la recherche*): no criterion, no block, no column filter, the first page; the
 * sort and the number of lines a page, which are the way to read, stay. */
export function resetCriteria(search) {
  const s = normalise(search);
  return { ...emptySearch(), sort: s.sort, order: s.order, page_size: s.page_size };
}

/** The dashboard's block removed (the other criteria stay), back to the first page. */
export function withoutBlock(search) {
  return { ...normalise(search), block: "", page: 1 };
}

/** A column's header clicked: that column ascending, or the other way when it is already the sort. */
export function toggleSort(search, column) {
  const s = normalise(search);
  if (!COLUMN_KEYS.includes(column)) return s;
  if (s.sort === column) return { ...s, order: s.order === "asc" ? "desc" : "asc", page: 1 };
  return { ...s, sort: column, order: "asc", page: 1 };
}

/** The text a column must contain, back to the first page. */
export function withFilter(search, column, value) {
  const s = normalise(search);
  if (!COLUMN_KEYS.includes(column)) return s;
  return normalise({ ...s, filters: { ...s.filters, [column]: value }, page: 1 });
}

/** Another page (at least the first one; at most `pages` when known). */
export function withPage(search, page, pages = MAX_PAGE) {
  const s = normalise(search);
  const wanted = Math.trunc(Number(page) || 1);
  return { ...s, page: Math.min(Math.max(1, wanted), Math.max(1, pages)) };
}

/** Another number of lines a page: the page that holds the first line shown until now. */
export function withPageSize(search, size) {
  const s = normalise(search);
  const pageSize = integer(size, 1, MAX_PAGE_SIZE, s.page_size);
  const first = (s.page - 1) * s.page_size;
  return { ...s, page_size: pageSize, page: Math.floor(first / pageSize) + 1 };
}

/** True when the search asks something beyond the menu's *Formations* (criteria, block or column filter). */
export function hasCriteria(search) {
  const s = normalise(search);
  return (
    Object.keys(CRITERIA).some((name) => s[name]) ||
    Boolean(s.state || s.block) ||
    COLUMN_KEYS.some((key) => s.filters[key])
  );
}

// ------------------------------------------------------------------ checks before asking
/**
 * What the page can tell before asking the API (which checks everything again): the references.
 * @returns {{field: string, message: string}[]}
 */
export function criteriaProblems(search) {
  const s = normalise(search);
  const problems = [];
  if (s.ref) {
    const tokens = s.ref
      .split(";")
      .map((t) => t.trim())
      .filter(Boolean);
    const wrong = tokens.filter((t) => !/^[A-Za-z]?[0-9*]+$/.test(t) || !/[0-9]/.test(t));
    const other = s.ref_type === "F" ? "S" : "F";
    const otherKind = tokens.filter((t) => t[0] && t[0].toUpperCase() === other);
    const letters = tokens.filter((t) => /^[A-Za-z]/.test(t) && !/^[FSfs]/.test(t));
    if (!tokens.length) {
      problems.push({ field: "ref", message: "Saisissez au moins un numéro, par exemple F0000001 ou *28." });
    } else if (wrong.length || letters.length) {
      const shown = [...new Set([...wrong, ...letters])].slice(0, 3).join(", ");
      problems.push({
        field: "ref",
        message:
          `Numéro non reconnu : ${shown}. Saisissez des chiffres, avec la lettre F ou S si vous voulez, et * pour ` +
          "remplacer des chiffres (par exemple *28) ; séparez plusieurs numéros par « ; ».",
      });
    } else if (otherKind.length) {
      const kind = REF_TYPES.find((t) => t.value === other);
      problems.push({
        field: "ref",
        message:
          `${otherKind[0].toUpperCase()} est un numéro de ${kind.noun} : choisissez « ${kind.label} » ` +
          "ou retirez la lettre.",
      });
    } else if (tokens.length > MAX_REFS) {
      problems.push({ field: "ref", message: `Saisissez au plus ${MAX_REFS} numéros à la fois.` });
    }
  }
  return problems;
}

// ------------------------------------------------------------------ words
export function stateOf(value) {
  return STATES.find((s) => s.value === value) || null;
}

export function stateLabel(value, fallback = "") {
  return stateOf(value)?.label || fallback || String(value || "");
}

export function blockLabel(key) {
  return BLOCKS.find((b) => b.key === key)?.label || "";
}

export function columnLabel(key) {
  return COLUMNS.find((c) => c.key === key)?.label || "";
}

/** aria-sort of a column's header: "ascending" / "descending" on the sorted column, null elsewhere. */
export function ariaSort(search, column) {
  const s = normalise(search);
  if (s.sort !== column) return null;
  return s.order === "desc" ? "descending" : "ascending";
}

/** "Trié par intitulé, ordre décroissant." */
export function sortText(search) {
  const s = normalise(search);
  return `Trié par ${columnLabel(s.sort).toLowerCase()}, ordre ${s.order === "desc" ? "décroissant" : "croissant"}.`;
}

export function pageCount(total, pageSize = DEFAULT_PAGE_SIZE) {
  return Math.max(1, Math.ceil((Number(total) || 0) / (Number(pageSize) || DEFAULT_PAGE_SIZE)));
}

const plural = (count, one, many) => `${count} ${count > 1 ? many : one}`;

/**
 * The counts of the results: "2 formations, 3 sessions". The API counts lines (one per session, one for a
 * formation without a published session): they are called sessions when it says how many sessions there are
 * (`sessions`), lines otherwise.
 */
export function countText({ formations = 0, total = 0, sessions } = {}) {
  const f = Number(formations) || 0;
  if (!f) return "Aucune formation";
  const count = Number(total) || 0;
  const lines =
    typeof sessions === "number" ? plural(sessions, "session", "sessions") : plural(count, "ligne", "lignes");
  return `${plural(f, "formation", "formations")}, ${lines}`;
}

/** "Page 2 sur 5". */
export function pageText(search, total) {
  const s = normalise(search);
  return `Page ${s.page} sur ${pageCount(total, s.page_size)}`;
}

/** What was searched, in words ("" for the menu's search): "intitulé « boulanger », ville « Cherbourg »". */
export function describe(search) {
  const s = normalise(search);
  const parts = [];
  if (s.block) parts.push(`bloc « ${blockLabel(s.block)} »`);
  if (s.q) parts.push(`recherche rapide « ${s.q} »`);
  if (s.ref) parts.push(`référence ${s.ref_type} « ${s.ref} »`);
  if (s.title) parts.push(`intitulé « ${s.title} »`);
  if (s.mesure) parts.push(`mesure « ${s.mesure} »`);
  if (s.marche) parts.push(`marché « ${s.marche} »`);
  if (s.city) parts.push(`ville « ${s.city} »`);
  if (s.state) parts.push(`état « ${stateLabel(s.state)} »`);
  for (const key of COLUMN_KEYS) {
    if (s.filters[key]) parts.push(`colonne ${columnLabel(key).toLowerCase()} contenant « ${s.filters[key]} »`);
  }
  return parts.join(", ");
}

/** "2026-09-01" → "01/09/2026"; "" when none. */
export function dayText(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(day || ""));
  return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
}

/**
 * The measures for the *Mesure* typeahead, from GET /referentials/financements: one entry a label (sorted the
 * French way), with the financers that offer it ("Qualif collectif" — "Conseil régional").
 * @returns {{label: string, financers: string}[]}
 */
export function measureChoices(referential) {
  const byLabel = new Map();
  for (const financer of referential?.financers || []) {
    for (const measure of financer.measures || []) {
      const label = clean(measure.label || measure.code);
      if (!label) continue;
      const key = label.toLocaleLowerCase("fr");
      if (!byLabel.has(key)) byLabel.set(key, { label, financers: [] });
      const entry = byLabel.get(key);
      if (financer.label && !entry.financers.includes(financer.label)) entry.financers.push(financer.label);
    }
  }
  return [...byLabel.values()]
    .map((e) => ({ label: e.label, financers: e.financers.join(", ") }))
    .sort((a, b) => a.label.localeCompare(b.label, "fr", { sensitivity: "base" }));
}
