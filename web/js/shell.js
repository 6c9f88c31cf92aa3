// The frame shared by every signed-in page: header (OFeli, the user's name, the structure space
// under it on the right, "Se déconnecter"), the left menu, and the status / alert regions of <main>.
//
// A page's HTML holds the landmarks (see index.html):
//   <a class="lien-evitement" href="#contenu">Aller au contenu</a>
//   <header class="entete" data-shell="header"></header>
//   <div class="cadre">
//     <nav class="menu" aria-label="Menu principal" data-shell="menu"></nav>
//     <main id="contenu" tabindex="-1">
//       <h1>…</h1>
//       <p class="etat" role="status" data-shell="status"></p>
//       <div data-shell="alert" role="alert"></div>
//       … the page's own content …
//     </main>
//   </div>
// and its module calls:
//   const { me, structure } = await mountShell({ current: "dashboard", onStructureChange });
// `structure` is null when no space applies yet (several structures and none chosen; moderator).
// Every change of space calls `onStructureChange(structure, me)` and dispatches the CustomEvent
// "ofeli:structure" on document with `detail: { me, structure }`.

import { api, redirectToSignIn } from "./api.js";
import { h, fill } from "./dom.js";
import { chooseStructure, chosenStructure, clearSession, isSignedIn } from "./session.js";

/**
 * The left menu. Later pages add their entry here: id, label, href, and `roles`, the roles that see it
 * ("of", "moderator"); an entry without `roles` is for everybody. Until /me has answered, only the
 * entries for everybody are shown, so that nobody glimpses an entry that is not theirs.
 */
export const MENU = [
  { id: "dashboard", label: "Tableau de bord", href: "/" },
  { id: "structure", label: "Ma structure", href: "/ma-structure", roles: ["of"] },
  { id: "formations", label: "Formations", href: "/formations", roles: ["of"] },
  { id: "contacts", label: "Contacts", href: "/contacts", roles: ["of"] },
  { id: "messages", label: "Messagerie", href: "/messagerie" },
  { id: "queue", label: "File de modération", href: "/moderation/file", roles: ["moderator"] },
  { id: "account-requests", label: "Demandes de compte", href: "/moderation/demandes-de-compte", roles: ["moderator"] },
  { id: "accounts", label: "Comptes et droits", href: "/moderation/comptes", roles: ["moderator"] },
  { id: "structures", label: "Structures", href: "/moderation/recherche-structures", roles: ["moderator"] },
  { id: "formations-moderation", label: "Formations", href: "/moderation/recherche-formations", roles: ["moderator"] },
  { id: "contact-requests", label: "Demandes de contact", href: "/moderation/demandes-de-contact", roles: ["moderator"] },
  { id: "organisations-list", label: "Liste des OF", href: "/moderation/liste-des-of", roles: ["moderator"] },
  { id: "certifications", label: "Certifications", href: "/moderation/certifications", roles: ["moderator"] },
  { id: "partner-keys", label: "Clés partenaires", href: "/moderation/cles-partenaires", roles: ["moderator"] },
  { id: "account", label: "Mon compte", href: "/mon-compte" },
];

export const MODERATION_LABEL = "Carif-Oref — modération";
export const STRUCTURE_EVENT = "ofeli:structure";

const state = { me: null, structure: null, badges: new Map() };

/** For moderators, the menu entries that show a count of GET /moderation/alerts (what waits for them). */
export const MODERATOR_ALERTS = {
  "account-requests": "account_requests",
  queue: "submissions",
  messages: "unread_messages",
  "contact-requests": "contact_requests",
};

function part(name) {
  return document.querySelector(`[data-shell="${name}"]`);
}

/** Writes a short message in the visible status region of <main> ("Chargement…"), announced politely. */
export function setStatus(message) {
  const status = part("status");
  if (status) status.textContent = message || "";
}

/** Announces a message to screen readers only (e.g. the structure space just chosen). */
export function announce(message) {
  let region = part("announce");
  if (!region) {
    region = h("p", { class: "visuellement-cache", role: "status", "data-shell": "announce" });
    (document.getElementById("contenu") || document.body).append(region);
  }
  region.textContent = message || "";
}

/** Shows an error in the alert region of <main> (announced at once); nothing if already leaving. */
export function showError(error, { retry = false } = {}) {
  if (error && error.redirecting) return;
  const alert = part("alert");
  if (!alert) return;
  const message = (error && error.message) || "Une erreur inattendue est survenue.";
  fill(
    alert,
    h(
      "div",
      { class: "alerte alerte--erreur" },
      h("p", { class: "alerte__titre", text: "Erreur" }),
      h("p", { text: message }),
      retry
        ? h("button", { type: "button", class: "bouton bouton--secondaire", onclick: () => window.location.reload() }, "Réessayer")
        : null,
    ),
  );
}

export function clearError() {
  const alert = part("alert");
  if (alert) alert.replaceChildren();
}

/** The user and the structure space currently chosen. */
export function current() {
  return { me: state.me, structure: state.structure };
}

export function isModerator(me) {
  return Boolean(me && Array.isArray(me.roles) && me.roles.includes("moderator"));
}

export function fullName(me) {
  return [me.first_name, me.last_name].filter(Boolean).join(" ") || me.email;
}

function signOut() {
  clearSession();
  window.location.replace("/connexion");
}

function renderMenu(currentId, me) {
  const nav = part("menu");
  if (!nav) return;
  const role = me ? (isModerator(me) ? "moderator" : "of") : null;
  const items = MENU.filter((item) => !item.roles || (role !== null && item.roles.includes(role)));
  fill(
    nav,
    h(
      "ul",
      { class: "menu__liste" },
      items.map((item) =>
        h(
          "li",
          {},
          h(
            "a",
            {
              href: item.href,
              class: "menu__lien",
              "data-menu": item.id,
              "aria-current": item.id === currentId ? "page" : null,
            },
            item.label,
          ),
        ),
      ),
    ),
  );
  for (const [id, badge] of state.badges) showBadge(id, badge.count, badge.text);
}

/** "1 message non lu", "3 messages non lus". */
export function unreadText(count) {
  return count > 1 ? `${count} messages non lus` : `${count} message non lu`;
}

/** "1 en attente", "3 en attente". */
export function waitingText(count) {
  return `${count} en attente`;
}

/**
 * The badge of a menu entry (`id` of MENU): a count, nothing at 0. The link keeps its name; `text` is its
 * description ("3 messages non lus", "2 en attente"), the visible count is hidden from screen readers.
 */
export function showBadge(id, count, text) {
  const value = Math.max(0, Number(count) || 0);
  state.badges.set(id, { count: value, text });
  const link = part("menu")?.querySelector(`[data-menu="${id}"]`);
  if (!link) return;
  const descriptionId = `menu-${id}-pastille`;
  link.querySelector(".pastille")?.remove();
  document.getElementById(descriptionId)?.remove();
  link.removeAttribute("aria-describedby");
  if (!value) return;
  link.append(" ", h("span", { class: "pastille", "aria-hidden": "true" }, String(value)));
  link.after(h("span", { id: descriptionId, hidden: true }, text));
  link.setAttribute("aria-describedby", descriptionId);
}

/**
 * The badge of "Messagerie" in the menu: the unread messages of the Carif-Oref in the structure space
 * (nothing at 0). The link keeps its name; the count is its description ("3 messages non lus").
 */
export function showUnread(count) {
  const value = Math.max(0, Number(count) || 0);
  showBadge("messages", value, unreadText(value));
}

/** Moderators: the counts of what waits for them, beside their menu entries (at each page load, and when a
 * page has just changed one). */
export async function refreshAlerts() {
  try {
    const alerts = await api("/moderation/alerts");
    if (!alerts) return;
    for (const [id, key] of Object.entries(MODERATOR_ALERTS)) {
      const count = Math.max(0, Number(alerts[key]) || 0);
      showBadge(id, count, id === "messages" ? unreadText(count) : waitingText(count));
    }
  } catch {
    // the badges are a convenience: the page works without them
  }
}

let unreadTicket = 0;

/** Asks the space's dashboard for its unread messages, and shows them in the menu (OF users). */
async function countUnread() {
  const ticket = ++unreadTicket;
  const structure = state.structure;
  if (!structure || isModerator(state.me)) return showUnread(0);
  try {
    const dashboard = await api(`/structures/${encodeURIComponent(structure.siret)}/dashboard`);
    if (ticket === unreadTicket) showUnread(dashboard && dashboard.unread_messages);
  } catch {
    // the badge is a convenience: the page works without it
  }
}

function brand() {
  return h(
    "a",
    { class: "marque", href: "/" },
    h("span", { class: "marque__nom" }, "OFeli"),
    h("span", { class: "marque__sous-titre" }, "Déclaration de l'offre de formation au Carif-Oref"),
  );
}

function renderHeader(body) {
  const header = part("header");
  if (!header) return;
  fill(header, h("div", { class: "entete__interieur" }, brand(), h("div", { class: "utilisateur" }, body)));
}

function logoutButton() {
  return h("button", { type: "button", class: "bouton bouton--entete", onclick: signOut }, "Se déconnecter");
}

function spaceSelector(me, onChange) {
  const select = h(
    "select",
    { id: "espace-structure", name: "espace-structure", class: "champ-espace__liste" },
    h("option", { value: "", disabled: true, selected: !state.structure }, "— Choisissez un espace —"),
    me.structures.map((s) =>
      h("option", { value: s.siret, selected: state.structure && state.structure.siret === s.siret }, s.name),
    ),
  );
  select.addEventListener("change", () => onChange(select.value));
  return h(
    "div",
    { class: "champ-espace" },
    h("label", { for: "espace-structure", class: "champ-espace__libelle" }, "Espace structure"),
    select,
  );
}

function userZone(me, onChange) {
  const lines = [h("p", { class: "utilisateur__nom" }, fullName(me))];
  if (isModerator(me)) {
    lines.push(h("p", { class: "utilisateur__role" }, MODERATION_LABEL));
  } else if (me.structures.length === 1) {
    lines.push(
      h(
        "p",
        { class: "utilisateur__espace" },
        h("span", { class: "utilisateur__libelle" }, "Espace structure"),
        h("span", { class: "utilisateur__structure" }, me.structures[0].name),
      ),
    );
  } else if (me.structures.length > 1) {
    lines.push(spaceSelector(me, onChange));
  }
  lines.push(logoutButton());
  return lines;
}

/** The structure space that applies: implicit with one structure, the stored choice with several. */
function resolveStructure(me) {
  if (isModerator(me) || !Array.isArray(me.structures) || me.structures.length === 0) return null;
  if (me.structures.length === 1) return me.structures[0];
  const siret = chosenStructure();
  const chosen = me.structures.find((s) => s.siret === siret) || null;
  if (siret && !chosen) chooseStructure(null); // a space this account no longer has rights on
  return chosen;
}

/** After *Mon compte* changed the names: the header says the new ones. */
export function renameUser(me) {
  if (!state.me) return;
  Object.assign(state.me, { first_name: me.first_name, last_name: me.last_name, phone: me.phone });
  const name = part("header")?.querySelector(".utilisateur__nom");
  if (name) name.textContent = fullName(state.me);
}

/**
 * Mounts the frame of a signed-in page.
 * @param {{current: string, onStructureChange?: (structure: object|null, me: object) => void,
 *   unreadFromPage?: boolean}} options
 *   unreadFromPage: the page reads the space's dashboard itself and calls `showUnread` (the dashboard);
 *   otherwise the shell asks for it, but on the messages page (reading the thread marks it read).
 * @returns {Promise<{me: object, structure: object|null}>} never settles when leaving for the sign-in page;
 *   rejects, once the error is shown in the alert region, when /me fails otherwise
 */
export async function mountShell({ current: currentId, onStructureChange, unreadFromPage = false } = {}) {
  const leaving = new Promise(() => {});
  if (!isSignedIn()) {
    redirectToSignIn();
    return leaving;
  }
  renderMenu(currentId, null);
  renderHeader(h("p", { class: "utilisateur__nom" }, "Chargement…"));
  announce(""); // creates the live region now, so that later messages are announced
  setStatus("Chargement…");

  let me;
  try {
    me = await api("/me");
  } catch (error) {
    if (error.redirecting) return leaving;
    setStatus("");
    renderHeader(logoutButton());
    showError(error, { retry: true });
    throw error;
  }
  me.structures = Array.isArray(me.structures) ? me.structures : [];
  state.me = me;
  const countsUnread = !unreadFromPage && currentId !== "messages";
  state.structure = resolveStructure(me);
  if (state.structure && me.structures.length === 1) chooseStructure(state.structure.siret);

  const change = (siret) => {
    const structure = me.structures.find((s) => s.siret === siret) || null;
    if (!structure) return;
    state.structure = structure;
    chooseStructure(structure.siret);
    showUnread(0); // the other space's count is not this one's
    if (countsUnread) countUnread();
    announce(`Espace structure choisi : ${structure.name}.`);
    onStructureChange?.(structure, me);
    document.dispatchEvent(new CustomEvent(STRUCTURE_EVENT, { detail: { me, structure } }));
  };

  renderHeader(userZone(me, change));
  renderMenu(currentId, me);
  if (isModerator(me)) refreshAlerts();
  else if (countsUnread) countUnread();
  setStatus("");
  return { me, structure: state.structure };
}

/** Moves the keyboard focus to the structure space selector (when there is one). */
export function focusSpaceSelector() {
  document.getElementById("espace-structure")?.focus();
}
