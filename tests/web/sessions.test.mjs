// The session editor's pure modules: a session's form values to and from the API's SessionDraft, states,
// the yearly session of short ones, the API's error paths and how a person reads them, funding lines,
// competence blocks, recruitment modalities, places, the rows of the Sessions table, the trainer search's
// address. Run by tests/unit/test_web_modules.py (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  addressFromHit,
  asYearly,
  blockEntries,
  commentCounter,
  cycleYears,
  dayText,
  duplicateProblem,
  emptySession,
  errorCount,
  integer,
  isFinished,
  isYearly,
  knownPlaces,
  meetingsProblem,
  modalityKind,
  modalityName,
  modalityToDraft,
  newCycle,
  newModality,
  pathId,
  pathLabel,
  placeOfOrganisation,
  placeText,
  placeSummary,
  publicLabels,
  regionalCouncilFunded,
  franceTravailFunded,
  rhythmHelp,
  seatsHelp,
  sessionFromDraft,
  sessionKey,
  sessionRows,
  sessionsKey,
  sessionState,
  sessionTitle,
  sessionToDraft,
  setBlockEntry,
  splitMessages,
  splitSessionPath,
  stateLabel,
  targetPath,
  totalHours,
  withFinancer,
  withMeasure,
  withValidation,
  yearlyOffer,
  yearlySession,
} from "../../web/js/session-etat.js";
import { codeLabel, DICTIONARIES, RHYTHM_UNITS } from "../../web/js/lheo-codes.js";
import { organisationsPath } from "../../web/js/organisme-dialogue.js";

const REFERENTIAL = {
  publics: [
    { code: "demandeur_emploi", label: "Demandeur d'emploi" },
    { code: "salarie", label: "Salarié" },
  ],
  financers: [
    {
      code: "4",
      label: "France Travail",
      public: true,
      measures: [
        { code: "AIF", label: "AIF (aide individuelle à la formation)", publics: [{ code: "demandeur_emploi", label: "Demandeur d'emploi" }] },
        { code: "AUTRE_DISPOSITIF", label: "AUTRE DISPOSITIF", publics: ["demandeur_emploi"] },
      ],
    },
    { code: "2", label: "Conseil régional", public: true, measures: [{ code: "VAE", label: "VAE", publics: ["salarie"] }] },
  ],
};

// ------------------------------------------------------------------ states and days
test("a session's state on a day: upcoming, running, finished, archived", () => {
  const session = { start_date: "2026-03-02", end_date: "2026-06-30" };
  assert.equal(sessionState(session, "2026-01-10"), "a_venir");
  assert.equal(sessionState(session, "2026-03-02"), "en_cours");
  assert.equal(sessionState(session, "2026-06-30"), "en_cours");
  assert.equal(sessionState(session, "2026-07-01"), "terminee");
  assert.equal(sessionState({ ...session, archived: true }, "2026-01-10"), "archivee");
  assert.equal(sessionState({}, "2026-01-10"), "a_venir");
  assert.equal(stateLabel("terminee"), "Terminée");
  assert.equal(stateLabel("finished"), "Terminée"); // the domain's words
  assert.equal(stateLabel("upcoming"), "À venir");
  assert.ok(isFinished({ ...session, state: "terminee" }, "2026-01-10"));
  assert.ok(isFinished(session, "2026-08-01"));
  assert.ok(!isFinished(session, "2026-04-01"));
});

test("days: ISO to French, the yearly session of a year and the short-session offer", () => {
  assert.equal(dayText("2026-03-02"), "02/03/2026");
  assert.equal(dayText(null), "");
  assert.deepEqual(yearlySession(2027), ["2027-01-02", "2027-12-30"]);
  const message =
    "Pour une session courte (moins de 35 heures : 21 h), créez une session unique annuelle en entrées-sorties " +
    "permanentes, du 02/01/2026 au 30/12/2026, plutôt que des sessions courtes et fréquentes.";
  assert.deepEqual(yearlyOffer(message, {}, "2026-05-01"), { start: "2026-01-02", end: "2026-12-30" });
  assert.deepEqual(yearlyOffer(null, { start_date: "2027-04-01" }, "2026-05-01"), { start: "2027-01-02", end: "2027-12-30" });
  assert.deepEqual(yearlyOffer("", {}, "2026-05-01"), { start: "2026-01-02", end: "2026-12-30" });
  const yearly = asYearly({ start_date: "2026-04-01", end_date: "2026-04-03", entry_type: "fixed" }, { start: "2026-01-02", end: "2026-12-30" });
  assert.deepEqual(yearly, { start_date: "2026-01-02", end_date: "2026-12-30", entry_type: "permanent" });
  assert.ok(isYearly(yearly));
  assert.ok(!isYearly({ ...yearly, entry_type: "fixed" }));
});

test("duplication asks both new dates, the end not before the start", () => {
  assert.equal(duplicateProblem("", "2026-06-30").field, "start");
  assert.equal(duplicateProblem("2026-03-02", "").field, "end");
  assert.match(duplicateProblem("2026-03-02", "2026-03-01").message, /antérieure à la date de début \(02\/03\/2026\)/);
  assert.equal(duplicateProblem("2026-03-02", "2026-03-02"), null);
});

// ------------------------------------------------------------------ the form's values and the API's SessionDraft
test("a SessionDraft round-trips through the form, and the form's strings become the API's types", () => {
  const draft = {
    ...emptySession(),
    ref: "S0000012",
    start_date: "2026-03-02",
    end_date: "2026-06-30",
    places: [{ place_id: null, name: "Centre", address: { line1: "12 Rue de la Paix", postal_code: "14000", city: "Caen", insee_code: "14118", line2: null, line3: null, latitude: 49.18, longitude: -0.36 } }],
    funding: [{ financer: "4", measure: "AIF", publics: ["demandeur_emploi"], recruitment_state: "1", seats: 12, market_number: null, scheme_state: null }],
    hours_in_centre: 400,
    hours_in_company: null,
    total_hours: 400,
  };
  const form = sessionFromDraft({ ...draft, state: "a_venir", state_label: "À venir" });
  assert.equal(form.state, undefined);
  assert.deepEqual(sessionToDraft(form), draft);
  form.places[0].name = "  Centre\u00a0de Caen ";
  form.funding[0].seats = "15";
  form.hours_in_centre = "350";
  form.hours_in_company = "0"; // empty rather than zero
  form.prerequisites = "  ";
  const sent = sessionToDraft(form);
  assert.equal(sent.places[0].name, "Centre de Caen");
  assert.equal(sent.funding[0].seats, 15);
  assert.equal(sent.hours_in_centre, 350);
  assert.equal(sent.hours_in_company, null);
  assert.equal(sent.total_hours, 350);
  assert.equal(sent.prerequisites, null);
  assert.notEqual(sessionsKey([form]), sessionsKey([sessionFromDraft(draft)]));
});

test("hours: the total is computed from centre and company, else the one typed; never zero", () => {
  assert.equal(totalHours({ hours_in_centre: "100", hours_in_company: "50", total_hours: "3" }), 150);
  assert.equal(totalHours({ hours_in_centre: "", hours_in_company: "", total_hours: "20" }), 20);
  assert.equal(totalHours({ hours_in_centre: "", hours_in_company: "", total_hours: "0" }), null);
  assert.equal(integer("12"), 12);
  assert.equal(integer("1,5"), null);
  assert.equal(integer("abc"), null);
  assert.equal(integer("0", { zero: false }), null);
});

test("an empty place or address is not sent; a known place is sent by its reference only", () => {
  const form = sessionFromDraft({
    places: [
      { place_id: null, name: "", address: { line1: "", postal_code: "", city: "" } },
      { place_id: "lieu-1", name: "ignored", address: { line1: "x" } },
    ],
    registration: { place_id: null, name: "Agence", address: null },
  });
  const sent = sessionToDraft(form);
  assert.deepEqual(sent.places, [{ place_id: "lieu-1", name: null, address: null }]);
  assert.deepEqual(sent.registration, { place_id: null, name: "Agence", address: null });
});

test("a recruitment modality keeps only the fields of its code", () => {
  const ico = { ...newModality("9"), date: "2026-02-10", hours: { start: "09:00", end: "21:00" }, seats: "20", periods: [{ start: "2026-01-01" }], comment: " Salle 2 " };
  const sent = modalityToDraft(ico);
  assert.equal(sent.seats, 20);
  assert.deepEqual(sent.hours, { start: "09:00", end: "21:00" });
  assert.deepEqual(sent.periods, []);
  assert.equal(sent.comment, "Salle 2");
  assert.equal(sent.state, "1");
  const remote = modalityToDraft({ ...ico, remote: true, address: { line1: "1 rue", city: "Caen", postal_code: "14000" } });
  assert.equal(remote.address, null);
  const isc = modalityToDraft({ ...newModality("7"), periods: [{ start: "2026-01-05", end: "2026-02-05" }], date: "2026-02-10", seats: "30" });
  assert.deepEqual(isc.periods, [{ start: "2026-01-05", end: "2026-02-05" }]);
  assert.equal(isc.date, null);
  assert.equal(isc.hours, null);
  const test = modalityToDraft({ ...newModality("4"), seats: "10", number: "X" });
  assert.equal(test.seats, null);
  assert.equal(test.number, null);
  assert.equal(test.state, null);
});

// ------------------------------------------------------------------ paths
test("the API's paths of the sessions, split from the formation's", () => {
  assert.deepEqual(splitSessionPath("sessions.S0000012.funding.0.measure"), { key: "S0000012", path: "funding.0.measure" });
  assert.deepEqual(splitSessionPath("data.sessions.3.start_date"), { key: "3", path: "start_date" });
  assert.deepEqual(splitSessionPath("body.data.sessions.0.recruitment.1.hours.end"), { key: "0", path: "recruitment.1.hours.end" });
  assert.deepEqual(splitSessionPath("sessions.S0000012"), { key: "S0000012", path: "" });
  assert.equal(splitSessionPath("title"), null);
  const split = splitMessages([
    { field: "title", message: "Intitulé" },
    { field: "sessions.S0000012.recruitment.2.hours.start", message: "Trop tôt" },
    { field: "sessions.S0000012.funding", message: "Financements" },
    { field: "sessions.1.start_date", message: "Début" },
  ]);
  assert.deepEqual(split.formation, [{ field: "title", message: "Intitulé" }]);
  assert.deepEqual(Object.keys(split.sessions).sort(), ["1", "S0000012"]);
  assert.equal(split.sessions.S0000012.length, 2);
});

test("a path as a person reads it, its nearest field, its element id", () => {
  assert.equal(pathLabel("recruitment.1.hours.end"), "Modalités de recrutement n° 2 — Horaires — Fin");
  assert.equal(pathLabel("funding.0.measure"), "Financements n° 1 — Mesure");
  assert.equal(pathLabel("start_date"), "Date de début");
  assert.equal(pathLabel(""), "La session");
  const known = new Map([["recruitment", 1], ["recruitment.0", 1], ["recruitment.0.hours.end", 1]]);
  assert.equal(targetPath("recruitment.0.hours.end", known), "recruitment.0.hours.end");
  assert.equal(targetPath("recruitment.0.address.line1", known), "recruitment.0");
  assert.equal(targetPath("places.0", known), "");
  assert.equal(pathId("recruitment.1.hours.end"), "session-recruitment-1-hours-end");
  assert.equal(pathId("funding_conditions"), "session-funding-conditions");
});

// ------------------------------------------------------------------ funding
test("a funding line: the financer first, then its measures, the publics from the measure", () => {
  let line = withFinancer({ financer: null, measure: null, publics: [] }, "4");
  assert.equal(line.financer, "4");
  line = withMeasure(line, REFERENTIAL, "AIF");
  assert.deepEqual(line.publics, ["demandeur_emploi"]);
  assert.deepEqual(publicLabels(REFERENTIAL, "4", "AIF", line.publics), ["Demandeur d'emploi"]);
  const other = withMeasure(line, REFERENTIAL, "AUTRE_DISPOSITIF"); // publics given as codes
  assert.deepEqual(publicLabels(REFERENTIAL, "4", "AUTRE_DISPOSITIF", other.publics), ["Demandeur d'emploi"]);
  const changed = withFinancer(line, "2");
  assert.equal(changed.measure, null);
  assert.deepEqual(changed.publics, []);
  assert.deepEqual(withFinancer(line, "4"), line);
  assert.ok(franceTravailFunded({ funding: [line] }));
  assert.ok(!regionalCouncilFunded({ funding: [line] }));
  assert.ok(regionalCouncilFunded({ funding: [changed] }));
});

// ------------------------------------------------------------------ blocks, cycles, modalities
test("competence blocks: the principal first; total and mixed take every block, partial some", () => {
  const certifications = [
    { code: "RS5678", principal: false, blocks: [] },
    { code: "RNCP37861", principal: true, blocks: [{ code: "RNCP37861BC01" }, { code: "RNCP37861BC02" }] },
  ];
  const entries = blockEntries({ blocks: [{ certification: "RNCP37861", validation: "0", blocks: ["RNCP37861BC01"] }] }, certifications);
  assert.deepEqual(entries.map((e) => e.certification.code), ["RNCP37861", "RS5678"]);
  assert.equal(entries[1].entry, null);
  const all = certifications[1].blocks;
  assert.deepEqual(withValidation({ blocks: [] }, "1", all).blocks, ["RNCP37861BC01", "RNCP37861BC02"]);
  assert.deepEqual(withValidation({ blocks: [] }, "2", all).blocks, ["RNCP37861BC01", "RNCP37861BC02"]);
  assert.deepEqual(withValidation({ blocks: ["RNCP37861BC01", "RNCP37861BC02"] }, "0", all).blocks, []);
  assert.deepEqual(withValidation({ blocks: ["RNCP37861BC02"] }, "0", all).blocks, ["RNCP37861BC02"]);
  const session = { blocks: [{ certification: "RS5678", validation: "1", blocks: [] }] };
  const list = setBlockEntry(session, certifications, "RNCP37861", { validation: "1", blocks: [] });
  assert.deepEqual(list.map((b) => b.certification), ["RNCP37861", "RS5678"]);
  assert.deepEqual(setBlockEntry({ blocks: list }, certifications, "RNCP37861", null).map((b) => b.certification), ["RS5678"]);
});

test("apprenticeship cycles: years 1 to the cycle duration, the next free one first", () => {
  assert.deepEqual(cycleYears(""), []);
  assert.deepEqual(cycleYears("3"), [1, 2, 3]);
  assert.equal(newCycle({ cycles: [{ year: 1 }] }, 3).year, 2);
  assert.equal(newCycle({ cycles: [] }, null).year, null);
  assert.match(rhythmHelp("0"), /sur une journée .*4 heures en centre et 4 heures en entreprise/);
  assert.match(rhythmHelp("3"), /sur un mois .*1 semaine en centre et 3 semaines en entreprise/);
  assert.match(rhythmHelp(null), /Choisissez l'unité/);
});

test("recruitment modalities: France Travail's three, their places, the comment's counter", () => {
  assert.equal(modalityKind("7"), "application");
  assert.equal(modalityKind("8"), "meeting");
  assert.equal(modalityKind("9"), "meeting");
  assert.equal(modalityKind("3"), "other");
  assert.equal(modalityName("9"), "Information collective (ICO)");
  assert.equal(modalityName("2", { 2: "concours" }), "Concours");
  assert.match(seatsHelp("7"), /De 1 à 999/);
  assert.match(seatsHelp("8"), /simultanée/);
  assert.match(seatsHelp("9"), /dans une salle ou à distance/);
  assert.equal(commentCounter(12), "12 caractères : les 500 premiers caractères sont transmis à France Travail.");
  assert.match(commentCounter(612), /^612 caractères : seuls les 500 premiers sont transmis/);
  assert.deepEqual(newModality("7").periods, [{ start: null, end: null }]);
  assert.equal(newModality("3").state, null);
  const many = { recruitment: Array.from({ length: 120 }, () => newModality("9")) };
  assert.match(meetingsProblem(many), /au plus 120/);
  assert.equal(meetingsProblem({ recruitment: [] }), null);
});

// ------------------------------------------------------------------ places
test("places: a summary for the table, those already written, an organisation's, an address hit", () => {
  const caen = { line1: "12 Rue de la Paix", postal_code: "14000", city: "Caen" };
  assert.equal(placeSummary({ places: [{ name: "Centre", address: caen }] }), "Caen (14000)");
  assert.equal(placeSummary({ places: [{ address: caen }, { address: caen }] }), "Caen (14000) (+ 1)");
  assert.equal(placeSummary({ places: [], teaching_mode: "2" }), "À distance");
  assert.equal(placeSummary({ places: [] }), "Non renseigné");
  const known = knownPlaces([
    { places: [{ name: "Centre", address: caen }], registration: { name: "Centre", address: caen } },
    { places: [{ place_id: "x" }, { name: "Annexe", address: { ...caen, line1: "1 Rue Saint-Jean" } }] },
  ]);
  assert.deepEqual(known.map((p) => p.name), ["Centre", "Annexe"]);
  // the trainer dialog's organisation as a place: its whole address as the directory has it, no INSEE code made up
  const place = placeOfOrganisation({
    name: "Atelier Normand",
    line1: "45 boulevard de Strasbourg",
    city: "Le Havre",
    postal_code: "76600",
  });
  assert.equal(place.place_id, null);
  assert.equal(place.name, "Atelier Normand");
  assert.deepEqual(
    [place.address.line1, place.address.postal_code, place.address.city, place.address.insee_code],
    ["45 boulevard de Strasbourg", "76600", "Le Havre", null],
  );
  assert.equal(placeOfOrganisation({ name: "Sans adresse" }).address.line1, null);
  assert.equal(placeOfOrganisation({ name: "X", line1: "x".repeat(120) }).address.line1.length, 50); // LHEO's lines
  const hit = { label: "12 Rue de la Paix 14000 Caen", line1: "12 Rue de la Paix", postal_code: "14000", city: "Caen", insee_code: "14118", latitude: 49.18, longitude: -0.36 };
  assert.deepEqual(addressFromHit(hit, { line2: "Bâtiment B" }), {
    line1: "12 Rue de la Paix",
    line2: "Bâtiment B",
    line3: null,
    postal_code: "14000",
    city: "Caen",
    insee_code: "14118",
    latitude: 49.18,
    longitude: -0.36,
  });
});

// ------------------------------------------------------------------ the Sessions table
test("the table's rows: published ones in read mode; the draft's then the finished ones in a draft", () => {
  const view = {
    can_edit: true,
    sessions: [
      { ref: "S0000001", start_date: "2025-01-06", end_date: "2025-03-28", state: "terminee", state_label: "Terminée" },
      { ref: "S0000002", start_date: "2026-09-01", end_date: "2026-12-18", state: "a_venir", state_label: "À venir" },
    ],
  };
  const read = sessionRows(view, [], { today: "2026-05-01" });
  assert.deepEqual(read.map((r) => [r.key, r.state, r.editable, r.duplicable]), [
    ["S0000001", "terminee", false, false],
    ["S0000002", "a_venir", false, false],
  ]);
  const drafts = [
    sessionFromDraft({ ref: "S0000002", start_date: "2026-09-01", end_date: "2026-12-18" }),
    sessionFromDraft({ ref: "S0000009", start_date: "2026-04-01", end_date: "2026-10-01" }),
  ];
  const edit = sessionRows(view, drafts, { edition: true, today: "2026-05-01" });
  assert.deepEqual(edit.map((r) => [r.key, r.state, r.published, r.editable, r.duplicable]), [
    ["S0000002", "a_venir", true, true, true],
    ["S0000009", "en_cours", false, true, true],
    ["S0000001", "terminee", true, false, true],
  ]);
  const notMandataire = sessionRows({ ...view, can_edit: false }, drafts, { edition: true, today: "2026-05-01" });
  assert.ok(notMandataire.every((r) => !r.duplicable));
  assert.equal(sessionKey({ ref: null }, 3), "3");
  assert.equal(sessionTitle({ ref: "S0000002", start_date: "2026-09-01", end_date: "2026-12-18" }), "Session S0000002 du 01/09/2026 au 18/12/2026");
  assert.equal(sessionTitle({}), "Nouvelle session");
  assert.equal(errorCount(0), "");
  assert.equal(errorCount(1), "1 erreur à corriger");
  assert.equal(errorCount(3), "3 erreurs à corriger");
});

// ------------------------------------------------------------------ LHEO codes, the trainer search
test("LHEO's codes by their dictionary's name", () => {
  assert.equal(codeLabel(RHYTHM_UNITS, "3"), "Semaine");
  assert.equal(codeLabel(DICTIONARIES["dict-modalite-recrutement"], "9"), "information collective");
  assert.equal(codeLabel(RHYTHM_UNITS, "42"), "42");
});

test("the trainer search's address: the words, the filters, the page", () => {
  assert.equal(organisationsPath({}), "/organisations?page=1&page_size=10");
  assert.equal(
    organisationsPath({ q: " atelier ", city: "Le Havre", department: "76", page: 2 }),
    "/organisations?q=atelier&city=Le+Havre&department=76&page=2&page_size=10",
  );
  assert.equal(organisationsPath({ department: "2a" }), "/organisations?department=2A&page=1&page_size=10");
});

test("a trainer's place is read through its reference", () => {
  const known = new Map([["lieu-1", { place_id: "lieu-1", name: "Atelier", address: { line1: "3 quai", postal_code: "76600", city: "Le Havre" } }]]);
  assert.equal(placeSummary({ places: [{ place_id: "lieu-1" }] }, known), "Le Havre (76600)");
  assert.equal(placeSummary({ places: [{ place_id: "lieu-2" }] }, known), "Un lieu de l'organisme formateur");
  assert.equal(placeText({ place_id: "lieu-1" }, known), "Atelier — 3 quai, 76600 Le Havre");
  assert.equal(placeText({ place_id: "lieu-2" }, known), "Un lieu de l'organisme formateur");
  assert.equal(placeText({ name: "Salle", address: null }), "Salle");
});
