// The guide's password policy, as ofeli.domain.passwords checks it (the API checks it again, and decides):
// 8 characters minimum, an upper-case letter, and a character that is neither a letter, a digit nor a space.
// `missingRules` is pure (tested with node --test); `watchRules` shows the rules as they are met and
// `watchMatch` whether the confirmation is the same, on the pages that choose a password (activation,
// Mon compte).

import { h, fill } from "./dom.js";

/** The rules, in the order the pages list them (`data-regle` names them in the HTML). */
export const PASSWORD_RULES = [
  { id: "longueur", label: "8 caractères minimum", met: (value) => [...value].length >= 8 },
  { id: "majuscule", label: "une majuscule", met: (value) => /\p{Lu}/u.test(value) },
  { id: "special", label: "un caractère spécial", met: (value) => /[^\p{L}\p{N}\s]/u.test(value) },
];

/** The labels of the rules `value` does not meet yet ([] when it meets them all). */
export function missingRules(value) {
  const text = String(value ?? "");
  return PASSWORD_RULES.filter((rule) => !rule.met(text)).map((rule) => rule.label);
}

/** What is announced once the person pauses: what is missing, or that every rule is met. */
export function rulesSummary(value) {
  const missing = missingRules(value);
  return missing.length ? `Il manque : ${missing.join(", ")}.` : "Toutes les règles du mot de passe sont respectées.";
}

/**
 * Marks each rule of `list` (its `[data-regle]` items, with `.regle__icone` and `.regle__etat`) met or not
 * as `input` changes, and announces the summary politely in `announcement` once typing pauses.
 * @returns {() => void} updates the marks now (after the field was emptied by the page, for instance)
 */
export function watchRules(input, list, announcement) {
  let timer = null;
  let last = "";
  const update = () => {
    const value = input.value;
    for (const item of list.querySelectorAll("[data-regle]")) {
      const rule = PASSWORD_RULES.find((r) => r.id === item.dataset.regle);
      const met = Boolean(rule && rule.met(value));
      item.classList.toggle("regle--ok", met);
      item.querySelector(".regle__icone").textContent = met ? "✓" : "✗";
      item.querySelector(".regle__etat").textContent = met ? "(respecté)" : "(non respecté)";
    }
    // Announced politely, once the person pauses, and only when something changed.
    window.clearTimeout(timer);
    if (!value) return;
    timer = window.setTimeout(() => {
      const text = rulesSummary(value);
      if (text !== last) {
        last = text;
        announcement.textContent = text;
      }
    }, 700);
  };
  input.addEventListener("input", update);
  update();
  return update;
}

/**
 * Says under `confirmation` (in `match`, a role="status" paragraph) whether it is the same as `password`.
 * @returns {() => void} updates it now (after the page emptied the fields, for instance)
 */
export function watchMatch(password, confirmation, match) {
  const update = () => {
    if (!confirmation.value) {
      match.replaceChildren();
      match.className = "correspondance";
      return;
    }
    const same = confirmation.value === password.value;
    match.className = same ? "correspondance correspondance--ok" : "correspondance correspondance--non";
    fill(
      match,
      h("span", { class: "correspondance__icone", "aria-hidden": "true" }, same ? "✓" : "✗"),
      same ? "Les deux mots de passe sont identiques." : "Les deux mots de passe ne sont pas identiques.",
    );
  };
  password.addEventListener("input", update);
  confirmation.addEventListener("input", update);
  return update;
}
