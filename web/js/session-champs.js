// The parts every section of the session form is made of: a labelled field (its help, the guide's
// recommendation, its error, linked with aria-describedby), the red star, selects and boxes, lists with
// *Ajouter* / *Retirer*, and the registry that puts each message of the API next to its field (by the
// path the API names it with: `funding.0.measure`, or the nearest part of the form that has one).

import { h, fill } from "./dom.js";
import { pathId, pathLabel, REQUIRED, targetPath } from "./session-etat.js";
import { cleanOnPaste } from "./texte-colle.js";

export function star() {
  return h(
    "span",
    { class: "marque-obligatoire" },
    h("span", { class: "obligatoire", "aria-hidden": "true" }, " *"),
    h("span", { class: "visuellement-cache" }, " (obligatoire)"),
  );
}

/**
 * Where the messages of the API go: each registered path has an error element (and a warning one), and
 * a control that gets aria-invalid and aria-describedby; a message on a deeper path goes to its nearest
 * registered parent.
 */
export class Registry {
  constructor() {
    this.entries = new Map();
  }

  /**
   * @param {string} path e.g. "funding.0.measure"
   * @param {{input: HTMLElement, error: HTMLElement, warning?: HTMLElement, label?: string, focus?: HTMLElement,
   *   noInvalid?: boolean, reveal?: () => void}} entry reveal: makes the control visible (a closed manual entry)
   */
  add(path, entry) {
    entry.base = entry.input.getAttribute("aria-describedby") || "";
    entry.label ||= pathLabel(path);
    this.entries.set(path, entry);
    return entry;
  }

  target(path) {
    return targetPath(path, this.entries);
  }

  entry(path) {
    return this.entries.get(this.target(path)) || null;
  }

  /** Shows errors and warnings ([{path, message}]) next to their fields. Returns those with no place. */
  show(errors = [], warnings = []) {
    const grouped = new Map();
    const lost = [];
    for (const [kind, list] of [["error", errors], ["warning", warnings]]) {
      for (const item of list) {
        const path = this.target(item.path);
        if (!path) {
          if (kind === "error") lost.push(item);
          continue;
        }
        const slot = grouped.get(path) || { error: [], warning: [] };
        if (!slot[kind].includes(item.message)) slot[kind].push(item.message);
        grouped.set(path, slot);
      }
    }
    for (const [path, slot] of grouped) {
      const entry = this.entries.get(path);
      const described = [entry.base];
      if (slot.warning.length && entry.warning) {
        fill(
          entry.warning,
          h("span", { class: "visuellement-cache" }, "Recommandation : "),
          slot.warning.map((w) => h("p", {}, w)),
        );
        entry.warning.hidden = false;
        described.push(entry.warning.id);
      }
      if (slot.error.length) {
        fill(
          entry.error,
          h("span", { class: "visuellement-cache" }, "Erreur : "),
          slot.error.length > 1 ? h("span", {}, slot.error.join(" ")) : slot.error[0],
        );
        entry.error.hidden = false;
        described.push(entry.error.id);
        if (!entry.noInvalid) entry.input.setAttribute("aria-invalid", "true");
        entry.input.closest(".champ, .session-ligne, .groupe")?.classList.add("champ--erreur");
        entry.reveal?.();
      }
      const value = described.filter(Boolean).join(" ");
      if (value) entry.input.setAttribute("aria-describedby", value);
    }
    return lost;
  }

  /** Focuses the field of `path` (or its nearest parent's); false when there is none. */
  focus(path) {
    const entry = this.entry(path);
    if (!entry) return false;
    entry.reveal?.();
    const target = entry.focus || entry.input;
    target.scrollIntoView?.({ block: "center" });
    target.focus();
    return true;
  }
}

/**
 * A labelled field. `control` gets the id of its path when it has none.
 * @returns {HTMLElement} the `.champ` block
 */
export function field(registry, path, label, control, { help = "", required = REQUIRED.includes(path), after = null, hint = null } = {}) {
  control.id ||= pathId(path);
  const id = control.id;
  const helpElement = help ? h("p", { class: "champ__aide", id: `${id}-aide` }, help) : null;
  if (helpElement) control.setAttribute("aria-describedby", helpElement.id);
  const warning = h("div", { class: "champ__attention", id: `${id}-attention`, hidden: true });
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  if (required) control.setAttribute("aria-required", "true");
  registry.add(path, { input: control, error, warning, label: pathLabel(path) });
  return h(
    "div",
    { class: "champ", "data-chemin": path },
    h("label", { class: "champ__libelle", for: id }, label, required ? star() : null),
    helpElement,
    hint,
    warning,
    error,
    control,
    after,
  );
}

/** A group of fields (a list, a choice): its legend, help, and the error of its path. */
export function group(registry, path, legend, children, { help = "", required = false, focus = null, className = "" } = {}) {
  const id = pathId(path);
  const helpElement = help ? h("p", { class: "groupe__aide", id: `${id}-aide` }, help) : null;
  const warning = h("div", { class: "champ__attention", id: `${id}-attention`, hidden: true });
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  const element = h(
    "fieldset",
    { class: `groupe session-groupe ${className}`.trim(), id, "aria-describedby": helpElement ? helpElement.id : null },
    h("legend", { class: "session-groupe__titre" }, legend, required ? star() : null),
    helpElement,
    warning,
    error,
    children,
  );
  registry.add(path, { input: element, error, warning, focus: focus || element, noInvalid: true });
  if (!focus) element.setAttribute("tabindex", "-1");
  return element;
}

/** A section of the form (*Dates de la session*, *Organisation de la session*…). */
export function section(id, title, children, { help = "" } = {}) {
  return h(
    "section",
    { class: "session-section", "aria-labelledby": id },
    h("h4", { id, class: "session-section__titre" }, title),
    help ? h("p", { class: "fiche-rubrique__aide" }, help) : null,
    children,
  );
}

export function textInput(value, { type = "text", maxLength = null, oneLine = true, ...attributes } = {}) {
  const input = h("input", { type, class: "champ__saisie", autocomplete: "off", maxlength: maxLength, ...attributes });
  input.value = value ?? "";
  if (type === "text") cleanOnPaste(input, { oneLine });
  return input;
}

export function textArea(value, { rows = 4, ...attributes } = {}) {
  const area = h("textarea", { class: "champ__saisie", rows: String(rows), spellcheck: "true", ...attributes });
  area.value = value ?? "";
  cleanOnPaste(area);
  return area;
}

export function numberInput(value, { min = null, max = null, ...attributes } = {}) {
  const input = h("input", {
    type: "number",
    class: "champ__saisie champ__saisie--court",
    inputmode: "numeric",
    step: "1",
    min,
    max,
    ...attributes,
  });
  input.value = value === null || value === undefined ? "" : String(value);
  return input;
}

/** A select of [code, label] pairs, with a first empty choice when `empty` is given. */
export function selectInput(choices, value, { empty = null, ...attributes } = {}) {
  const select = h(
    "select",
    { class: "champ__saisie", ...attributes },
    empty !== null ? h("option", { value: "" }, empty) : null,
    choices.map(([code, label]) => h("option", { value: code }, label)),
  );
  select.value = value ?? "";
  return select;
}

export function checkbox(id, label, checked, { help = "" } = {}) {
  const input = h("input", { type: "checkbox", id, checked, "aria-describedby": help ? `${id}-aide` : null });
  const element = h(
    "div",
    { class: "champ champ--case" },
    h("div", { class: "case" }, input, h("label", { for: id }, label)),
    help ? h("p", { class: "champ__aide champ__aide--case", id: `${id}-aide` }, help) : null,
  );
  return { element, input };
}

/** A small button that removes a line of a list (its name says which line). */
export function removeButton(what, onclick) {
  return h(
    "button",
    { type: "button", class: "bouton bouton--danger bouton--petit session-ligne__retirer", onclick },
    "Retirer",
    h("span", { class: "visuellement-cache" }, ` ${what}`),
  );
}

export function addButton(label, onclick, attributes = {}) {
  return h("button", { type: "button", class: "bouton bouton--secondaire bouton--petit", onclick, ...attributes }, label);
}

/** A read-only value of the form (computed, or set by the Carif-Oref), labelled as a field. */
export function readOnly(id, label, value, { help = "" } = {}) {
  return h(
    "div",
    { class: "champ" },
    h("p", { class: "champ__libelle", id: `${id}-libelle` }, label),
    help ? h("p", { class: "champ__aide" }, help) : null,
    h("p", { class: "champ__valeur", id }, value),
  );
}
