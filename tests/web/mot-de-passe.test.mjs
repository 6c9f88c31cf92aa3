// The password rules of the pages (web/js/mot-de-passe.js) against the API's policy (ofeli.domain.passwords):
// the same verdicts on the same passwords. Run by tests/unit/test_web_modules.py (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { missingRules, PASSWORD_RULES, rulesSummary } from "../../web/js/mot-de-passe.js";

test("the three rules of the guide, in its order", () => {
  assert.deepEqual(
    PASSWORD_RULES.map((rule) => rule.label),
    ["8 caractères minimum", "une majuscule", "un caractère spécial"],
  );
});

test("what is missing, rule by rule", () => {
  assert.deepEqual(missingRules(""), ["8 caractères minimum", "une majuscule", "un caractère spécial"]);
  assert.deepEqual(missingRules("formation"), ["une majuscule", "un caractère spécial"]);
  assert.deepEqual(missingRules("Formation"), ["un caractère spécial"]);
  assert.deepEqual(missingRules("Form-26"), ["8 caractères minimum"]);
  assert.deepEqual(missingRules("Formation-2026!"), []);
});

test("letters and digits of every script are not special; accented capitals are capitals", () => {
  assert.deepEqual(missingRules("élèveécole1"), ["une majuscule", "un caractère spécial"]);
  assert.deepEqual(missingRules("Élève école"), ["un caractère spécial"]); // a space is not special
  assert.deepEqual(missingRules("ÉCOLE٣٣٣٣"), ["un caractère spécial"]); // Arabic-Indic digits
  assert.deepEqual(missingRules("Ecole€2026"), []);
});

test("length counts characters, not UTF-16 units", () => {
  assert.deepEqual(missingRules("A!😀😀😀😀😀"), ["8 caractères minimum"]); // 7 characters, 12 units
});

test("the summary announced once typing pauses", () => {
  assert.equal(rulesSummary("formation"), "Il manque : une majuscule, un caractère spécial.");
  assert.equal(rulesSummary("Formation-2026!"), "Toutes les règles du mot de passe sont respectées.");
});
