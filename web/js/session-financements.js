// *Financements* of a session (required): one line per funding, the financer first (the region's referential,
// GET /referentials/financements), then a measure among that financer's, the publics filled from the measure,
// the recruitment state, the places and the market number; the *état du dispositif* is the Carif-Oref's
// (read-only here). With the Conseil régional, its two texts are required.

import { h } from "./dom.js";
import { RECRUITMENT_STATES } from "./lheo-codes.js";
import {
  addButton,
  field,
  group,
  numberInput,
  readOnly,
  removeButton,
  section,
  selectInput,
  textArea,
  textInput,
} from "./session-champs.js";
import {
  emptyFundingLine,
  measuresOf,
  pathId,
  publicLabels,
  regionalCouncilFunded,
  SCHEME_STATES,
  withFinancer,
  withMeasure,
} from "./session-etat.js";
import { counterText } from "./formation-etat.js";

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

function counted(registry, path, label, session, max, onChange, { required = false, help = "" } = {}) {
  const area = textArea(session[path], { rows: 3 });
  const counter = h("p", { class: "compte-caracteres", id: `${pathId(path)}-compteur` }, counterText((session[path] || "").length, max));
  area.addEventListener("input", () => {
    session[path] = area.value;
    counter.textContent = counterText(area.value.length, max);
    counter.classList.toggle("compte-caracteres--trop", area.value.length > max);
    onChange();
  });
  const element = field(registry, path, label, area, { help, required, after: counter });
  area.setAttribute("aria-describedby", [area.getAttribute("aria-describedby"), counter.id].filter(Boolean).join(" "));
  registry.entries.get(path).base = area.getAttribute("aria-describedby");
  return element;
}

/**
 * @param {{session: object, registry: object, referential: object|null, onChange: () => void,
 *   rerender: (focusId?: string) => void, say: (message: string) => void}} options
 */
export function fundingSection({ session, registry, referential, onChange, rerender, say }) {
  const financers = (referential?.financers || []).map((f) => [f.code, f.label]);

  function line(item, index) {
    const at = `funding.${index}`;
    const number = index + 1;
    const financer = selectInput(financers, item.financer, { empty: "Choisissez le financeur", id: pathId(`${at}.financer`) });
    financer.addEventListener("change", () => {
      session.funding[index] = withFinancer(session.funding[index], financer.value);
      onChange();
      rerender(pathId(`${at}.financer`));
      say(financer.value ? "Financeur choisi : choisissez maintenant la mesure." : "Financeur retiré.");
    });
    const measures = measuresOf(referential, item.financer).map((m) => [m.code, m.label]);
    const measure = selectInput(measures, item.measure, {
      empty: item.financer ? "Choisissez la mesure" : "Choisissez d'abord le financeur",
      id: pathId(`${at}.measure`),
    });
    measure.addEventListener("change", () => {
      session.funding[index] = withMeasure(session.funding[index], referential, measure.value);
      onChange();
      rerender(pathId(`${at}.measure`));
      const publics = publicLabels(referential, item.financer, measure.value, session.funding[index].publics);
      if (publics.length) say(`Publics renseignés d'après la mesure : ${publics.join(", ")}.`);
    });
    const state = selectInput(RECRUITMENT_STATES.map(([c, l]) => [c, capital(l)]), item.recruitment_state || "1", { id: pathId(`${at}.recruitment_state`) });
    state.addEventListener("change", () => {
      session.funding[index].recruitment_state = state.value;
      onChange();
    });
    const seats = numberInput(item.seats, { min: "1", max: "99999", id: pathId(`${at}.seats`) });
    seats.addEventListener("input", () => {
      session.funding[index].seats = seats.value;
      onChange();
    });
    const market = textInput(item.market_number, { maxLength: "50", id: pathId(`${at}.market_number`) });
    market.addEventListener("input", () => {
      session.funding[index].market_number = market.value;
      onChange();
    });
    const publics = publicLabels(referential, item.financer, item.measure, item.publics);
    const publicsId = pathId(`${at}.publics`);
    const publicsError = h("p", { class: "champ__erreur", id: `${publicsId}-erreur`, hidden: true });
    const publicsValue = h("p", { class: "champ__valeur", id: publicsId, tabindex: "-1" }, publics.length ? publics.join(", ") : "Choisissez la mesure : les publics se remplissent d'après elle.");
    registry.add(`${at}.publics`, { input: publicsValue, error: publicsError, noInvalid: true });
    const remove = removeButton(`le financement n° ${number}`, () => {
      session.funding.splice(index, 1);
      onChange();
      say(`Financement n° ${number} retiré.`);
      rerender(session.funding.length ? pathId(`funding.${Math.min(index, session.funding.length - 1)}.financer`) : "session-ajouter-financement");
    });
    const line = h(
      "fieldset",
      { class: "groupe session-ligne", id: pathId(at) },
      h("legend", { class: "session-ligne__titre" }, `Financement n° ${number}`),
      h(
        "div",
        { class: "champs-cote" },
        field(registry, `${at}.financer`, "Financeur", financer, { required: true }),
        field(registry, `${at}.measure`, "Mesure", measure, {
          required: true,
          help: "Les mesures proposées sont celles du financeur choisi.",
        }),
      ),
      h(
        "div",
        { class: "champ" },
        h("p", { class: "champ__libelle" }, "Publics"),
        h("p", { class: "champ__aide" }, "La rubrique Publics se remplit automatiquement après le choix de la mesure."),
        publicsError,
        publicsValue,
      ),
      h(
        "div",
        { class: "champs-cote" },
        field(registry, `${at}.recruitment_state`, "État du recrutement", state, {
          help: "Fermez-le pour ne plus recevoir de candidatures (il vaut aussi pour l'inscription sur candidature).",
        }),
        field(registry, `${at}.seats`, "Nombre de places", seats),
        field(registry, `${at}.market_number`, "Numéro de marché", market, { help: "Si vous êtes concerné." }),
      ),
      readOnly(`${pathId(at)}-dispositif`, "État du dispositif", item.scheme_state ? SCHEME_STATES[item.scheme_state] || item.scheme_state : "Non renseigné", {
        help: "Renseigné par le Carif-Oref lors de sa validation.",
      }),
      remove,
    );
    registry.add(at, { input: line, error: h("p", { hidden: true }), focus: financer, noInvalid: true });
    // a message on the line itself goes next to its financer
    registry.entries.get(at).error = registry.entries.get(`${at}.financer`).error;
    return line;
  }

  const add = addButton("Ajouter un financement", () => {
    session.funding.push(emptyFundingLine());
    onChange();
    say(`Financement n° ${session.funding.length} ajouté : choisissez le financeur.`);
    rerender(pathId(`funding.${session.funding.length - 1}.financer`));
  }, { id: "session-ajouter-financement" });

  const lines = group(
    registry,
    "funding",
    "Financements",
    [
      referential
        ? null
        : h("p", { class: "alerte alerte--erreur" }, "La liste des financeurs n'a pas pu être chargée : rechargez la page pour choisir un financement."),
      session.funding.length
        ? session.funding.map(line)
        : h("p", { class: "vide" }, "Aucun financement : cliquez sur Ajouter un financement."),
      add,
    ],
    {
      required: true,
      focus: add,
      help:
        "Au moins un financement. Pour vos devis AIF dans Kairos, sélectionnez « AUTRE » dans Financeur et « AUTRE " +
        "DISPOSITIF » dans Mesure.",
    },
  );

  const regional = regionalCouncilFunded(session);
  return section("session-titre-financements", "Financements", [
    lines,
    regional
      ? h(
          "div",
          { class: "session-region" },
          h(
            "p",
            { class: "champ__aide" },
            "Formation conventionnée par le Conseil régional : ces deux rubriques sont obligatoires (voir les cadres de " +
              "saisie fournis par la Région).",
          ),
          counted(registry, "funding_conditions", "Détail des conditions de prise en charge", session, 600, onChange, { required: true }),
          counted(registry, "audience_info", "Informations complémentaires sur le public visé", session, 250, onChange, { required: true }),
        )
      : null,
  ]);
}
