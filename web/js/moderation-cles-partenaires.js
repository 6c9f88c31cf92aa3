// Moderators: the partners' API keys (/moderation/cles-partenaires). Create one (POST
// /moderation/partner-keys: the key is shown once, with a copy button), list them (GET, never the secret),
// revoke one (DELETE /moderation/partner-keys/{id}, after a confirmation). State: cles-partenaires-etat.js.

import { api } from "./api.js";
import { h, fill, scrollingTable } from "./dom.js";
import { dateTime, plural, successBox } from "./format.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";
import {
  activeCount,
  createState,
  forgetCreated,
  keyState,
  nameError,
  withCreated,
  withKeys,
  withRevoked,
} from "./cles-partenaires-etat.js";

const TITLE = document.title;
const form = document.getElementById("creation");
const nameInput = document.getElementById("nom-partenaire");
const nameErrorBox = document.getElementById("nom-partenaire-erreur");
const createdBox = document.getElementById("cle-creee");
const listArea = document.getElementById("cles");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

let state = createState();
let busy = false;

// ------------------------------------------------------------------ views
function setNameError(message) {
  nameErrorBox.textContent = message;
  nameErrorBox.hidden = !message;
  if (message) {
    nameInput.setAttribute("aria-invalid", "true");
    nameInput.setAttribute("aria-describedby", "nom-partenaire-aide nom-partenaire-erreur");
  } else {
    nameInput.removeAttribute("aria-invalid");
    nameInput.setAttribute("aria-describedby", "nom-partenaire-aide");
  }
}

async function copy(text, button, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Clé copiée dans le presse-papiers.";
  } catch {
    status.textContent = "La copie automatique n'est pas possible ici : sélectionnez la clé et copiez-la (Ctrl+C).";
    document.getElementById("cle-secrete")?.select();
  }
  button.focus();
}

function createdView(created) {
  if (!created) return [];
  const status = h("p", { role: "status", class: "etat" });
  const copyButton = h(
    "button",
    { type: "button", class: "bouton bouton--principal", onclick: (event) => copy(created.key, event.currentTarget, status) },
    "Copier la clé",
  );
  return h(
    "div",
    { class: "alerte alerte--succes" },
    h("h3", { id: "titre-cle-creee" }, `Clé créée pour ${created.name}`),
    h(
      "p",
      {},
      h("strong", {}, "Copiez-la maintenant : elle ne sera plus jamais affichée. "),
      "Remettez-la au partenaire par un canal sûr ; il l'envoie dans l'en-tête X-Api-Key.",
    ),
    h("label", { for: "cle-secrete" }, "Clé API"),
    h("input", { id: "cle-secrete", type: "text", readonly: true, value: created.key, class: "champ__saisie", spellcheck: "false", autocomplete: "off" }),
    h(
      "div",
      { class: "actions" },
      copyButton,
      h("button", { type: "button", class: "bouton bouton--secondaire", onclick: hideCreated }, "J'ai copié la clé : la masquer"),
    ),
    status,
  );
}

function keyRow(key) {
  return h(
    "tr",
    { "data-cle": key.id },
    h("th", { scope: "row" }, key.name),
    h("td", {}, keyState(key), key.revoked_at ? [" le ", dateTime(key.revoked_at)] : null),
    h("td", {}, dateTime(key.created_at), h("br"), h("span", { class: "coupable" }, key.created_by)),
    h("td", {}, key.last_used_at ? dateTime(key.last_used_at) : "Jamais"),
    h(
      "td",
      {},
      key.revoked_at
        ? "—"
        : h(
            "button",
            { type: "button", class: "bouton bouton--danger", onclick: (event) => revoke(key, event.currentTarget) },
            "Révoquer",
            h("span", { class: "visuellement-cache" }, ` la clé de ${key.name}`),
          ),
    ),
  );
}

function renderList() {
  const count = activeCount(state);
  fill(
    listArea,
    h("h2", { id: "titre-cles", tabindex: "-1" }, count ? plural(count, "clé active", "clés actives") : "Aucune clé active"),
    state.keys.length
      ? scrollingTable(
          "titre-cles",
          h(
            "table",
            { class: "tableau" },
            h("caption", { class: "visuellement-cache" }, "Clés des partenaires, les actives d'abord"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { scope: "col" }, "Partenaire"),
                h("th", { scope: "col" }, "État"),
                h("th", { scope: "col" }, "Créée"),
                h("th", { scope: "col" }, "Dernière utilisation"),
                h("th", { scope: "col" }, "Action"),
              ),
            ),
            h("tbody", {}, state.keys.map(keyRow)),
          ),
        )
      : h("p", { class: "vide" }, "Aucune clé n'a encore été créée."),
  );
}

function render() {
  fill(createdBox, createdView(state.created));
  renderList();
}

function hideCreated() {
  state = forgetCreated(state);
  render();
  nameInput.focus();
}

// ------------------------------------------------------------------ actions
async function load() {
  setStatus("Chargement des clés…");
  try {
    const keys = await api("/moderation/partner-keys");
    state = withKeys(state, Array.isArray(keys) ? keys : []);
    clearError();
    render();
    setStatus("");
  } catch (error) {
    setStatus("");
    if (!error.redirecting) showError(error, { retry: true });
  }
}

async function create(event) {
  event.preventDefault();
  if (busy) return;
  const message = nameError(nameInput.value);
  setNameError(message);
  if (message) {
    nameInput.focus();
    return;
  }
  busy = true;
  clearError();
  result.replaceChildren();
  try {
    const created = await api("/moderation/partner-keys", { method: "POST", body: { name: nameInput.value.trim() } });
    state = withCreated(state, created);
    form.reset();
    render();
    document.title = `Clé créée — ${TITLE}`;
    createdBox.focus();
  } catch (error) {
    if (error.redirecting) return;
    const field = (error.fields || []).find((f) => String(f.field).endsWith("name"));
    if (field) {
      setNameError(field.message);
      nameInput.focus();
    } else {
      showError(error);
      alertZone.focus();
    }
  } finally {
    busy = false;
  }
}

async function revoke(key, button) {
  if (busy) return;
  if (!window.confirm(`Révoquer la clé de ${key.name} ? Le partenaire ne pourra plus télécharger le flux avec elle.`)) return;
  busy = true;
  button.disabled = true;
  clearError();
  result.replaceChildren();
  try {
    const revoked = await api(`/moderation/partner-keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
    state = withRevoked(state, revoked);
    render();
    fill(result, successBox(`La clé de ${key.name} est révoquée : elle est refusée dès maintenant.`));
    document.getElementById("titre-cles")?.focus();
  } catch (error) {
    if (error.redirecting) return;
    button.disabled = false;
    if (error.status === 409 || error.status === 404) await load();
    showError(error);
    alertZone.focus();
  } finally {
    busy = false;
  }
}

form.addEventListener("submit", create);

try {
  await mountShell({ current: "partner-keys" });
  await load();
} catch {
  // mountShell has shown the error in the alert region
}
