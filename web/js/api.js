// The one way the pages talk to the OFeli API: JSON in and out, the bearer token added, every
// failure turned into an ApiError that carries what the API said (French messages).

import { API_BASE } from "./config.js";
import { clearSession, hadSession, idToken, refreshToken, renewTokens, setNotice } from "./session.js";

const NETWORK_MESSAGE = "Le service OFeli ne répond pas. Vérifiez votre connexion, puis réessayez.";
const SERVER_MESSAGE = "Une erreur est survenue sur le serveur OFeli. Réessayez dans quelques instants.";
const EXPIRED_MESSAGE = "Votre session a expiré ou n'est plus valide. Reconnectez-vous pour continuer.";

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the server could not be reached)
   * @param {string} code the API's error code ("unauthorized", "invalid_request"...)
   * @param {string} message a French message a person understands
   * @param {{field: string, message: string}[]} fields the fields at fault, if any
   */
  constructor(status, code, message, fields = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
    /** True when the page is already on its way to the sign-in page: show nothing. */
    this.redirecting = false;
  }
}

/** The sign-in page, coming back to `path` afterwards (the current page by default). */
export function signInUrl(path = currentPath()) {
  if (!path || path === "/" || path.startsWith("/connexion")) return "/connexion";
  return `/connexion?retour=${encodeURIComponent(path)}`;
}

function currentPath() {
  return window.location.pathname + window.location.search + window.location.hash;
}

/** Leaves for the sign-in page, with a notice when a session existed and has ended. */
export function redirectToSignIn() {
  if (hadSession()) {
    clearSession();
    setNotice(EXPIRED_MESSAGE);
  }
  window.location.replace(signInUrl());
}

function redirectingError() {
  const error = new ApiError(401, "unauthorized", EXPIRED_MESSAGE);
  error.redirecting = true;
  return error;
}

let renewing = null;

/**
 * New tokens from the refresh token (the ID token lasts an hour; the session goes on), once at a time.
 * @returns {Promise<string|null>} the new ID token, or null when the session cannot be renewed
 */
function renewedToken() {
  const refresh = refreshToken();
  if (!refresh) return Promise.resolve(null);
  if (!renewing) {
    renewing = fetch(API_BASE + "/auth/refresh", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: refresh }),
      credentials: "omit",
    })
      .then(async (response) => {
        if (!response.ok) return null;
        const data = await response.json();
        renewTokens(data);
        return data.id_token;
      })
      .catch(() => null)
      .finally(() => {
        renewing = null;
      });
  }
  return renewing;
}

/**
 * Calls the API.
 * @param {string} path e.g. "/me"
 * @param {{method?: string, body?: unknown, auth?: boolean, signal?: AbortSignal}} options
 *   auth: false for the calls made before signing in (no token sent, a 401 is an ordinary error).
 * @returns {Promise<any>} the decoded JSON body (null when empty)
 */
export async function api(path, { method = "GET", body, auth = true, signal, retried = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth) {
    const token = idToken() || (await renewedToken());
    if (!token) {
      redirectToSignIn();
      throw redirectingError();
    }
    headers.Authorization = `Bearer ${token}`;
  }

  let response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "omit",
    });
  } catch (cause) {
    if (cause && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network", NETWORK_MESSAGE);
  }

  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (response.ok) return data;

  if (response.status === 401 && auth) {
    if (!retried && (await renewedToken())) return api(path, { method, body, auth, signal, retried: true });
    redirectToSignIn();
    throw redirectingError();
  }
  const error = data && typeof data === "object" ? data.error : null;
  if (error && typeof error.message === "string") {
    const fields = Array.isArray(error.fields) ? error.fields : [];
    throw new ApiError(response.status, String(error.code || "error"), error.message, fields);
  }
  throw new ApiError(response.status, "server_error", SERVER_MESSAGE);
}

/**
 * A file sent to S3 with the presigned POST the API gave (`{url, fields}`): every field, then the file
 * last, without OFeli's credentials. True when S3 took it, false when it refused it or was unreachable.
 */
export async function presignedUpload(file, target) {
  const data = new FormData();
  for (const [name, value] of Object.entries(target.fields || {})) data.append(name, value);
  data.append("file", file, file.name);
  try {
    const response = await fetch(target.url, { method: "POST", body: data, credentials: "omit" });
    return response.ok;
  } catch {
    return false;
  }
}
