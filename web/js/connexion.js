// The sign-in page (/connexion): POST /auth/login, keep the tokens, go back where the user was going.

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { saveTokens, takeNotice } from "./session.js";

const TITLE = document.title;
const form = document.getElementById("formulaire-connexion");
const submit = document.getElementById("se-connecter");
const errorZone = document.getElementById("erreur");
const notice = document.getElementById("avis");
const password = document.getElementById("mot-de-passe");
const toggle = document.getElementById("bascule-mot-de-passe");
const toggleVerb = toggle.querySelector("[data-bascule-verbe]");
const toggleStatus = document.getElementById("mot-de-passe-etat");

/** The form's fields, by the names the API gives them. */
const FIELDS = {
  email: { input: document.getElementById("email"), error: document.getElementById("email-erreur"), label: "Identifiant (adresse e-mail)" },
  password: { input: password, error: document.getElementById("mot-de-passe-erreur"), label: "Mot de passe" },
};

// ------------------------------------------------------------------ where to go once signed in
function destination() {
  const retour = new URLSearchParams(window.location.search).get("retour");
  if (!retour || !retour.startsWith("/") || retour.startsWith("//") || retour.startsWith("/\\")) return "/";
  try {
    const url = new URL(retour, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname.startsWith("/connexion")) return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}

// ------------------------------------------------------------------ show / hide the password
function showPassword(visible) {
  password.type = visible ? "text" : "password";
  toggleVerb.textContent = visible ? "Masquer" : "Afficher";
}

toggle.addEventListener("click", () => {
  const visible = password.type === "password";
  showPassword(visible);
  toggleStatus.textContent = visible ? "Votre mot de passe est affiché." : "Votre mot de passe est masqué.";
});

// ------------------------------------------------------------------ errors
function describedBy(name, withError) {
  const ids = name === "email" ? ["email-aide"] : [];
  if (withError) ids.push(FIELDS[name].error.id);
  return ids.join(" ");
}

function clearErrors() {
  errorZone.replaceChildren();
  document.title = TITLE;
  for (const [name, field] of Object.entries(FIELDS)) {
    field.error.hidden = true;
    field.error.textContent = "";
    field.input.removeAttribute("aria-invalid");
    field.input.closest(".champ").classList.remove("champ--erreur");
    const ids = describedBy(name, false);
    if (ids) field.input.setAttribute("aria-describedby", ids);
    else field.input.removeAttribute("aria-describedby");
  }
}

/** Shows `message` in the alert region, each field's message next to its field, and focuses the alert. */
function showErrors(message, fieldErrors = [], after = null) {
  const known = fieldErrors.filter((f) => FIELDS[f.field]);
  for (const { field: name, message: text } of known) {
    const field = FIELDS[name];
    field.error.textContent = "";
    field.error.append(h("span", { class: "visuellement-cache" }, "Erreur : "), text);
    field.error.hidden = false;
    field.input.setAttribute("aria-invalid", "true");
    field.input.setAttribute("aria-describedby", describedBy(name, true));
    field.input.closest(".champ").classList.add("champ--erreur");
  }
  const links = known.map(({ field: name, message: text }) =>
    h(
      "li",
      {},
      h(
        "a",
        {
          href: `#${FIELDS[name].input.id}`,
          onclick: (event) => {
            event.preventDefault();
            FIELDS[name].input.focus();
          },
        },
        `${FIELDS[name].label} : ${text}`,
      ),
    ),
  );
  const others = fieldErrors.filter((f) => !FIELDS[f.field]).map((f) => h("li", {}, f.message));
  fill(
    errorZone,
    h(
      "div",
      { class: "alerte alerte--erreur" },
      h("p", { class: "alerte__titre" }, "Connexion impossible"),
      h("p", {}, message),
      links.length || others.length ? h("ul", { class: "alerte__liste" }, links, others) : null,
      after,
    ),
  );
  document.title = `Erreur — ${TITLE}`;
  errorZone.focus();
}

/** The checks the browser would make, with French messages next to the fields. */
function checkFields() {
  const errors = [];
  const email = FIELDS.email.input;
  if (email.value.trim() === "") errors.push({ field: "email", message: "Saisissez votre adresse e-mail." });
  else if (email.validity.typeMismatch)
    errors.push({ field: "email", message: "Saisissez une adresse e-mail valide, par exemple nom@organisme.fr." });
  if (password.value === "") errors.push({ field: "password", message: "Saisissez votre mot de passe." });
  return errors;
}

// ------------------------------------------------------------------ submit
let busy = false;

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.textContent = value ? "Connexion en cours…" : "Se connecter";
  form.setAttribute("aria-busy", value ? "true" : "false");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) return;
  clearErrors();
  const problems = checkFields();
  if (problems.length) {
    showErrors("Le formulaire contient des erreurs : corrigez les champs signalés.", problems);
    return;
  }
  showPassword(false);
  setBusy(true);
  try {
    const tokens = await api("/auth/login", {
      method: "POST",
      body: { email: FIELDS.email.input.value.trim(), password: password.value },
      auth: false,
    });
    saveTokens(tokens);
    window.location.replace(destination());
  } catch (error) {
    setBusy(false);
    // 429: too many failed attempts for this e-mail; the message says when to retry, the link the other way.
    const after =
      error.status === 429
        ? h("p", {}, h("a", { href: "/mot-de-passe-oublie" }, "Réinitialiser mon mot de passe"))
        : null;
    showErrors(error.message || "La connexion a échoué. Réessayez.", Array.isArray(error.fields) ? error.fields : [], after);
  }
});

// ------------------------------------------------------------------ a message from the previous page
const ACTIVATED = "Votre mot de passe est enregistré. Connectez-vous avec votre adresse e-mail et ce mot de passe.";
const params = new URLSearchParams(window.location.search);
const message = takeNotice();
if (params.get("active") === "1") {
  // Coming from "Choisir votre mot de passe" (/activation): the guide's "Vous revenez alors à l'écran de connexion".
  fill(notice, h("div", { class: "alerte alerte--succes" }, h("p", {}, ACTIVATED)));
  params.delete("active");
  const query = params.toString();
  window.history.replaceState(null, "", window.location.pathname + (query ? `?${query}` : "") + window.location.hash);
} else if (message) {
  fill(notice, h("div", { class: "alerte alerte--info" }, h("p", {}, message)));
}
