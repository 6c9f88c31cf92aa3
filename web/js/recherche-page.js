// The formation search of a page, wired: the criteria form, the dashboard's block, the results table, the
// selection for the export and the pages, for a structure space (GET /structures/{siret}/formations, the OF's
// /formations) or for every structure (GET /moderation/formations, the Carif-Oref's
// /moderation/recherche-formations). The search lives in the page's address: a new search, a sort, a page is
// a new entry of the browser's history (the back button comes back to it); typing in a column filter
// replaces the current entry. The selection lives in the tab's storage, one per structure space.

import { api } from "./api.js";
import { h, fill, scrollingTable } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import {
  apiPath,
  columnLabel,
  countText,
  criteriaProblems,
  measureChoices,
  normalise,
  pageCount,
  queryOf,
  resetCriteria,
  searchFromQuery,
  toggleSort,
  withCriteria,
  withFilter,
  withoutBlock,
  withPage,
  withPageSize,
  sortText,
} from "./recherche-criteres.js";
import {
  clearSelection,
  createState,
  received,
  searching,
  selectionFromText,
  selectionToText,
  selectPage,
  toggleSelection,
} from "./recherche-etat.js";
import { blockFilter, criteriaForm, fillMeasures, pager, resultsTable, selectionLine } from "./recherche-vues.js";
import { announce, clearError, setStatus, showError } from "./shell.js";

const FILTER_DELAY_MS = 400;
const SELECTION_KEY = "ofeli.recherche.selection";

function readStorage(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key, value) {
  try {
    window.sessionStorage.setItem(key, value);
  } catch {
    // storage disabled: the selection lasts as long as the page
  }
}

let referential = null;

/** The measures' labels for the typeahead, once a page (the search works without them). */
function loadMeasures(datalist) {
  referential ||= api("/referentials/financements").catch(() => null);
  referential.then((data) => {
    if (data) fillMeasures(datalist, measureChoices(data));
  });
}

/**
 * Builds the search in `root` and returns its controller.
 * @param {{root: HTMLElement, moderator?: boolean, emptyText?: string, formLabel?: string, tools?: HTMLElement}} options
 *   tools: shown at the right of the results' title (the OF's *Exporter* and bell)
 */
export function searchPage({ root, moderator = false, emptyText, formLabel, tools = null }) {
  const title = document.title;
  const alertZone = document.querySelector('[data-shell="alert"]');
  const criteria = criteriaForm({ label: formLabel });
  const blockZone = h("div", { id: "bloc-actif" });
  const selectionZone = h("div", {});
  const pagerZone = h("div", {});
  const heading = h("h2", { id: "titre-resultats", tabindex: "-1" }, "Résultats");
  const sortNote = h("p", { class: "visuellement-cache", id: "tri-actuel" });

  let scope = null; // {siret} or {moderator: true}
  let state = createState(searchFromQuery(window.location.search));
  let ticket = 0;
  let filterTimer = null;

  const table = resultsTable({
    moderator,
    emptyText,
    onSort: (column) => go(toggleSort(state.search, column), { push: true, speak: "sort" }),
    onFilter: (column, value, now) => {
      window.clearTimeout(filterTimer);
      const run = () => {
        const next = withFilter(state.search, column, value);
        if (queryOf(next) !== queryOf(state.search)) go(next, { push: false });
      };
      if (now) run();
      else filterTimer = window.setTimeout(run, FILTER_DELAY_MS);
    },
    onToggle: (ref, on) => select(toggleSelection(state, ref, on)),
    onTogglePage: (on) => select(selectPage(state, on)),
  });

  const fields = { ...criteria.fields };
  for (const [key, input] of Object.entries(table.filters)) {
    // the error line sits just before the filter, in its cell
    fields[`filter_${key}`] = { input, error: input.previousElementSibling, label: `Filtre de la colonne ${columnLabel(key)}` };
  }
  const errors = new FormErrors({ zone: alertZone, fields, heading: "La recherche n'a pas pu être faite", title });

  fill(
    root,
    criteria.form,
    blockZone,
    h(
      "section",
      { class: "resultats-recherche", "aria-labelledby": "titre-resultats" },
      tools ? h("div", { class: "resultats-recherche__entete" }, heading, tools) : heading,
      h(
        "p",
        { class: "aide-tableau" },
        "Cliquez sur l'intitulé d'une colonne pour trier (croissant, puis décroissant) ; saisissez un texte sous " +
          "l'intitulé pour ne garder que les lignes dont la colonne le contient. Une ligne par session.",
      ),
      sortNote,
      selectionZone,
      scrollingTable("legende-resultats", table.element),
      pagerZone,
    ),
  );
  loadMeasures(criteria.measures);

  // ---------------------------------------------------------------- showing
  function selectionStorageKey() {
    return `${SELECTION_KEY}.${scope?.siret || "moderation"}`;
  }

  function select(next) {
    state = next;
    writeStorage(selectionStorageKey(), selectionToText(state));
    table.showSelection(state);
    showSelectionLine();
  }

  function showSelectionLine() {
    const hadFocus = selectionZone.contains(document.activeElement);
    fill(
      selectionZone,
      selectionLine(state, () => {
        select(clearSelection(state));
        announce("Sélection vidée : aucune formation sélectionnée pour l'export.");
        heading.focus();
      }),
    );
    if (hadFocus) heading.focus();
  }

  function showBlock() {
    const hadFocus = blockZone.contains(document.activeElement);
    fill(
      blockZone,
      blockFilter(state.search, () => {
        go(withoutBlock(state.search), { push: true, focus: true });
      }),
    );
    if (hadFocus && !blockZone.firstChild) heading.focus();
  }

  function render() {
    showBlock();
    table.update(state);
    sortNote.textContent = sortText(state.search);
    showSelectionLine();
    const hadFocus = pagerZone.contains(document.activeElement) ? document.activeElement.id : null;
    fill(
      pagerZone,
      pager(state, {
        hrefOf: (page) => `${window.location.pathname}${queryOf(withPage(state.search, page))}`,
        onPage: (page) => go(withPage(state.search, page), { push: true, focus: true }),
        onPageSize: (size) => go(withPageSize(state.search, size), { push: true }),
      }),
    );
    if (hadFocus === "taille-page") document.getElementById("taille-page")?.focus();
  }

  function resultSentence() {
    const result = state.result;
    const found = result.formations ? `${countText(result)} trouvées` : "Aucune formation trouvée";
    const pages = pageCount(result.total, state.search.page_size);
    return `${found}${pages > 1 ? `, page ${state.search.page} sur ${pages}` : ""}.`;
  }

  // ---------------------------------------------------------------- asking
  async function load({ speak = false, focus = false } = {}) {
    if (!scope) return;
    const mine = ++ticket;
    const search = state.search;
    errors.clear();
    clearError();
    criteria.submit.disabled = true;
    table.setBusy(true);
    setStatus("Recherche en cours…");
    try {
      const data = await api(apiPath(search, scope));
      if (mine !== ticket) return;
      state = received(state, data);
      const pages = pageCount(state.result.total, search.page_size);
      if (!state.result.items.length && state.result.total && search.page > pages) {
        // a page beyond the last one (a bookmark, fewer results since): the last page instead
        state = searching(state, withPage(search, pages));
        window.history.replaceState(null, "", `${window.location.pathname}${queryOf(state.search)}`);
        return load({ speak, focus });
      }
      setStatus("");
      render();
      if (speak === "sort") announce(`${sortText(search)} ${resultSentence()}`);
      else if (speak) announce(resultSentence());
      if (focus) heading.focus();
    } catch (error) {
      if (mine !== ticket) return;
      setStatus("");
      if (error.redirecting) return;
      const problems = fieldsOf(error).map((f) => ({ ...f, field: String(f.field).replace(/^query\./, "") }));
      if (error.status === 422) errors.show(error.message, problems);
      else showError(error, { retry: true });
    } finally {
      if (mine === ticket) {
        criteria.submit.disabled = false;
        table.setBusy(false);
      }
    }
  }

  /** Shows `search`'s results; `push`: a new entry in the browser's history. */
  function go(search, { push = false, speak = true, focus = false } = {}) {
    const next = normalise(search);
    const url = `${window.location.pathname}${queryOf(next)}`;
    if (push && url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    state = searching(state, next);
    return load({ speak, focus });
  }

  // ---------------------------------------------------------------- the form
  criteria.form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(filterTimer);
    const next = withCriteria(state.search, criteria.read());
    const problems = criteriaProblems(next);
    if (problems.length) {
      errors.clear();
      errors.show("Corrigez le critère signalé, puis relancez la recherche.", problems);
      return;
    }
    criteria.show(next); // cleaned as it is asked
    go(next, { push: true });
  });

  criteria.reset.addEventListener("click", () => {
    window.clearTimeout(filterTimer);
    const next = resetCriteria(state.search);
    criteria.show(next);
    table.showFilters(next);
    go(next, { push: true, speak: false }).then(() => {
      if (state.result) announce(`Recherche réinitialisée. ${resultSentence()}`);
    });
    criteria.fields.q.input.focus();
  });

  window.addEventListener("popstate", () => {
    window.clearTimeout(filterTimer);
    state = searching(state, searchFromQuery(window.location.search));
    criteria.show(state.search);
    table.showFilters(state.search);
    load({ speak: true });
  });

  criteria.show(state.search);
  table.showFilters(state.search);

  return {
    /** The search's scope ({siret} of a structure space, or {moderator: true}), then its results. */
    setScope(next, { firstPage = false } = {}) {
      const changed = scope && (scope.siret || "") !== (next.siret || "");
      scope = next;
      const search = firstPage || changed ? withPage(state.search, 1) : state.search;
      state = createState(search, selectionFromText(readStorage(selectionStorageKey())));
      if (changed) window.history.replaceState(null, "", `${window.location.pathname}${queryOf(state.search)}`);
      return load({ speak: Boolean(changed) });
    },
    get state() {
      return state;
    },
  };
}
