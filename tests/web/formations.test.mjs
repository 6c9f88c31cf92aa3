// The formation pages, their pure modules: certifications (search address, validity notice, the chosen list),
// the page's state (modes, the form's values to and from the API, field errors, warnings, counters, the
// indexing's lists) and the LHEO levels. Run by tests/unit/test_web_modules.py (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  addChoice,
  choiceProblem,
  foundText,
  isoDay,
  MAX_CERTIFICATIONS,
  normalised,
  pageCount,
  removeChoice,
  searchPath,
  setPrincipal,
  shortDate,
  stateText,
  successorText,
  validityNotice,
} from "../../web/js/certifications.js";
import {
  codesText,
  counterText,
  draftFromForm,
  draftKey,
  emptyDraft,
  fieldOf,
  formationValueText,
  formErrors,
  formFromDraft,
  indexingChanges,
  pageMode,
  parseCodes,
  shownData,
  statusLabel,
  warningsByField,
} from "../../web/js/formation-etat.js";
import { europeanLevelLabel, LEVEL_GROUPS, LEVELS, levelLabel } from "../../web/js/niveaux.js";

// ------------------------------------------------------------------ certifications
test("the search's address: the query trimmed, the page and its size", () => {
  assert.equal(searchPath("  boulanger "), "/certifications?q=boulanger&page=1&page_size=10");
  assert.equal(searchPath("", 3), "/certifications?page=3&page_size=10");
  assert.equal(searchPath("RNCP 37861", 0, 20), "/certifications?q=RNCP+37861&page=1&page_size=20");
  assert.equal(pageCount(0), 1);
  assert.equal(pageCount(21, 10), 3);
  assert.equal(foundText(0), "Aucune certification trouvée");
  assert.equal(foundText(1), "1 certification trouvée");
  assert.equal(foundText(12), "12 certifications trouvées");
});

test("days as the API writes them, and as a person reads them", () => {
  assert.equal(isoDay(new Date(2026, 0, 5)), "2026-01-05");
  assert.equal(shortDate("2028-12-31"), "31/12/2028");
  assert.equal(shortDate(null), "");
});

test("a certification active, with its end of registration far away: no notice", () => {
  const far = { code: "RNCP37861", active: true, registration_end: "2030-12-31", successors: [] };
  assert.equal(validityNotice(far, "2026-11-27"), null);
  assert.equal(validityNotice({ ...far, registration_end: null }, "2026-11-27"), null);
  assert.equal(stateText(far), "Active");
});

test("an end of registration near: the guide's notice, the date said", () => {
  const near = { code: "RNCP35000", active: true, registration_end: "2027-03-31", successors: [] };
  const notice = validityNotice(near, "2026-11-27");
  assert.equal(notice.ended, false);
  assert.match(notice.lines[0], /RNCP35000 est le 31\/03\/2027/);
  assert.match(notice.lines[0], /toute session commençant après cette date devra faire l'objet d'une création de formation/);
});

test("an end of registration past, with a successor: the successor named", () => {
  const past = {
    code: "RNCP30000",
    active: false,
    registration_end: "2024-08-31",
    successors: [{ code: "RNCP38000", title: "Boulanger", active: true }],
  };
  const notice = validityNotice(past, "2026-11-27");
  assert.equal(notice.ended, true);
  assert.match(notice.lines[0], /était le 31\/08\/2024/);
  assert.match(notice.lines[1], /RNCP38000 \(Boulanger\)/);
  assert.equal(successorText(past), "RNCP38000 (Boulanger)");
  assert.equal(successorText({ successors: ["RNCP38000"] }), "RNCP38000");
  assert.equal(stateText(past), "Inactive");
});

test("inactive and not renewed: the formation will be archived", () => {
  const notice = validityNotice({ code: "RS1000", active: false, registration_end: null, successors: [] }, "2026-11-27");
  assert.equal(notice.ended, true);
  assert.match(notice.lines.join(" "), /n'est plus active/);
  assert.match(notice.lines.join(" "), /archivée dès la fin de sa dernière session/);
});

test("an inactive certification cannot be chosen; its successor is proposed", () => {
  assert.equal(choiceProblem({ code: "RNCP37861", active: true }), null);
  assert.match(
    choiceProblem({ code: "RNCP30000", active: false, successors: [{ code: "RNCP38000", title: "Boulanger" }] }),
    /ne peut pas être choisie\. Choisissez celle qui la remplace : RNCP38000 \(Boulanger\)/,
  );
  assert.match(choiceProblem({ code: "RS1", active: false, successors: [] }), /n'a pas été renouvelée/);
});

test("the chosen certifications: the first is the principal, at most 5, no twice the same", () => {
  let { list, error } = addChoice([], "RNCP1");
  assert.equal(error, null);
  assert.deepEqual(list, [{ code: "RNCP1", principal: true }]);
  ({ list } = addChoice(list, "RS2"));
  assert.deepEqual(list, [
    { code: "RNCP1", principal: true },
    { code: "RS2", principal: false },
  ]);
  assert.match(addChoice(list, "RS2").error, /déjà choisie/);
  list = setPrincipal(list, "RS2");
  assert.deepEqual(list.map((c) => c.principal), [false, true]);
  list = removeChoice(list, "RS2");
  assert.deepEqual(list, [{ code: "RNCP1", principal: true }]);
  for (let n = 2; n <= MAX_CERTIFICATIONS; n += 1) ({ list } = addChoice(list, `RNCP${n}`));
  assert.equal(list.length, MAX_CERTIFICATIONS);
  const full = addChoice(list, "RNCP99");
  assert.match(full.error, /5 certifications au plus/);
  assert.equal(full.list.length, MAX_CERTIFICATIONS);
  assert.deepEqual(normalised([{ code: "A" }, { code: "B" }]), [
    { code: "A", principal: true },
    { code: "B", principal: false },
  ]);
});

// ------------------------------------------------------------------ the page's state
const view = (overrides = {}) => ({
  ref: "F0000001",
  version: 2,
  can_edit: true,
  published: { ...emptyDraft(), title: "CAP boulanger" },
  draft: null,
  submission: { state: "none", version: 0 },
  certifications: [],
  warnings: [],
  formacodes: ["21538"],
  nsf: ["221s"],
  romes: [],
  ...overrides,
});

test("the page's modes", () => {
  assert.equal(pageMode(view()), "lecture");
  assert.equal(pageMode(view(), { moderator: true }), "moderation");
  assert.equal(pageMode(view({ can_edit: false })), "formateur");
  assert.equal(pageMode(view({ draft: emptyDraft(), submission: { state: "draft", version: 3 } })), "edition");
  assert.equal(pageMode(view({ draft: emptyDraft(), submission: { state: "submitted", version: 3 } })), "soumise");
  assert.equal(pageMode(view({ can_edit: false, draft: emptyDraft(), submission: { state: "submitted" } })), "formateur");
});

test("what the read view shows: the published version, else the draft of a formation in creation", () => {
  assert.equal(shownData(view()).title, "CAP boulanger");
  const draft = { ...emptyDraft(), title: "Nouvelle" };
  assert.equal(shownData(view({ published: null, draft })).title, "Nouvelle");
});

test("the states of a formation, in words", () => {
  assert.equal(statusLabel("en_attente"), "En attente de validation");
  assert.equal(statusLabel("archivee"), "Archivée");
  assert.equal(statusLabel("inconnu", "Autre chose"), "Autre chose");
});

test("a draft goes to the form and back unchanged", () => {
  const draft = {
    certifying: true,
    certifications: [
      { code: "RNCP37861", principal: true },
      { code: "RS5678", principal: false },
    ],
    apprenticeship: true,
    parcoursup: false,
    title: "CAP boulanger - 1re et 2e année (en apprentissage)",
    objective: "Fabriquer des pains.",
    content: null,
    expected_results: null,
    cycle_years: 2,
    entry_level: "1",
    exit_level: "13",
    contact_id: "petit",
    website: "https://www.of-demo.test/cap",
  };
  const form = formFromDraft(draft);
  assert.equal(form.cycle_years, "2");
  assert.equal(form.content, "");
  assert.deepEqual(draftFromForm(form), draft);
  assert.equal(draftKey(form), draftKey(formFromDraft(draft)));
  form.title += " ";
  assert.equal(draftKey(form), draftKey(formFromDraft(draft)), "a trailing space changes nothing saved");
  form.objective = "Autre objectif";
  assert.notEqual(draftKey(form), draftKey(formFromDraft(draft)));
});

test("the form's values are cleaned before sending: pasted text, empty fields, no certification when not certifying", () => {
  const form = formFromDraft({
    ...emptyDraft(),
    certifying: false,
    certifications: [{ code: "RNCP1", principal: true }],
    title: "Titre\nsur deux lignes\u00ad",
    objective: "\u2022 un\n\u2022 deux",
    website: "  ",
  });
  const data = draftFromForm(form);
  assert.equal(data.title, "Titre sur deux lignes");
  assert.equal(data.objective, "- un\n- deux");
  assert.equal(data.website, null);
  assert.equal(data.cycle_years, null);
  assert.deepEqual(data.certifications, []);
  assert.equal(data.entry_level, "1");
  assert.equal(data.exit_level, null);
});

test("the API's field names, as the form names its fields", () => {
  assert.equal(fieldOf("data.title"), "title");
  assert.equal(fieldOf("body.data.objective"), "objective");
  assert.equal(fieldOf("cycle_years"), "cycle_years");
  assert.equal(fieldOf("certifications.1"), "certifications");
  assert.equal(fieldOf("certification_codes.0"), "certifications");
  assert.equal(fieldOf("data.certifications.0.code"), "certifications");
  assert.equal(fieldOf("sessions.S0000004"), "sessions.S0000004");
  assert.equal(fieldOf("data"), "data");
  assert.deepEqual(formErrors([{ field: "data.website", message: "m" }]), [{ field: "website", message: "m" }]);
  assert.deepEqual(
    warningsByField([
      { field: "title", message: "a" },
      { field: "title", message: "b" },
      { field: "objective", message: "c" },
    ]),
    { title: ["a", "b"], objective: ["c"] },
  );
});

test("character counters", () => {
  assert.equal(counterText(0, 255), "0 caractère sur 255");
  assert.equal(counterText(12, 255), "12 caractères sur 255");
  assert.match(counterText(3012, 3000), /^3\s012 caractères sur 3\s000 : 12 de trop$/);
});

test("the indexing: codes typed as a person types them, only the lists that changed are sent", () => {
  assert.deepEqual(parseCodes(" 21538, 22454 ;31054\n21538 "), ["21538", "22454", "31054"]);
  assert.equal(codesText(["221s", "230"]), "221s, 230");
  assert.equal(indexingChanges(view(), { formacodes: "21538", nsf: "221S", romes: "" }), null);
  assert.deepEqual(indexingChanges(view(), { formacodes: "21538 22454", nsf: "221s", romes: "D1102" }), {
    version: 2,
    formacodes: ["21538", "22454"],
    romes: ["D1102"],
  });
});

test("a formation's values in the moderators' differences", () => {
  const contacts = [{ id: "petit", civility: "Monsieur", first_name: "Marc", last_name: "Petit", role: "Responsable pédagogique" }];
  assert.equal(formationValueText("certifications", { code: "RNCP37861", principal: true }), "RNCP37861 (principale)");
  assert.equal(formationValueText("certifications", { code: "RS1", principal: false }), "RS1");
  assert.equal(formationValueText("exit_level", "13"), "Niveau 3");
  assert.equal(formationValueText("entry_level", "1"), "sans niveau spécifique");
  assert.equal(formationValueText("cycle_years", 2), "2 ans");
  assert.equal(formationValueText("cycle_years", 1), "1 an");
  assert.equal(formationValueText("contact_id", "petit", contacts), "Monsieur Marc Petit (Responsable pédagogique)");
  assert.equal(formationValueText("contact_id", "parti", contacts), "Un contact de l'organisme responsable");
  assert.equal(formationValueText("title", "CAP"), null);
  assert.equal(formationValueText("exit_level", null), null);
});

// ------------------------------------------------------------------ levels
test("LHEO levels: every code in one group of the lists, labels found", () => {
  const grouped = LEVEL_GROUPS.flatMap((g) => g.codes).sort();
  assert.deepEqual(grouped, LEVELS.map((l) => l.code).sort());
  assert.equal(levelLabel("15"), "Niveau 5");
  assert.equal(levelLabel(""), "");
  assert.equal(levelLabel("99"), "99");
  assert.equal(europeanLevelLabel("NIV4"), "Niveau 4");
  assert.equal(europeanLevelLabel(null), "");
});

test("a session's contact is named with its structure when several structures offer contacts", async () => {
  const { contactText } = await import("../../web/js/formation-etat.js");
  const roussel = { id: "roussel", civility: "Madame", first_name: "Anne", last_name: "Roussel", role: "Directrice" };
  assert.equal(contactText([roussel], "roussel"), "Madame Anne Roussel (Directrice)");
  const family = [
    { ...roussel, siret: "81432712100012", structure_name: "OF Démo Formation" },
    { id: "leroy", last_name: "Leroy", siret: "81432712100020", structure_name: "Antenne de Cherbourg" },
  ];
  assert.equal(contactText(family, "roussel"), "Madame Anne Roussel (Directrice) — OF Démo Formation");
  assert.equal(contactText(family, "leroy"), "Leroy — Antenne de Cherbourg");
  assert.equal(contactText(family, "inconnu"), "Un contact de l'organisme responsable");
});
