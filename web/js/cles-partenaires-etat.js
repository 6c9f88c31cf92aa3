// The partner keys page's state, apart from its views: the list as GET /moderation/partner-keys gives
// it, the key just created (shown once, never kept anywhere but this page's memory), and the pure rules
// the views read (order, state, wording).

/** @typedef {{id: string, name: string, created_at: string, created_by: string, revoked_at: string|null, revoked_by: string|null, last_used_at: string|null}} PartnerKey */

export function createState(keys = []) {
  return { keys: sortKeys(keys), created: null };
}

/** Active keys first, then revoked ones; newest first within each. */
export function sortKeys(keys) {
  return [...keys].sort((a, b) => {
    if (Boolean(a.revoked_at) !== Boolean(b.revoked_at)) return a.revoked_at ? 1 : -1;
    return String(b.created_at).localeCompare(String(a.created_at));
  });
}

export function withKeys(state, keys) {
  return { ...state, keys: sortKeys(keys) };
}

/** After POST: the new key joins the list (without its secret), the secret is kept to be shown once. */
export function withCreated(state, created) {
  const { key, ...listed } = created;
  return { keys: sortKeys([listed, ...state.keys.filter((k) => k.id !== created.id)]), created: { ...listed, key } };
}

/** The secret is forgotten (the moderator copied it, or moved on). */
export function forgetCreated(state) {
  return { ...state, created: null };
}

export function withRevoked(state, revoked) {
  return { ...state, keys: sortKeys(state.keys.map((k) => (k.id === revoked.id ? revoked : k))) };
}

export function keyState(key) {
  return key.revoked_at ? "Révoquée" : "Active";
}

export function activeCount(state) {
  return state.keys.filter((k) => !k.revoked_at).length;
}

/** The French message for a partner name the API would refuse, or "" when it is fine. */
export function nameError(name) {
  const text = String(name || "").trim();
  if (!text) return "Indiquez le partenaire à qui la clé est remise.";
  if (text.length > 100) return "Le nom du partenaire tient en 100 caractères au plus.";
  return "";
}
