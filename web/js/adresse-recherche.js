// *Rechercher une adresse* (the guide: "saisissez l'adresse dans Rechercher une adresse. Sélectionnez
// l'adresse, les champs seront automatiquement renseignés et l'adresse géolocalisée"), and the *saisie
// manuelle* box for the rest: an address of the session form (a place of training, the registration place,
// an RDVI or ICO). The completion asks GET /addresses as one types (3 characters at least); each hit is a
// button; a hit outside the region shows the API's message. The manual entry shows the address's fields
// (first line, complement, locality, postal code, city, INSEE code).

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { addressFromHit, addressText, emptyAddress, pathId } from "./session-etat.js";
import { textInput } from "./session-champs.js";

const DELAY = 300;
const MIN_QUERY = 3;

const PARTS = [
  ["line1", "Adresse (1re ligne) : numéro et voie", 50, "address-line1"],
  ["line2", "Complément d'adresse (2e ligne)", 50, "address-line2"],
  ["line3", "Lieu-dit, boîte postale (3e ligne)", 50, "address-line3"],
  ["postal_code", "Code postal", 5, "postal-code"],
  ["city", "Ville", 50, "address-level2"],
  ["insee_code", "Code INSEE de la commune", 5, "off"],
];

/**
 * @param {{registry: import("./session-champs.js").Registry, path: string, what: string,
 *   get: () => object|null, set: (address: object|null) => void, onChange: () => void, say: (m: string) => void}} options
 *   path: the address's path in the API's messages ("places.0.address"); what: which address, for the
 *   labels of screen readers ("du lieu de formation n° 1")
 * @returns {HTMLElement}
 */
export function addressBlock({ registry, path, what, get, set, onChange, say }) {
  const id = pathId(path);
  const current = () => get() || null;
  const summary = h("p", { class: "adresse__resume", id: `${id}-resume` });
  const outside = h("div", { class: "champ__attention", id: `${id}-hors-region`, hidden: true });
  const status = h("p", { class: "adresse__etat", role: "status", id: `${id}-etat` });
  const results = h("ul", { class: "adresse__resultats", id: `${id}-resultats`, hidden: true });
  const input = h("input", {
    type: "search",
    id: `${id}-recherche`,
    class: "champ__saisie",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "200",
    "aria-describedby": `${id}-recherche-aide ${summary.id}`,
    "aria-controls": results.id,
  });
  const searchButton = h("button", { type: "button", class: "bouton bouton--secondaire" }, "Rechercher", h("span", { class: "visuellement-cache" }, ` l'adresse ${what}`));
  const manual = h("input", { type: "checkbox", id: `${id}-manuelle` });
  const manualFields = h("div", { class: "adresse__manuelle", id: `${id}-champs`, hidden: true });
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  const warning = h("div", { class: "champ__attention", id: `${id}-attention`, hidden: true });

  function showSummary() {
    const address = current();
    const text = addressText(address);
    fill(
      summary,
      h("span", { class: "adresse__resume-libelle" }, "Adresse retenue : "),
      text || "aucune adresse pour l'instant.",
      address?.insee_code ? ` (code INSEE ${address.insee_code})` : "",
    );
  }

  // ---------------------------------------------------------------- the manual entry
  const inputs = {};
  function buildManual() {
    const address = current() || emptyAddress();
    const rows = PARTS.map(([name, label, max, autocomplete]) => {
      const control = textInput(address[name], {
        id: `${id}-${name.replace(/_/g, "-")}`,
        maxLength: String(max),
        autocomplete,
        class: name === "postal_code" || name === "insee_code" ? "champ__saisie champ__saisie--court" : "champ__saisie",
      });
      inputs[name] = control;
      const fieldError = h("p", { class: "champ__erreur", id: `${control.id}-erreur`, hidden: true });
      registry.add(`${path}.${name}`, { input: control, error: fieldError, reveal: () => openManual(true) });
      control.addEventListener("input", () => {
        const next = { ...(current() || emptyAddress()), [name]: control.value };
        if (name !== "line2" && name !== "line3") {
          next.latitude = null; // typed by hand: no longer the geolocated address
          next.longitude = null;
        }
        set(next);
        showSummary();
        onChange();
      });
      return h(
        "div",
        { class: "champ champ--compact" },
        h("label", { class: "champ__libelle", for: control.id }, label, h("span", { class: "visuellement-cache" }, ` ${what}`)),
        fieldError,
        control,
      );
    });
    fill(
      manualFields,
      h(
        "p",
        { class: "champ__aide" },
        "France Travail ne lit pas la ligne « nom de la structure » : n'hésitez pas à mentionner le nom avant " +
          "l'adresse, en 1re ligne. Code postal et code INSEE : 5 caractères, différents de 00000.",
      ),
      h("div", { class: "champs-cote" }, rows),
    );
  }

  function refreshManual() {
    const address = current() || emptyAddress();
    for (const [name, control] of Object.entries(inputs)) control.value = address[name] ?? "";
  }

  function openManual(open) {
    manual.checked = open;
    manualFields.hidden = !open;
  }

  manual.addEventListener("change", () => {
    openManual(manual.checked);
    if (manual.checked) inputs.line1?.focus();
  });

  // ---------------------------------------------------------------- the search
  let timer = null;
  let ticket = 0;

  function choose(hit) {
    const before = current() || {};
    set(addressFromHit(hit, before));
    showSummary();
    refreshManual();
    fill(results);
    results.hidden = true;
    input.value = "";
    if (hit.message && !hit.in_region) {
      fill(outside, h("p", {}, hit.message));
      outside.hidden = false;
    } else {
      outside.hidden = true;
    }
    status.textContent = "";
    say(`Adresse retenue : ${addressText(current())}.${hit.in_region === false && hit.message ? ` ${hit.message}` : ""}`);
    onChange();
    input.focus();
  }

  async function search({ announceEmpty = true } = {}) {
    const q = input.value.trim();
    if (q.replace(/[^0-9A-Za-zÀ-ÿ]/g, "").length < MIN_QUERY) {
      if (announceEmpty) status.textContent = "Saisissez au moins 3 lettres ou chiffres de l'adresse.";
      return;
    }
    const mine = ++ticket;
    status.textContent = "Recherche des adresses…";
    try {
      const hits = await api(`/addresses?${new URLSearchParams({ q, limit: "6" })}`);
      if (mine !== ticket) return;
      const list = Array.isArray(hits) ? hits : [];
      fill(
        results,
        list.map((hit) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "adresse__choix", onclick: () => choose(hit) },
              hit.label,
              hit.in_region === false ? h("span", { class: "adresse__hors-region" }, " — hors région") : null,
            ),
          ),
        ),
      );
      results.hidden = !list.length;
      status.textContent = list.length
        ? `${list.length} ${list.length > 1 ? "adresses trouvées" : "adresse trouvée"} : choisissez-en une dans la liste qui suit.`
        : "Aucune adresse trouvée : précisez la recherche, ou cochez Saisie manuelle.";
    } catch (failure) {
      if (mine !== ticket || failure.redirecting) return;
      fill(results);
      results.hidden = true;
      status.textContent = failure.message || "La recherche d'adresse n'a pas abouti : cochez Saisie manuelle.";
      if (failure.status === 503) openManual(true);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search({ announceEmpty: false }), DELAY);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      search();
    } else if (event.key === "ArrowDown" && !results.hidden) {
      event.preventDefault();
      results.querySelector("button")?.focus();
    } else if (event.key === "Escape" && !results.hidden) {
      event.preventDefault();
      results.hidden = true;
    }
  });
  results.addEventListener("keydown", (event) => {
    const buttons = [...results.querySelectorAll("button")];
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      (buttons[index + 1] || buttons[0]).focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (index ? buttons[index - 1] : input).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      results.hidden = true;
      input.focus();
    }
  });
  searchButton.addEventListener("click", () => {
    clearTimeout(timer);
    search();
  });

  buildManual();
  showSummary();
  registry.add(path, { input, error, warning, focus: input });
  const manualId = manual.id;
  return h(
    "div",
    { class: "adresse", "data-chemin": path },
    warning,
    error,
    summary,
    h(
      "div",
      { class: "champ champ--compact" },
      h("label", { class: "champ__libelle", for: input.id }, "Rechercher une adresse", h("span", { class: "visuellement-cache" }, ` ${what}`)),
      h(
        "p",
        { class: "champ__aide", id: `${id}-recherche-aide` },
        "Saisissez le numéro, la voie et la ville, puis choisissez l'adresse dans la liste : les champs sont renseignés " +
          "et l'adresse géolocalisée.",
      ),
      h("div", { class: "champ__groupe" }, input, searchButton),
      status,
      results,
      outside,
    ),
    h("div", { class: "case adresse__case" }, manual, h("label", { for: manualId }, "Saisie manuelle", h("span", { class: "visuellement-cache" }, ` de l'adresse ${what}`))),
    manualFields,
  );
}
