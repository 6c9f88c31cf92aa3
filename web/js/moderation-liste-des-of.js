// Moderators: the import of the DGEFP's *liste publique des organismes de formation*
// (/moderation/liste-des-of): the file goes straight to S3 with a presigned POST
// (POST /moderation/training-organisation-imports), the import is started (…/{id}/start), then followed
// (GET …/{id}) until done: counts and rejected lines. The page's address keeps the import (?import=…), so
// that a reload goes on following it.

import { FormErrors, fieldsOf } from "./formulaire.js";
import { importFollower, remember, rememberedImport, sendFile } from "./import-suivi.js";
import { sizeText } from "./ma-structure-vues.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const IMPORTS = "/moderation/training-organisation-imports";
const MAX_BYTES = 100 * 1024 * 1024;
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
const follower = importFollower({
  imports: IMPORTS,
  labels: COUNTS,
  section: follow,
  state: followState,
  detail: followDetail,
  onEnd: () => {
    send.disabled = false;
  },
  onError: (error) => {
    send.disabled = false;
    showError(error);
  },
});

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

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "organisations-list" });
  const id = rememberedImport();
  if (id) {
    send.disabled = true;
    await follower.poll(id);
  }
} catch {
  // mountShell has shown the error in the alert region
}
