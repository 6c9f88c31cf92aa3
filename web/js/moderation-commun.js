// What the queue (/moderation/file) and a submission (/moderation/soumission) share: the way back to the
// queue with the filters the moderator had, and the message that says what was decided.

const FILTERS = "ofeli.file.filtres";
const DONE = "ofeli.file.resultat";

export const QUEUE_PATH = "/moderation/file";

function read(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    // storage disabled: the queue comes back without its filters, the ?fait= parameter still speaks
  }
}

/** Remembers the query string of the queue ("?type=structure&siret=…", or "") for the way back. */
export function rememberQueueFilters(search) {
  write(FILTERS, search || "");
}

/** The queue with the filters last used; `done` ("valide" | "refuse") adds the ?fait= parameter. */
export function queueUrl(done) {
  const params = new URLSearchParams(read(FILTERS) || "");
  params.delete("fait");
  if (done) params.set("fait", done);
  const query = params.toString();
  return query ? `${QUEUE_PATH}?${query}` : QUEUE_PATH;
}

/** The sentence the queue shows after a decision (more precise than what ?fait= alone can say). */
export function setDecisionMessage(message) {
  write(DONE, message);
}

export function takeDecisionMessage() {
  const message = read(DONE);
  write(DONE, null);
  return message;
}
