// The exports' pure module (web/js/exports-etat.js): the request sent from the selection, the dialog's
// scope, the bell made safe from the API's answer, its badge and accessible name, when to poll, what
// finished since the last look, a download that makes a file no longer new.
// Run by tests/unit/test_web_modules.py (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  badgeCount,
  badgeDetails,
  bellFrom,
  bellLabel,
  emptyBell,
  exportRequest,
  finishedSince,
  FORMATS,
  markDownloaded,
  newCount,
  pendingCount,
  POLL_MS,
  scopeText,
  shouldPoll,
  whenText,
} from "../../web/js/exports-etat.js";

const file = (id, status, extra = {}) => ({
  id,
  status,
  filename: `formations-${id}.xlsx`,
  format: "xlsx",
  message: `Export ${id}`,
  created_at: "2026-11-28T09:15:00.000Z",
  downloaded: false,
  ...extra,
});

test("the request: all of the space's formations without a tick, the ticked ones otherwise (sorted, once)", () => {
  assert.deepEqual(exportRequest("81432712100012", "xlsx"), { siret: "81432712100012", format: "xlsx" });
  assert.deepEqual(exportRequest("81432712100012", "lheo", []), { siret: "81432712100012", format: "lheo" });
  assert.deepEqual(exportRequest("81432712100012", "lheo", ["F0000002", "F0000001", "F0000002", "", 3]), {
    siret: "81432712100012",
    format: "lheo",
    refs: ["F0000001", "F0000002"],
  });
});

test("the dialog says what will be exported, and offers Excel first, then LHEO 2.3", () => {
  assert.match(scopeText([]), /^Toutes les formations/);
  assert.equal(scopeText(["F0000001"]), "La formation cochée sera exportée.");
  assert.equal(scopeText(["F0000001", "F0000002"]), "Les 2 formations cochées seront exportées.");
  assert.deepEqual(
    FORMATS.map((f) => f.value),
    ["xlsx", "lheo"],
  );
});

test("the bell from the API: unknown statuses read as failed, entries without an id left out", () => {
  const bell = bellFrom({ items: [file("a", "ready"), { status: "ready" }, file("b", "weird"), null] });
  assert.equal(bell.loaded, true);
  assert.deepEqual(
    bell.files.map((f) => [f.id, f.status]),
    [
      ["a", "ready"],
      ["b", "failed"],
    ],
  );
  assert.deepEqual(bellFrom(null).files, []);
  assert.equal(emptyBell().loaded, false);
});

test("the badge counts the files being generated and the ready ones not downloaded yet", () => {
  const bell = bellFrom({
    items: [
      file("a", "queued"),
      file("b", "running"),
      file("c", "ready"),
      file("d", "ready", { downloaded: true }),
      file("e", "failed"),
    ],
  });
  assert.equal(pendingCount(bell), 2);
  assert.equal(newCount(bell), 1);
  assert.equal(badgeCount(bell), 3);
  assert.equal(badgeDetails(bell), "2 en cours, 1 prêt à télécharger");
  assert.equal(bellLabel(bell), "Mes exports 3 (2 en cours, 1 prêt à télécharger)");
  assert.equal(bellLabel(bellFrom({ items: [] })), "Mes exports");
  const after = markDownloaded(bell, "c");
  assert.equal(newCount(after), 0);
  assert.equal(newCount(bell), 1, "the state is not changed in place");
});

test("the bell polls every 3 s while something is queued or running, and stops when nothing is", () => {
  assert.equal(POLL_MS, 3000);
  assert.equal(shouldPoll(bellFrom({ items: [file("a", "queued")] })), true);
  assert.equal(shouldPoll(bellFrom({ items: [file("a", "running"), file("b", "ready")] })), true);
  assert.equal(shouldPoll(bellFrom({ items: [file("a", "ready"), file("b", "failed")] })), false);
  assert.equal(shouldPoll(emptyBell()), false);
});

test("what finished since the last look is announced once", () => {
  const before = bellFrom({ items: [file("a", "running"), file("b", "queued"), file("c", "ready")] });
  const after = bellFrom({ items: [file("a", "ready"), file("b", "running"), file("c", "ready"), file("d", "failed")] });
  assert.deepEqual(
    finishedSince(before, after).map((f) => f.id),
    ["a"],
  );
  assert.deepEqual(finishedSince(after, after), []);
});

test("a file's time in words", () => {
  assert.match(whenText("2026-11-28T09:15:00.000Z"), /^\d\d\/\d\d\/2026 à \d\d:\d\d$/);
  assert.equal(whenText(null), "");
  assert.equal(whenText("pas une date"), "");
});
