// *Organisation de la session* and *Organisation de l'inscription*: the trainer organisation (the responsible
// one by default; another chosen in the searchable dialog, then the guide's question on the places), the
// teaching mode, the places of training (chosen among those already written, or created: a name and
// *Rechercher une adresse* / *saisie manuelle*), the session's contacts (among the OF's, with a contact
// type) with the free-text request for another one, and the registration place (required).

import { api } from "./api.js";
import { h, formatSiret } from "./dom.js";
import { addressBlock } from "./adresse-recherche.js";
import { organisationDialog, placesQuestion } from "./organisme-dialogue.js";
import { contactText } from "./formation-etat.js";
import { CONTACT_TYPES } from "./types-contact.js";
import { addButton, field, group, section, selectInput, textArea, textInput, removeButton } from "./session-champs.js";
import {
  knownPlaces,
  pathId,
  placeOfOrganisation,
  placeText,
  REMOTE_TEACHING,
  TEACHING_MODE_CHOICES,
} from "./session-etat.js";

/** The names of trainer organisations met so far (SIRET → name), shared by every session of the page. */
const names = new Map();
let trainerDialog = null;
let question = null;
/** What the open dialog's choice does (the session that opened it). */
const chosen = { current: null };

async function organisationName(siret) {
  if (names.has(siret)) return names.get(siret);
  try {
    const page = await api(`/organisations?${new URLSearchParams({ q: siret, page: "1", page_size: "1" })}`);
    const found = (page?.items || []).find((o) => o.siret === siret);
    if (found) names.set(siret, found.name);
    return found ? found.name : null;
  } catch {
    return null;
  }
}

/** One place (of training, or of registration): a reference to a trainer's place, or a name and an address. */
function placeEditor({ registry, path, place, what, placesById, onChange, say }) {
  if (place.place_id) {
    const id = pathId(`${path}.place_id`);
    const error = h("p", { class: "champ__erreur", id: `${id}-erreur`, hidden: true });
    const known = placesById.has(place.place_id);
    const value = h(
      "p",
      { class: "champ__valeur", id, tabindex: "-1" },
      known ? placeText(place, placesById) : `Un lieu de l'organisme formateur (référence ${place.place_id})`,
    );
    registry.add(`${path}.place_id`, { input: value, error, noInvalid: true });
    return h(
      "div",
      { class: "champ" },
      h("p", { class: "champ__libelle" }, "Lieu de l'organisme formateur"),
      error,
      value,
    );
  }
  const name = textInput(place.name, { maxLength: "255", id: pathId(`${path}.name`) });
  name.addEventListener("input", () => {
    place.name = name.value;
    onChange();
  });
  return [
    field(registry, `${path}.name`, "Nom du lieu", name, {
      help: "Par exemple : Mairie, Hôtel Novotel, le nom de votre centre.",
      required: true,
    }),
    addressBlock({
      registry,
      path: `${path}.address`,
      what,
      get: () => place.address,
      set: (address) => {
        place.address = address;
      },
      onChange,
      say,
    }),
  ];
}

/**
 * The places to choose from: the trainer's (GET /structures/{siret}/places, chosen by reference), then those
 * written in the draft's other sessions and not yet published (copied).
 */
function placeChoice({ id, label, trainerPlaces, written, onPick }) {
  const same = (p) => `${(p.name || "").toLowerCase()}|${placeText({ ...p, place_id: null }).toLowerCase()}`;
  const theirs = new Set(trainerPlaces.map(same));
  written = written.filter((p) => !theirs.has(same(p)));
  if (!trainerPlaces.length && !written.length) return null;
  const options = [];
  if (trainerPlaces.length) {
    options.push(
      h(
        "optgroup",
        { label: "Lieux de l'organisme formateur" },
        trainerPlaces.map((p, i) => h("option", { value: `lieu-${i}` }, placeText(p))),
      ),
    );
  }
  if (written.length) {
    options.push(
      h(
        "optgroup",
        { label: "Lieux saisis dans les sessions du brouillon" },
        written.map((p, i) => h("option", { value: `saisi-${i}` }, placeText(p))),
      ),
    );
  }
  const select = h("select", { class: "champ__saisie", id }, h("option", { value: "" }, "Choisissez un lieu"), options);
  const button = addButton("Choisir ce lieu", () => {
    const [kind, index] = select.value.split("-");
    if (!kind) {
      select.focus();
      return;
    }
    const chosen =
      kind === "lieu"
        ? { place_id: trainerPlaces[Number(index)].place_id, name: null, address: null }
        : { place_id: null, ...JSON.parse(JSON.stringify(written[Number(index)])) };
    onPick(chosen);
  });
  return h(
    "div",
    { class: "champ champ--compact" },
    h("label", { class: "champ__libelle", for: id }, label),
    h("div", { class: "champ__groupe" }, select, button),
  );
}

/**
 * @param {{session: object, sessions: object[], view: object, contacts: object[], registry: object,
 *   trainerPlaces: object[], placesById: Map<string, object>, trainerChanged: (siret: string) => Promise<void>,
 *   onChange: () => void, rerender: (focusId?: string) => void, say: (message: string) => void}} options
 *   sessions: the draft's sessions (the places written there are offered again); trainerPlaces: the trainer's
 *   places (GET /structures/{siret}/places); trainerChanged: loads the new trainer's places
 */
export function organisationSection(options) {
  const { session, sessions, view, contacts, registry, trainerPlaces, placesById, trainerChanged, onChange, rerender, say } = options;
  // ---------------------------------------------------------------- trainer
  const responsible = !session.trainer_siret || session.trainer_siret === view.siret;
  const trainerName = h(
    "span",
    {},
    responsible ? view.responsible_name : names.get(session.trainer_siret) || "Organisme référencé",
  );
  if (!responsible && !names.has(session.trainer_siret)) {
    organisationName(session.trainer_siret).then((found) => {
      if (found) trainerName.textContent = found;
    });
  }
  const trainerId = pathId("trainer_siret");
  const trainerError = h("p", { class: "champ__erreur", id: `${trainerId}-erreur`, hidden: true });
  trainerDialog ||= organisationDialog({ choose: (organisation, opener) => chosen.current?.(organisation, opener) });
  question ||= placesQuestion();
  const change = h(
    "button",
    { type: "button", class: "bouton bouton--secondaire bouton--petit", id: trainerId, "aria-describedby": `${trainerId}-valeur` },
    "Changer l'organisme formateur",
  );
  change.addEventListener("click", () => {
    chosen.current = (organisation, opener) => {
      names.set(organisation.siret, organisation.name);
      session.trainer_siret = organisation.siret === view.siret ? null : organisation.siret;
      onChange();
      trainerChanged(organisation.siret);
      question.ask(organisation.name, opener, (yes) => {
        if (yes) {
          session.places = [placeOfOrganisation(organisation)];
          session.registration = placeOfOrganisation(organisation);
          onChange();
          say(
            `Organisme formateur : ${organisation.name}. Le lieu de formation et le lieu d'inscription reprennent son ` +
              "nom et son adresse : vérifiez-la et complétez son code INSEE avec Rechercher une adresse.",
          );
          rerender(pathId("places.0.address") + "-recherche");
        } else {
          say(`Organisme formateur : ${organisation.name}.`);
          rerender(trainerId);
        }
      });
    };
    trainerDialog.open(change);
  });
  const back = responsible
    ? null
    : addButton("Revenir à l'organisme responsable", async () => {
        session.trainer_siret = null;
        onChange();
        await trainerChanged(view.siret);
        say(`Organisme formateur : ${view.responsible_name} (l'organisme responsable).`);
        rerender(trainerId);
      });
  registry.add("trainer_siret", { input: change, error: trainerError, noInvalid: true });
  const trainer = h(
    "div",
    { class: "champ", "data-chemin": "trainer_siret" },
    h("p", { class: "champ__libelle" }, "Organisme formateur"),
    h(
      "p",
      { class: "champ__aide" },
      "Par défaut, l'organisme responsable. Votre SIRET de connexion sur Kairos doit correspondre au SIRET de " +
        "l'organisme formateur indiqué ici.",
    ),
    trainerError,
    h(
      "p",
      { class: "champ__valeur", id: `${trainerId}-valeur` },
      trainerName,
      " (SIRET ",
      h("span", { class: "insecable" }, formatSiret(session.trainer_siret || view.siret)),
      ")",
      responsible ? " : l'organisme responsable" : "",
    ),
    h("div", { class: "actions" }, change, back),
  );

  // ---------------------------------------------------------------- teaching mode
  const mode = selectInput(TEACHING_MODE_CHOICES, session.teaching_mode || "0", { id: pathId("teaching_mode") });
  mode.addEventListener("change", () => {
    session.teaching_mode = mode.value;
    onChange();
  });

  // ---------------------------------------------------------------- places
  const written = knownPlaces(sessions.filter((s) => s !== session));
  const placeBlocks = session.places.map((place, index) => {
    const at = `places.${index}`;
    const number = index + 1;
    return group(
      registry,
      at,
      `Lieu de formation n° ${number}`,
      [
        placeEditor({ registry, path: at, place, what: `du lieu de formation n° ${number}`, placesById, onChange, say }),
        removeButton(`le lieu de formation n° ${number}`, () => {
          session.places.splice(index, 1);
          onChange();
          say(`Lieu de formation n° ${number} retiré.`);
          rerender("session-creer-lieu");
        }),
      ],
      { className: "session-ligne" },
    );
  });
  const createPlace = addButton("Créer un lieu de formation", () => {
    session.places.push({ place_id: null, name: null, address: null });
    onChange();
    rerender(pathId(`places.${session.places.length - 1}.name`));
  }, { id: "session-creer-lieu" });
  const places = group(
    registry,
    "places",
    "Lieux de formation",
    [
      placeBlocks.length ? placeBlocks : h("p", { class: "vide" }, "Aucun lieu de formation."),
      placeChoice({
        id: "session-choisir-lieu",
        label: "Choisir un lieu de formation",
        trainerPlaces,
        written,
        onPick: (place) => {
          session.places.push(place);
          onChange();
          say(`Lieu de formation n° ${session.places.length} : ${placeText(place, placesById)}.`);
          rerender(pathId(`places.${session.places.length - 1}`));
        },
      }),
      createPlace,
    ],
    {
      focus: createPlace,
      help:
        (session.teaching_mode === REMOTE_TEACHING ? "Facultatif pour une formation entièrement à distance. " : "Au moins un lieu. ") +
        "Plusieurs lieux si les stagiaires se déplacent au cours de la session (la théorie à un endroit, la pratique à " +
        "un autre). Les lieux proposés sont ceux de l'organisme formateur choisi ; si le vôtre n'y est pas, créez-le " +
        "(attention aux doublons).",
    },
  );

  // ---------------------------------------------------------------- contacts
  const contactLines = session.contacts.map((contact, index) => {
    const at = `contacts.${index}`;
    const choices = contacts.map((c) => [c.id, contactText(contacts, c.id)]);
    if (contact.contact_id && !contacts.some((c) => c.id === contact.contact_id)) {
      choices.push([contact.contact_id, "Le contact choisi (il n'est plus un contact de vos structures)"]);
    }
    const who = selectInput(choices, contact.contact_id, { empty: "Choisissez le contact", id: pathId(`${at}.contact_id`) });
    who.addEventListener("change", () => {
      contact.contact_id = who.value || null;
      onChange();
    });
    const type = selectInput(CONTACT_TYPES.map((t) => [t.code, t.label]), contact.contact_type, { empty: "Aucun type", id: pathId(`${at}.contact_type`) });
    type.addEventListener("change", () => {
      contact.contact_type = type.value || null;
      onChange();
    });
    return group(
      registry,
      at,
      `Contact n° ${index + 1}`,
      [
        h("div", { class: "champs-cote" }, field(registry, `${at}.contact_type`, "Type de contact", type), field(registry, `${at}.contact_id`, "Contact", who)),
        removeButton(`le contact n° ${index + 1}`, () => {
          session.contacts.splice(index, 1);
          onChange();
          rerender("session-ajouter-contact");
        }),
      ],
      { className: "session-ligne", focus: type },
    );
  });
  const addContact = addButton("Ajouter un contact", () => {
    session.contacts.push({ contact_id: null, contact_type: null });
    onChange();
    rerender(pathId(`contacts.${session.contacts.length - 1}.contact_type`));
  }, { id: "session-ajouter-contact" });
  const request = textArea(session.contact_request, { rows: 3, maxlength: "2000", id: pathId("contact_request") });
  request.addEventListener("input", () => {
    session.contact_request = request.value;
    onChange();
  });
  const contactsGroup = group(
    registry,
    "contacts",
    "Contacts de la session",
    [
      contactLines.length ? contactLines : h("p", { class: "vide" }, "Aucun contact."),
      addContact,
      field(registry, "contact_request", "Demande de contacts spécifiques", request, {
        help:
          "Pour un contact qui n'est pas dans la liste (interne ou externe), indiquez ici ses nom, fonction, téléphone " +
          "et e-mail : le Carif-Oref se charge de son rattachement à la session.",
      }),
    ],
    {
      focus: addContact,
      help: "Les contacts proposés sont ceux rattachés à vos structures (siège et antennes) : voir la page Contacts.",
    },
  );

  return section("session-titre-organisation", "Organisation de la session", [
    trainer,
    field(registry, "teaching_mode", "Modalité d'enseignement", mode),
    places,
    contactsGroup,
  ]);
}

/** *Organisation de l'inscription*: the registration place (required), among the trainer's places or created. */
export function registrationSection({ session, sessions, registry, trainerPlaces, placesById, onChange, rerender, say }) {
  const written = knownPlaces(sessions);
  const content = [];
  if (session.registration) {
    content.push(
      placeEditor({ registry, path: "registration", place: session.registration, what: "du lieu d'inscription", placesById, onChange, say }),
      removeButton("le lieu d'inscription", () => {
        session.registration = null;
        onChange();
        rerender("session-creer-inscription");
      }),
    );
  } else {
    content.push(h("p", { class: "vide" }, "Aucun lieu d'inscription."));
    const first = session.places.find((p) => p.place_id || p.address);
    if (first) {
      content.push(
        addButton("Reprendre le lieu de formation n° 1", () => {
          session.registration = JSON.parse(JSON.stringify(first));
          onChange();
          say(`Lieu d'inscription : ${placeText(first, placesById)}.`);
          rerender(pathId("registration"));
        }),
      );
    }
    content.push(
      placeChoice({
        id: "session-choisir-inscription",
        label: "Choisir un lieu d'inscription",
        trainerPlaces,
        written,
        onPick: (place) => {
          session.registration = place;
          onChange();
          say(`Lieu d'inscription : ${placeText(place, placesById)}.`);
          rerender(pathId("registration"));
        },
      }),
      addButton("Créer un lieu d'inscription", () => {
        session.registration = { place_id: null, name: null, address: null };
        onChange();
        rerender(pathId("registration.name"));
      }, { id: "session-creer-inscription" }),
    );
  }
  const element = group(registry, "registration", "Lieu d'inscription", content, {
    required: true,
    help:
      "Il doit obligatoirement être renseigné : un lieu de l'organisme formateur, ou un lieu à créer (une agence " +
      "France Travail par exemple).",
  });
  return section("session-titre-inscription", "Organisation de l'inscription", element);
}

/** The session's trainer as a person reads it (the read-only view). */
export function trainerText(session, view) {
  if (!session.trainer_siret || session.trainer_siret === view.siret) return `${view.responsible_name} (l'organisme responsable)`;
  const name = names.get(session.trainer_siret);
  return `${name ? `${name}, ` : ""}SIRET ${formatSiret(session.trainer_siret)}`;
}

