// The guide's certification search (the magnifier): a modal dialog over GET /certifications. With an
// empty query it lists the referential, the active certifications first; a query searches the words of
// the title, an RNCP or RS code, or a Certifinfo reference. Each row: a radio button, the code (a link to
// its page on France Compétences, in a new tab), the title, the level, the certifiers, the end of
// registration, the first exam session, its state, and a row that unfolds its competence blocks and, for
// an inactive one, the certification that replaces it. *Valider ma sélection* hands the chosen one to the
// page (`choose`), which says whether it can be added.
//
// Used by *Ajouter une formation* and by the formation's edit form.

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { modal } from "./dialogue.js";
import {
  PAGE_SIZE,
  foundText,
  pageCount,
  searchPath,
  shortDate,
  stateText,
  successorText,
} from "./certifications.js";
import { europeanLevelLabel } from "./niveaux.js";

const COLUMNS = [
  "Choix",
  "Code",
  "Intitulé",
  "Niveau",
  "Certificateurs",
  "Fin d'enregistrement",
  "Première session d'examen",
  "État",
  "Détails",
];

let count = 0;

/** The magnifier's image (decorative: the button says what it does). */
export function magnifier() {
  return h("img", { src: "/img/loupe.svg", alt: "", width: "20", height: "20", class: "bouton__icone" });
}

/**
 * @param {{choose: (hit: object) => ({error?: string, focus?: HTMLElement}|null)}} options
 *   choose: called by *Valider ma sélection* with the chosen hit; an `error` keeps the dialog open and shows
 *   it, otherwise the dialog closes and the focus goes to `focus` (or back to the button that opened it).
 * @returns {{open: (opener: HTMLElement) => void}}
 */
export function certificationDialog({ choose }) {
  const id = `certifications-${++count}`;
  const state = { q: "", page: 1, result: null, selected: null, ticket: 0, loaded: false };

  const title = h("h2", { id: `${id}-titre`, class: "dialogue__titre" }, "Rechercher une certification");
  const help = h(
    "p",
    { id: `${id}-aide` },
    "Par défaut, toutes les certifications sont listées, les actives en premier. La présence des valideurs " +
      "(certificateurs) et la date de fin d'enregistrement vous aident à faire le bon choix ; si la date de fin " +
      "n'est pas indiquée, la première session d'examen peut signaler un nouveau diplôme. Cochez le bouton radio " +
      "de la certification puis cliquez sur Valider ma sélection.",
  );
  const input = h("input", {
    type: "search",
    id: `${id}-q`,
    name: "q",
    class: "champ__saisie",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "200",
    "aria-describedby": `${id}-q-aide`,
  });
  const searchButton = h("button", { type: "submit", class: "bouton bouton--secondaire" }, magnifier(), "Rechercher");
  const form = h(
    "form",
    { class: "recherche-certifications", role: "search", "aria-label": "Certifications", novalidate: true },
    h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: input.id }, "Rechercher une certification"),
      h(
        "p",
        { class: "champ__aide", id: `${id}-q-aide` },
        "Des mots du libellé du diplôme (par exemple : boulanger), un code RNCP (RNCP37861), un code RS (RS5678) " +
          "ou une référence Certifinfo.",
      ),
      h("div", { class: "champ__groupe champ__groupe--empile" }, input, searchButton),
    ),
  );
  const status = h("p", { class: "etat", role: "status", id: `${id}-etat` });
  const errorZone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1", id: `${id}-erreur` });
  const results = h("div", { class: "certifications-resultats", id: `${id}-resultats` });
  const validate = h("button", { type: "button", class: "bouton bouton--principal" }, "Valider ma sélection");
  const cancel = h("button", { type: "button", class: "bouton bouton--secondaire" }, "Annuler");
  const dialog = h(
    "dialog",
    {
      class: "dialogue dialogue--certifications",
      id,
      "aria-labelledby": title.id,
      "aria-describedby": help.id,
    },
    title,
    help,
    form,
    status,
    errorZone,
    results,
    h("div", { class: "actions dialogue__actions" }, validate, cancel),
  );
  document.body.append(dialog);
  const control = modal(dialog);

  // ---------------------------------------------------------------- rendering
  function showError(message) {
    fill(
      errorZone,
      h("div", { class: "alerte alerte--erreur" }, h("p", { class: "alerte__titre" }, "Sélection impossible"), h("p", {}, message)),
    );
    errorZone.focus();
  }

  function clearErrorZone() {
    errorZone.replaceChildren();
  }

  function codeLink(hit) {
    if (!hit.url) return hit.code;
    return h(
      "a",
      { href: hit.url, target: "_blank", rel: "noopener noreferrer", class: "lien-externe" },
      hit.code,
      h("span", { class: "visuellement-cache" }, " : fiche sur le site de France Compétences (nouvel onglet)"),
    );
  }

  function details(hit, detailsId) {
    const blocks = hit.blocks || [];
    const replacing = successorText(hit);
    return h(
      "tr",
      { id: detailsId, class: "certification-details", hidden: true },
      h(
        "td",
        { colspan: String(COLUMNS.length) },
        h("p", { class: "certification-details__titre" }, `Blocs de compétences de ${hit.code}`),
        blocks.length
          ? h(
              "ul",
              { class: "certification-blocs" },
              blocks.map((b) => h("li", {}, h("span", { class: "fiche-code" }, b.code), " ", b.title)),
            )
          : h("p", {}, "Le référentiel ne décrit pas de blocs de compétences pour cette certification."),
        hit.active
          ? null
          : h(
              "p",
              { class: "certification-details__successeur" },
              replacing
                ? `Cette certification est inactive. Elle est remplacée par : ${replacing}.`
                : "Cette certification est inactive et n'a pas été renouvelée par France Compétences.",
            ),
        hit.certifinfo ? h("p", {}, `Référence Certifinfo : ${hit.certifinfo}`) : null,
      ),
    );
  }

  function hitRows(hit, index) {
    const radioId = `${id}-choix-${index}`;
    const detailsId = `${id}-details-${index}`;
    const radio = h("input", {
      type: "radio",
      name: `${id}-choix`,
      id: radioId,
      value: hit.code,
      checked: state.selected?.code === hit.code,
    });
    radio.addEventListener("change", () => {
      if (radio.checked) state.selected = hit;
      clearErrorZone();
    });
    const toggle = h(
      "button",
      {
        type: "button",
        class: "bouton bouton--lien bouton--petit bouton--deplier",
        "aria-expanded": "false",
        "aria-controls": detailsId,
      },
      h("span", { class: "deplier__fleche", "aria-hidden": "true" }, "▸"),
      " Détails",
      h("span", { class: "visuellement-cache" }, ` de ${hit.code}`),
    );
    const detailRow = details(hit, detailsId);
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.querySelector(".deplier__fleche").textContent = open ? "▾" : "▸";
      detailRow.hidden = !open;
    });
    const level = hit.level_label || europeanLevelLabel(hit.level);
    return [
      h(
        "tr",
        { class: hit.active ? null : "certification--inactive" },
        h(
          "td",
          { class: "cellule--choix" },
          radio,
          h("label", { for: radioId, class: "visuellement-cache" }, `Choisir ${hit.code} : ${hit.title}`),
        ),
        h("th", { scope: "row", class: "insecable" }, codeLink(hit)),
        h("td", {}, hit.abbreviation ? [h("span", { class: "cellule__detail" }, hit.abbreviation), hit.title] : hit.title),
        h("td", { class: "insecable" }, level || "—"),
        h("td", {}, (hit.certifiers || []).join(", ") || "—"),
        h("td", {}, shortDate(hit.registration_end) || "Non indiquée"),
        h("td", {}, shortDate(hit.first_exam_session) || "—"),
        h(
          "td",
          {},
          h("span", { class: `etat-certification etat-certification--${hit.active ? "active" : "inactive"}` }, stateText(hit)),
        ),
        h("td", {}, toggle),
      ),
      detailRow,
    ];
  }

  function pager(result) {
    const pages = pageCount(result.total, result.page_size || PAGE_SIZE);
    if (pages <= 1) return null;
    const go = (page) => () => load(state.q, page, { focusCaption: true });
    return h(
      "div",
      { class: "pagination", role: "group", "aria-label": "Pages de résultats" },
      result.page > 1
        ? h("button", { type: "button", class: "bouton bouton--secondaire bouton--petit", onclick: go(result.page - 1) }, "Page précédente")
        : null,
      h("p", { class: "pagination__position" }, `Page ${result.page} sur ${pages}`),
      result.page < pages
        ? h("button", { type: "button", class: "bouton bouton--secondaire bouton--petit", onclick: go(result.page + 1) }, "Page suivante")
        : null,
    );
  }

  function render(result) {
    const items = Array.isArray(result.items) ? result.items : [];
    if (!items.length) {
      fill(
        results,
        h(
          "p",
          { class: "vide" },
          state.q
            ? `Aucune certification ne correspond à « ${state.q} ». Vérifiez l'orthographe, ou cherchez par code RNCP ou RS.`
            : "Le référentiel des certifications est vide : le Carif-Oref ne l'a pas encore importé.",
        ),
      );
      return;
    }
    const pages = pageCount(result.total, result.page_size || PAGE_SIZE);
    const captionText = `${foundText(result.total)}${state.q ? ` pour « ${state.q} »` : ""}, les actives en premier` +
      (pages > 1 ? ` (page ${result.page} sur ${pages})` : "");
    fill(
      results,
      h(
        "div",
        { class: "tableau-defilant", role: "region", "aria-labelledby": `${id}-legende`, tabindex: "0" },
        h(
          "table",
          { class: "tableau tableau--certifications" },
          h("caption", { id: `${id}-legende`, tabindex: "-1" }, captionText),
          h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, items.map(hitRows)),
        ),
      ),
      pager(result),
    );
  }

  async function load(q, page, { focusCaption = false } = {}) {
    const ticket = ++state.ticket;
    state.q = String(q || "").trim();
    clearErrorZone();
    results.setAttribute("aria-busy", "true");
    status.textContent = "Recherche en cours…";
    try {
      const result = await api(searchPath(state.q, page));
      if (ticket !== state.ticket) return;
      state.result = result;
      state.page = result.page || page;
      state.loaded = true;
      render(result);
      const pages = pageCount(result.total, result.page_size || PAGE_SIZE);
      status.textContent = result.total
        ? `${foundText(result.total)}${pages > 1 ? `, page ${state.page} sur ${pages}` : ""}.`
        : foundText(0) + ".";
      if (focusCaption) document.getElementById(`${id}-legende`)?.focus();
    } catch (error) {
      if (ticket !== state.ticket || error.redirecting) return;
      status.textContent = "";
      const fields = Array.isArray(error.fields) ? error.fields : [];
      showError(fields.length ? `${error.message} ${fields.map((f) => f.message).join(" ")}` : error.message);
    } finally {
      if (ticket === state.ticket) results.removeAttribute("aria-busy");
    }
  }

  // ---------------------------------------------------------------- wiring
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.selected = null;
    load(input.value, 1);
  });

  validate.addEventListener("click", () => {
    clearErrorZone();
    if (!state.selected) {
      showError("Cochez d'abord le bouton radio d'une certification dans le tableau, puis cliquez sur Valider ma sélection.");
      return;
    }
    const answer = choose(state.selected) || {};
    if (answer.error) {
      showError(answer.error);
      return;
    }
    control.close(answer.focus || undefined);
  });

  cancel.addEventListener("click", () => control.close());

  return {
    open(opener) {
      state.selected = null;
      clearErrorZone();
      for (const radio of dialog.querySelectorAll('input[type="radio"]')) radio.checked = false;
      control.open(opener, input);
      if (!state.loaded) load(state.q, 1);
    },
  };
}
