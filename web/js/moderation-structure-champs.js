// The moderators' page of a structure: what its sections share — a section with its *Corriger* button, an
// inline correction form (fields, error summary, Enregistrer / Annuler), and read-only definition lists.

import { h } from "./dom.js";
import { FormErrors } from "./formulaire.js";

/** <dl> of [label, value] pairs (a value may be a node); empty values say "Non renseigné". */
export function details(pairs) {
  return h(
    "dl",
    { class: "carte__donnees" },
    pairs.map(([label, value]) => [
      h("dt", {}, label),
      h("dd", {}, value === null || value === undefined || value === "" ? h("span", { class: "vide" }, "Non renseigné") : value),
    ]),
  );
}

/**
 * A text field of a correction form.
 * @returns {{element: HTMLElement, input: HTMLInputElement, error: HTMLElement, label: string}}
 */
export function textField({ id, label, value, help, type = "text", maxlength, inputmode, width, required = false }) {
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  const input = h("input", {
    class: `champ__saisie${width === "court" ? " champ__saisie--court" : ""}`,
    type,
    id,
    name: id,
    maxlength,
    inputmode,
    autocomplete: "off",
    spellcheck: type === "text" ? null : "false",
    required,
    "aria-describedby": help ? `${id}-aide` : null,
  });
  input.value = value ?? "";
  const element = h(
    "div",
    { class: "champ" },
    h("label", { class: "champ__libelle", for: id }, label),
    help ? h("p", { class: "champ__aide", id: `${id}-aide` }, help) : null,
    error,
    input,
  );
  return { element, input, error, label };
}

/**
 * A section of the record: its title (focusable: the focus goes there after a correction), an optional note,
 * its body (read-only content or the correction form) and, when it can be corrected, its *Corriger* button
 * (named "Corriger `what`" for screen readers).
 * @param {{id: string, title: string, what: string, note?: Node, form?: boolean, extra?: Node}} options
 * @returns {{element: HTMLElement, heading: HTMLElement, body: HTMLElement, button: HTMLButtonElement|null}}
 */
export function section({ id, title, what, note, view, form, extra }) {
  const heading = h("h2", { id: `titre-${id}`, class: "carte__titre", tabindex: "-1" }, title);
  const body = h("div", { class: "rubrique__contenu" });
  const element = h("section", { class: "carte rubrique", id: `rubrique-${id}`, "aria-labelledby": `titre-${id}` });
  const button = form
    ? h("button", { type: "button", class: "bouton bouton--secondaire", id: `corriger-${id}` }, "Corriger", h("span", { class: "visuellement-cache" }, ` ${what}`))
    : null;
  element.append(h("div", { class: "rubrique__entete" }, heading, button), note || null, body, extra || null);
  return { element, heading, body, button };
}

/**
 * The correction form of a section.
 * @param {{id: string, what: string, fields: Record<string, {element: Node, input: HTMLElement, error: HTMLElement, label: string}>,
 *   content?: Node[], onSubmit: (errors: FormErrors) => void, onCancel: () => void, title: string}} options
 *   fields: by the API's names ("address.city"); content: what goes in the form instead of the fields' elements
 */
export function correctionForm({ id, what, fields, content, onSubmit, onCancel, title }) {
  const zone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1", id: `${id}-erreurs` });
  const save = h("button", { type: "submit", class: "bouton bouton--principal", id: `${id}-enregistrer` }, "Enregistrer la correction");
  const cancel = h("button", { type: "button", class: "bouton bouton--secondaire", id: `${id}-annuler`, onclick: onCancel }, "Annuler");
  const form = h(
    "form",
    { class: "formulaire rubrique__formulaire", novalidate: true, "aria-label": `Corriger ${what}` },
    zone,
    content || Object.values(fields).map((f) => f.element),
    h("div", { class: "actions" }, save, cancel),
  );
  const errors = new FormErrors({ zone, fields, heading: "La correction n'a pas été enregistrée", title });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (save.disabled) return;
    errors.clear();
    onSubmit(errors);
  });
  const setBusy = (busy) => {
    save.disabled = busy;
    cancel.disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
  };
  return { form, errors, setBusy, first: () => Object.values(fields)[0]?.input };
}
