// Moderators: France Compétences' certification referential (/moderation/certifications). The import of an
// export (the CSV zip, or an XML file) runs as the list of training organisations' does (import-suivi.js:
// POST /moderation/certification-imports, presigned upload, …/{id}/start, then GET …/{id} until done);
// below it, a search over what is loaded (GET /certifications, the same search as the formations' dialog).

import { api } from "./api.js";
import { foundText, pageCount, searchPath, shortDate, successorText } from "./certifications.js";
import { h, fill, scrollingTable } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { importFollower, remember, rememberedImport, sendFile } from "./import-suivi.js";
import { sizeText } from "./ma-structure-vues.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const IMPORTS = "/moderation/certification-imports";
const MAX_BYTES = 500 * 1024 * 1024;
const RESULTS_PER_PAGE = 20;
const TITLE = document.title;

const form = document.getElementById("formulaire-import");
const dateInput = document.getElementById("date-export");
const fileInput = document.getElementById("fichier-export");
const browse = document.getElementById("parcourir-export");
const chosen = document.getElementById("fichier-choisi");
const send = document.getElementById("importer");
const follow = document.getElementById("suivi");
const followTitle = document.getElementById("titre-suivi");
const searchForm = document.getElementById("recherche");
const qInput = document.getElementById("recherche-q");
const searchButton = document.getElementById("rechercher");
const resultsState = document.getElementById("resultats-etat");
const results = document.getElementById("resultats");

const errors = new FormErrors({
  zone: document.getElementById("import-erreur"),
  fields: {
    list_date: { input: dateInput, error: document.getElementById("date-export-erreur"), label: "Date de l'export" },
    filename: { input: browse, error: document.getElementById("fichier-export-erreur"), label: "Fichier de l'export", noInvalid: true },
    file: { input: browse, error: document.getElementById("fichier-export-erreur"), label: "Fichier de l'export", noInvalid: true },
  },
  heading: "Le référentiel n'est pas importé",
  title: TITLE,
});

const COUNTS = [
  ["read", "Fiches lues"],
  ["created", "Certifications nouvelles"],
  ["changed", "Certifications modifiées"],
  ["unchanged", "Certifications inchangées"],
  ["rejected", "Entrées refusées"],
  ["structures_updated", "Structures dont les habilitations ont changé"],
];

function chosenFile() {
  return fileInput.files && fileInput.files.length ? fileInput.files[0] : null;
}

function fileProblem(file) {
  if (!file) return "Choisissez d'abord le fichier de l'export de France Compétences.";
  if (!/\.(zip|xml)$/i.test(file.name)) {
    return `Le fichier « ${file.name} » n'est ni une archive zip (.zip) ni un fichier XML (.xml).`;
  }
  if (file.size === 0) return `Le fichier « ${file.name} » est vide.`;
  if (file.size > MAX_BYTES) return `Le fichier « ${file.name} » dépasse 500 Mo (il pèse ${sizeText(file.size)}).`;
  return null;
}

// ------------------------------------------------------------------ the import
const follower = importFollower({
  imports: IMPORTS,
  labels: COUNTS,
  section: follow,
  state: document.getElementById("suivi-etat"),
  detail: document.getElementById("suivi-detail"),
  onEnd: (view) => {
    send.disabled = false;
    if (view.status === "done") search(qInput.value, 1); // what was loaded shows below
  },
  onError: (error) => {
    send.disabled = false;
    showError(error);
  },
});

browse.addEventListener("click", () => fileInput.click());

fileInput.addEventListener("change", () => {
  errors.clear();
  const file = chosenFile();
  if (!file) {
    chosen.textContent = "Aucun fichier choisi.";
    return;
  }
  const problem = fileProblem(file);
  chosen.textContent = problem ? `Fichier refusé : ${problem}` : `Fichier choisi : ${file.name} (${sizeText(file.size)}).`;
  if (problem) errors.markField("file", problem);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled) return;
  errors.clear();
  clearError();
  const file = chosenFile();
  const problem = fileProblem(file);
  if (problem) {
    errors.show("Le fichier choisi ne peut pas être importé.", [{ field: "file", message: problem }]);
    return;
  }
  follower.stop();
  send.disabled = true;
  let id;
  try {
    const body = { filename: file.name };
    if (dateInput.value) body.list_date = dateInput.value;
    id = await sendFile(IMPORTS, body, file, {
      onUploading: () => setStatus("Dépôt du fichier…"),
      onStarting: () => setStatus("Lancement de l'import…"),
    });
  } catch (error) {
    send.disabled = false;
    setStatus("");
    if (error.redirecting) return;
    errors.show(error.message, fieldsOf(error));
    return;
  }
  setStatus("");
  remember(id);
  fileInput.value = "";
  chosen.textContent = "Aucun fichier choisi.";
  follow.hidden = false;
  followTitle.focus();
  await follower.poll(id);
});

// ------------------------------------------------------------------ the search over the referential
function levelText(hit) {
  if (!hit.level) return "—";
  return hit.level_label ? `${hit.level_label} (${hit.level})` : hit.level;
}

function stateCell(hit) {
  if (hit.active) return h("td", {}, "Active");
  const successors = successorText(hit);
  return h("td", {}, "Inactive", successors ? h("span", { class: "cellule__detail" }, `Remplacée par ${successors}`) : null);
}

function hitRow(hit) {
  return h(
    "tr",
    {},
    h(
      "th",
      { scope: "row" },
      h(
        "a",
        { href: hit.url, class: "insecable", rel: "noopener noreferrer", target: "_blank" },
        hit.code,
        h("span", { class: "visuellement-cache" }, " (fiche de France Compétences, nouvelle fenêtre)"),
      ),
    ),
    h("td", {}, hit.title),
    h("td", {}, levelText(hit)),
    stateCell(hit),
    h("td", {}, hit.registration_end ? h("span", { class: "insecable" }, shortDate(hit.registration_end)) : "—"),
    h("td", {}, hit.certifiers.length ? hit.certifiers.join(", ") : "—"),
    h("td", {}, String(hit.blocks.length)),
  );
}

function pager(q, result) {
  const pages = pageCount(result.total, result.page_size);
  if (pages <= 1) return null;
  const button = (page, label) => h("button", { type: "button", class: "bouton bouton--secondaire", onclick: () => search(q, page, { focus: true }) }, label);
  return h(
    "nav",
    { class: "pagination", "aria-label": "Pages de résultats" },
    result.page > 1 ? button(result.page - 1, "Page précédente") : null,
    h("p", { class: "pagination__position" }, `Page ${result.page} sur ${pages}`),
    result.page < pages ? button(result.page + 1, "Page suivante") : null,
  );
}

function render(q, result) {
  const pages = pageCount(result.total, result.page_size);
  const heading = h("h3", { id: "titre-resultats", tabindex: "-1" }, foundText(result.total));
  if (!result.items.length) {
    fill(results, heading, h("p", { class: "vide" }, q ? "Aucune certification ne correspond à cette recherche." : "Le référentiel est vide : importez un export de France Compétences."));
    return;
  }
  fill(
    results,
    heading,
    scrollingTable(
      "legende-certifications",
      h(
        "table",
        { class: "tableau" },
        h("caption", { id: "legende-certifications" }, pages > 1 ? `Certifications, page ${result.page} sur ${pages}` : "Certifications"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Code", "Intitulé", "Niveau", "État", "Fin d'enregistrement", "Certificateurs", "Blocs"].map((label) =>
              h("th", { scope: "col" }, label),
            ),
          ),
        ),
        h("tbody", {}, result.items.map(hitRow)),
      ),
    ),
    pager(q, result),
  );
}

let searching = 0;

async function search(q, page, { focus = false } = {}) {
  const ticket = ++searching;
  searchButton.disabled = true;
  try {
    const result = await api(searchPath(q, page, RESULTS_PER_PAGE));
    if (ticket !== searching) return;
    render(q, result);
    const pages = pageCount(result.total, result.page_size);
    resultsState.textContent = `${foundText(result.total)}${pages > 1 ? `, page ${result.page} sur ${pages}` : ""}.`;
    if (focus) document.getElementById("titre-resultats")?.focus();
  } catch (error) {
    if (ticket !== searching) return;
    results.replaceChildren();
    if (!error.redirecting) showError(error, { retry: true });
  } finally {
    if (ticket === searching) searchButton.disabled = false;
  }
}

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  clearError();
  search(qInput.value, 1);
});

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "certifications" });
  const id = rememberedImport();
  if (id) {
    send.disabled = true;
    follower.poll(id);
  }
  await search("", 1);
} catch {
  // mountShell has shown the error in the alert region
}
