// *Ma structure*, tab *Gestion*: the documents sent to the Carif-Oref (a presigned POST straight to
// S3, then the list with short-lived download links) and the history of the published changes.

import { api, presignedUpload } from "./api.js";
import { h, fill } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { sizeText, when } from "./ma-structure-vues.js";
import { differenceLines } from "./structure-textes.js";

const TYPES = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" };
const EXTENSIONS = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };
const MAX_BYTES = 10 * 1024 * 1024;
const PAGE_TITLE = document.title;

/** The MIME type to declare for `file`, or null when it is not a PDF, JPEG or PNG. */
function contentType(file) {
  if (TYPES[file.type]) return file.type;
  if (file.type && file.type !== "application/octet-stream") return null;
  const extension = (file.name.split(".").pop() || "").toLowerCase();
  return EXTENSIONS[extension] || null;
}

/** Why `file` cannot be sent, or null. */
function documentProblem(file) {
  if (!file) return "Choisissez d'abord le document à envoyer.";
  if (!contentType(file)) return `Le fichier « ${file.name} » n'est pas accepté : choisissez un fichier PDF, JPEG ou PNG.`;
  if (file.size === 0) return `Le fichier « ${file.name} » est vide : choisissez un autre fichier.`;
  if (file.size > MAX_BYTES) {
    return `Le fichier « ${file.name} » dépasse la taille maximale de 10 Mo (il pèse ${sizeText(file.size)}) : réduisez-le ou choisissez un autre fichier.`;
  }
  return null;
}

/** The document, sent with the presigned POST the API gave (never above its size limit). */
function upload(file, target) {
  return file.size > (target.max_bytes || MAX_BYTES) ? Promise.resolve(false) : presignedUpload(file, target);
}

// ------------------------------------------------------------------ the documents
function documentsList(documents) {
  if (!documents.length) return h("p", { class: "vide" }, "Aucun document déposé pour le moment.");
  return h(
    "ul",
    { class: "fiche-documents" },
    documents.map((doc) =>
      h(
        "li",
        { class: "fiche-document" },
        h("a", { href: doc.url, class: "fiche-document__lien" }, `Télécharger ${doc.filename} (${sizeText(doc.size)})`),
        h("span", { class: "fiche-document__date" }, `Déposé ${when(doc.uploaded_at)}`),
      ),
    ),
  );
}

function documentsSection(siret, canUpload) {
  const list = h("div", { "aria-busy": "true" }, h("p", {}, "Chargement des documents…"));
  const refresh = async () => {
    list.setAttribute("aria-busy", "true");
    try {
      const documents = await api(`/structures/${encodeURIComponent(siret)}/documents`);
      fill(list, documentsList(Array.isArray(documents) ? documents : []));
    } catch (error) {
      if (error.redirecting) return;
      fill(list, h("p", { class: "alerte alerte--erreur" }, `La liste des documents n'a pas pu être chargée : ${error.message}`));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  };

  let form = null;
  if (canUpload) {
    // The same way as "Créer un compte": a French "Parcourir…" button for the browser's file input.
    const input = h("input", {
      type: "file",
      id: "document-fichier",
      name: "document",
      class: "visuellement-cache",
      tabindex: "-1",
      "aria-hidden": "true",
      accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
    });
    const browse = h(
      "button",
      {
        type: "button",
        id: "document-parcourir",
        class: "bouton bouton--secondaire",
        "aria-describedby": "document-fichier-aide",
        onclick: () => input.click(),
      },
      "Parcourir…",
      h("span", { class: "visuellement-cache" }, " pour choisir le document à envoyer"),
    );
    const chosen = h("p", { class: "fichier__nom", id: "document-choisi", role: "status" }, "Aucun fichier choisi.");
    const error = h("p", { class: "champ__erreur", id: "document-fichier-erreur", hidden: true });
    const zone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1" });
    const result = h("div", { role: "status" });
    const send = h("button", { type: "submit", class: "bouton bouton--principal" }, "Envoyer le document");
    const errors = new FormErrors({
      zone,
      fields: { document: { input: browse, error, label: "Document à envoyer", noInvalid: true } },
      heading: "Le document n'a pas été envoyé",
      title: PAGE_TITLE,
    });
    form = h(
      "form",
      { class: "formulaire fiche-envoi", novalidate: true, "aria-labelledby": "titre-envoi-document" },
      h("h4", { id: "titre-envoi-document", class: "fiche-rubrique__sous-titre" }, "Ajouter un document"),
      zone,
      result,
      h(
        "div",
        { class: "champ" },
        h(
          "p",
          { class: "champ__aide", id: "document-fichier-aide" },
          "Formats acceptés : PDF, JPEG ou PNG, 10 Mo au maximum.",
        ),
        error,
        input,
        h("div", { class: "fichier" }, browse, chosen),
      ),
      send,
    );
    input.addEventListener("change", () => {
      errors.clear();
      result.replaceChildren();
      const file = input.files && input.files.length ? input.files[0] : null;
      if (!file) {
        chosen.textContent = "Aucun fichier choisi.";
        return;
      }
      const problem = documentProblem(file);
      if (problem) {
        chosen.textContent = `Fichier refusé : ${problem}`;
        errors.markField("document", problem);
      } else {
        chosen.textContent = `Fichier choisi : ${file.name} (${sizeText(file.size)}).`;
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (send.disabled) return;
      errors.clear();
      result.replaceChildren();
      const file = input.files && input.files.length ? input.files[0] : null;
      const problem = documentProblem(file);
      if (problem) {
        errors.show("Le document choisi ne peut pas être envoyé : choisissez-en un autre.", [
          { field: "document", message: problem },
        ]);
        return;
      }
      send.disabled = true;
      send.textContent = "Envoi du document…";
      let sent = false;
      let failure = null;
      try {
        const target = await api(`/structures/${encodeURIComponent(siret)}/documents`, {
          method: "POST",
          body: { filename: file.name, content_type: contentType(file) },
        });
        sent = await upload(file, target);
      } catch (error) {
        if (error.redirecting) return;
        failure = error;
      } finally {
        send.disabled = false;
        send.textContent = "Envoyer le document";
      }
      if (!sent) {
        const message = failure
          ? failure.message
          : "Le dépôt du document a échoué. Vérifiez votre connexion, puis réessayez.";
        const fields = failure ? fieldsOf(failure).map((f) => ({ field: "document", message: f.message })) : [];
        errors.show(message, fields.length ? fields : [{ field: "document", message }]);
        return;
      }
      input.value = "";
      chosen.textContent = "Aucun fichier choisi.";
      fill(
        result,
        h("div", { class: "alerte alerte--succes" }, h("p", {}, `Le document « ${file.name} » est envoyé au Carif-Oref.`)),
      );
      await refresh();
    });
  }

  const element = h(
    "section",
    { class: "fiche-rubrique" },
    h("h3", { class: "fiche-rubrique__titre" }, "Documents"),
    h(
      "p",
      { class: "fiche-rubrique__aide" },
      "Pour nous faire parvenir des documents liés à votre organisme (document d'une certification qualité…).",
    ),
    form,
    h("h4", { class: "fiche-rubrique__sous-titre" }, "Documents déposés"),
    list,
  );
  return { element, refresh };
}

// ------------------------------------------------------------------ the history
function differenceItem(difference) {
  const parts = differenceLines(difference).map((line) => h("li", {}, line));
  return h(
    "li",
    {},
    h("span", { class: "fiche-historique__champ" }, difference.label),
    h("ul", { class: "fiche-historique__details" }, parts),
  );
}

/** Who did it: the OF's change validated by the Carif-Oref, or the Carif-Oref's own correction. */
function authorText(entry) {
  if (entry.submitted_by === entry.decided_by && entry.submitted_at === entry.decided_at) {
    return `${entry.comment || "Correction par le Carif-Oref"} (${entry.decided_by}).`;
  }
  return `Demandée par ${entry.submitted_by} (soumise ${when(entry.submitted_at)}), validée par ${entry.decided_by}.`;
}

/** The history of a structure record, newest first (also shown on the moderators' page of a structure). */
export function historyList(entries) {
  if (!entries.length) return h("p", { class: "vide" }, "Aucune modification n'a encore été publiée.");
  return h(
    "ol",
    { class: "fiche-historique" },
    entries.map((entry) =>
      h(
        "li",
        { class: "fiche-historique__entree" },
        h("h4", { class: "fiche-historique__titre" }, `Modification publiée ${when(entry.decided_at)}`),
        h("p", {}, authorText(entry)),
        entry.differences.length
          ? [
              h("p", {}, "Champs modifiés :"),
              h("ul", { class: "fiche-historique__champs" }, entry.differences.map(differenceItem)),
            ]
          : null,
      ),
    ),
  );
}

function historySection(siret) {
  const list = h("div", { "aria-busy": "true" }, h("p", {}, "Chargement de l'historique…"));
  const refresh = async () => {
    list.setAttribute("aria-busy", "true");
    try {
      const entries = await api(`/structures/${encodeURIComponent(siret)}/history`);
      fill(list, historyList(Array.isArray(entries) ? entries : []));
    } catch (error) {
      if (error.redirecting) return;
      fill(list, h("p", { class: "alerte alerte--erreur" }, `L'historique n'a pas pu être chargé : ${error.message}`));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  };
  const element = h(
    "section",
    { class: "fiche-rubrique" },
    h("h3", { class: "fiche-rubrique__titre" }, "Historique"),
    h("p", { class: "fiche-rubrique__aide" }, "Les dates de modification de votre fiche structure, des plus récentes aux plus anciennes."),
    list,
  );
  return { element, refresh };
}

/**
 * The content of the tab *Gestion*; `refresh()` (re)loads the documents and the history.
 * @param {string} siret
 * @param {{canUpload: boolean}} options
 */
export function managementPanel(siret, { canUpload }) {
  const documents = documentsSection(siret, canUpload);
  const history = historySection(siret);
  return {
    elements: [h("h2", { class: "visuellement-cache" }, "Gestion"), documents.element, history.element],
    refresh: () => Promise.all([documents.refresh(), history.refresh()]),
  };
}
