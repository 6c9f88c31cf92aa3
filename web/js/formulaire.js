// Errors of a form, the same way on every page: each message next to its field (linked with
// aria-describedby, the field marked aria-invalid), a summary in an alert region that gets the focus,
// links from the summary to the fields, and the page title prefixed with "Erreur — ".

import { h, fill } from "./dom.js";

/**
 * @typedef {object} Field
 * @property {HTMLElement} input the control (its aria-describedby, as written in the HTML, is kept)
 * @property {HTMLElement} error the <p class="champ__erreur" hidden> next to it
 * @property {string} label what the summary calls it
 * @property {HTMLElement} [focus] what the summary's link focuses (the input by default)
 * @property {boolean} [noInvalid] do not set aria-invalid (buttons do not support it)
 */

export class FormErrors {
  /**
   * @param {{zone: HTMLElement, fields: Record<string, Field>, heading?: string, title?: string}} options
   *   zone: the summary region (role="alert" tabindex="-1"); fields: by the names the API gives them;
   *   heading: the summary's title; title: the page title without errors.
   */
  constructor({ zone, fields, heading = "Le formulaire contient des erreurs", title = document.title }) {
    this.zone = zone;
    this.fields = fields;
    this.heading = heading;
    this.title = title;
    for (const field of Object.values(fields)) {
      field.baseDescribedBy = field.input.getAttribute("aria-describedby") || "";
    }
  }

  /** Forgets every message (the fields, the summary, the title). */
  clear() {
    this.zone.replaceChildren();
    document.title = this.title;
    for (const name of Object.keys(this.fields)) this.clearField(name);
  }

  clearField(name) {
    const field = this.fields[name];
    if (!field) return;
    field.error.hidden = true;
    field.error.textContent = "";
    field.input.removeAttribute("aria-invalid");
    field.input.closest(".champ")?.classList.remove("champ--erreur");
    if (field.baseDescribedBy) field.input.setAttribute("aria-describedby", field.baseDescribedBy);
    else field.input.removeAttribute("aria-describedby");
  }

  /** Writes `text` next to the field `name` (without touching the summary). */
  markField(name, text) {
    const field = this.fields[name];
    if (!field) return;
    fill(field.error, h("span", { class: "visuellement-cache" }, "Erreur : "), text);
    field.error.hidden = false;
    if (!field.noInvalid) field.input.setAttribute("aria-invalid", "true");
    field.input.setAttribute("aria-describedby", [field.baseDescribedBy, field.error.id].filter(Boolean).join(" "));
    field.input.closest(".champ")?.classList.add("champ--erreur");
  }

  /**
   * Shows `message` in the summary, every field message next to its field, and focuses the summary.
   * @param {string} message
   * @param {{field: string, message: string}[]} fieldErrors
   * @param {{heading?: string, after?: Node|Node[]}} options after: more content (a link…) at the end
   */
  show(message, fieldErrors = [], { heading, after } = {}) {
    const known = [];
    const seen = new Set();
    for (const item of fieldErrors) {
      if (!this.fields[item.field]) continue;
      if (seen.has(item.field)) continue; // one message per field, the first one
      seen.add(item.field);
      known.push(item);
      this.markField(item.field, item.message);
    }
    const links = known.map(({ field: name, message: text }) => {
      const field = this.fields[name];
      const target = field.focus || field.input;
      return h(
        "li",
        {},
        h(
          "a",
          {
            href: `#${target.id}`,
            onclick: (event) => {
              event.preventDefault();
              target.focus();
            },
          },
          `${field.label} : ${text}`,
        ),
      );
    });
    const others = fieldErrors.filter((f) => !this.fields[f.field]).map((f) => h("li", {}, f.message));
    const list = links.length || others.length ? h("ul", { class: "alerte__liste" }, links, others) : null;
    // The general message is not repeated when it only says "correct the fields below".
    fill(
      this.zone,
      h(
        "div",
        { class: "alerte alerte--erreur" },
        h("p", { class: "alerte__titre" }, heading || this.heading),
        h("p", {}, message),
        list,
        after || null,
      ),
    );
    document.title = `Erreur — ${this.title}`;
    this.zone.focus();
  }
}

/** The API error's field list, or an empty list. */
export function fieldsOf(error) {
  return error && Array.isArray(error.fields) ? error.fields : [];
}

/**
 * Wires a "show / hide" button to a password field, like the sign-in page.
 * @param {HTMLInputElement} input
 * @param {HTMLButtonElement} button with a [data-bascule-verbe] span ("Afficher" / "Masquer")
 * @param {HTMLElement} status a polite live region that says what happened
 * @param {string} what e.g. "Votre mot de passe"
 * @returns {(visible: boolean) => void} to hide the password again (before sending, for instance)
 */
export function passwordToggle(input, button, status, what) {
  const verb = button.querySelector("[data-bascule-verbe]");
  const show = (visible) => {
    input.type = visible ? "text" : "password";
    verb.textContent = visible ? "Masquer" : "Afficher";
  };
  button.addEventListener("click", () => {
    const visible = input.type === "password";
    show(visible);
    status.textContent = visible ? `${what} est affiché.` : `${what} est masqué.`;
  });
  return show;
}
