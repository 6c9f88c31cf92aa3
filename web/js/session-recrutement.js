// *Modalités de recrutement* of a session (the guide's "ZOOM"): France Travail reads three of them, the
// inscription sur candidature (ISC, 7), the entretien or rendez-vous individuel (RDVI, 8) and the
// information collective (ICO, 9); the others (1 to 6) are documentary. Each ISC, RDVI and ICO gets its
// unique number from OFeli when the draft is saved. ISC: state, places (1 to 999), application periods.
// RDVI and ICO: state, places (1 to 299), one date, hours between 07:00 and 20:00, an address or remote,
// a comment of which France Travail reads the first 500 characters.

import { h } from "./dom.js";
import { addressBlock } from "./adresse-recherche.js";
import { RECRUITMENT_MODALITIES, RECRUITMENT_STATES } from "./lheo-codes.js";
import { addButton, checkbox, field, group, numberInput, removeButton, section, selectInput, textArea } from "./session-champs.js";
import {
  APPLICATION,
  commentCounter,
  EARLIEST,
  EXPORTED_COMMENT,
  franceTravailFunded,
  INFORMATION_MEETING,
  INTERVIEW,
  LATEST,
  MAX_MEETINGS,
  meetingsProblem,
  modalityKind,
  modalityName,
  newModality,
  pathId,
  REMOTE_ADDRESS,
  seatsHelp,
} from "./session-etat.js";

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const LABELS = Object.fromEntries(RECRUITMENT_MODALITIES);
const OTHERS = RECRUITMENT_MODALITIES.filter(([code]) => Number(code) <= 6).map(([code, label]) => [code, capital(label)]);

function dateInput(value, attributes = {}) {
  const input = h("input", { type: "date", class: "champ__saisie champ__saisie--court", ...attributes });
  input.value = value || "";
  return input;
}

function timeInput(value, attributes = {}) {
  const input = h("input", { type: "time", class: "champ__saisie champ__saisie--court", min: EARLIEST, max: LATEST, step: "60", ...attributes });
  input.value = value || "";
  return input;
}

/**
 * @param {{session: object, registry: object, onChange: () => void, rerender: (focusId?: string) => void,
 *   say: (message: string) => void}} options
 */
export function recruitmentSection({ session, registry, onChange, rerender, say }) {
  function periods(modality, at) {
    const rows = modality.periods.map((period, j) => {
      const where = `${at}.periods.${j}`;
      const start = dateInput(period.start, { id: pathId(`${where}.start`) });
      const end = dateInput(period.end, { id: pathId(`${where}.end`) });
      start.addEventListener("input", () => {
        period.start = start.value || null;
        onChange();
      });
      end.addEventListener("input", () => {
        period.end = end.value || null;
        onChange();
      });
      const remove = removeButton(`la période de candidature n° ${j + 1}`, () => {
        modality.periods.splice(j, 1);
        onChange();
        say(`Période de candidature n° ${j + 1} retirée.`);
        rerender(pathId(`${at}.ajouter-periode`));
      });
      return group(
        registry,
        where,
        `Période de candidature n° ${j + 1}`,
        [h("div", { class: "champs-cote" }, field(registry, `${where}.start`, "Début de la candidature", start), field(registry, `${where}.end`, "Fin de la candidature", end)), remove],
        { className: "session-ligne session-ligne--secondaire", focus: start },
      );
    });
    const add = addButton("Ajouter une période de candidature", () => {
      modality.periods.push({ start: null, end: null });
      onChange();
      rerender(pathId(`${at}.periods.${modality.periods.length - 1}.start`));
    }, { id: pathId(`${at}.ajouter-periode`) });
    return group(registry, `${at}.periods`, "Périodes de candidature", [rows, add], {
      required: true,
      focus: add,
      help: "Une date de début et une date de fin ; la candidature commence avant la fin de la formation. Plusieurs périodes possibles, qui ne se chevauchent pas.",
    });
  }

  function meeting(modality, at, what) {
    const day = dateInput(modality.date, { id: pathId(`${at}.date`) });
    day.addEventListener("input", () => {
      modality.date = day.value || null;
      modality.end_date = null;
      onChange();
    });
    modality.hours ||= { start: null, end: null };
    const start = timeInput(modality.hours.start, { id: pathId(`${at}.hours.start`) });
    const end = timeInput(modality.hours.end, { id: pathId(`${at}.hours.end`) });
    start.addEventListener("input", () => {
      modality.hours.start = start.value || null;
      onChange();
    });
    end.addEventListener("input", () => {
      modality.hours.end = end.value || null;
      onChange();
    });
    const remote = checkbox(pathId(`${at}.remote`), "À distance (aucune adresse n'est transmise)", modality.remote, {
      help: `Sans adresse, France Travail affiche « ${REMOTE_ADDRESS} ».`,
    });
    remote.input.addEventListener("change", () => {
      modality.remote = remote.input.checked;
      if (modality.remote) modality.address = null;
      onChange();
      rerender(remote.input.id);
    });
    const dateField = field(registry, `${at}.date`, "Date de réalisation", day, {
      required: true,
      help: "Une journée au plus ; au plus tôt aujourd'hui (anticipez votre saisie !), au plus tard la fin de la formation.",
    });
    registry.entries.set(`${at}.end_date`, registry.entries.get(`${at}.date`));
    return [
      dateField,
      group(
        registry,
        `${at}.hours`,
        "Horaires",
        h(
          "div",
          { class: "champs-cote" },
          field(registry, `${at}.hours.start`, "Heure de début", start, { required: true }),
          field(registry, `${at}.hours.end`, "Heure de fin", end, { required: true }),
        ),
        { help: `Entre ${EARLIEST} et ${LATEST}, l'heure de fin après l'heure de début.`, focus: start },
      ),
      remote.element,
      modality.remote
        ? null
        : h(
            "fieldset",
            { class: "groupe session-groupe" },
            h("legend", { class: "session-groupe__titre" }, "Adresse"),
            h("p", { class: "groupe__aide" }, "L'adresse du rendez-vous, sinon cochez « À distance »."),
            addressBlock({
              registry,
              path: `${at}.address`,
              what: `de ${what}`,
              get: () => modality.address,
              set: (address) => {
                modality.address = address;
              },
              onChange,
              say,
            }),
          ),
    ];
  }

  function modalityBlock(modality, index) {
    const at = `recruitment.${index}`;
    const kind = modalityKind(modality.code);
    const name = modalityName(modality.code, LABELS);
    const what = `la modalité n° ${index + 1} (${name})`;
    const parts = [];
    if (kind !== "other") {
      parts.push(
        h(
          "p",
          { class: "session-numero", id: pathId(`${at}.number`), tabindex: "-1" },
          h("span", { class: "champ__libelle session-numero__libelle" }, "Numéro d'identification : "),
          modality.number || "donné par OFeli à la sauvegarde du brouillon",
        ),
      );
      const numberError = h("p", { class: "champ__erreur", id: `${pathId(`${at}.number`)}-erreur`, hidden: true });
      parts.push(numberError);
      registry.add(`${at}.number`, { input: parts[0], error: numberError, noInvalid: true });
      const state = selectInput(RECRUITMENT_STATES.map(([c, l]) => [c, capital(l)]), modality.state || "1", { id: pathId(`${at}.state`) });
      state.addEventListener("change", () => {
        modality.state = state.value;
        onChange();
      });
      const seats = numberInput(modality.seats, { min: "1", max: kind === "application" ? "999" : "299", id: pathId(`${at}.seats`) });
      seats.addEventListener("input", () => {
        modality.seats = seats.value;
        onChange();
      });
      parts.push(
        h(
          "div",
          { class: "champs-cote" },
          field(registry, `${at}.state`, "État du recrutement", state, {
            required: true,
            help: kind === "application" ? "Ouvert (places disponibles). Pour ne plus recevoir de candidatures, fermez le recrutement dans la rubrique Financements, ou changez les dates." : "Ouvert.",
          }),
          field(registry, `${at}.seats`, "Nombre de places", seats, { required: true, help: seatsHelp(modality.code) }),
        ),
      );
    }
    if (kind === "application") {
      parts.push(
        h(
          "p",
          { class: "champ__aide" },
          "Aucune adresse n'est requise. Pour prolonger la période où vous recevez des candidatures, changez la date et le nombre de places.",
        ),
      );
      parts.push(periods(modality, at));
    }
    if (kind === "meeting") parts.push(...meeting(modality, at, what));
    const comment = textArea(modality.comment, { rows: 3, maxlength: "3000", id: pathId(`${at}.comment`) });
    const counter = h("p", { class: "compte-caracteres", id: `${comment.id}-compteur` }, commentCounter((modality.comment || "").length));
    comment.addEventListener("input", () => {
      modality.comment = comment.value;
      counter.textContent = commentCounter(comment.value.length);
      counter.classList.toggle("compte-caracteres--trop", comment.value.length > EXPORTED_COMMENT);
    });
    comment.addEventListener("change", onChange);
    comment.addEventListener("input", onChange);
    const commentField = field(registry, `${at}.comment`, "Commentaire", comment, {
      help: kind === "other" ? "" : `Conservé en entier ; France Travail en lit les ${EXPORTED_COMMENT} premiers caractères.`,
      after: counter,
    });
    comment.setAttribute("aria-describedby", [comment.getAttribute("aria-describedby"), counter.id].filter(Boolean).join(" "));
    registry.entries.get(`${at}.comment`).base = comment.getAttribute("aria-describedby");
    parts.push(commentField);
    parts.push(
      removeButton(`la modalité n° ${index + 1} (${name})`, () => {
        session.recruitment.splice(index, 1);
        onChange();
        say(`${name} retirée.`);
        rerender("session-ajouter-isc");
      }),
    );
    const element = h(
      "fieldset",
      { class: "groupe session-ligne", id: pathId(at), tabindex: "-1" },
      h("legend", { class: "session-ligne__titre" }, `Modalité n° ${index + 1} : ${name}`),
      kind === "other" ? h("p", { class: "champ__aide" }, "Modalité documentaire pour France Travail : elle ne permet pas de positionner un candidat.") : null,
      parts,
    );
    const codeError = h("p", { class: "champ__erreur", id: `${pathId(at)}-erreur`, hidden: true });
    element.insertBefore(codeError, element.children[1]);
    registry.add(at, { input: element, error: codeError, noInvalid: true });
    registry.entries.set(`${at}.code`, registry.entries.get(at));
    return element;
  }

  function adder(code, label, id) {
    return addButton(label, () => {
      const problem = code !== APPLICATION ? meetingsProblem(session) : null;
      if (problem) {
        say(problem);
        return;
      }
      session.recruitment.push(newModality(code));
      onChange();
      say(`${modalityName(code, LABELS)} ajoutée (modalité n° ${session.recruitment.length}).`);
      rerender(pathId(`recruitment.${session.recruitment.length - 1}`));
    }, { id });
  }

  const other = selectInput(OTHERS, "", { empty: "Choisissez une autre modalité", id: "session-autre-modalite" });
  const addOther = addButton("Ajouter cette modalité", () => {
    if (!other.value) {
      say("Choisissez d'abord la modalité dans la liste.");
      other.focus();
      return;
    }
    session.recruitment.push(newModality(other.value));
    onChange();
    rerender(pathId(`recruitment.${session.recruitment.length - 1}`));
  });
  const isc = adder(APPLICATION, "Ajouter une inscription sur candidature (ISC)", "session-ajouter-isc");
  const list = group(
    registry,
    "recruitment",
    "Modalités de recrutement",
    [
      session.recruitment.length
        ? session.recruitment.map(modalityBlock)
        : h("p", { class: "vide" }, "Aucune modalité de recrutement."),
      h(
        "div",
        { class: "actions session-ajouts", role: "group", "aria-label": "Ajouter une modalité de recrutement" },
        isc,
        adder(INTERVIEW, "Ajouter un entretien individuel (RDVI)", "session-ajouter-rdvi"),
        adder(INFORMATION_MEETING, "Ajouter une information collective (ICO)", "session-ajouter-ico"),
      ),
      h(
        "div",
        { class: "champ champ--compact session-autre" },
        h("label", { class: "champ__libelle", for: other.id }, "Autres modalités (documentaires pour France Travail)"),
        h("div", { class: "champ__groupe" }, other, addOther),
      ),
    ],
    { required: franceTravailFunded(session), focus: isc },
  );
  return section("session-titre-recrutement", "Modalités de recrutement", list, {
    help:
      "France Travail lit trois modalités : l'inscription sur candidature (ISC, modalité 7), l'entretien ou rendez-vous " +
      "individuel (RDVI, 8) et l'information collective (ICO, 9) ; les autres (1 à 6) sont documentaires. " +
      (franceTravailFunded(session)
        ? "Avec un financement France Travail, choisissez au moins une de ces trois modalités : sans elle, aucune candidature ne peut être positionnée en ligne (Ouiform, Aude Formation). "
        : "Elles ne sont pas obligatoires dans OFeli, mais importantes pour l'information du public. ") +
      `Une session planifie au plus ${MAX_MEETINGS} RDVI et ICO. Les numéros sont donnés par OFeli.`,
  });
}
