// The moderators' back office, its pure modules: the search criteria of /moderation/structures, what the
// corrections of a structure record send, and how the record's history says its differences.
// Run by tests/unit/test_web_modules.py (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  apiPath,
  countText,
  criteriaFromQuery,
  departmentProblem,
  describe,
  emptyCriteria,
  pageCount,
  queryOf,
} from "../../web/js/moderation-criteres.js";
import {
  addressChanges,
  contactField,
  contactsWith,
  contactsWithout,
  habilitationsChanges,
  identityChanges,
  organisationChanges,
  qualiopiChanges,
} from "../../web/js/moderation-corrections.js";
import { addressText, contactText, differenceLines, valueText } from "../../web/js/structure-textes.js";
import { CONTACT_TYPES, contactTypeLabel } from "../../web/js/types-contact.js";

// ------------------------------------------------------------------ search criteria
test("criteria go to the address and come back the same", () => {
  const criteria = { ...emptyCriteria(), q: "  démo  formation ", city: "Caen", department: "14", qualiopi: "oui", page: 2 };
  const query = queryOf(criteria);
  assert.equal(query, "?q=d%C3%A9mo+formation&ville=Caen&departement=14&qualiopi=oui&page=2");
  assert.deepEqual(criteriaFromQuery(query), { ...criteria, q: "démo formation" });
  assert.equal(queryOf(emptyCriteria()), "");
});

test("a department outside the region is typed, and checked", () => {
  const criteria = criteriaFromQuery("?departement=972");
  assert.equal(criteria.department, "autres");
  assert.equal(criteria.other, "972");
  assert.equal(departmentProblem(criteria), null);
  assert.match(apiPath(criteria), /department=972/);
  assert.match(departmentProblem({ ...criteria, other: "" }), /Saisissez le numéro/);
  assert.match(departmentProblem({ ...criteria, other: "Calvados" }), /2 ou 3 chiffres/);
  assert.equal(departmentProblem({ ...criteria, other: "2a" }), null);
});

test("the API's query: its own names, Qualiopi as a boolean, the page and its size", () => {
  const path = apiPath({ ...emptyCriteria(), q: "814327", qualiopi: "non", city: "Le Havre" });
  assert.equal(path, "/moderation/structures?q=814327&city=Le+Havre&qualiopi=false&page=1&page_size=20");
  assert.equal(apiPath(emptyCriteria(), 5), "/moderation/structures?page=1&page_size=5");
});

test("bad values in the address are ignored", () => {
  assert.deepEqual(criteriaFromQuery("?page=-3&qualiopi=peut-etre"), emptyCriteria());
});

test("what the results say", () => {
  assert.equal(describe({ ...emptyCriteria(), q: "demo", department: "14", qualiopi: "oui" }),
    "nom ou numéro « demo », département 14, certifiées Qualiopi");
  assert.equal(countText(0), "0 structure");
  assert.equal(countText(1), "1 structure");
  assert.equal(countText(42), "42 structures");
  assert.equal(pageCount(0), 1);
  assert.equal(pageCount(41), 3);
});

// ------------------------------------------------------------------ corrections
const RECORD = {
  name: "OF Démo Formation",
  nda: "28140000014",
  legal_form: "SAS",
  naf: "8559A",
  network: null,
  parent_siret: null,
  address: { line1: "12 rue de la Paix", line2: null, postal_code: "14000", city: "Caen" },
  contacts: [
    { id: "roussel", principal: true, civility: "Madame", last_name: "Roussel", first_name: "Anne", role: "Directrice",
      email: "direction@of-demo.test", phones: ["02 31 00 00 02"], types: ["5"], type_labels: [{ code: "5", label: "Direction" }] },
    { id: "petit", principal: false, civility: "Monsieur", last_name: "Petit", first_name: "Marc", role: null,
      email: null, phones: [], types: ["3", "1"], type_labels: [] },
  ],
  qualiopi: [{ name: "Qualiopi", categories: ["Actions de formation"], valid_until: null, source: "liste", list_date: "2026-10-01" }],
  habilitations: [{ code: "RNCP37861", title: "CAP Boulanger" }],
};

test("only the fields that change are sent", () => {
  assert.deepEqual(identityChanges(RECORD, { name: "OF Démo Formation", nda: "28 14 00000 14", legal_form: "SAS", naf: "8559a" }), {});
  assert.deepEqual(identityChanges(RECORD, { name: " OF  Démo ", nda: "", legal_form: "", naf: "8559A" }),
    { name: "OF Démo", nda: null, legal_form: null });
  assert.deepEqual(organisationChanges(RECORD, { parent_siret: "814 327 121 00012", network: " " }),
    { parent_siret: "81432712100012" });
  assert.deepEqual(organisationChanges({ ...RECORD, parent_siret: "81432712100012" }, { parent_siret: "", network: "" }),
    { parent_siret: null });
});

test("the address: changed, unchanged, cleared", () => {
  const same = { line1: "12 rue de la Paix", line2: "", postal_code: "14000", city: "Caen" };
  assert.deepEqual(addressChanges(RECORD, same), {});
  assert.deepEqual(addressChanges(RECORD, { ...same, line1: "1 place de la Gare", postal_code: " 14 000" }), {
    address: { line1: "1 place de la Gare", line2: null, postal_code: "14000", city: "Caen" },
  });
  assert.deepEqual(addressChanges(RECORD, { line1: "", line2: "", postal_code: "", city: "" }), { address: null });
});

test("contacts: the whole list, without type_labels; a new principal takes the mark and comes first", () => {
  const added = contactsWith(RECORD.contacts, null, {
    principal: true, civility: "", last_name: " Girard ", first_name: "Paul", role: "", email: "",
    phones: ["02 31 00 00 09", "", ""], types: ["4"],
  });
  assert.equal(added.position, 0);
  assert.deepEqual(added.contacts.map((c) => [c.id, c.principal, c.last_name]), [
    [undefined, true, "Girard"], ["roussel", false, "Roussel"], ["petit", false, "Petit"],
  ]);
  assert.deepEqual(added.contacts[0].phones, ["02 31 00 00 09"]);
  assert.equal(added.contacts[0].civility, null);
  assert.ok(added.contacts.every((c) => !("type_labels" in c)));

  const changed = contactsWith(RECORD.contacts, 1, { ...RECORD.contacts[1], role: "Formateur" });
  assert.equal(changed.position, 1);
  assert.equal(changed.contacts[1].id, "petit");
  assert.equal(changed.contacts[1].role, "Formateur");
  assert.equal(changed.contacts[0].principal, true);

  assert.deepEqual(contactsWithout(RECORD.contacts, 0).map((c) => c.id), ["petit"]);
  assert.equal(contactField("contacts.2.email", 2), "email");
  assert.equal(contactField("contacts.2.phones.1", 2), "phones.1");
  assert.equal(contactField("contacts.1.email", 2), null);
  assert.equal(contactField("address.city", 2), null);
});

test("Qualité: the first label's categories and date, what came from the national list kept", () => {
  assert.deepEqual(qualiopiChanges(RECORD, { categories: ["Actions de formation"], valid_until: "" }), {});
  assert.deepEqual(qualiopiChanges(RECORD, { categories: ["VAE", "Actions de formation"], valid_until: "2027-05-12" }), {
    qualiopi: [{ name: "Qualiopi", categories: ["Actions de formation", "VAE"], valid_until: "2027-05-12", source: "liste", list_date: "2026-10-01" }],
  });
  assert.deepEqual(qualiopiChanges(RECORD, { categories: [], valid_until: "" }), { qualiopi: [] });
  assert.deepEqual(qualiopiChanges({ ...RECORD, qualiopi: [] }, { categories: ["VAE"], valid_until: "" }), {
    qualiopi: [{ name: "Qualiopi", categories: ["VAE"], valid_until: null }],
  });
});

test("Habilitations: empty rows left out, codes in capitals", () => {
  assert.deepEqual(habilitationsChanges(RECORD, [{ code: "RNCP37861", title: "CAP Boulanger" }, { code: "", title: " " }]), {});
  assert.deepEqual(habilitationsChanges(RECORD, [{ code: "rs5678", title: "Sauveteur secouriste" }]), {
    habilitations: [{ code: "RS5678", title: "Sauveteur secouriste" }],
  });
});

// ------------------------------------------------------------------ the history's texts
test("values as sentences", () => {
  assert.equal(addressText(RECORD.address), "12 rue de la Paix, 14000 Caen");
  assert.equal(contactText(RECORD.contacts[0]),
    "Madame Anne Roussel (contact principal), Directrice, direction@of-demo.test, 02 31 00 00 02, type : Direction");
  assert.equal(valueText("name", "OF"), "« OF »");
  assert.equal(valueText("nda", null), "(vide)");
});

test("a difference, line by line", () => {
  assert.deepEqual(
    differenceLines({ field: "address", before: RECORD.address, after: { ...RECORD.address, line1: "1 place de la Gare" } }),
    ["Avant : 12 rue de la Paix, 14000 Caen", "Après : 1 place de la Gare, 14000 Caen"],
  );
  const newcomer = { id: "x", principal: false, last_name: "Girard", first_name: "Paul", phones: [], types: [] };
  assert.deepEqual(
    differenceLines({ field: "contacts", before: RECORD.contacts, after: [...RECORD.contacts, newcomer], added: [newcomer], removed: [] }),
    ["Ajouté : Paul Girard"],
  );
  assert.deepEqual(
    differenceLines({ field: "emails", before: [], after: [{ label: "Accueil", email: "a@b.fr" }], added: [{ label: "Accueil", email: "a@b.fr" }] }),
    ["Ajouté : Accueil : a@b.fr"],
  );
});

test("the LHEO contact types, codes 0 to 14", () => {
  assert.deepEqual(CONTACT_TYPES.map((t) => t.code), Array.from({ length: 15 }, (_, i) => String(i)));
  assert.equal(contactTypeLabel("3"), "Référent pédagogique");
  assert.equal(contactTypeLabel("99"), "99");
});
