// The one way the pages talk to the OFeli API: JSON in and out, the bearer token added, every
// failure turned into an ApiError that carries what the API said (French messages).

import { API_BASE } from "./config.js";
import { clearSession, hadSession, idToken, setNotice } from "./session.js";

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

/**
 * Calls the API.
 * @param {string} path e.g. "/me"
 * @param {{method?: string, body?: unknown, auth?: boolean, signal?: AbortSignal}} options
 *   auth: false for the calls made before signing in (no token sent, a 401 is an ordinary error).
 * @returns {Promise<any>} the decoded JSON body (null when empty)
 */
export async function api(path, { method = "GET", body, auth = true, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth) {
    const token = idToken();
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
