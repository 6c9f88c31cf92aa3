// The browser session of OFeli: tokens and the chosen structure space, in sessionStorage
// (one tab, forgotten when it closes). Nothing here talks to the network.

const TOKENS = "ofeli.tokens";
const STRUCTURE = "ofeli.structure";
const NOTICE = "ofeli.notice";
const EXPIRY_MARGIN_MS = 30_000;

function read(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null; // storage disabled: behave as signed out
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the session simply does not survive a reload
  }
}

/** Keeps the tokens answered by POST /auth/login; forgets whatever a previous user left. */
export function saveTokens({ id_token, access_token, refresh_token, expires_in }) {
  clearSession();
  const expiresAt = Date.now() + Number(expires_in || 0) * 1000;
  write(TOKENS, JSON.stringify({ id_token, access_token, refresh_token, expires_at: expiresAt }));
}

function tokens() {
  const raw = read(TOKENS);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw);
    return value && typeof value.id_token === "string" ? value : null;
  } catch {
    return null;
  }
}

/** Keeps the tokens answered by POST /auth/refresh: same user, same structure space. */
export function renewTokens({ id_token, access_token, refresh_token, expires_in }) {
  const current = tokens() || {};
  const expiresAt = Date.now() + Number(expires_in || 0) * 1000;
  write(
    TOKENS,
    JSON.stringify({
      id_token,
      access_token,
      refresh_token: refresh_token || current.refresh_token,
      expires_at: expiresAt,
    }),
  );
}

/** The refresh token of this tab's session, or null. */
export function refreshToken() {
  const value = tokens();
  return value && typeof value.refresh_token === "string" ? value.refresh_token : null;
}

/** True when tokens were stored in this tab, even if they have expired since. */
export function hadSession() {
  return tokens() !== null;
}

/** The ID token to send as `Authorization: Bearer`, or null when absent or expired. */
export function idToken() {
  const value = tokens();
  if (!value) return null;
  if (value.expires_at && Date.now() > value.expires_at - EXPIRY_MARGIN_MS) return null;
  return value.id_token;
}

export function isSignedIn() {
  return idToken() !== null || refreshToken() !== null; // an expired ID token is renewed on the next call
}

/** The SIRET of the structure space chosen in this tab, or null. */
export function chosenStructure() {
  return read(STRUCTURE);
}

export function chooseStructure(siret) {
  write(STRUCTURE, siret || null);
}

/** Forgets everything: tokens, structure space, notices. */
export function clearSession() {
  try {
    window.sessionStorage.clear();
  } catch {
    // nothing stored, nothing to clear
  }
}

/** A message for the next page (e.g. "your session has expired" on the sign-in page). */
export function setNotice(message) {
  write(NOTICE, message);
}

export function takeNotice() {
  const message = read(NOTICE);
  write(NOTICE, null);
  return message;
}
