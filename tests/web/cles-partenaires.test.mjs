// The partner keys page's state (web/js/cles-partenaires-etat.js): order, the secret shown once, revocation.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  activeCount,
  createState,
  forgetCreated,
  keyState,
  nameError,
  withCreated,
  withRevoked,
} from "../../web/js/cles-partenaires-etat.js";

const OLD = { id: "a", name: "Région", created_at: "2026-10-01T08:00:00.000+00:00", created_by: "m@x", revoked_at: null };
const REVOKED = { id: "b", name: "Ancien", created_at: "2026-11-01T08:00:00.000+00:00", created_by: "m@x", revoked_at: "2026-11-02T08:00:00.000+00:00" };

test("active keys first, newest first", () => {
  const state = createState([OLD, REVOKED]);
  assert.deepEqual(state.keys.map((k) => k.id), ["a", "b"]);
  assert.equal(activeCount(state), 1);
  assert.equal(keyState(REVOKED), "Révoquée");
});

test("a created key is listed without its secret, which is kept apart until forgotten", () => {
  const created = { ...OLD, id: "c", name: "France Travail", created_at: "2026-11-30T08:00:00.000+00:00", key: "secret" };
  let state = withCreated(createState([OLD]), created);
  assert.equal(state.keys[0].id, "c");
  assert.ok(state.keys.every((k) => !("key" in k)));
  assert.equal(state.created.key, "secret");
  state = forgetCreated(state);
  assert.equal(state.created, null);
  assert.ok(!JSON.stringify(state).includes("secret"));
});

test("a revoked key goes after the active ones", () => {
  const state = withRevoked(createState([OLD]), { ...OLD, revoked_at: "2026-11-30T09:00:00.000+00:00" });
  assert.equal(activeCount(state), 0);
  assert.equal(keyState(state.keys[0]), "Révoquée");
});

test("the partner's name, as the API judges it", () => {
  assert.match(nameError("  "), /Indiquez/);
  assert.match(nameError("x".repeat(101)), /100 caractères/);
  assert.equal(nameError("France Travail"), "");
});
