// The session form, in the sections of the guide's screens: *Dates de la session*, *Organisation de la
// session*, *Financements*, *Cycles de l'alternance* (apprenticeship), *Blocs de compétences* (certifying
// formations whose certification has blocks), *Durée et modalités de la session*, *Organisation de
// l'inscription*, *Modalités de recrutement*. It edits `session` (session-etat.js sessionFromDraft) in place,
// calls `onChange` on every change and `rerender` when the form's shape changes (a line added, a financer
// chosen…). The API's errors and the guide's recommendations (warnings) are put next to their fields.

import { h } from "./dom.js";
import { BLOCK_VALIDATIONS, EQUIPMENT_TYPES, PATH_TYPES, RHYTHM_UNITS } from "./lheo-codes.js";
import { Registry, addButton, checkbox, field, group, numberInput, removeButton, section, selectInput, textArea, textInput } from "./session-champs.js";
import { fundingSection } from "./session-financements.js";
import { organisationSection, registrationSection } from "./session-organisation.js";
import { recruitmentSection } from "./session-recrutement.js";
import {
  asYearly,
  blockEntries,
  cycleYears,
  dayText,
  ENTRY_TYPES,
  isComputedTotal,
  isYearly,
  newCycle,
  pathId,
  rhythmHelp,
  RHYTHMS,
  setBlockEntry,
  SHORT_SESSION_HOURS,
  TOTAL,
  totalHours,
  withValidation,
  yearlyOffer,
} from "./session-etat.js";

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const YEARLY = /session unique annuelle/;

function dateInput(value, id) {
  const input = h("input", { type: "date", id, class: "champ__saisie champ__saisie--court" });
  input.value = value || "";
  return input;
}

// ------------------------------------------------------------------ dates
function datesSection({ session, registry, warnings, today, onChange, rerender, say }) {
  const start = dateInput(session.start_date, pathId("start_date"));
  const end = dateInput(session.end_date, pathId("end_date"));
  start.addEventListener("input", () => {
    session.start_date = start.value || null;
    onChange();
  });
  end.addEventListener("input", () => {
    session.end_date = end.value || null;
    onChange();
  });
  const radios = Object.entries(ENTRY_TYPES).map(([value, label]) => {
    const id = `session-type-${value.replace(/_/g, "-")}`;
    const input = h("input", { type: "radio", name: "session-type", id, value, checked: session.entry_type === value });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      session.entry_type = value;
      onChange();
    });
    return h("div", { class: "case" }, input, h("label", { for: id }, label));
  });
  const entry = group(registry, "entry_type", "Type de session", h("div", { class: "cases" }, radios), {
    help:
      "Session à la demande : ouverte en fonction du nombre d'inscrits. Entrée-sortie permanente : des entrées " +
      "programmées régulièrement tout au long de la session. Entrée et sortie à date fixe : les autres cas.",
    focus: radios[0].querySelector("input"),
  });

  // The short (or individualised) session: one yearly session, with permanent entry (the warning's dates).
  const warning = warnings.find((w) => w.path === "start_date" && YEARLY.test(w.message));
  const total = totalHours(session);
  const short = total !== null && total < SHORT_SESSION_HOURS && !isYearly(session);
  let offerBox = null;
  if (warning || short) {
    const offer = yearlyOffer(warning?.message, session, today);
    const message =
      warning?.message ||
      `Pour une session courte (moins de ${SHORT_SESSION_HOURS} heures : ${total} h), créez une session unique annuelle en ` +
        `entrées-sorties permanentes, du ${dayText(offer.start)} au ${dayText(offer.end)}, plutôt que des sessions courtes et fréquentes.`;
    offerBox = h(
      "div",
      { class: "champ__attention session-annuelle", id: "session-annuelle" },
      h("p", {}, h("span", { class: "visuellement-cache" }, "Recommandation : "), message),
      h(
        "button",
        {
          type: "button",
          class: "bouton bouton--secondaire bouton--petit",
          id: "session-passer-annuelle",
          onclick: () => {
            Object.assign(session, asYearly(session, offer));
            onChange();
            say(`La session va du ${dayText(offer.start)} au ${dayText(offer.end)}, en entrées-sorties permanentes.`);
            rerender(pathId("start_date"));
          },
        },
        `En faire une session annuelle du ${dayText(offer.start)} au ${dayText(offer.end)}`,
      ),
    );
  }
  const remaining = warnings.filter((w) => w !== warning);
  warnings.length = 0;
  warnings.push(...remaining);
  return section("session-titre-dates", "Dates de la session", [
    offerBox,
    h(
      "div",
      { class: "champs-cote" },
      field(registry, "start_date", "Date de début", start),
      field(registry, "end_date", "Date de fin", end, { help: "Le jour du début ou après." }),
    ),
    entry,
  ]);
}

// ------------------------------------------------------------------ apprenticeship cycles
function cyclesSection({ session, formation, registry, onChange, rerender, say }) {
  const years = cycleYears(formation.cycle_years);
  const lines = session.cycles.map((cycle, index) => {
    const at = `cycles.${index}`;
    cycle.rhythm ||= { unit: null, in_centre: null, in_company: null };
    const year = selectInput(
      (years.length ? years : [cycle.year].filter(Boolean)).map((y) => [String(y), `Année ${y}`]),
      cycle.year === null || cycle.year === undefined ? "" : String(cycle.year),
      { empty: "Choisissez l'année", id: pathId(`${at}.year`) },
    );
    year.addEventListener("change", () => {
      cycle.year = year.value ? Number(year.value) : null;
      onChange();
    });
    const unit = selectInput(RHYTHM_UNITS, cycle.rhythm.unit, { empty: "Choisissez l'unité", id: pathId(`${at}.rhythm.unit`) });
    unit.addEventListener("change", () => {
      cycle.rhythm.unit = unit.value || null;
      onChange();
      rerender(unit.id);
    });
    const centre = numberInput(cycle.rhythm.in_centre, { min: "0", max: "999", id: pathId(`${at}.rhythm.in_centre`) });
    const company = numberInput(cycle.rhythm.in_company, { min: "0", max: "999", id: pathId(`${at}.rhythm.in_company`) });
    centre.addEventListener("input", () => {
      cycle.rhythm.in_centre = centre.value;
      onChange();
    });
    company.addEventListener("input", () => {
      cycle.rhythm.in_company = company.value;
      onChange();
    });
    return group(
      registry,
      at,
      `Cycle n° ${index + 1}`,
      [
        field(registry, `${at}.year`, "Année de cycle", year, { required: true }),
        group(
          registry,
          `${at}.rhythm`,
          "Rythme de l'alternance",
          [
            field(registry, `${at}.rhythm.unit`, "Unité", unit, { required: true, help: rhythmHelp(cycle.rhythm.unit) }),
            h(
              "div",
              { class: "champs-cote" },
              field(registry, `${at}.rhythm.in_centre`, "En centre", centre, { required: true }),
              field(registry, `${at}.rhythm.in_company`, "En entreprise", company, { required: true }),
            ),
          ],
          { focus: unit },
        ),
        removeButton(`le cycle n° ${index + 1}`, () => {
          session.cycles.splice(index, 1);
          onChange();
          rerender("session-ajouter-cycle");
        }),
      ],
      { className: "session-ligne", focus: year },
    );
  });
  const add = years.length
    ? addButton("Ajouter une année", () => {
        session.cycles.push(newCycle(session, formation.cycle_years));
        onChange();
        say(`Cycle n° ${session.cycles.length} ajouté.`);
        rerender(pathId(`cycles.${session.cycles.length - 1}.year`));
      }, { id: "session-ajouter-cycle" })
    : null;
  return section(
    "session-titre-cycles",
    "Cycles de l'alternance",
    group(
      registry,
      "cycles",
      "Années accessibles en apprentissage",
      [
        years.length
          ? null
          : h(
              "p",
              { class: "alerte alerte--attention" },
              "Renseignez d'abord la durée de cycle de la formation (rubrique Organisation, plus haut) et sauvegardez : " +
                "sans elle, les années de cycle ne sont pas accessibles.",
            ),
        lines.length ? lines : h("p", { class: "vide" }, "Aucune année."),
        add,
      ],
      {
        required: true,
        focus: add || undefined,
        help:
          "Obligatoire pour l'apprentissage (essentiel pour la visibilité sur Parcoursup et Affelnet) : une ligne par année " +
          "accessible en apprentissage. Un BUT accessible seulement en 3e année : Année 3 (la durée de cycle est alors 3).",
      },
    ),
  );
}

// ------------------------------------------------------------------ competence blocks
function blocksSection({ session, formation, certifications, registry, onChange, rerender }) {
  const entries = blockEntries(session, certifications);
  const parts = entries.map(({ certification, entry }) => {
    const index = session.blocks.findIndex((b) => b.certification === certification.code);
    const at = index >= 0 ? `blocks.${index}` : `blocks.nouveau-${certification.code}`;
    const title = `${certification.code}${certification.principal ? " (principale)" : ""}${certification.title ? ` : ${certification.title}` : ""}`;
    const all = certification.blocks || [];
    if (certification.blocks === null) {
      return h("p", { class: "vide" }, `${title} : ses blocs de compétences n'ont pas pu être chargés.`);
    }
    if (!all.length) {
      return h("p", { class: "vide" }, `${title} : la certification n'est pas encore décrite en blocs de compétences sur France compétences.`);
    }
    const current = entry || { certification: certification.code, validation: null, blocks: [] };
    const name = `session-validation-${certification.code}`;
    const choices = [["", "Non précisé"], ...BLOCK_VALIDATIONS.map(([c, l]) => [c, l.split(":")[0]])];
    const radios = choices.map(([value, label]) => {
      const id = `${name}-${value || "aucune"}`;
      const input = h("input", { type: "radio", name, id, value, checked: (current.validation || "") === value });
      input.addEventListener("change", () => {
        if (!input.checked) return;
        const next = value ? withValidation(current, value, all) : null;
        session.blocks = setBlockEntry(session, certifications, certification.code, next);
        onChange();
        rerender(id);
      });
      const help = BLOCK_VALIDATIONS.find(([c]) => c === value)?.[1];
      return h("div", { class: "case" }, input, h("label", { for: id }, label, help && help.includes(":") ? h("span", { class: "case__detail" }, ` —${help.slice(help.indexOf(":") + 1)}`) : null));
    });
    const validation = group(registry, `${at}.validation`, "Type de validation", h("div", { class: "cases" }, radios), {
      focus: radios[0].querySelector("input"),
      help: formation.apprenticeship ? "Pour l'apprentissage, sélectionnez obligatoirement « Validation totale »." : "",
    });
    const partial = current.validation && current.validation !== TOTAL && current.validation !== "2";
    const boxes = all.map((block) => {
      const id = `session-bloc-${block.code}`;
      const input = h("input", {
        type: "checkbox",
        id,
        value: block.code,
        checked: (current.blocks || []).includes(block.code),
        disabled: !partial,
      });
      input.addEventListener("change", () => {
        const chosen = new Set(current.blocks || []);
        if (input.checked) chosen.add(block.code);
        else chosen.delete(block.code);
        current.blocks = all.map((b) => b.code).filter((c) => chosen.has(c));
        session.blocks = setBlockEntry(session, certifications, certification.code, current);
        onChange();
      });
      return h("div", { class: "case" }, input, h("label", { for: id }, h("span", { class: "fiche-code" }, block.code), ` ${block.title}`));
    });
    const blockGroup = group(registry, `${at}.blocks`, "Blocs de compétences de la session", h("div", { class: "cases" }, boxes), {
      help: partial
        ? "Validation partielle : cochez le ou les blocs concernés."
        : "Validation totale ou mixte : tous les blocs sont sélectionnés automatiquement.",
    });
    return group(registry, at, `Certification ${title}`, [validation, blockGroup], { className: "session-ligne" });
  });
  return section(
    "session-titre-blocs",
    "Blocs de compétences",
    group(registry, "blocks", "Blocs de compétences par certification", parts.length ? parts : h("p", { class: "vide" }, "La formation n'a pas de certification."), {
      help:
        "Pour les sessions des formations certifiantes décrites en blocs de compétences au RNCP. La certification " +
        "principale vient en premier ; avec plusieurs certifications, précisez les blocs de chacune." +
        (formation.apprenticeship ? " Pour l'apprentissage, la validation totale est obligatoire." : ""),
    }),
  );
}

// ------------------------------------------------------------------ durations and modalities
function durationsSection({ session, registry, onChange, rerender }) {
  const centre = numberInput(session.hours_in_centre, { min: "1", max: "99999", id: pathId("hours_in_centre") });
  const company = numberInput(session.hours_in_company, { min: "1", max: "99999", id: pathId("hours_in_company") });
  const total = numberInput(totalHours(session), { min: "1", max: "99999", id: pathId("total_hours") });
  const totalHelp = h("p", { class: "champ__aide", id: "session-total-calcul", "aria-live": "polite" });
  function showTotal() {
    const computed = isComputedTotal(session);
    total.readOnly = computed;
    if (computed) total.value = String(totalHours(session));
    totalHelp.textContent = computed
      ? `Calculée : ${totalHours(session)} heures (durée en centre + durée en entreprise).`
      : "Calculée à partir des durées en centre et en entreprise ; sans elles, saisissez-la (ne mettez pas zéro).";
  }
  centre.addEventListener("input", () => {
    session.hours_in_centre = centre.value;
    showTotal();
    onChange();
  });
  company.addEventListener("input", () => {
    session.hours_in_company = company.value;
    showTotal();
    onChange();
  });
  total.addEventListener("input", () => {
    if (!isComputedTotal(session)) session.total_hours = total.value;
    onChange();
  });
  showTotal();
  const totalField = field(registry, "total_hours", "Durée totale (en heures)", total, { hint: totalHelp });
  total.setAttribute("aria-describedby", totalHelp.id);
  registry.entries.get("total_hours").base = totalHelp.id;

  const prerequisites = textArea(session.prerequisites, { rows: 4, maxlength: "3000", id: pathId("prerequisites") });
  prerequisites.addEventListener("input", () => {
    session.prerequisites = prerequisites.value;
    onChange();
  });
  const path = selectInput(PATH_TYPES.map(([c, l]) => [c, capital(l)]), session.path_type, { empty: "Non renseigné", id: pathId("path_type") });
  path.addEventListener("change", () => {
    session.path_type = path.value || null;
    onChange();
  });
  const rhythmBoxes = Object.entries(RHYTHMS).map(([code, label]) => {
    const box = checkbox(`session-rythme-${code.replace(/_/g, "-")}`, label, session.rhythms.includes(code));
    box.input.addEventListener("change", () => {
      const chosen = new Set(session.rhythms);
      if (box.input.checked) chosen.add(code);
      else chosen.delete(code);
      session.rhythms = Object.keys(RHYTHMS).filter((c) => chosen.has(c));
      onChange();
    });
    return box.element;
  });
  const comment = textArea(session.rhythm_comment, { rows: 3, maxlength: "2000", id: pathId("rhythm_comment") });
  comment.addEventListener("input", () => {
    session.rhythm_comment = comment.value;
    onChange();
  });
  const website = textInput(session.website, { type: "url", maxLength: 500, id: pathId("website"), autocomplete: "url" });
  website.addEventListener("input", () => {
    session.website = website.value.trim() || null;
    onChange();
  });
  const equipment = session.equipment.map((item, index) => {
    const at = `equipment.${index}`;
    const type = selectInput(EQUIPMENT_TYPES, item.equipment_type || "0", { id: pathId(`${at}.equipment_type`) });
    type.addEventListener("change", () => {
      item.equipment_type = type.value;
      onChange();
    });
    const description = textArea(item.description, { rows: 2, maxlength: "500", id: pathId(`${at}.description`) });
    description.addEventListener("input", () => {
      item.description = description.value;
      onChange();
    });
    return group(
      registry,
      at,
      `Équipement n° ${index + 1}`,
      [
        field(registry, `${at}.equipment_type`, "Type d'équipement", type),
        field(registry, `${at}.description`, "Description", description),
        removeButton(`l'équipement n° ${index + 1}`, () => {
          session.equipment.splice(index, 1);
          onChange();
          rerender("session-ajouter-equipement");
        }),
      ],
      { className: "session-ligne", focus: type },
    );
  });
  const addEquipment = addButton("Ajouter un équipement", () => {
    session.equipment.push({ equipment_type: "0", description: null });
    onChange();
    rerender(pathId(`equipment.${session.equipment.length - 1}.equipment_type`));
  }, { id: "session-ajouter-equipement" });

  return section("session-titre-duree", "Durée et modalités de la session", [
    h(
      "div",
      { class: "champs-cote" },
      field(registry, "hours_in_centre", "Durée en centre (en heures)", centre, {
        help: "Laissez vide si aucune heure n'est dispensée en centre (ne mettez pas zéro).",
      }),
      field(registry, "hours_in_company", "Durée en entreprise (en heures)", company, {
        help: "Laissez vide si aucune heure n'est dispensée en entreprise (ne mettez pas zéro).",
      }),
      totalField,
    ),
    field(registry, "prerequisites", "Prérequis", prerequisites, {
      help: "Les conditions spécifiques d'accès à la formation : aptitudes, diplôme requis…",
    }),
    field(registry, "path_type", "Type de parcours", path),
    group(registry, "rhythms", "Rythme", h("div", { class: "cases" }, rhythmBoxes)),
    field(registry, "rhythm_comment", "Commentaire rythme", comment, {
      help: "Par exemple : 2 jours de formation par semaine pendant 6 mois.",
    }),
    group(registry, "equipment", "Équipements", [equipment.length ? equipment : h("p", { class: "vide" }, "Aucun équipement."), addEquipment], {
      focus: addEquipment,
      help: "Les équipements requis pour suivre la session.",
    }),
    field(registry, "website", "Page web de la session", website, {
      help: "L'adresse complète (https://…) de la page de votre site qui présente cette session. Elle est vérifiée chaque nuit : un lien en erreur apparaît dans le bloc « Erreur liens site internet » du tableau de bord.",
    }),
  ]);
}

/**
 * @param {{session: object, sessions: object[], view: object, formation: object, certifications: object[],
 *   referential: object|null, contacts: object[], errors: {path: string, message: string}[],
 *   warnings: {path: string, message: string}[], today: string, onChange: () => void,
 *   rerender: (focusId?: string) => void, say: (message: string) => void}} options
 *   formation: the formation's form values (apprenticeship, cycle_years, certifying); certifications: the
 *   formation's, with their blocks ([{code, principal, title, blocks}], blocks null when not loaded)
 * @returns {{element: HTMLElement, registry: Registry, lost: object[]}} lost: errors with no field
 */
export function sessionForm(options) {
  const { session, formation, certifications } = options;
  const registry = new Registry();
  const warnings = [...(options.warnings || [])];
  const common = { ...options, registry, warnings };
  const parts = [
    datesSection(common),
    organisationSection(common),
    fundingSection(common),
    formation.apprenticeship || session.cycles.length ? cyclesSection(common) : null,
    formation.certifying && certifications.length ? blocksSection(common) : null,
    durationsSection(common),
    registrationSection(common),
    recruitmentSection(common),
  ];
  const element = h(
    "form",
    { class: "formulaire formulaire--session", id: "formulaire-session", novalidate: true, "aria-label": "Saisie de la session" },
    h(
      "p",
      { class: "formulaire__mention" },
      "Les champs marqués d'une étoile ",
      h("span", { class: "obligatoire", "aria-hidden": "true" }, "*"),
      " sont obligatoires pour soumettre la formation. Vos saisies sont enregistrées avec le brouillon de la formation.",
    ),
    parts,
  );
  element.addEventListener("submit", (event) => event.preventDefault());
  const lost = registry.show(options.errors || [], warnings);
  return { element, registry, lost };
}
