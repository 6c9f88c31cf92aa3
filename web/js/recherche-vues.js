// What the formation search shows (recherche-page.js wires it): the criteria form of the guide (*Recherche
// rapide*, *Référence* F or S, *Intitulé*, *Mesure* with its typeahead, *Numéro de marché*, *Ville*, *État*,
// *Rechercher* and the cross that resets), the dashboard's block as a removable filter, the results table
// (caption with its counts, headers that sort, a row of column filters, the state in words and colour, a
// box per line for the export), the selection's line and the pages.
// The table is built once and updated, so that a column filter or a sort button keeps the focus.

import { h, fill } from "./dom.js";
import {
  ariaSort,
  blockLabel,
  COLUMNS,
  countText,
  CRITERIA,
  dayText,
  FILTER_MAX,
  hasCriteria,
  MAX_PAGE_SIZE,
  normalise,
  PAGE_SIZES,
  pageCount,
  REF_TYPES,
  STATES,
  stateOf,
} from "./recherche-criteres.js";
import { isSelected, isTrainerLine, pageSelection, selectionText } from "./recherche-etat.js";

// ------------------------------------------------------------------ the criteria form
function help(id, text) {
  return h("p", { class: "champ__aide", id }, text);
}

function errorLine(id) {
  return h("p", { class: "champ__erreur", id, hidden: true });
}

function textField(name, label, { helpText, type = "text", list } = {}) {
  const id = `recherche-${name}`;
  const input = h("input", {
    class: "champ__saisie",
    type,
    id,
    name,
    maxlength: String(CRITERIA[name]?.max || 200),
    autocomplete: "off",
    spellcheck: "false",
    list,
    "aria-describedby": helpText ? `${id}-aide` : null,
  });
  const box = h(
    "div",
    { class: "champ" },
    h("label", { class: "champ__libelle", for: id }, label),
    helpText ? help(`${id}-aide`, helpText) : null,
    errorLine(`${id}-erreur`),
    input,
  );
  return { box, input, error: box.querySelector(".champ__erreur") };
}

function refField() {
  const radios = REF_TYPES.map((type) => {
    const id = `recherche-ref-type-${type.value.toLowerCase()}`;
    const input = h("input", { type: "radio", name: "ref_type", id, value: type.value, checked: type.value === "F" });
    return { input, box: h("div", { class: "case" }, input, h("label", { for: id }, type.label)) };
  });
  const numbers = textField("ref", "Numéro(s)", {
    helpText:
      "Numéro complet (par exemple F0000001) ou avec * à la place de chiffres (*28 : tous les numéros contenant 28). " +
      "Plusieurs numéros : séparez-les par « ; ».",
  });
  const box = h(
    "fieldset",
    { class: "groupe groupe--reference" },
    h("legend", { class: "champ__libelle" }, "Référence"),
    h("div", { class: "oui-non groupe--reference__type" }, radios.map((r) => r.box)),
    numbers.box,
  );
  return { box, input: numbers.input, error: numbers.error, radios: radios.map((r) => r.input) };
}

function stateField() {
  const id = "recherche-state";
  const select = h(
    "select",
    { class: "champ__saisie", id, name: "state" },
    h("option", { value: "" }, "Tous les états"),
    STATES.map((s) => h("option", { value: s.value }, s.label)),
  );
  const box = h(
    "div",
    { class: "champ" },
    h("label", { class: "champ__libelle", for: id }, "État"),
    errorLine(`${id}-erreur`),
    select,
  );
  return { box, input: select, error: box.querySelector(".champ__erreur") };
}

/**
 * The guide's criteria form.
 * @returns {{form: HTMLFormElement, fields: Record<string, {input: HTMLElement, error: HTMLElement, label: string, focus?: HTMLElement}>,
 *   read: () => object, show: (search: object) => void, measures: HTMLDataListElement, submit: HTMLButtonElement,
 *   reset: HTMLButtonElement}}
 */
export function criteriaForm({ label = "Rechercher des formations" } = {}) {
  const q = textField("q", "Recherche rapide", {
    type: "search",
    helpText: "Un mot de l'intitulé de la formation, ou sa référence.",
  });
  const ref = refField();
  const title = textField("title", "Intitulé", {
    helpText:
      "Un mot entier, ou le libellé exact de la formation (pas de troncature : « boul » ne trouve pas « boulanger »).",
  });
  const measures = h("datalist", { id: "recherche-mesures" });
  const mesure = textField("mesure", "Mesure", {
    list: "recherche-mesures",
    helpText: "Le dispositif de financement : choisissez dans la liste ou tapez quelques lettres.",
  });
  mesure.box.append(measures);
  const marche = textField("marche", "Numéro de marché", { helpText: "Le numéro d'un marché de la Région." });
  const city = textField("city", "Ville", { helpText: "Une ville d'un lieu de formation des sessions." });
  const state = stateField();
  const submit = h("button", { type: "submit", class: "bouton bouton--principal", id: "rechercher" }, "Rechercher");
  const reset = h(
    "button",
    { type: "button", class: "bouton bouton--secondaire bouton--croix", id: "reinitialiser" },
    h("span", { class: "bouton--croix__signe", "aria-hidden": "true" }, "✕"),
    "Réinitialiser",
    h("span", { class: "visuellement-cache" }, " la recherche"),
  );
  const form = h(
    "form",
    { class: "formulaire filtres filtres--formations", id: "recherche", role: "search", "aria-label": label, novalidate: true },
    h(
      "div",
      { class: "filtres__champs" },
      q.box,
      ref.box,
      title.box,
      mesure.box,
      marche.box,
      city.box,
      state.box,
    ),
    h("div", { class: "actions filtres__actions" }, submit, reset),
  );
  const fields = {
    q: { ...q, label: "Recherche rapide" },
    ref: { input: ref.input, error: ref.error, label: "Référence" },
    ref_type: { input: ref.radios[0], error: ref.error, label: "Type de référence" },
    title: { ...title, label: "Intitulé" },
    mesure: { ...mesure, label: "Mesure" },
    marche: { ...marche, label: "Numéro de marché" },
    city: { ...city, label: "Ville" },
    state: { ...state, label: "État" },
  };
  return {
    form,
    fields,
    measures,
    submit,
    reset,
    read() {
      return {
        q: q.input.value,
        ref: ref.input.value,
        ref_type: ref.radios.find((r) => r.checked)?.value || "F",
        title: title.input.value,
        mesure: mesure.input.value,
        marche: marche.input.value,
        city: city.input.value,
        state: state.input.value,
      };
    },
    show(search) {
      const s = normalise(search);
      q.input.value = s.q;
      ref.input.value = s.ref;
      for (const radio of ref.radios) radio.checked = radio.value === s.ref_type;
      title.input.value = s.title;
      mesure.input.value = s.mesure;
      marche.input.value = s.marche;
      city.input.value = s.city;
      state.input.value = s.state;
    },
  };
}

/** The measures' labels in the typeahead (measureChoices of recherche-criteres.js). */
export function fillMeasures(datalist, choices) {
  fill(
    datalist,
    choices.map((c) => h("option", { value: c.label, label: c.financers ? `${c.label} — ${c.financers}` : c.label })),
  );
}

// ------------------------------------------------------------------ the dashboard's block, removable
export function blockFilter(search, onRemove) {
  const s = normalise(search);
  if (!s.block) return null;
  const label = blockLabel(s.block);
  return h(
    "div",
    { class: "filtre-actif" },
    h("p", { class: "filtre-actif__texte" }, "Recherche pré-filtrée : ", h("strong", {}, label)),
    h(
      "button",
      { type: "button", class: "bouton bouton--secondaire bouton--petit bouton--croix", onclick: onRemove },
      h("span", { class: "bouton--croix__signe", "aria-hidden": "true" }, "✕"),
      "Retirer ce filtre",
      h("span", { class: "visuellement-cache" }, ` « ${label} »`),
    ),
  );
}

// ------------------------------------------------------------------ the results table
function stateBadge(line) {
  const state = stateOf(line.state);
  return h(
    "span",
    { class: `statut-formation statut-formation--${line.state}` },
    h("span", { class: "statut-formation__signe", "aria-hidden": "true" }, state?.mark || ""),
    line.state_label || state?.label || String(line.state || ""),
  );
}

function day(value) {
  const text = dayText(value);
  return text ? h("time", { datetime: value, class: "insecable" }, text) : h("span", { class: "cellule__detail" }, "—");
}

function sortIcon(direction) {
  if (direction === "ascending") return "▲";
  if (direction === "descending") return "▼";
  return "⇅";
}

/**
 * The results table, built once.
 * @param {{moderator?: boolean, onSort: (column: string) => void, onFilter: (column: string, value: string, now: boolean) => void,
 *   onToggle: (ref: string, on: boolean) => void, onTogglePage: (on: boolean) => void, emptyText?: string}} options
 */
export function resultsTable({ moderator = false, onSort, onFilter, onToggle, onTogglePage, emptyText }) {
  const columnCount = 1 + COLUMNS.length + (moderator ? 1 : 0);
  const caption = h("caption", { id: "legende-resultats" });
  const sortHeaders = new Map();
  const filters = {};
  const selectAll = h("input", {
    type: "checkbox",
    id: "selection-page",
    onchange: (event) => onTogglePage(event.currentTarget.checked),
  });

  const headerCells = [];
  const filterCells = [];
  for (const column of COLUMNS) {
    const icon = h("span", { class: "tri__signe", "aria-hidden": "true" }, sortIcon(null));
    const button = h(
      "button",
      { type: "button", class: "tri", "data-colonne": column.key, onclick: () => onSort(column.key) },
      column.label,
      icon,
    );
    const th = h("th", { scope: "col", class: `colonne--${column.key}` }, button);
    sortHeaders.set(column.key, { th, icon });
    headerCells.push(th);
    const id = `filtre-${column.key}`;
    const input = h("input", {
      class: "champ__saisie champ__saisie--filtre",
      type: "search",
      id,
      name: `filter_${column.key}`,
      maxlength: String(FILTER_MAX),
      autocomplete: "off",
      spellcheck: "false",
      oninput: (event) => onFilter(column.key, event.currentTarget.value, false),
      onkeydown: (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          onFilter(column.key, event.currentTarget.value, true);
        }
      },
    });
    filters[column.key] = input;
    filterCells.push(
      h(
        "td",
        {},
        h("label", { class: "visuellement-cache", for: id }, `Filtrer la colonne ${column.label}`),
        h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true }),
        input,
      ),
    );
    if (moderator && column.key === "title") {
      headerCells.push(h("th", { scope: "col", class: "colonne--structure" }, "Structure"));
      filterCells.push(h("td", {}));
    }
  }

  const tbody = h("tbody", {});
  const table = h(
    "table",
    { class: "tableau tableau--recherche", id: "resultats-formations" },
    caption,
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h(
          "th",
          { scope: "col", class: "colonne--selection" },
          h("label", { class: "visuellement-cache", for: "selection-page" }, "Sélectionner les formations de cette page pour l'export"),
          selectAll,
        ),
        headerCells,
      ),
      h("tr", { class: "ligne-filtres" }, h("td", {}), filterCells),
    ),
    tbody,
  );

  function row(line, index, state) {
    const id = `selection-${index}`;
    const trainer = isTrainerLine(line);
    return h(
      "tr",
      { "data-formation": line.ref, "data-session": line.session || null, class: trainer ? "ligne--formateur" : null },
      h(
        "td",
        { class: "colonne--selection" },
        h("input", {
          type: "checkbox",
          id,
          "data-selection": line.ref,
          checked: isSelected(state, line.ref),
          onchange: (event) => onToggle(line.ref, event.currentTarget.checked),
        }),
        h(
          "label",
          { class: "visuellement-cache", for: id },
          `Sélectionner la formation ${line.ref} pour l'export`,
          line.session ? ` (ligne de la session ${line.session})` : "",
        ),
      ),
      h(
        "th",
        { scope: "row", class: "insecable" },
        h(
          "a",
          { href: `/formation?ref=${encodeURIComponent(line.ref)}` },
          line.ref,
          h("span", { class: "visuellement-cache" }, ` : ${line.title}`),
        ),
      ),
      h(
        "td",
        {},
        h("span", { class: "cellule__titre" }, line.title),
        trainer
          ? h(
              "span",
              { class: "etiquette-role" },
              "Formateur",
              h("span", { class: "etiquette-role__detail" }, " — consultation seule"),
            )
          : null,
      ),
      moderator
        ? h(
            "td",
            {},
            h("span", { class: "cellule__principal" }, line.structure || "—"),
            line.siret ? h("span", { class: "cellule__detail insecable" }, `SIRET ${line.siret}`) : null,
          )
        : null,
      h("td", { class: "insecable" }, line.session || h("span", { class: "cellule__detail" }, "Aucune session")),
      h("td", {}, day(line.start)),
      h("td", {}, day(line.end)),
      h("td", {}, line.city || h("span", { class: "cellule__detail" }, "—")),
      h("td", {}, stateBadge(line)),
    );
  }

  function emptyRow(state) {
    const total = state.result?.total || 0;
    let text;
    if (total) text = "Cette page est vide : revenez à la première page.";
    else if (hasCriteria(state.search))
      text =
        "Aucune formation ne correspond à votre recherche. Modifiez vos critères, ou cliquez sur « Réinitialiser » " +
        "pour retrouver toutes les formations.";
    else text = emptyText || "Aucune formation n'est encore enregistrée.";
    return h("tr", {}, h("td", { colspan: String(columnCount), class: "cellule--vide" }, text));
  }

  return {
    element: table,
    filters,
    /** The column filters as the search has them (a reload, the back button, the cross). */
    showFilters(search) {
      const s = normalise(search);
      for (const [key, input] of Object.entries(filters)) {
        if (input.value !== s.filters[key]) input.value = s.filters[key];
      }
    },
    update(state) {
      const result = state.result || { items: [], total: 0, formations: 0 };
      const pages = pageCount(result.total, state.search.page_size);
      fill(
        caption,
        `Formations trouvées : ${countText(result)}`,
        pages > 1 ? ` — page ${state.search.page} sur ${pages}` : "",
      );
      for (const [key, { th, icon }] of sortHeaders) {
        const direction = ariaSort(state.search, key);
        if (direction) th.setAttribute("aria-sort", direction);
        else th.removeAttribute("aria-sort");
        icon.textContent = sortIcon(direction);
      }
      fill(tbody, result.items.length ? result.items.map((line, i) => row(line, i, state)) : emptyRow(state));
      const ticked = pageSelection(state);
      selectAll.checked = ticked === "all";
      selectAll.indeterminate = ticked === "some";
      selectAll.disabled = !result.items.length;
    },
    /** The boxes of the lines as the selection has them (after a tick: the formation's other lines follow). */
    showSelection(state) {
      for (const box of tbody.querySelectorAll("input[data-selection]")) {
        box.checked = isSelected(state, box.dataset.selection);
      }
      const ticked = pageSelection(state);
      selectAll.checked = ticked === "all";
      selectAll.indeterminate = ticked === "some";
    },
    setBusy(busy) {
      if (busy) table.setAttribute("aria-busy", "true");
      else table.removeAttribute("aria-busy");
    },
  };
}

// ------------------------------------------------------------------ the selection and the pages
export function selectionLine(state, onClear) {
  return h(
    "div",
    { class: "selection-export" },
    h("p", { class: "selection-export__texte", id: "selection-export" }, selectionText(state)),
    state.selection.length
      ? h("button", { type: "button", class: "bouton bouton--lien", onclick: onClear }, "Vider la sélection")
      : null,
  );
}

/**
 * Précédent / Suivant, "Page X sur Y" and the number of lines a page.
 * @param {{hrefOf: (page: number) => string, onPage: (page: number) => void, onPageSize: (size: number) => void}} handlers
 */
export function pager(state, { hrefOf, onPage, onPageSize }) {
  const result = state.result;
  if (!result || !result.total) return null;
  const { page, page_size: size } = state.search;
  const pages = pageCount(result.total, size);
  const link = (target, label, rel) =>
    h(
      "a",
      {
        href: hrefOf(target),
        class: "bouton bouton--secondaire",
        rel,
        onclick: (event) => {
          event.preventDefault();
          onPage(target);
        },
      },
      label,
      h("span", { class: "visuellement-cache" }, ` (page ${target})`),
    );
  const sizes = [...new Set([...PAGE_SIZES, size])].filter((n) => n <= MAX_PAGE_SIZE).sort((a, b) => a - b);
  const select = h(
    "select",
    {
      class: "champ__saisie champ__saisie--court",
      id: "taille-page",
      name: "page_size",
      onchange: (event) => onPageSize(Number(event.currentTarget.value)),
    },
    sizes.map((n) => h("option", { value: String(n), selected: n === size }, String(n))),
  );
  return h(
    "div",
    { class: "pages-recherche" },
    h(
      "nav",
      { class: "pagination", "aria-label": "Pages de résultats" },
      page > 1 ? link(page - 1, "Précédent", "prev") : null,
      h("p", { class: "pagination__position" }, `Page ${page} sur ${pages}`),
      page < pages ? link(page + 1, "Suivant", "next") : null,
    ),
    h(
      "div",
      { class: "champ champ--compact champ--taille-page" },
      h("label", { class: "champ__libelle", for: "taille-page" }, "Lignes par page"),
      select,
    ),
  );
}
