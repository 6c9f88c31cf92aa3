// The state of the formation search page: the search asked (recherche-criteres.js), the page of results the
// API answered, and the formations ticked for the export (by reference), kept from page to page, through
// sorts and new criteria, until the user empties the selection or changes structure space.
// Every function returns a new state. No DOM: tested with node --test (tests/web/recherche.test.mjs).

import { normalise } from "./recherche-criteres.js";

/**
 * @typedef {{ref: string, title: string, session: string|null, start: string|null, end: string|null,
 *   city: string|null, state: string, state_label: string, role: "responsable"|"formateur", siret: string,
 *   structure: string|null}} Line
 * @typedef {{items: Line[], total: number, formations: number, sessions?: number, page: number, page_size: number}} Result
 * @typedef {{search: object, result: Result|null, selection: string[]}} State
 */

/** @returns {State} */
export function createState(search, selection = []) {
  return { search: normalise(search), result: null, selection: uniqueRefs(selection) };
}

function uniqueRefs(refs) {
  return [...new Set((Array.isArray(refs) ? refs : []).filter((r) => typeof r === "string" && r))];
}

/** The API's answer, made safe to show (missing counts and lists read as empty). */
export function normaliseResult(data) {
  const items = Array.isArray(data?.items) ? data.items.filter((i) => i && typeof i.ref === "string") : [];
  const total = Math.max(0, Number(data?.total) || 0);
  const result = {
    items,
    total,
    formations: Math.max(0, Number(data?.formations ?? new Set(items.map((i) => i.ref)).size) || 0),
    page: Math.max(1, Number(data?.page) || 1),
    page_size: Math.max(1, Number(data?.page_size) || items.length || 1),
  };
  if (typeof data?.sessions === "number") result.sessions = data.sessions;
  return result;
}

/** A new search asked (the results of the previous one stay until the answer comes). */
export function searching(state, search) {
  return { ...state, search: normalise(search) };
}

/** The answer of the API for the state's search. */
export function received(state, data) {
  return { ...state, result: normaliseResult(data) };
}

/** Another structure space: its own results and selection. */
export function otherSpace(state, search = state.search) {
  return createState(search);
}

// ------------------------------------------------------------------ the export's selection
export function isSelected(state, ref) {
  return state.selection.includes(ref);
}

/** Ticks (`on`) or unticks a formation: every line of it follows. */
export function toggleSelection(state, ref, on = !isSelected(state, ref)) {
  if (!ref) return state;
  const others = state.selection.filter((r) => r !== ref);
  return { ...state, selection: on ? [...others, ref] : others };
}

/** The distinct formations of the page shown. */
export function pageRefs(state) {
  return [...new Set((state.result?.items || []).map((i) => i.ref))];
}

/** Ticks or unticks every formation of the page shown (the other pages' ticks stay). */
export function selectPage(state, on) {
  const refs = pageRefs(state);
  const others = state.selection.filter((r) => !refs.includes(r));
  return { ...state, selection: on ? [...others, ...refs] : others };
}

/** "all", "some" or "none" of the page's formations ticked (the header's box: checked, mixed, unchecked). */
export function pageSelection(state) {
  const refs = pageRefs(state);
  const ticked = refs.filter((r) => state.selection.includes(r)).length;
  if (!refs.length || !ticked) return "none";
  return ticked === refs.length ? "all" : "some";
}

export function clearSelection(state) {
  return { ...state, selection: [] };
}

/** "Aucune formation sélectionnée pour l'export", "1 formation sélectionnée…", "3 formations sélectionnées…". */
export function selectionText(state) {
  const count = state.selection.length;
  if (!count) return "Aucune formation sélectionnée pour l'export : l'export portera sur toutes les formations.";
  return count > 1
    ? `${count} formations sélectionnées pour l'export (sur l'ensemble des pages).`
    : "1 formation sélectionnée pour l'export.";
}

/** The selection as kept in the tab's storage, and read back (anything unreadable: nothing ticked). */
export function selectionToText(state) {
  return JSON.stringify(state.selection);
}

export function selectionFromText(text) {
  try {
    return uniqueRefs(JSON.parse(String(text || "[]")));
  } catch {
    return [];
  }
}

// ------------------------------------------------------------------ lines
/** True for a line of a formation the space only trains sessions of (read-only for it). */
export function isTrainerLine(line) {
  return line?.role === "formateur";
}
