// Moderators: the import of the DGEFP's *liste publique des organismes de formation*
// (/moderation/liste-des-of): the file goes straight to S3 with a presigned POST
// (POST /moderation/training-organisation-imports), the import is started (…/{id}/start), then followed
// (GET …/{id}) until done: counts and rejected lines. The page's address keeps the import (?import=…), so
// that a reload goes on following it.

import { api, presignedUpload } from "./api.js";
import { h, fill, scrollingTable } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { sizeText } from "./ma-structure-vues.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const IMPORTS = "/moderation/training-organisation-imports";
const MAX_BYTES = 100 * 1024 * 1024;
const POLL_MS = 2000;
const TITLE = document.title;

const form = document.getElementById("formulaire-import");
const dateInput = document.getElementById("date-liste");
const fileInput = document.getElementById("fichier-liste");
const browse = document.getElementById("parcourir-liste");
const chosen = document.getElementById("fichier-choisi");
const send = document.getElementById("importer");
const follow = document.getElementById("suivi");
const followTitle = document.getElementById("titre-suivi");
const followState = document.getElementById("suivi-etat");
const followDetail = document.getElementById("suivi-detail");

const errors = new FormErrors({
  zone: document.getElementById("import-erreur"),
  fields: {
    list_date: { input: dateInput, error: document.getElementById("date-liste-erreur"), label: "Date de la liste" },
    file: { input: browse, error: document.getElementById("fichier-liste-erreur"), label: "Fichier de la liste", noInvalid: true },
  },
  heading: "La liste n'est pas importée",
  title: TITLE,
});

const COUNTS = [
  ["read", "Lignes lues"],
  ["created", "Organismes nouveaux"],
  ["changed", "Organismes modifiés"],
  ["unchanged", "Organismes inchangés"],
  ["rejected", "Lignes refusées"],
  ["structures_updated", "Structures dont les labels Qualiopi ont changé"],
];

let timer = null;

function chosenFile() {
  return fileInput.files && fileInput.files.length ? fileInput.files[0] : null;
}

function fileProblem(file) {
  if (!file) return "Choisissez d'abord le fichier CSV de la liste.";
  if (!/\.csv$/i.test(file.name)) return `Le fichier « ${file.name} » n'est pas un fichier CSV (.csv).`;
  if (file.size === 0) return `Le fichier « ${file.name} » est vide.`;
  if (file.size > MAX_BYTES) return `Le fichier « ${file.name} » dépasse 100 Mo (il pèse ${sizeText(file.size)}).`;
  return null;
}


// ------------------------------------------------------------------ the status
function countsList(counts) {
  return h(
    "dl",
    { class: "carte__donnees" },
    COUNTS.map(([key, label]) => [h("dt", {}, label), h("dd", {}, String(counts[key] ?? 0))]),
  );
}

function rejectedTable(view) {
  if (!view.rejected.length) return null;
  const shown = view.rejected.length;
  const caption =
    view.counts.rejected > shown
      ? `Les ${shown} premières lignes refusées (sur ${view.counts.rejected})`
      : shown === 1
        ? "1 ligne refusée"
        : `${shown} lignes refusées`;
  return scrollingTable(
    "legende-refus",
    h(
      "table",
      { class: "tableau" },
      h("caption", { id: "legende-refus" }, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Ligne"), h("th", { scope: "col" }, "Raison"))),
      h(
        "tbody",
        {},
        view.rejected.map((r) => h("tr", {}, h("th", { scope: "row" }, String(r.line)), h("td", {}, r.message))),
      ),
    ),
  );
}

function render(view) {
  follow.hidden = false;
  const kind = view.status === "failed" ? "alerte--erreur" : view.status === "done" ? "alerte--succes" : "alerte--info";
  fill(followState, h("div", { class: `alerte ${kind}` }, h("p", {}, view.message)));
  fill(followDetail, countsList(view.counts), rejectedTable(view));
}

function stop() {
  if (timer) window.clearTimeout(timer);
  timer = null;
}

async function poll(id) {
  stop();
  try {
    const view = await api(`${IMPORTS}/${encodeURIComponent(id)}`);
    render(view);
    if (view.status === "queued" || view.status === "running") {
      timer = window.setTimeout(() => poll(id), POLL_MS);
    } else {
      send.disabled = false;
    }
  } catch (error) {
    send.disabled = false;
    showError(error);
  }
}

function remember(id) {
  const url = new URL(window.location.href);
  url.searchParams.set("import", id);
  window.history.replaceState(null, "", url);
}

// ------------------------------------------------------------------ the form
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
  stop();
  send.disabled = true;
  setStatus("Dépôt du fichier…");
  let created;
  try {
    const body = { filename: file.name };
    if (dateInput.value) body.list_date = dateInput.value;
    created = await api(IMPORTS, { method: "POST", body });
    if (!(await presignedUpload(file, created.upload))) {
      throw new Error("Le dépôt du fichier a échoué. Vérifiez votre connexion, puis réessayez.");
    }
    setStatus("Lancement de l'import…");
    await api(`${IMPORTS}/${encodeURIComponent(created.id)}/start`, { method: "POST" });
  } catch (error) {
    send.disabled = false;
    setStatus("");
    if (error.redirecting) return;
    errors.show(error.message, fieldsOf(error));
    return;
  }
  setStatus("");
  remember(created.id);
  fileInput.value = "";
  chosen.textContent = "Aucun fichier choisi.";
  follow.hidden = false;
  followTitle.focus();
  await poll(created.id);
});

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "organisations-list" });
  const id = new URLSearchParams(window.location.search).get("import");
  if (id) {
    send.disabled = true;
    await poll(id);
  }
} catch {
  // mountShell has shown the error in the alert region
}
