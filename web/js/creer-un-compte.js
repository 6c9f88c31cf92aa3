// The page "Créer un compte" (/creer-un-compte): POST /account-requests, then the optional document
// of declaration of activity sent straight to S3 with the presigned POST the API answers.

import { api, presignedUpload } from "./api.js";
import { h, fill } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";

const TITLE = document.title;
const form = document.getElementById("formulaire-compte");
const submit = document.getElementById("creer");
const confirmation = document.getElementById("confirmation");
const fileInput = document.getElementById("document");
const browse = document.getElementById("parcourir");
const chosen = document.getElementById("document-choisi");
const removeFile = document.getElementById("retirer-document");
const input = (id) => document.getElementById(id);
const error = (id) => document.getElementById(`${id}-erreur`);

/** The document: the types the API accepts, by MIME type and by file name extension. */
const TYPES = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" };
const EXTENSIONS = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };
const MAX_BYTES = 5 * 1024 * 1024;

/** The form's fields, by the names the API gives them. */
const FIELDS = {
  siret: { input: input("siret"), error: error("siret"), label: "SIRET de l'organisme déclarant" },
  nda: { input: input("nda"), error: error("nda"), label: "Numéro de déclaration d'activité" },
  "contact.last_name": { input: input("nom"), error: error("nom"), label: "Nom" },
  "contact.first_name": { input: input("prenom"), error: error("prenom"), label: "Prénom" },
  "contact.phone": { input: input("telephone"), error: error("telephone"), label: "Téléphone" },
  "contact.email": { input: input("email"), error: error("email"), label: "Adresse e-mail" },
  document_content_type: {
    input: browse,
    error: error("document"),
    label: "Document de déclaration d'activité",
    noInvalid: true,
  },
  accept_privacy_policy: { input: input("donnees"), error: error("donnees"), label: "Données personnelles" },
};
// The API names the whole contact "contact" when it is missing altogether: never the case from this form.

const errors = new FormErrors({ zone: document.getElementById("erreur"), fields: FIELDS, title: TITLE });

// ------------------------------------------------------------------ the document
function sizeText(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString("fr-FR")} ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}

/** The MIME type to declare for `file`, or null when it is not a PDF, JPEG or PNG. */
function contentType(file) {
  if (TYPES[file.type]) return file.type;
  if (file.type && file.type !== "application/octet-stream") return null;
  const extension = (file.name.split(".").pop() || "").toLowerCase();
  return EXTENSIONS[extension] || null;
}

/** Why `file` cannot be sent, or null. */
function documentProblem(file) {
  if (!file) return null;
  if (!contentType(file))
    return `Le fichier « ${file.name} » n'est pas accepté : choisissez un fichier PDF, JPEG ou PNG.`;
  if (file.size === 0) return `Le fichier « ${file.name} » est vide : choisissez un autre fichier.`;
  if (file.size > MAX_BYTES) {
    const size = sizeText(file.size);
    const detail = size === "5 Mo" ? "" : ` (il pèse ${size})`; // never "pèse 5 Mo : 5 Mo au maximum"
    return `Le fichier « ${file.name} » dépasse la taille maximale de 5 Mo${detail} : réduisez-le ou choisissez un autre fichier.`;
  }
  return null;
}

function selectedFile() {
  return fileInput.files && fileInput.files.length ? fileInput.files[0] : null;
}

function showChosenFile() {
  const file = selectedFile();
  errors.clearField("document_content_type");
  if (!file) {
    chosen.textContent = "Aucun fichier choisi.";
    removeFile.hidden = true;
    return;
  }
  const problem = documentProblem(file);
  if (problem) {
    chosen.textContent = `Fichier refusé : ${problem}`;
    errors.markField("document_content_type", problem);
  } else {
    chosen.textContent = `Fichier choisi : ${file.name} (${sizeText(file.size)}).`;
  }
  removeFile.hidden = false;
}

browse.addEventListener("click", () => fileInput.click());
fileInput.addEventListener("change", showChosenFile);
removeFile.addEventListener("click", () => {
  fileInput.value = "";
  showChosenFile();
  chosen.textContent = "Fichier retiré. Aucun fichier choisi.";
  browse.focus();
});

// ------------------------------------------------------------------ sending
let busy = false;

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.textContent = value ? "Envoi de votre demande…" : "Créer votre compte";
  form.setAttribute("aria-busy", value ? "true" : "false");
}

function body(file) {
  const value = (id) => input(id).value.trim();
  const data = {
    siret: value("siret"),
    nda: value("nda"),
    contact: {
      last_name: value("nom"),
      first_name: value("prenom"),
      phone: value("telephone"),
      email: value("email"),
    },
    accept_privacy_policy: input("donnees").checked,
  };
  if (file) data.document_content_type = contentType(file);
  return data;
}

/** The document, sent with the presigned POST the API gave (never above its size limit). */
function upload(file, target) {
  return file.size > (target.max_bytes || MAX_BYTES) ? Promise.resolve(false) : presignedUpload(file, target);
}

function showConfirmation(message, documentSent) {
  form.remove();
  document.querySelector(".connexion__intro")?.remove();
  document.title = `Demande enregistrée — ${TITLE}`;
  const heading = h("h2", { id: "titre-confirmation", tabindex: "-1" }, "Votre demande de compte est enregistrée");
  fill(
    confirmation,
    h(
      "section",
      { class: "alerte alerte--succes", "aria-labelledby": "titre-confirmation" },
      heading,
      h("p", {}, message),
    ),
    documentSent === false
      ? h(
          "div",
          { class: "alerte alerte--erreur" },
          h("p", { class: "alerte__titre" }, "Le document n'a pas pu être envoyé"),
          h(
            "p",
            {},
            "Votre demande de compte est bien enregistrée, mais le document de déclaration d'activité n'a pas été reçu. " +
              "Envoyez-le par e-mail au Carif-Oref en précisant le SIRET de votre organisme : inutile de refaire la demande.",
          ),
        )
      : null,
    h("h2", { class: "sous-titre" }, "Et ensuite ?"),
    h(
      "ol",
      { class: "etapes" },
      h("li", {}, "Le Carif-Oref traite votre demande et vous envoie prochainement une clé d'activation par e-mail."),
      h(
        "li",
        {},
        "Dans votre boîte mail (pensez à vérifier vos courriers indésirables), ouvrez le message « Demande de clé d'activation ».",
      ),
      h("li", {}, "Cliquez sur le lien ", h("strong", {}, "Activer mon compte"), ", puis choisissez votre mot de passe."),
      h("li", {}, "Connectez-vous ensuite avec votre adresse e-mail et ce mot de passe."),
    ),
    h("p", {}, h("a", { href: "/connexion" }, "Aller à la page de connexion")),
  );
  heading.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) return;
  errors.clear();
  const file = selectedFile();
  const problem = documentProblem(file);
  if (problem) {
    // Refused here, before anything is sent: the request would be registered without its document.
    errors.show("Le document choisi ne peut pas être envoyé : choisissez-en un autre ou retirez-le.", [
      { field: "document_content_type", message: problem },
    ]);
    return;
  }
  setBusy(true);
  let answer;
  try {
    answer = await api("/account-requests", { method: "POST", body: body(file), auth: false });
  } catch (failure) {
    setBusy(false);
    errors.show(failure.message || "La demande n'a pas pu être envoyée. Réessayez.", fieldsOf(failure), {
      heading: "Votre demande n'a pas pu être enregistrée",
    });
    return;
  }
  let documentSent = null;
  if (file && answer && answer.document_upload) {
    submit.textContent = "Envoi du document…";
    documentSent = await upload(file, answer.document_upload);
  }
  showConfirmation(answer && answer.message ? answer.message : "Votre demande de compte a bien été enregistrée.", documentSent);
});
