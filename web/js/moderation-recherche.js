// Moderators: the region's structures (/moderation/recherche-structures), searched by name words, SIRET,
// SIREN or NDA, city, department and Qualiopi (GET /moderation/structures), 20 a page. The criteria and the
// page live in the address, so that back / forward and a reload show the same results.

import { api } from "./api.js";
import { h, fill, formatSiret, scrollingTable } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import {
  DEPARTMENTS,
  OTHER,
  PAGE_SIZE,
  apiPath,
  countText,
  criteriaFromQuery,
  departmentProblem,
  describe,
  emptyCriteria,
  pageCount,
  queryOf,
} from "./moderation-criteres.js";
import { announce, clearError, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const form = document.getElementById("recherche");
const qInput = document.getElementById("recherche-q");
const cityInput = document.getElementById("recherche-ville");
const departmentSelect = document.getElementById("recherche-departement");
const otherField = document.getElementById("champ-autre-departement");
const otherInput = document.getElementById("recherche-autre-departement");
const qualiopiSelect = document.getElementById("recherche-qualiopi");
const searchButton = document.getElementById("rechercher");
const area = document.getElementById("resultats");
const alertZone = document.querySelector('[data-shell="alert"]');

for (const d of DEPARTMENTS) departmentSelect.append(h("option", { value: d.value }, d.label));
departmentSelect.append(h("option", { value: OTHER }, "Autre département (hors région)"));

const field = (input, label) => ({ input, error: document.getElementById(`${input.id}-erreur`), label });
const errors = new FormErrors({
  zone: alertZone,
  fields: {
    q: field(qInput, "Nom, SIRET, SIREN ou NDA"),
    city: field(cityInput, "Ville"),
    department: field(otherInput, "Numéro du département"),
    qualiopi: field(qualiopiSelect, "Qualiopi"),
  },
  heading: "La recherche n'a pas pu être faite",
  title: TITLE,
});

function criteriaFromForm() {
  return {
    q: qInput.value,
    city: cityInput.value,
    department: departmentSelect.value,
    other: otherInput.value,
    qualiopi: qualiopiSelect.value,
    page: 1,
  };
}

function showCriteria(criteria) {
  qInput.value = criteria.q;
  cityInput.value = criteria.city;
  departmentSelect.value = criteria.department;
  otherInput.value = criteria.other;
  qualiopiSelect.value = criteria.qualiopi;
  otherField.hidden = criteria.department !== OTHER;
}

departmentSelect.addEventListener("change", () => {
  otherField.hidden = departmentSelect.value !== OTHER;
  if (!otherField.hidden) otherInput.focus();
});

// ------------------------------------------------------------------ the results
function structureRow(item) {
  return h(
    "tr",
    {},
    h(
      "th",
      { scope: "row" },
      h("a", { href: `/moderation/structure?siret=${encodeURIComponent(item.siret)}`, class: "cellule__principal" }, item.name),
      item.parent_siret ? h("span", { class: "cellule__detail" }, "Rattachée à un siège") : null,
    ),
    h("td", {}, h("span", { class: "insecable" }, formatSiret(item.siret))),
    h("td", {}, item.nda ? h("span", { class: "insecable" }, item.nda) : "—"),
    h("td", {}, [item.postal_code, item.city].filter(Boolean).join(" ") || "—"),
    h("td", {}, item.department && item.department !== "autres" ? item.department : "—"),
    h("td", {}, item.qualiopi ? "Oui" : "Non"),
  );
}

function pager(criteria, result) {
  const pages = pageCount(result.total, result.page_size || PAGE_SIZE);
  if (pages <= 1) return null;
  const link = (page, label, rel) =>
    h(
      "a",
      {
        href: `${window.location.pathname}${queryOf({ ...criteria, page })}`,
        class: "bouton bouton--secondaire",
        rel,
        onclick: (event) => {
          event.preventDefault();
          go({ ...criteria, page }, { push: true, focusResults: true });
        },
      },
      label,
    );
  return h(
    "nav",
    { class: "pagination", "aria-label": "Pages de résultats" },
    criteria.page > 1 ? link(criteria.page - 1, "Page précédente", "prev") : null,
    h("p", { class: "pagination__position" }, `Page ${criteria.page} sur ${pages}`),
    criteria.page < pages ? link(criteria.page + 1, "Page suivante", "next") : null,
  );
}

function summary(criteria, result) {
  const filtered = describe(criteria);
  const count = countText(result.total);
  return filtered ? `${count} (${filtered})` : count;
}

function render(criteria, result) {
  const items = Array.isArray(result.items) ? result.items : [];
  const heading = h("h2", { id: "titre-resultats", tabindex: "-1" }, summary(criteria, result));
  if (!items.length) {
    fill(
      area,
      heading,
      h(
        "p",
        { class: "vide" },
        result.total ? "Cette page est vide : revenez à la première page." : "Aucune structure ne correspond à ces critères.",
      ),
      result.total ? pager({ ...criteria }, result) : null,
    );
    return;
  }
  const pages = pageCount(result.total, result.page_size || PAGE_SIZE);
  fill(
    area,
    heading,
    scrollingTable(
      "legende-structures",
      h(
        "table",
        { class: "tableau" },
        h(
          "caption",
          { id: "legende-structures" },
          pages > 1 ? `Structures trouvées, page ${criteria.page} sur ${pages}` : "Structures trouvées",
        ),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Nom", "SIRET", "NDA", "Ville", "Département", "Qualiopi"].map((label) => h("th", { scope: "col" }, label)),
          ),
        ),
        h("tbody", {}, items.map(structureRow)),
      ),
    ),
    pager(criteria, result),
  );
}

// ------------------------------------------------------------------ loading
let loading = 0;

async function load(criteria, { speak = false, focusResults = false } = {}) {
  const ticket = ++loading;
  errors.clear();
  searchButton.disabled = true;
  setStatus("Recherche en cours…");
  try {
    const result = await api(apiPath(criteria));
    if (ticket !== loading) return;
    clearError();
    render(criteria, result);
    setStatus("");
    if (speak) {
      const pages = pageCount(result.total, result.page_size || PAGE_SIZE);
      announce(`${countText(result.total)} trouvée${result.total > 1 ? "s" : ""}${pages > 1 ? `, page ${criteria.page} sur ${pages}` : ""}.`);
    }
    if (focusResults) document.getElementById("titre-resultats")?.focus();
  } catch (error) {
    if (ticket !== loading) return;
    setStatus("");
    area.replaceChildren();
    if (error.redirecting) return;
    const fields = fieldsOf(error).map((f) => ({ ...f, field: f.field.replace(/^query\./, "") }));
    if (error.status === 422 && fields.some((f) => errors.fields[f.field])) errors.show(error.message, fields);
    else showError(error, { retry: true });
  } finally {
    if (ticket === loading) searchButton.disabled = false;
  }
}

/** Shows `criteria`'s results; `push`: a new entry in the browser's history (back comes here). */
function go(criteria, { push = false, focusResults = false } = {}) {
  const url = `${window.location.pathname}${queryOf(criteria)}`;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
  document.title = TITLE;
  return load(criteria, { speak: true, focusResults });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const criteria = criteriaFromForm();
  const problem = departmentProblem(criteria);
  if (problem) {
    errors.clear();
    errors.show("Corrigez le critère signalé, puis relancez la recherche.", [{ field: "department", message: problem }]);
    return;
  }
  go(criteria, { push: queryOf(criteria) !== window.location.search });
});

document.getElementById("effacer").addEventListener("click", () => {
  const criteria = emptyCriteria();
  showCriteria(criteria);
  go(criteria, { push: window.location.search !== "" });
  qInput.focus();
});

window.addEventListener("popstate", () => {
  const criteria = criteriaFromQuery(window.location.search);
  showCriteria(criteria);
  load(criteria, { speak: true });
});

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "structures" });
  const criteria = criteriaFromQuery(window.location.search);
  showCriteria(criteria);
  await load(criteria);
} catch {
  // mountShell has shown the error in the alert region
}
