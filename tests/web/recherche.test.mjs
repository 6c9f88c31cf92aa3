// The formation search's pure modules: its criteria in the address and in the API's query (round trips,
// defaults, cleaning), the cross, the sort's toggling, the first page again when the criteria change, the
// counts and words, and the page's state: the export's selection kept from page to page.
// Run by tests/unit/test_web_modules.py (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  apiPath,
  apiQuery,
  ariaSort,
  BLOCKS,
  blockLabel,
  countText,
  criteriaProblems,
  DEFAULT_PAGE_SIZE,
  dayFilterForApi,
  dayText,
  describe,
  emptySearch,
  hasCriteria,
  measureChoices,
  normalise,
  pageCount,
  pageText,
  queryOf,
  resetCriteria,
  sameSearch,
  searchFromQuery,
  sortText,
  stateLabel,
  toggleSort,
  withCriteria,
  withFilter,
  withoutBlock,
  withPage,
  withPageSize,
} from "../../web/js/recherche-criteres.js";
import {
  clearSelection,
  createState,
  isSelected,
  isTrainerLine,
  normaliseResult,
  otherSpace,
  pageRefs,
  pageSelection,
  received,
  searching,
  selectionFromText,
  selectionText,
  selectionToText,
  selectPage,
  toggleSelection,
} from "../../web/js/recherche-etat.js";

const SIRET = "81432712100012";

function line(ref, session, extra = {}) {
  return {
    ref,
    title: `Formation ${ref}`,
    session,
    start: "2026-09-01",
    end: "2027-06-30",
    city: "Cherbourg-en-Cotentin",
    state: "diffusee",
    state_label: "Diffusée",
    role: "responsable",
    siret: SIRET,
    structure: null,
    ...extra,
  };
}

function answer(items, { total = items.length, formations, page = 1, page_size = DEFAULT_PAGE_SIZE } = {}) {
  return { items, total, formations: formations ?? new Set(items.map((i) => i.ref)).size, page, page_size };
}

// ------------------------------------------------------------------ the address and the API's query
test("the menu's search: nothing in the address, the API asked by reference, 20 a page", () => {
  const search = emptySearch();
  assert.equal(queryOf(search), "");
  assert.equal(apiQuery(search), "sort=ref&order=asc&page=1&page_size=20");
  assert.equal(apiPath(search, { siret: SIRET }), `/structures/${SIRET}/formations?sort=ref&order=asc&page=1&page_size=20`);
  assert.equal(apiPath(search, { moderator: true }), "/moderation/formations?sort=ref&order=asc&page=1&page_size=20");
  assert.deepEqual(searchFromQuery(""), search);
  assert.equal(hasCriteria(search), false);
});

test("a dashboard's link opens its block's search", () => {
  for (const { key, label } of BLOCKS) {
    const search = searchFromQuery(`?block=${key}`);
    assert.equal(search.block, key);
    assert.equal(blockLabel(key), label);
    assert.equal(queryOf(search), `?block=${key}`);
    assert.match(apiQuery(search), new RegExp(`^block=${key}&sort=ref`));
  }
  assert.equal(searchFromQuery("?block=inconnu").block, "");
});

test("every part of a search goes to the address and comes back the same", () => {
  const search = normalise({
    q: "boulanger",
    ref: "F0000001;*28",
    ref_type: "S",
    title: "CAP boulanger",
    mesure: "Qualif collectif",
    marche: "2026-042",
    city: "Cherbourg",
    state: "diffusee",
    block: "fonds_publics",
    sort: "title",
    order: "desc",
    page: 3,
    page_size: 50,
    filters: { ref: "F00", title: "cap", session: "S1", start: "2026", end: "06/2027", city: "cherb", state: "diff" },
  });
  const query = queryOf(search);
  assert.deepEqual(searchFromQuery(query), search);
  assert.ok(sameSearch(searchFromQuery(query), search));
  const params = new URLSearchParams(apiQuery(search));
  assert.deepEqual(Object.fromEntries(params), {
    q: "boulanger",
    ref: "F0000001;*28",
    ref_type: "S",
    title: "CAP boulanger",
    mesure: "Qualif collectif",
    marche: "2026-042",
    city: "Cherbourg",
    state: "diffusee",
    block: "fonds_publics",
    filter_ref: "F00",
    filter_title: "cap",
    filter_session: "S1",
    filter_start: "2026",
    filter_end: "2027-06",
    filter_city: "cherb",
    filter_state: "diff",
    sort: "title",
    order: "desc",
    page: "3",
    page_size: "50",
  });
});

test("the guide's example: intitulé boulanger, ville Cherbourg", () => {
  const search = withCriteria(emptySearch(), { title: " boulanger ", city: "Cherbourg  " });
  assert.equal(queryOf(search), "?title=boulanger&city=Cherbourg");
  assert.equal(apiQuery(search), "title=boulanger&city=Cherbourg&sort=ref&order=asc&page=1&page_size=20");
  assert.equal(describe(search), "intitulé « boulanger », ville « Cherbourg »");
  assert.equal(hasCriteria(search), true);
});

test("what the address holds is checked: unknown values fall back to the defaults, texts are cleaned", () => {
  const search = searchFromQuery(
    "?ref_type=X&state=archivee&sort=structure&order=up&page=0&page_size=500&title=%20%20CAP%20%20%20boulanger%20&q=" +
      "x".repeat(300),
  );
  assert.equal(search.ref_type, "F");
  assert.equal(search.state, "");
  assert.equal(search.sort, "ref");
  assert.equal(search.order, "asc");
  assert.equal(search.page, 1);
  assert.equal(search.page_size, DEFAULT_PAGE_SIZE);
  assert.equal(search.title, "CAP boulanger");
  assert.equal(search.q.length, 200);
  assert.equal(searchFromQuery("?page=2.5").page, 1);
  assert.equal(searchFromQuery("?page=7&page_size=200").page_size, 200);
});

// ------------------------------------------------------------------ what the page does to a search
test("the cross resets the criteria, the block and the column filters; the sort and the page size stay", () => {
  const search = normalise({
    q: "cap",
    ref: "*28",
    ref_type: "S",
    title: "boulanger",
    mesure: "AIF",
    marche: "12",
    city: "Caen",
    state: "terminee",
    block: "diffusees",
    sort: "city",
    order: "desc",
    page: 4,
    page_size: 50,
    filters: { city: "caen" },
  });
  const reset = resetCriteria(search);
  assert.deepEqual(reset, { ...emptySearch(), sort: "city", order: "desc", page_size: 50 });
  assert.equal(queryOf(reset), "?sort=city&order=desc&page_size=50");
  assert.equal(hasCriteria(reset), false);
});

test("a header clicked sorts its column ascending, then descending, then ascending again", () => {
  let search = withPage(emptySearch(), 3);
  assert.equal(ariaSort(search, "ref"), "ascending");
  assert.equal(ariaSort(search, "title"), null);
  search = toggleSort(search, "title");
  assert.deepEqual([search.sort, search.order, search.page], ["title", "asc", 1]);
  assert.equal(ariaSort(search, "title"), "ascending");
  assert.equal(ariaSort(search, "ref"), null);
  search = toggleSort(search, "title");
  assert.deepEqual([search.sort, search.order], ["title", "desc"]);
  assert.equal(ariaSort(search, "title"), "descending");
  assert.equal(sortText(search), "Trié par intitulé, ordre décroissant.");
  assert.equal(queryOf(search), "?sort=title&order=desc");
  search = toggleSort(search, "title");
  assert.equal(search.order, "asc");
  search = toggleSort(withCriteria(search, {}), "city");
  assert.deepEqual([search.sort, search.order], ["city", "asc"]);
  assert.deepEqual(toggleSort(search, "inconnue"), search);
});

test("new criteria, a column filter, a block removed: back to the first page", () => {
  const onPage3 = withPage(normalise({ block: "diffusees", city: "Caen", filters: { title: "cap" } }), 3);
  assert.equal(onPage3.page, 3);

  const criteria = withCriteria(onPage3, { title: "boulanger", city: "Cherbourg" });
  assert.equal(criteria.page, 1);
  assert.equal(criteria.block, "diffusees", "the block stays with the form's criteria");
  assert.equal(criteria.filters.title, "cap", "the column filters stay with the form's criteria");

  const filtered = withFilter(onPage3, "city", "  cherb ");
  assert.equal(filtered.page, 1);
  assert.equal(filtered.filters.city, "cherb");
  assert.equal(filtered.city, "Caen");

  const unblocked = withoutBlock(onPage3);
  assert.equal(unblocked.page, 1);
  assert.equal(unblocked.block, "");
  assert.equal(unblocked.city, "Caen");
});

test("pages: bounded; a new page size keeps the first line shown in view", () => {
  const search = emptySearch();
  assert.equal(withPage(search, 0).page, 1);
  assert.equal(withPage(search, 9, 4).page, 4);
  assert.equal(withPage(search, "2").page, 2);
  const third = withPage(search, 3); // lines 41 to 60
  assert.equal(withPageSize(third, 50).page, 1); // line 41 is on page 1 of 50
  assert.equal(withPageSize(third, 10).page, 5); // line 41 is on page 5 of 10
  assert.equal(withPageSize(third, 10).page_size, 10);
  assert.equal(withPageSize(third, 1000).page_size, 20, "beyond the API's 200: unchanged");
  assert.equal(pageCount(0), 1);
  assert.equal(pageCount(41, 20), 3);
  assert.equal(pageText(third, 41), "Page 3 sur 3");
});

// ------------------------------------------------------------------ checks and words
test("references are checked before asking: digits, * and ; — and the letter of the kind chosen", () => {
  assert.deepEqual(criteriaProblems(normalise({ ref: "F0000001; *28 ;0000003" })), []);
  assert.deepEqual(criteriaProblems(normalise({ ref: "S0000002", ref_type: "S" })), []);
  const [wrong] = criteriaProblems(normalise({ ref: "boul*" }));
  assert.equal(wrong.field, "ref");
  assert.match(wrong.message, /Numéro non reconnu : boul\*/);
  const [kind] = criteriaProblems(normalise({ ref: "S0000002" }));
  assert.match(kind.message, /S0000002 est un numéro de session : choisissez « S \(session\) »/);
  const [onlyStars] = criteriaProblems(normalise({ ref: "**" }));
  assert.match(onlyStars.message, /Numéro non reconnu/);
  const [empty] = criteriaProblems(normalise({ ref: " ; ; " }));
  assert.match(empty.message, /au moins un numéro/);
  const many = Array.from({ length: 51 }, (_, i) => String(i + 1)).join(";");
  assert.match(criteriaProblems(normalise({ ref: many }))[0].message, /au plus 50 numéros/);
});

test("a date column's filter, written the French way, is sent as the API's ISO days", () => {
  assert.equal(dayFilterForApi("01/09/2026"), "2026-09-01");
  assert.equal(dayFilterForApi("1/9/2026"), "2026-09-01");
  assert.equal(dayFilterForApi("09/2026"), "2026-09");
  assert.equal(dayFilterForApi("01/09"), "09-01");
  assert.equal(dayFilterForApi("2026"), "2026");
  assert.equal(dayFilterForApi("2026-09"), "2026-09");
  const search = withFilter(emptySearch(), "start", "09/2026");
  assert.equal(queryOf(search), "?filter_start=09%2F2026", "the address keeps what was typed");
  assert.match(apiQuery(search), /filter_start=2026-09&/);
});

test("counts, states, days and the measures' typeahead", () => {
  assert.equal(countText({ formations: 0, total: 0 }), "Aucune formation");
  assert.equal(countText({ formations: 1, total: 1 }), "1 formation, 1 ligne");
  assert.equal(countText({ formations: 2, total: 3 }), "2 formations, 3 lignes");
  assert.equal(countText({ formations: 2, total: 3, sessions: 2 }), "2 formations, 2 sessions");
  assert.equal(stateLabel("en_attente"), "En attente de validation");
  assert.equal(stateLabel("autre", "Autre"), "Autre");
  assert.equal(dayText("2026-09-01"), "01/09/2026");
  assert.equal(dayText(null), "");
  const choices = measureChoices({
    financers: [
      { code: "2", label: "Conseil régional", measures: [{ code: "QUALIF_COLLECTIF", label: "Qualif collectif" }, { code: "AUTRE_DISPOSITIF", label: "AUTRE DISPOSITIF" }] },
      { code: "4", label: "France Travail", measures: [{ code: "AIF", label: "AIF" }, { code: "AUTRE", label: "Autre dispositif" }] },
    ],
  });
  assert.deepEqual(choices, [
    { label: "AIF", financers: "France Travail" },
    { label: "AUTRE DISPOSITIF", financers: "Conseil régional, France Travail" },
    { label: "Qualif collectif", financers: "Conseil régional" },
  ]);
  assert.deepEqual(measureChoices(null), []);
});

// ------------------------------------------------------------------ the page's state and the selection
test("the API's answer made safe: missing lists and counts read as empty", () => {
  assert.deepEqual(normaliseResult(null), { items: [], total: 0, formations: 0, page: 1, page_size: 1 });
  const result = normaliseResult({ items: [line("F0000001", "S0000002"), null, { title: "sans référence" }], total: 1 });
  assert.equal(result.items.length, 1);
  assert.equal(result.formations, 1);
  assert.equal(isTrainerLine(line("F0000003", "S0000009", { role: "formateur" })), true);
  assert.equal(isTrainerLine(line("F0000001", null)), false);
});

test("the formations ticked for the export are kept from page to page", () => {
  let state = createState(emptySearch());
  state = received(state, answer([line("F0000001", "S0000001"), line("F0000001", "S0000002"), line("F0000002", null)], { total: 25, formations: 21 }));
  assert.deepEqual(pageRefs(state), ["F0000001", "F0000002"]);
  assert.equal(pageSelection(state), "none");

  state = toggleSelection(state, "F0000001", true);
  assert.ok(isSelected(state, "F0000001"), "every line of the formation follows");
  assert.equal(pageSelection(state), "some");
  assert.equal(selectionText(state), "1 formation sélectionnée pour l'export.");

  // page 2: another answer, the selection stays
  state = searching(state, withPage(state.search, 2));
  state = received(state, answer([line("F0000020", "S0000040"), line("F0000021", null)], { total: 25, formations: 21, page: 2 }));
  assert.ok(isSelected(state, "F0000001"));
  assert.equal(pageSelection(state), "none");
  state = selectPage(state, true);
  assert.equal(pageSelection(state), "all");
  assert.deepEqual(state.selection, ["F0000001", "F0000020", "F0000021"]);
  assert.equal(selectionText(state), "3 formations sélectionnées pour l'export (sur l'ensemble des pages).");

  // a sort and new criteria keep it too; unticking the page leaves the other pages' ticks
  state = searching(state, toggleSort(state.search, "title"));
  state = searching(state, withCriteria(state.search, { city: "Caen" }));
  assert.equal(state.selection.length, 3);
  state = selectPage(state, false);
  assert.deepEqual(state.selection, ["F0000001"]);
  state = toggleSelection(state, "F0000001");
  assert.deepEqual(state.selection, []);
  assert.match(selectionText(state), /^Aucune formation sélectionnée/);

  // kept in the tab's storage and read back; another structure space starts empty
  state = toggleSelection(toggleSelection(state, "F0000002", true), "F0000002", true);
  assert.deepEqual(state.selection, ["F0000002"], "ticked twice: once");
  const stored = selectionToText(state);
  assert.deepEqual(createState(emptySearch(), selectionFromText(stored)).selection, ["F0000002"]);
  assert.deepEqual(selectionFromText("not json"), []);
  assert.deepEqual(selectionFromText('[1, "F0000003", "F0000003", null]'), ["F0000003"]);
  assert.deepEqual(otherSpace(state).selection, []);
  assert.deepEqual(clearSelection(state).selection, []);
});
