// The trainer organisation of a session (the guide: "cliquez sur la loupe : par défaut, vous avez accès à tous
// les organismes de formation référencés dans notre base. Affinez votre recherche via Rechercher ou via les
// filtres… Puis sélectionnez la structure en cochant le bouton radio à gauche puis cliquez sur Valider"), a
// modal dialog over GET /organisations (words of the name, SIRET or SIREN; city and department filters).
// Then the guide's question: update the place of training and the registration organisation too?

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { modal } from "./dialogue.js";
import { plural } from "./format.js";

const PAGE_SIZE = 10;
let count = 0;

export function organisationsPath({ q = "", city = "", department = "", page = 1 } = {}) {
  const params = new URLSearchParams();
  if (q.trim()) params.set("q", q.trim());
  if (city.trim()) params.set("city", city.trim());
  if (department.trim()) params.set("department", department.trim().toUpperCase());
  params.set("page", String(page));
  params.set("page_size", String(PAGE_SIZE));
  return `/organisations?${params}`;
}

/**
 * @param {{choose: (organisation: object, opener: HTMLElement) => void}} options
 *   choose: called with the chosen organisation once the dialog is closed
 * @returns {{open: (opener: HTMLElement) => void}}
 */
export function organisationDialog({ choose }) {
  const id = `organismes-${++count}`;
  const state = { page: 1, selected: null, ticket: 0, loaded: false, query: { q: "", city: "", department: "" } };
  let opener = null;
  let pending = null;

  const title = h("h2", { id: `${id}-titre`, class: "dialogue__titre" }, "Choisir l'organisme formateur");
  const help = h(
    "p",
    { id: `${id}-aide` },
    "Par défaut, tous les organismes de formation référencés sont listés. Affinez la recherche par le nom, le SIRET " +
      "ou le SIREN, la ville ou le département, puis cochez le bouton radio de la structure et cliquez sur Valider.",
  );
  const q = h("input", { type: "search", id: `${id}-q`, class: "champ__saisie", autocomplete: "off", maxlength: "200" });
  const city = h("input", { type: "text", id: `${id}-ville`, class: "champ__saisie", autocomplete: "off", maxlength: "80" });
  const department = h("input", {
    type: "text",
    id: `${id}-departement`,
    class: "champ__saisie champ__saisie--court",
    autocomplete: "off",
    maxlength: "3",
    "aria-describedby": `${id}-departement-aide`,
  });
  const form = h(
    "form",
    { class: "filtres", role: "search", "aria-label": "Organismes de formation", novalidate: true },
    h(
      "div",
      { class: "champs-cote" },
      h("div", { class: "champ champ--compact" }, h("label", { class: "champ__libelle", for: q.id }, "Nom, SIRET ou SIREN"), q),
      h("div", { class: "champ champ--compact" }, h("label", { class: "champ__libelle", for: city.id }, "Ville"), city),
      h(
        "div",
        { class: "champ champ--compact" },
        h("label", { class: "champ__libelle", for: department.id }, "Département"),
        h("p", { class: "champ__aide", id: `${id}-departement-aide` }, "Par exemple : 14, 2A."),
        department,
      ),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "bouton bouton--secondaire" }, "Rechercher")),
  );
  const status = h("p", { class: "etat", role: "status" });
  const errorZone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1" });
  const results = h("div", { class: "organismes-resultats" });
  const validate = h("button", { type: "button", class: "bouton bouton--principal" }, "Valider");
  const cancel = h("button", { type: "button", class: "bouton bouton--secondaire" }, "Annuler");
  const dialog = h(
    "dialog",
    { class: "dialogue dialogue--large", id, "aria-labelledby": title.id, "aria-describedby": help.id },
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

  function showError(message) {
    fill(errorZone, h("div", { class: "alerte alerte--erreur" }, h("p", { class: "alerte__titre" }, "Sélection impossible"), h("p", {}, message)));
    errorZone.focus();
  }

  function row(item, index) {
    const radioId = `${id}-choix-${index}`;
    const radio = h("input", { type: "radio", name: `${id}-choix`, id: radioId, value: item.siret, checked: state.selected?.siret === item.siret });
    radio.addEventListener("change", () => {
      if (radio.checked) state.selected = item;
      errorZone.replaceChildren();
    });
    return h(
      "tr",
      {},
      h("td", { class: "cellule--choix" }, radio, h("label", { for: radioId, class: "visuellement-cache" }, `Choisir ${item.name}, SIRET ${formatSiret(item.siret)}`)),
      h("th", { scope: "row" }, item.name),
      h("td", { class: "insecable" }, formatSiret(item.siret)),
      h("td", {}, [item.postal_code, item.city].filter(Boolean).join(" ") || "—"),
      h("td", {}, item.department || "—"),
      h("td", {}, item.has_nda ? "Oui" : "Non"),
      h("td", {}, item.qualiopi ? "Oui" : "Non"),
    );
  }

  function render(result) {
    const items = Array.isArray(result.items) ? result.items : [];
    if (!items.length) {
      fill(results, h("p", { class: "vide" }, "Aucun organisme ne correspond à cette recherche."));
      return;
    }
    const pages = Math.max(1, Math.ceil((result.total || 0) / (result.page_size || PAGE_SIZE)));
    const go = (page) => () => load(page, { focusCaption: true });
    fill(
      results,
      h(
        "div",
        { class: "tableau-defilant", role: "region", "aria-labelledby": `${id}-legende`, tabindex: "0" },
        h(
          "table",
          { class: "tableau" },
          h("caption", { id: `${id}-legende`, tabindex: "-1" }, `${plural(result.total, "organisme trouvé", "organismes trouvés")}${pages > 1 ? ` (page ${result.page} sur ${pages})` : ""}`),
          h("thead", {}, h("tr", {}, ["Choix", "Nom", "SIRET", "Ville", "Département", "NDA", "Qualiopi"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, items.map(row)),
        ),
      ),
      pages > 1
        ? h(
            "div",
            { class: "pagination", role: "group", "aria-label": "Pages de résultats" },
            result.page > 1 ? h("button", { type: "button", class: "bouton bouton--secondaire bouton--petit", onclick: go(result.page - 1) }, "Page précédente") : null,
            h("p", { class: "pagination__position" }, `Page ${result.page} sur ${pages}`),
            result.page < pages ? h("button", { type: "button", class: "bouton bouton--secondaire bouton--petit", onclick: go(result.page + 1) }, "Page suivante") : null,
          )
        : null,
    );
  }

  async function load(page, { focusCaption = false } = {}) {
    const ticket = ++state.ticket;
    errorZone.replaceChildren();
    status.textContent = "Recherche en cours…";
    results.setAttribute("aria-busy", "true");
    try {
      const result = await api(organisationsPath({ ...state.query, page }));
      if (ticket !== state.ticket) return;
      state.page = result.page || page;
      state.loaded = true;
      render(result);
      status.textContent = `${plural(result.total || 0, "organisme trouvé", "organismes trouvés")}.`;
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

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.query = { q: q.value, city: city.value, department: department.value };
    state.selected = null;
    load(1);
  });
  validate.addEventListener("click", () => {
    if (!state.selected) {
      showError("Cochez d'abord le bouton radio d'une structure dans le tableau, puis cliquez sur Valider.");
      return;
    }
    pending = state.selected;
    control.close(opener);
  });
  // After the dialog has closed (and the focus is back on its button): the choice goes to the page.
  dialog.addEventListener("close", () => {
    const chosen = pending;
    pending = null;
    if (chosen) choose(chosen, opener);
  });
  cancel.addEventListener("click", () => control.close());

  return {
    open(button) {
      opener = button;
      state.selected = null;
      errorZone.replaceChildren();
      for (const radio of dialog.querySelectorAll('input[type="radio"]')) radio.checked = false;
      control.open(button, q);
      if (!state.loaded) load(1);
    },
  };
}

/**
 * The guide's question after a trainer is chosen: "Si vous cliquez sur OUI, cela mettra à jour directement le
 * lieu de la formation ainsi que l'organisme d'inscription (mêmes données que l'OF formateur). Sinon, cochez non."
 * @returns {{ask: (name: string, opener: HTMLElement, answer: (yes: boolean) => void) => void}}
 */
export function placesQuestion() {
  const id = `question-lieux-${++count}`;
  const title = h("h2", { id: `${id}-titre`, class: "dialogue__titre" }, "Mettre à jour les lieux de la session ?");
  const text = h("div", { id: `${id}-texte` });
  const yes = h("button", { type: "button", class: "bouton bouton--principal" }, "Oui, mettre à jour");
  const no = h("button", { type: "button", class: "bouton bouton--secondaire" }, "Non");
  const dialog = h(
    "dialog",
    { class: "dialogue", id, "aria-labelledby": title.id, "aria-describedby": text.id },
    title,
    text,
    h("div", { class: "actions" }, yes, no),
  );
  document.body.append(dialog);
  const control = modal(dialog);
  let answer = null;
  let said = false;
  yes.addEventListener("click", () => {
    said = true;
    control.close();
  });
  no.addEventListener("click", () => {
    said = false;
    control.close();
  });
  // Once closed (Escape is a "Non"), the focus back on the opener: the page acts on the answer.
  dialog.addEventListener("close", () => {
    const then = answer;
    const yesSaid = said;
    answer = null;
    said = false;
    then?.(yesSaid);
  });
  return {
    ask(name, opener, then) {
      fill(
        text,
        h("p", {}, `L'organisme formateur est maintenant ${name}.`),
        h(
          "p",
          {},
          "Si vous répondez Oui, le lieu de la formation et le lieu d'inscription de la session prendront les données " +
            "de cet organisme formateur (son nom et son adresse : vérifiez-la ensuite et complétez son code INSEE avec " +
            "Rechercher une adresse). Sinon, répondez Non.",
        ),
      );
      answer = then;
      control.open(opener, yes);
    },
  };
}
