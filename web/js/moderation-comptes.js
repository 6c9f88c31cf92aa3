// Moderators: an account and its rights on structures (/moderation/comptes): GET /moderation/users,
// POST /moderation/users/{id}/rights, DELETE /moderation/users/{id}/rights/{siret}.

import { api } from "./api.js";
import { h, fill, formatSiret, scrollingTable } from "./dom.js";
import { modal } from "./dialogue.js";
import { FormErrors, fieldsOf } from "./formulaire.js";
import { clearError, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const searchForm = document.getElementById("formulaire-recherche");
const searchInput = document.getElementById("recherche-email");
const searchButton = document.getElementById("rechercher");
const area = document.getElementById("compte");
const result = document.getElementById("resultat");
const alertZone = document.querySelector('[data-shell="alert"]');

const searchErrors = new FormErrors({
  zone: alertZone,
  fields: {
    email: { input: searchInput, error: document.getElementById("recherche-email-erreur"), label: "Adresse e-mail du compte" },
  },
  heading: "Recherche impossible",
  title: TITLE,
});

/** The account shown, as GET /moderation/users answered it. */
let account = null;
let grantErrors = null;
let busy = false;

function fullName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
}

function say(message) {
  fill(result, h("div", { class: "alerte alerte--succes" }, h("p", {}, message)));
}

function compact(value) {
  return String(value || "").replace(/[\s.-]/g, "");
}

// ------------------------------------------------------------------ search
function checkSearch() {
  if (searchInput.value.trim() === "") return [{ field: "email", message: "Saisissez l'adresse e-mail du compte." }];
  if (searchInput.validity.typeMismatch)
    return [{ field: "email", message: "Saisissez une adresse e-mail valide, par exemple nom@organisme.fr." }];
  return [];
}

async function fetchAccount(email) {
  return api(`/moderation/users?email=${encodeURIComponent(email)}`);
}

async function search({ fromUrl = false } = {}) {
  searchErrors.clear();
  grantErrors?.clear();
  result.replaceChildren();
  const problems = checkSearch();
  if (problems.length) {
    searchErrors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", problems);
    return;
  }
  const email = searchInput.value.trim();
  searchButton.disabled = true;
  setStatus("Recherche du compte…");
  try {
    account = await fetchAccount(email);
    clearError();
    setStatus("");
    window.history.replaceState(null, "", `${window.location.pathname}?email=${encodeURIComponent(email)}`);
    renderAccount();
    if (!fromUrl) document.getElementById("titre-compte")?.focus();
  } catch (error) {
    setStatus("");
    account = null;
    area.replaceChildren();
    if (error.redirecting) return;
    if (error.status === 404) {
      searchErrors.show(error.message, [{ field: "email", message: error.message }]);
    } else if (error.status === 422) {
      searchErrors.show(error.message, fieldsOf(error));
    } else {
      showError(error);
    }
  } finally {
    searchButton.disabled = false;
  }
}

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  search();
});

// ------------------------------------------------------------------ the account
function structuresTable(structures) {
  if (!structures.length) {
    return h("p", { class: "vide" }, "Ce compte n'a de droits sur aucune structure.");
  }
  return scrollingTable(
    "legende-structures",
    h(
      "table",
      { class: "tableau" },
      h("caption", { id: "legende-structures", class: "visuellement-cache" }, `Structures de ${fullName(account)}`),
      h(
        "thead",
        {},
        h("tr", {}, ["Structure", "SIRET", "NDA", "Statut", "Action"].map((label) => h("th", { scope: "col" }, label))),
      ),
      h(
        "tbody",
        {},
        structures.map((structure) =>
          h(
            "tr",
            { "data-siret": structure.siret },
            h("th", { scope: "row" }, structure.name),
            h("td", {}, h("span", { class: "insecable" }, formatSiret(structure.siret))),
            h("td", {}, structure.nda || "—"),
            h("td", {}, structure.is_responsible ? "organisme responsable (porteur du NDA)" : "établissement non responsable"),
            h(
              "td",
              {},
              h(
                "button",
                {
                  type: "button",
                  class: "bouton bouton--danger bouton--petit",
                  onclick: (event) => openRevocation(structure, event.currentTarget),
                },
                "Retirer les droits",
                h("span", { class: "visuellement-cache" }, ` sur ${structure.name}`),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function renderStructures() {
  fill(document.getElementById("structures-du-compte"), structuresTable(account.structures || []));
}

function renderAccount() {
  const siretInput = h("input", {
    class: "champ__saisie champ__saisie--court",
    type: "text",
    id: "siret-droits",
    name: "siret",
    inputmode: "numeric",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "20",
    required: true,
    "aria-describedby": "siret-droits-aide",
  });
  const siretError = h("p", { class: "champ__erreur", id: "siret-droits-erreur", hidden: true });
  const grantButton = h("button", { type: "submit", class: "bouton bouton--principal" }, "Donner les droits");
  const grantForm = h(
    "form",
    { class: "formulaire", novalidate: true, "aria-labelledby": "titre-donner" },
    h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: "siret-droits" }, "SIRET de la structure"),
      h(
        "p",
        { class: "champ__aide", id: "siret-droits-aide" },
        "14 chiffres. La structure doit déjà exister dans OFeli.",
      ),
      siretError,
      siretInput,
    ),
    grantButton,
  );
  grantForm.addEventListener("submit", (event) => {
    event.preventDefault();
    grant(siretInput, grantButton);
  });
  grantErrors = new FormErrors({
    zone: alertZone,
    fields: { siret: { input: siretInput, error: siretError, label: "SIRET de la structure" } },
    heading: "Les droits n'ont pas été donnés",
    title: TITLE,
  });
  fill(
    area,
    h(
      "section",
      { class: "carte carte--compte", "aria-labelledby": "titre-compte" },
      h("p", { class: "carte__surtitre" }, "Compte"),
      h("h2", { id: "titre-compte", class: "carte__titre", tabindex: "-1" }, fullName(account)),
      h("p", { class: "carte__ligne" }, "Adresse e-mail : ", h("span", { class: "coupable" }, account.email)),
      h("h3", { id: "titre-structures", tabindex: "-1" }, "Structures sur lesquelles ce compte a des droits"),
      h("div", { id: "structures-du-compte" }),
      h("h3", { id: "titre-donner" }, "Donner des droits sur une structure"),
      grantForm,
    ),
  );
  renderStructures();
}

// ------------------------------------------------------------------ granting
async function grant(input, button) {
  if (busy || !account) return;
  searchErrors.clear();
  grantErrors.clear();
  result.replaceChildren();
  const siret = input.value.trim();
  if (!siret) {
    grantErrors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", [
      { field: "siret", message: "Saisissez le SIRET de la structure." },
    ]);
    return;
  }
  busy = true;
  button.disabled = true;
  setStatus("Enregistrement des droits…");
  try {
    const structures = await api(`/moderation/users/${encodeURIComponent(account.user_id)}/rights`, {
      method: "POST",
      body: { siret },
    });
    account.structures = Array.isArray(structures) ? structures : account.structures;
    renderStructures();
    const added = account.structures.find((s) => s.siret === compact(siret));
    input.value = "";
    say(`Droits donnés à ${fullName(account)} sur « ${added ? added.name : formatSiret(compact(siret))} ».`);
  } catch (error) {
    if (error.redirecting) return;
    const fields = fieldsOf(error);
    if (!fields.length && (error.status === 404 || error.status === 409)) {
      fields.push({ field: "siret", message: error.message });
    }
    grantErrors.show(error.message || "Les droits n'ont pas pu être donnés. Réessayez.", fields);
  } finally {
    busy = false;
    button.disabled = false;
    setStatus("");
  }
}

// ------------------------------------------------------------------ revoking, after a confirmation
const dialog = document.getElementById("dialogue-retrait");
const confirmButton = document.getElementById("confirmer-retrait");
const dialogError = document.getElementById("dialogue-retrait-erreur");
const revocation = modal(dialog, { busy: () => busy });
let revoked = null;

function openRevocation(structure, opener) {
  if (busy || !account) return;
  revoked = structure;
  searchErrors.clear();
  grantErrors?.clear();
  result.replaceChildren();
  dialogError.replaceChildren();
  document.getElementById("dialogue-retrait-titre").textContent = `Retirer les droits sur « ${structure.name} »`;
  document.getElementById("dialogue-retrait-description").textContent =
    `${fullName(account)} (${account.email}) ne pourra plus intervenir sur la structure « ${structure.name} » ` +
    `(SIRET ${formatSiret(structure.siret)}). Vous pourrez lui redonner ces droits plus tard.`;
  revocation.open(opener, document.getElementById("annuler-retrait")); // the harmless choice first
}

document.getElementById("annuler-retrait").addEventListener("click", () => revocation.close());
dialog.addEventListener("close", () => {
  revoked = null;
  dialogError.replaceChildren();
});

confirmButton.addEventListener("click", async () => {
  const structure = revoked;
  if (!structure || busy || !account) return;
  busy = true;
  confirmButton.disabled = true;
  dialogError.replaceChildren();
  result.replaceChildren();
  try {
    await api(`/moderation/users/${encodeURIComponent(account.user_id)}/rights/${encodeURIComponent(structure.siret)}`, {
      method: "DELETE",
    });
  } catch (error) {
    busy = false;
    confirmButton.disabled = false;
    if (error.redirecting) return;
    fill(
      dialogError,
      h(
        "div",
        { class: "alerte alerte--erreur" },
        h("p", { class: "alerte__titre" }, "Les droits n'ont pas été retirés"),
        h("p", {}, error.message || "Une erreur est survenue. Réessayez."),
      ),
    );
    return;
  }
  // The list as the API now has it (it may have changed elsewhere too).
  try {
    account = await fetchAccount(account.email);
  } catch {
    account.structures = (account.structures || []).filter((s) => s.siret !== structure.siret);
  }
  busy = false;
  confirmButton.disabled = false;
  renderStructures();
  const next = document.querySelector("#structures-du-compte tbody button") || document.getElementById("titre-structures");
  revocation.close(next);
  say(`Droits retirés à ${fullName(account)} sur « ${structure.name} ».`);
});

// ------------------------------------------------------------------ start
try {
  await mountShell({ current: "accounts" });
  const email = new URLSearchParams(window.location.search).get("email");
  if (email) {
    searchInput.value = email;
    await search({ fromUrl: true });
  }
} catch {
  // mountShell has shown the error in the alert region
}
