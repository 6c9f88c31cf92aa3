// The page "Réinitialiser mon mot de passe" (/mot-de-passe-oublie): POST /auth/password-reset, then the
// API's answer (the same whether the account exists or not). The e-mail leads to /activation.

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { FormErrors, fieldsOf } from "./formulaire.js";

const TITLE = document.title;
const form = document.getElementById("formulaire-reinitialisation");
const submit = document.getElementById("envoyer");
const email = document.getElementById("email");
const result = document.getElementById("resultat");

const errors = new FormErrors({
  zone: document.getElementById("erreur"),
  fields: { email: { input: email, error: document.getElementById("email-erreur"), label: "Identifiant (adresse e-mail)" } },
  title: TITLE,
});

let busy = false;

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.textContent = value ? "Envoi en cours…" : "Recevoir le lien par e-mail";
  form.setAttribute("aria-busy", value ? "true" : "false");
}

function checkFields() {
  if (email.value.trim() === "") return [{ field: "email", message: "Saisissez votre adresse e-mail." }];
  if (email.validity.typeMismatch)
    return [{ field: "email", message: "Saisissez une adresse e-mail valide, par exemple nom@organisme.fr." }];
  return [];
}

function showResult(message) {
  form.remove();
  document.querySelector(".connexion__intro")?.remove();
  document.title = `Lien envoyé — ${TITLE}`;
  const heading = h("h2", { id: "titre-resultat", class: "alerte__titre", tabindex: "-1" }, "Demande prise en compte");
  fill(
    result,
    h(
      "section",
      { class: "alerte alerte--succes", "aria-labelledby": "titre-resultat" },
      heading,
      h("p", {}, message),
      h("p", {}, "Ouvrez le message « Réinitialisation de votre mot de passe OFeli » puis cliquez sur le lien Choisir un nouveau mot de passe."),
    ),
  );
  heading.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) return;
  errors.clear();
  const problems = checkFields();
  if (problems.length) {
    errors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", problems);
    return;
  }
  setBusy(true);
  try {
    const answer = await api("/auth/password-reset", { method: "POST", body: { email: email.value.trim() }, auth: false });
    showResult(answer && answer.message ? answer.message : "Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé.");
  } catch (failure) {
    setBusy(false);
    errors.show(failure.message || "La demande n'a pas pu être envoyée. Réessayez.", fieldsOf(failure));
  }
});
