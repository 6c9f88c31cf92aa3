// The certifications chosen for a formation, as a form edits them: each one with its validity, a radio
// button to make it the *principale* (the first of the sessions' competence blocks) and *Retirer*; and
// the magnifier button that opens the search dialog (*Rechercher une certification*). At most 5.
// Used by *Ajouter une formation* and the formation's edit form.

import { h, fill } from "./dom.js";
import { addChoice, choiceProblem, MAX_CERTIFICATIONS, removeChoice, setPrincipal } from "./certifications.js";
import { certificationDialog, magnifier } from "./certifications-dialogue.js";
import { certificationCard } from "./formation-vues.js";

/** What the page keeps of a search hit to show it once chosen (the shape of a formation's summary). */
export function summaryOf(hit) {
  return {
    code: hit.code,
    title: hit.title,
    active: hit.active,
    level: hit.level,
    registration_end: hit.registration_end || null,
    url: hit.url || "",
    successors: hit.successors || [],
    known: true,
  };
}

/**
 * @param {{id: string, get: () => {code: string, principal: boolean}[], set: (list: object[]) => void,
 *   known: Map<string, object>, onChange?: () => void, say?: (message: string) => void}} options
 *   known: what is known of each code (the formation's summaries, the hits chosen); say: a polite announcement
 * @returns {{element: HTMLElement, button: HTMLButtonElement, error: HTMLElement, render: () => void}}
 */
export function certificationsChoice({ id, get, set, known, onChange = () => {}, say = () => {} }) {
  const heading = h("p", { class: "champ__libelle", id: `${id}-titre`, tabindex: "-1" }, "Certifications choisies");
  const help = h(
    "p",
    { class: "champ__aide", id: `${id}-aide` },
    `${MAX_CERTIFICATIONS} certifications au plus. Avec plusieurs certifications, le stagiaire valide ces différents ` +
      "titres au cours de sa session (tout ou partie des blocs de compétences) ; la certification principale vient en " +
      "premier dans les blocs de compétences des sessions.",
  );
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  const list = h("div", { class: "certifications-choisies" });
  const button = h(
    "button",
    { type: "button", class: "bouton bouton--secondaire bouton--recherche", id: `${id}-rechercher`, "aria-describedby": help.id },
    magnifier(),
    "Rechercher une certification",
  );

  const dialog = certificationDialog({
    choose(hit) {
      const problem = choiceProblem(hit);
      if (problem) return { error: problem };
      const added = addChoice(get(), hit.code);
      if (added.error) return { error: added.error };
      known.set(hit.code, summaryOf(hit));
      set(added.list);
      render();
      onChange();
      say(`Certification ${hit.code} ajoutée : ${hit.title}.`);
      return { focus: heading };
    },
  });
  button.addEventListener("click", () => dialog.open(button));

  function remove(code) {
    const before = get();
    const index = before.findIndex((c) => c.code === code);
    set(removeChoice(before, code));
    render();
    onChange();
    say(`Certification ${code} retirée.`);
    const buttons = list.querySelectorAll(".certification__retirer");
    (buttons[Math.min(index, buttons.length - 1)] || button).focus();
  }

  function principal(code) {
    set(setPrincipal(get(), code));
    onChange();
    say(`La certification ${code} est maintenant la principale.`);
  }

  function card(choice) {
    const info = known.get(choice.code) || { code: choice.code, title: choice.code, known: false, active: false };
    const radioId = `${id}-principale-${choice.code}`;
    const radio = h("input", { type: "radio", name: `${id}-principale`, id: radioId, value: choice.code, checked: choice.principal });
    radio.addEventListener("change", () => radio.checked && principal(choice.code));
    return certificationCard(
      { ...info, principal: choice.principal },
      {
        principal: h(
          "div",
          { class: "case certification__principale" },
          radio,
          h("label", { for: radioId }, "Certification principale", h("span", { class: "visuellement-cache" }, ` : ${choice.code}`)),
        ),
        actions: h(
          "button",
          { type: "button", class: "bouton bouton--danger bouton--petit certification__retirer", onclick: () => remove(choice.code) },
          "Retirer",
          h("span", { class: "visuellement-cache" }, ` la certification ${choice.code}`),
        ),
      },
    );
  }

  function render() {
    const chosen = get();
    if (!chosen.length) {
      fill(list, h("p", { class: "vide" }, "Aucune certification choisie : cliquez sur Rechercher une certification."));
      return;
    }
    fill(
      list,
      h(
        "fieldset",
        { class: "groupe groupe--certifications" },
        h("legend", { class: "visuellement-cache" }, "Certification principale"),
        h("ul", { class: "certifications" }, chosen.map(card)),
      ),
    );
  }

  render();
  const element = h("div", { class: "champ champ--certifications", id }, heading, help, error, list, button);
  return { element, button, error, render };
}
