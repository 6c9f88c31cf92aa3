// A formation, read-only: its state (the guide's colours, always said in words), its certifications and
// their validity (the guide's *Vérification de la validité d'une certification*), its description, its
// indexing by the Carif-Oref (its sessions: session-vues.js). Used by the formation page and the formations list.

import { h, formatSiret } from "./dom.js";
import { plural } from "./format.js";
import { isoDay, shortDate, stateText, successorCodes, validityNotice } from "./certifications.js";
import { contactText, STATUSES, statusLabel } from "./formation-etat.js";
import { europeanLevelLabel, levelLabel } from "./niveaux.js";

const NOT_SET = "Non renseigné";

/** The state of a formation: a coloured label that says it in words (and a sign, hidden from speech). */
export function statusBadge(status, label) {
  return h(
    "span",
    { class: `statut-formation statut-formation--${status}` },
    h("span", { class: "statut-formation__signe", "aria-hidden": "true" }, STATUSES[status]?.mark || ""),
    statusLabel(status, label),
  );
}

function pair(term, value) {
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  return [h("dt", {}, term), h("dd", {}, empty ? h("span", { class: "diff-vide" }, NOT_SET) : value)];
}

function yesNo(value) {
  return value ? "Oui" : "Non";
}

// ------------------------------------------------------------------ certifications and their validity
/** The guide's notice when the end of registration is past or near, with the way to the new code. */
export function validityBox(certification, today = isoDay()) {
  const notice = validityNotice(certification, today);
  if (!notice) return null;
  return h(
    "div",
    { class: `validite validite--${notice.ended ? "depassee" : "proche"}` },
    h("p", { class: "validite__titre" }, "Vérification de la validité de la certification"),
    notice.lines.map((line) => h("p", {}, line)),
    certification.url
      ? h(
          "p",
          {},
          "Vérifiez sur ",
          h(
            "a",
            { href: certification.url, target: "_blank", rel: "noopener noreferrer" },
            `la fiche ${certification.code} du site de France Compétences`,
            h("span", { class: "visuellement-cache" }, " (nouvel onglet)"),
          ),
          " si elle est renouvelée et sous quel code.",
        )
      : null,
  );
}

/** One certification of the formation: code (a link to France Compétences), title, validity. */
export function certificationCard(certification, { today = isoDay(), actions = null, principal = null } = {}) {
  const successors = successorCodes(certification);
  return h(
    "li",
    { class: "certification", "data-certification": certification.code },
    h(
      "p",
      { class: "certification__titre" },
      certification.url
        ? h(
            "a",
            { href: certification.url, target: "_blank", rel: "noopener noreferrer", class: "fiche-code" },
            certification.code,
            h("span", { class: "visuellement-cache" }, " : fiche sur le site de France Compétences (nouvel onglet)"),
          )
        : h("span", { class: "fiche-code" }, certification.code),
      " ",
      certification.title && certification.title !== certification.code ? certification.title : "",
      certification.principal && !principal ? h("span", { class: "etiquette etiquette--principale" }, "Principale") : null,
    ),
    h(
      "dl",
      { class: "certification__donnees" },
      h("dt", {}, "État"),
      h(
        "dd",
        {},
        h(
          "span",
          { class: `etat-certification etat-certification--${certification.active ? "active" : "inactive"}` },
          stateText(certification),
        ),
      ),
      certification.level ? [h("dt", {}, "Niveau"), h("dd", {}, europeanLevelLabel(certification.level))] : null,
      h("dt", {}, "Fin d'enregistrement"),
      h("dd", {}, shortDate(certification.registration_end) || "Non indiquée"),
      successors.length ? [h("dt", {}, "Remplacée par"), h("dd", {}, successors.join(", "))] : null,
    ),
    validityBox(certification, today),
    principal,
    actions,
  );
}

/** A certification known by its code only (a published one the view does not describe). */
function codeOnly(certification) {
  return h(
    "li",
    { class: "certification", "data-certification": certification.code },
    h(
      "p",
      { class: "certification__titre" },
      h("span", { class: "fiche-code" }, certification.code),
      certification.principal ? h("span", { class: "etiquette etiquette--principale" }, "Principale") : null,
    ),
  );
}

export function certificationsList(certifications, options = {}) {
  if (!certifications.length) return h("p", { class: "vide" }, "Aucune certification n'est choisie.");
  return h(
    "ul",
    { class: "certifications" },
    certifications.map((c) => (c.partial ? codeOnly(c) : certificationCard(c, options))),
  );
}

// ------------------------------------------------------------------ the formation, read-only
function longText(value) {
  return value ? h("p", { class: "texte-long" }, value) : null;
}

/**
 * The formation's values, read-only.
 * @param {object} view GET /formations/{ref}
 * @param {object} data the version shown (published, or the draft)
 * @param {{contacts?: object[], certifications?: object[], idPrefix?: string, level?: number}} options
 *   certifications: the summaries to show (the view's, which describe the draft when there is one, else the
 *   published version); level: the level of the sections' headings (3 by default)
 */
export function readView(view, data, { contacts = [], certifications = null, idPrefix = "lecture", level = 3 } = {}) {
  const heading = `h${level}`;
  // The view's summaries describe its draft when there is one: a published code they lack is shown by its code.
  const chosen =
    certifications ||
    (data.certifications || []).map(
      (c) => (view.certifications || []).find((s) => s.code === c.code) || { code: c.code, principal: c.principal, partial: true },
    );
  return [
    h(
      "section",
      { class: "fiche-rubrique", "aria-labelledby": `${idPrefix}-certification` },
      h(heading, { class: "fiche-rubrique__titre", id: `${idPrefix}-certification` }, "Certification"),
      h(
        "dl",
        { class: "formation-donnees" },
        pair("Formation certifiante (mène à une certification ou une habilitation)", yesNo(data.certifying)),
        pair("Formation en apprentissage", yesNo(data.apprenticeship)),
        pair("Visée par Parcoursup ou Affelnet", yesNo(data.parcoursup)),
      ),
      data.certifying ? certificationsList(chosen) : null,
    ),
    h(
      "section",
      { class: "fiche-rubrique", "aria-labelledby": `${idPrefix}-description` },
      h(heading, { class: "fiche-rubrique__titre", id: `${idPrefix}-description` }, "Description"),
      h(
        "dl",
        { class: "formation-donnees" },
        pair("Intitulé de la formation", data.title),
        pair("Objectif", longText(data.objective)),
        pair("Contenu", longText(data.content)),
        pair("Résultats attendus", longText(data.expected_results)),
      ),
    ),
    h(
      "section",
      { class: "fiche-rubrique", "aria-labelledby": `${idPrefix}-organisation` },
      h(heading, { class: "fiche-rubrique__titre", id: `${idPrefix}-organisation` }, "Organisation"),
      h(
        "dl",
        { class: "formation-donnees" },
        pair("Organisme responsable", [
          view.responsible_name,
          " (SIRET ",
          h("span", { class: "insecable" }, formatSiret(view.siret)),
          ")",
        ]),
        pair("Durée de cycle", data.cycle_years ? plural(data.cycle_years, "an", "ans") : ""),
        pair("Niveau d'entrée", levelLabel(data.entry_level)),
        pair("Niveau de sortie", levelLabel(data.exit_level)),
        pair("Contact", contactText(contacts, data.contact_id)),
        pair(
          "Site internet de la formation",
          data.website
            ? h("a", { href: data.website, rel: "noopener noreferrer", class: "coupable" }, data.website)
            : "",
        ),
      ),
    ),
  ];
}

/** Formacode, NSF and ROME: the Carif-Oref's indexing, read by the OF. */
export function indexingView(view) {
  return h(
    "dl",
    { class: "formation-donnees" },
    pair("Formacode", (view.formacodes || []).join(", ")),
    pair("Codes NSF", (view.nsf || []).join(", ")),
    pair("Codes ROME", (view.romes || []).join(", ")),
  );
}
