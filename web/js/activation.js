// The page "Choisir votre mot de passe" (/activation?key=…), reached from the e-mails « Demande de clé
// d'activation » and « Réinitialisation de votre mot de passe OFeli »: POST /activation, then the
// sign-in page. The rules are shown as they are met; the API checks them again (and decides).

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { FormErrors, fieldsOf, passwordToggle } from "./formulaire.js";
import { watchMatch, watchRules } from "./mot-de-passe.js";

const TITLE = document.title;
const form = document.getElementById("formulaire-activation");
const submit = document.getElementById("sauvegarder");
const password = document.getElementById("mot-de-passe");
const confirmation = document.getElementById("confirmation");
const match = document.getElementById("confirmation-etat");
const rulesAnnouncement = document.getElementById("regles-annonce");

const FIELDS = {
  password: { input: password, error: document.getElementById("mot-de-passe-erreur"), label: "Nouveau mot de passe" },
  confirmation: {
    input: confirmation,
    error: document.getElementById("confirmation-erreur"),
    label: "Confirmez le mot de passe",
  },
};
const errors = new FormErrors({ zone: document.getElementById("erreur"), fields: FIELDS, title: TITLE });

const showPassword = passwordToggle(
  password,
  document.getElementById("bascule-mot-de-passe"),
  document.getElementById("mot-de-passe-etat"),
  "Votre nouveau mot de passe",
);
const showConfirmation = passwordToggle(
  confirmation,
  document.getElementById("bascule-confirmation"),
  document.getElementById("confirmation-bascule-etat"),
  "La confirmation du mot de passe",
);

const RESET_LINK = () => h("p", {}, h("a", { href: "/mot-de-passe-oublie" }, "Réinitialiser mon mot de passe"));

// ------------------------------------------------------------------ the key
const key = (new URLSearchParams(window.location.search).get("key") || "").trim();

if (!key) {
  form.remove();
  document.querySelector(".connexion__intro")?.remove();
  fill(
    document.getElementById("sans-cle"),
    h(
      "div",
      { class: "alerte alerte--info" },
      h("p", { class: "alerte__titre" }, "Il manque la clé d'activation"),
      h(
        "p",
        {},
        "Cette page s'ouvre avec le lien reçu par e-mail (« Activer mon compte » ou « Choisir un nouveau mot de passe ») : " +
          "ce lien contient votre clé d'activation. Ouvrez-le en entier depuis le message, ou copiez-le dans votre navigateur.",
      ),
      h("p", {}, "Votre lien a expiré ou vous ne le retrouvez plus ? Demandez-en un nouveau :"),
      RESET_LINK(),
    ),
  );
}

// ------------------------------------------------------------------ the rules, as they are met
watchRules(password, document.getElementById("regles"), rulesAnnouncement);

watchMatch(password, confirmation, match);

// ------------------------------------------------------------------ sending
let busy = false;

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.textContent = value ? "Enregistrement…" : "Sauvegarder";
  form.setAttribute("aria-busy", value ? "true" : "false");
}

function checkFields() {
  const problems = [];
  if (!password.value) problems.push({ field: "password", message: "Saisissez votre nouveau mot de passe." });
  if (!confirmation.value) problems.push({ field: "confirmation", message: "Confirmez votre mot de passe." });
  else if (password.value && confirmation.value !== password.value)
    problems.push({
      field: "confirmation",
      message: "Les deux mots de passe ne sont pas identiques : saisissez le même mot de passe dans les deux champs.",
    });
  return problems;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy || !key) return;
  errors.clear();
  const problems = checkFields();
  if (problems.length) {
    errors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", problems, {
      heading: "Mot de passe non enregistré",
    });
    return;
  }
  showPassword(false);
  showConfirmation(false);
  setBusy(true);
  try {
    await api("/activation", { method: "POST", body: { key, password: password.value }, auth: false });
    window.location.replace("/connexion?active=1");
  } catch (failure) {
    setBusy(false);
    // 404, 410: the key cannot be used; the API's message says what to do, the link does it.
    const keyProblem = failure.status === 404 || failure.status === 410;
    errors.show(failure.message || "Le mot de passe n'a pas pu être enregistré. Réessayez.", fieldsOf(failure), {
      heading: "Mot de passe non enregistré",
      after: keyProblem ? RESET_LINK() : null,
    });
  }
});
