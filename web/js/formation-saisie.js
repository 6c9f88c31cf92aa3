// The formation's edit form (its draft): certification (with the search dialog), apprenticeship and
// Parcoursup / Affelnet, title, objective, content and expected results (with character counters and the
// cleaning of pasted text), cycle duration (required for apprenticeship), entry and exit levels, contact,
// website. The guide's recommendations the API found (warnings) are shown, not blocking, next to their
// fields. The form edits `form` (see formation-etat.js formFromDraft) in place and calls `onChange`.

import { h, formatSiret } from "./dom.js";
import { certificationsChoice } from "./certifications-choix.js";
import { contactText, counterText, MAX_TEXT, MAX_TITLE, warningsByField } from "./formation-etat.js";
import { LEVEL_GROUPS, levelLabel } from "./niveaux.js";
import { cleanOnPaste } from "./texte-colle.js";

function star() {
  return h(
    "span",
    { class: "marque-obligatoire" },
    h("span", { class: "obligatoire", "aria-hidden": "true" }, " *"),
    h("span", { class: "visuellement-cache" }, " (obligatoire)"),
  );
}

/** The parts of one field: its label, help, the API's warnings, its error, the control, a counter. */
function field(name, label, control, { help = "", warnings = [], counter = null, required = false } = {}) {
  const id = control.id;
  const described = [];
  const helpElement = help ? h("p", { class: "champ__aide", id: `${id}-aide` }, help) : null;
  if (helpElement) described.push(helpElement.id);
  const warningElement = warnings.length
    ? h(
        "div",
        { class: "champ__attention", id: `${id}-attention` },
        h("span", { class: "visuellement-cache" }, "Recommandation : "),
        warnings.map((w) => h("p", {}, w)),
      )
    : null;
  if (warningElement) described.push(warningElement.id);
  if (counter) described.push(counter.id);
  if (described.length) control.setAttribute("aria-describedby", described.join(" "));
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  const requiredMark = star();
  requiredMark.hidden = !required;
  const element = h(
    "div",
    { class: "champ", "data-champ": name },
    h("label", { class: "champ__libelle", for: id }, label, requiredMark),
    helpElement,
    warningElement,
    error,
    control,
    counter,
  );
  return { element, error, requiredMark };
}

function textControl(name, value, { multiline = false, maxLength }) {
  const id = `formation-${name.replace(/_/g, "-")}`;
  const control = multiline
    ? h("textarea", { id, name, class: "champ__saisie", rows: "7", spellcheck: "true" })
    : h("input", { type: "text", id, name, class: "champ__saisie", autocomplete: "off" });
  control.value = value;
  cleanOnPaste(control, { oneLine: !multiline });
  const counter = h("p", { class: "compte-caracteres", id: `${id}-compteur` }, counterText(value.length, maxLength));
  return { control, counter };
}

function select(name, options, value) {
  const control = h("select", { id: `formation-${name.replace(/_/g, "-")}`, name, class: "champ__saisie" }, options);
  control.value = value;
  return control;
}

function levelOptions(empty) {
  return [
    empty ? h("option", { value: "" }, empty) : null,
    LEVEL_GROUPS.map((group) =>
      h("optgroup", { label: group.label }, group.codes.map((code) => h("option", { value: code }, levelLabel(code)))),
    ),
  ];
}

function box(name, label, checked, help) {
  const id = `formation-${name}`;
  const input = h("input", { type: "checkbox", id, name, checked, "aria-describedby": help ? `${id}-aide` : null });
  const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
  const element = h(
    "div",
    { class: "champ champ--case", "data-champ": name },
    error,
    h("div", { class: "case" }, input, h("label", { for: id }, label)),
    help ? h("p", { class: "champ__aide champ__aide--case", id: `${id}-aide` }, help) : null,
  );
  return { element, input, error };
}

function radio(name, value, label, checked) {
  const id = `${name}-${value}`;
  return h("div", { class: "case" }, h("input", { type: "radio", name, id, value, checked }), h("label", { for: id }, label));
}

/**
 * @param {{form: object, view: object, contacts: object[], known: Map<string, object>, onChange: () => void,
 *   say: (message: string) => void}} options
 * @returns {{element: HTMLElement, fields: Record<string, {input: HTMLElement, error: HTMLElement, label: string,
 *   noInvalid?: boolean}>}} fields: for FormErrors, by the form's names (formation-etat.js fieldOf)
 */
export function editForm({ form, view, contacts, known, onChange, say }) {
  const warnings = warningsByField(view.warnings);
  const fields = {};
  const changed = () => onChange();

  // ---------------------------------------------------------------- certification
  const certifyingError = h("p", { class: "champ__erreur", id: "formation-certifiante-erreur", hidden: true });
  const yes = radio("formation-certifiante", "oui", "Oui", form.certifying);
  const no = radio("formation-certifiante", "non", "Non", !form.certifying);
  const choice = certificationsChoice({
    id: "formation-certifications",
    get: () => form.certifications,
    set: (list) => {
      form.certifications = list;
    },
    known,
    onChange: changed,
    say,
  });
  choice.element.hidden = !form.certifying;
  const question = h(
    "fieldset",
    { class: "groupe champ", "aria-describedby": "formation-certifiante-aide" },
    h("legend", { class: "champ__libelle" }, "La formation mène-t-elle à une certification ou une habilitation ?"),
    h(
      "p",
      { class: "champ__aide", id: "formation-certifiante-aide" },
      "Répondre Non retire les certifications choisies lors de la sauvegarde.",
    ),
    certifyingError,
    h("div", { class: "oui-non" }, no, yes),
  );
  for (const input of question.querySelectorAll("input")) {
    input.addEventListener("change", () => {
      form.certifying = question.querySelector("input:checked")?.value === "oui";
      choice.element.hidden = !form.certifying;
      changed();
    });
  }
  fields.certifying = { input: question.querySelector("input"), error: certifyingError, label: "Formation certifiante" };
  fields.certifications = {
    input: choice.button,
    error: choice.error,
    label: "Certifications",
    noInvalid: true,
  };
  const certificationWarnings = [...(warnings.certifications || []), ...(warnings.certifying || [])];

  const apprenticeship = box(
    "apprenticeship",
    "Formation en apprentissage (contrat d'apprentissage)",
    form.apprenticeship,
    "Une formation spécifique à ce dispositif. Indiquez dans l'intitulé les années accessibles et la mention " +
      "(en apprentissage), par exemple : Bac pro maintenance et efficacité énergétique - 1ère, 2ème et 3ème année " +
      "(en apprentissage).",
  );
  const parcoursup = box(
    "parcoursup",
    "Formation visée par Parcoursup ou Affelnet",
    form.parcoursup,
    "Une formation en apprentissage qui doit figurer dans Parcoursup ou Affelnet mène à une seule certification.",
  );
  fields.apprenticeship = { input: apprenticeship.input, error: apprenticeship.error, label: "Formation en apprentissage" };
  fields.parcoursup = { input: parcoursup.input, error: parcoursup.error, label: "Parcoursup ou Affelnet" };
  parcoursup.input.addEventListener("change", () => {
    form.parcoursup = parcoursup.input.checked;
    changed();
  });

  // ---------------------------------------------------------------- description
  const texts = {};
  const described = [
    ["title", "Intitulé de la formation", MAX_TITLE, false, true,
      "Lisible et explicite : évitez les acronymes, écrivez en minuscules accentuées (majuscule en début de phrase)."],
    ["objective", "Objectif", MAX_TEXT, true, true,
      "Compétence(s) à acquérir, à améliorer ou à entretenir : savoirs, savoir-faire, comportements. Rédigez de façon " +
        "synthétique, en minuscules accentuées. Attention aux caractères spéciaux des copier-coller : OFeli les retire."],
    ["content", "Contenu", MAX_TEXT, true, false,
      "Description détaillée des différents sujets traités dans la formation, en fonction de ses objectifs pédagogiques."],
    ["expected_results", "Résultats attendus", MAX_TEXT, true, false,
      "Ils matérialisent le passage en formation et en précisent les modalités de reconnaissance ou de validation."],
  ];
  for (const [name, label, max, multiline, required, help] of described) {
    const { control, counter } = textControl(name, form[name], { multiline, maxLength: max });
    const parts = field(name, label, control, { help, warnings: warnings[name] || [], counter, required });
    let over = control.value.length > max;
    counter.classList.toggle("compte-caracteres--trop", over);
    control.addEventListener("input", () => {
      form[name] = control.value;
      counter.textContent = counterText(control.value.length, max);
      const nowOver = control.value.length > max;
      counter.classList.toggle("compte-caracteres--trop", nowOver);
      if (nowOver !== over) {
        say(nowOver ? `${label} : plus de ${max} caractères, raccourcissez le texte.` : `${label} : longueur correcte.`);
        over = nowOver;
      }
      changed();
    });
    texts[name] = parts.element;
    fields[name] = { input: control, error: parts.error, label };
  }

  // ---------------------------------------------------------------- organisation
  const cycle = select(
    "cycle_years",
    [h("option", { value: "" }, "Non renseignée"), [1, 2, 3, 4, 5].map((n) => h("option", { value: String(n) }, n > 1 ? `${n} ans` : "1 an"))],
    form.cycle_years,
  );
  const cycleParts = field("cycle_years", "Durée de cycle (en années)", cycle, {
    help:
      "Obligatoire pour l'apprentissage : le nombre d'années nécessaires pour que le cycle de la formation soit validé " +
      "(de 1 à 5). Par exemple, pour un BTS en 2 ans : 2, qu'il soit accessible dès la 1re année ou seulement en 2e année.",
    warnings: warnings.cycle_years || [],
    required: form.apprenticeship,
  });
  const showCycleRequired = () => {
    cycleParts.requiredMark.hidden = !form.apprenticeship;
    if (form.apprenticeship) cycle.setAttribute("aria-required", "true");
    else cycle.removeAttribute("aria-required");
  };
  showCycleRequired();
  cycle.addEventListener("change", () => {
    form.cycle_years = cycle.value;
    changed();
  });
  apprenticeship.input.addEventListener("change", () => {
    form.apprenticeship = apprenticeship.input.checked;
    showCycleRequired();
    say(form.apprenticeship ? "La durée de cycle devient obligatoire." : "La durée de cycle n'est plus obligatoire.");
    changed();
  });
  fields.cycle_years = { input: cycle, error: cycleParts.error, label: "Durée de cycle" };

  const entry = select("entry_level", levelOptions(null), form.entry_level || "1");
  const exit = select("exit_level", levelOptions("Non renseigné"), form.exit_level);
  const entryParts = field("entry_level", "Niveau d'entrée", entry, {
    help: "« Sans niveau spécifique » par défaut : modifiez-le si besoin.",
    warnings: warnings.entry_level || [],
  });
  const exitParts = field("exit_level", "Niveau de sortie", exit, { warnings: warnings.exit_level || [] });
  entry.addEventListener("change", () => {
    form.entry_level = entry.value;
    changed();
  });
  exit.addEventListener("change", () => {
    form.exit_level = exit.value;
    changed();
  });
  fields.entry_level = { input: entry, error: entryParts.error, label: "Niveau d'entrée" };
  fields.exit_level = { input: exit, error: exitParts.error, label: "Niveau de sortie" };

  const contactOptions = [h("option", { value: "" }, "Aucun contact choisi")];
  for (const c of contacts) contactOptions.push(h("option", { value: c.id }, contactText(contacts, c.id)));
  if (form.contact_id && !contacts.some((c) => c.id === form.contact_id)) {
    contactOptions.push(h("option", { value: form.contact_id }, "Le contact choisi (il n'est plus un contact de la structure)"));
  }
  const contact = select("contact_id", contactOptions, form.contact_id);
  const contactParts = field("contact_id", "Contact de la formation", contact, {
    help: "Un des contacts de l'organisme responsable (voir la page Contacts).",
    warnings: warnings.contact_id || [],
  });
  contact.addEventListener("change", () => {
    form.contact_id = contact.value;
    changed();
  });
  fields.contact_id = { input: contact, error: contactParts.error, label: "Contact de la formation" };

  const website = h("input", {
    type: "url",
    id: "formation-website",
    name: "website",
    class: "champ__saisie",
    autocomplete: "url",
    spellcheck: "false",
  });
  website.value = form.website;
  const websiteParts = field("website", "Site internet de la formation", website, {
    help: "Une adresse qui commence par http:// ou https://, par exemple : https://www.organisme.fr/formations/boulanger",
    warnings: warnings.website || [],
  });
  website.addEventListener("input", () => {
    form.website = website.value;
    changed();
  });
  fields.website = { input: website, error: websiteParts.error, label: "Site internet de la formation" };

  const element = h(
    "form",
    { class: "formulaire formulaire--formation", id: "formulaire-formation", novalidate: true, "aria-labelledby": "titre-saisie" },
    h("h2", { id: "titre-saisie", class: "visuellement-cache" }, "Informations de la formation"),
    h(
      "p",
      { class: "formulaire__mention" },
      "Les champs marqués d'une étoile ",
      h("span", { class: "obligatoire", "aria-hidden": "true" }, "*"),
      " sont obligatoires pour soumettre la formation. Vous pouvez sauvegarder le brouillon à tout moment.",
    ),
    h(
      "fieldset",
      { class: "groupe" },
      h("legend", { class: "groupe__titre" }, "Certification"),
      question,
      certificationWarnings.length
        ? h("div", { class: "champ__attention" }, certificationWarnings.map((w) => h("p", {}, w)))
        : null,
      choice.element,
      apprenticeship.element,
      parcoursup.element,
    ),
    h(
      "fieldset",
      { class: "groupe" },
      h("legend", { class: "groupe__titre" }, "Description"),
      Object.values(texts),
    ),
    h(
      "fieldset",
      { class: "groupe" },
      h("legend", { class: "groupe__titre" }, "Organisation"),
      h(
        "div",
        { class: "champ" },
        h("p", { class: "champ__libelle" }, "Organisme responsable"),
        h("p", {}, view.responsible_name, " (SIRET ", h("span", { class: "insecable" }, formatSiret(view.siret)), ")"),
        h(
          "p",
          { class: "champ__aide" },
          "L'organisme responsable est celui de l'espace structure dans lequel la formation a été créée, porteur du " +
            "numéro de déclaration d'activité.",
        ),
      ),
      cycleParts.element,
      h("div", { class: "champs-cote" }, entryParts.element, exitParts.element),
      contactParts.element,
      websiteParts.element,
    ),
  );
  element.addEventListener("submit", (event) => event.preventDefault());
  return { element, fields };
}
