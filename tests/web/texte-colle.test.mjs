// Text pasted from a word processor (web/js/texte-colle.js): every case of tests/fixtures/texte-colle.json,
// which the API's clean_pasted (ofeli.domain.text) passes too. Run by tests/unit/test_web_modules.py.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { cleanPasted } from "../../web/js/texte-colle.js";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/texte-colle.json", import.meta.url), "utf-8"));

test("the fixture has cases", () => {
  assert.ok(fixture.cases.length >= 10);
});

for (const [index, item] of fixture.cases.entries()) {
  test(`case ${index + 1}: ${JSON.stringify(item.input).slice(0, 40)}`, () => {
    assert.equal(cleanPasted(item.input, { oneLine: Boolean(item.one_line) }), item.output);
  });
}

test("cleaning twice changes nothing", () => {
  for (const item of fixture.cases) {
    const once = cleanPasted(item.input, { oneLine: Boolean(item.one_line) });
    assert.equal(cleanPasted(once, { oneLine: Boolean(item.one_line) }), once);
  }
});

test("nothing, null and undefined are empty texts", () => {
  assert.equal(cleanPasted(""), "");
  assert.equal(cleanPasted(null), "");
  assert.equal(cleanPasted(undefined), "");
});
