// Mon compte (/mon-compte), for everybody signed in:
//   - *Mes informations*: names and phone (PATCH /me, only the fields changed are sent);
//   - *Changer mon mot de passe* (POST /me/password, with the current one): every session of the account
//     ends, so the page signs in again with the new password (POST /auth/login) and this tab stays signed in;
//   - *Demander l'accès à une autre structure* (POST /me/rights-requests), OF users only.
// The API checks every rule (the phone, the password policy) and names the field at fault; the page
// shows the password rules as they are met.

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { successBox } from "./format.js";
import { FormErrors, fieldsOf, passwordToggle } from "./formulaire.js";
import { watchMatch, watchRules } from "./mot-de-passe.js";
import { renewTokens } from "./session.js";
import { isModerator, mountShell, renameUser } from "./shell.js";

const TITLE = document.title;
const byId = (id) => document.getElementById(id);
const field = (inputId, label, errorId = `${inputId}-erreur`) => ({ input: byId(inputId), error: byId(errorId), label });

/** Disables `button` (with a word saying what happens) while `work` runs. */
async function busyWith(button, text, work) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = text;
  button.form?.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
    button.form?.setAttribute("aria-busy", "false");
  }
}

function done(zoneId, message) {
  fill(byId(zoneId), successBox(message));
}

// ------------------------------------------------------------------ Mes informations
function informations(me) {
  const form = byId("formulaire-informations");
  const button = byId("enregistrer-informations");
  const inputs = { last_name: byId("nom"), first_name: byId("prenom"), phone: byId("telephone") };
  const errors = new FormErrors({
    zone: byId("informations-erreur"),
    fields: {
      last_name: field("nom", "Nom"),
      first_name: field("prenom", "Prénom"),
      phone: field("telephone", "Téléphone"),
    },
    heading: "Vos informations n'ont pas été enregistrées",
    title: TITLE,
  });
  let current = me;
  const show = (account) => {
    byId("email-compte").textContent = account.email;
    inputs.last_name.value = account.last_name || "";
    inputs.first_name.value = account.first_name || "";
    inputs.phone.value = account.phone || "";
  };
  show(me);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    errors.clear();
    byId("informations-resultat").replaceChildren();
    const problems = [];
    if (!inputs.last_name.value.trim()) problems.push({ field: "last_name", message: "Saisissez votre nom." });
    if (!inputs.first_name.value.trim()) problems.push({ field: "first_name", message: "Saisissez votre prénom." });
    if (problems.length) {
      errors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", problems);
      return;
    }
    // Only what changed is sent; an emptied phone is taken away (null).
    const body = {};
    for (const name of ["last_name", "first_name"]) {
      const value = inputs[name].value.trim();
      if (value !== current[name]) body[name] = value;
    }
    const phone = inputs.phone.value.trim();
    if (phone !== (current.phone || "")) body.phone = phone || null;
    if (!Object.keys(body).length) {
      done("informations-resultat", "Aucune modification à enregistrer : vos informations sont à jour.");
      return;
    }
    try {
      const updated = await busyWith(button, "Enregistrement…", () => api("/me", { method: "PATCH", body }));
      current = updated;
      show(updated);
      renameUser(updated);
      done("informations-resultat", "Vos informations sont enregistrées.");
    } catch (error) {
      if (error.redirecting) return;
      errors.show(error.message || "Vos informations n'ont pas pu être enregistrées. Réessayez.", fieldsOf(error));
    }
  });
}

// ------------------------------------------------------------------ Changer mon mot de passe
function password(me) {
  const form = byId("formulaire-mot-de-passe");
  const button = byId("changer-mot-de-passe");
  const currentInput = byId("mot-de-passe-actuel");
  const newInput = byId("nouveau-mot-de-passe");
  const confirmation = byId("confirmation");
  const errors = new FormErrors({
    zone: byId("mot-de-passe-erreur-resume"),
    fields: {
      current_password: field("mot-de-passe-actuel", "Mot de passe actuel"),
      new_password: field("nouveau-mot-de-passe", "Nouveau mot de passe"),
      confirmation: field("confirmation", "Confirmez le nouveau mot de passe"),
    },
    heading: "Votre mot de passe n'a pas été changé",
    title: TITLE,
  });
  const showCurrent = passwordToggle(currentInput, byId("bascule-actuel"), byId("actuel-etat"), "Le mot de passe actuel");
  const showNew = passwordToggle(newInput, byId("bascule-nouveau"), byId("nouveau-etat"), "Le nouveau mot de passe");
  const updateRules = watchRules(newInput, byId("regles"), byId("regles-annonce"));
  const updateMatch = watchMatch(newInput, confirmation, byId("confirmation-etat"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    errors.clear();
    byId("mot-de-passe-resultat").replaceChildren();
    const problems = [];
    if (!currentInput.value) problems.push({ field: "current_password", message: "Saisissez votre mot de passe actuel." });
    if (!newInput.value) problems.push({ field: "new_password", message: "Saisissez votre nouveau mot de passe." });
    if (!confirmation.value) problems.push({ field: "confirmation", message: "Confirmez votre nouveau mot de passe." });
    else if (newInput.value && confirmation.value !== newInput.value)
      problems.push({
        field: "confirmation",
        message: "Les deux mots de passe ne sont pas identiques : saisissez le même mot de passe dans les deux champs.",
      });
    if (problems.length) {
      errors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", problems);
      return;
    }
    showCurrent(false);
    showNew(false);
    const newPassword = newInput.value;
    try {
      await busyWith(button, "Changement du mot de passe…", async () => {
        await api("/me/password", { method: "POST", body: { current_password: currentInput.value, new_password: newPassword } });
        // Every session has ended, this one's refresh token too: a new one, with the new password.
        const tokens = await api("/auth/login", { method: "POST", body: { email: me.email, password: newPassword }, auth: false });
        renewTokens(tokens);
      });
    } catch (error) {
      if (error.redirecting) return;
      errors.show(error.message || "Votre mot de passe n'a pas pu être changé. Réessayez.", fieldsOf(error));
      return;
    }
    form.reset();
    updateRules();
    updateMatch();
    done(
      "mot-de-passe-resultat",
      "Votre mot de passe est changé. Vos autres sessions OFeli sont fermées ; vous restez connecté(e) ici.",
    );
  });
}

// ------------------------------------------------------------------ Demander l'accès à une autre structure
function currentStructures(me) {
  const zone = byId("structures-actuelles");
  if (!me.structures.length) {
    fill(zone, h("p", { class: "vide" }, "Votre compte n'a encore accès à aucune structure."));
    return;
  }
  fill(
    zone,
    h("p", { id: "structures-actuelles-titre" }, "Vous avez déjà accès à :"),
    h(
      "ul",
      { "aria-labelledby": "structures-actuelles-titre" },
      me.structures.map((s) => h("li", {}, s.name, " — SIRET ", h("span", { class: "insecable" }, formatSiret(s.siret)))),
    ),
  );
}

function rightsRequest(me) {
  byId("section-acces").hidden = false;
  currentStructures(me);
  const form = byId("formulaire-acces");
  const button = byId("demander-acces");
  const inputs = { siret: byId("acces-siret"), nda: byId("acces-nda"), message: byId("acces-message") };
  const errors = new FormErrors({
    zone: byId("acces-erreur"),
    fields: {
      siret: field("acces-siret", "SIRET de la structure"),
      nda: field("acces-nda", "Numéro de déclaration d'activité"),
      message: field("acces-message", "Message au Carif-Oref"),
    },
    heading: "Votre demande d'accès n'a pas été envoyée",
    title: TITLE,
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    errors.clear();
    byId("acces-resultat").replaceChildren();
    const body = { siret: inputs.siret.value.trim() };
    if (!body.siret) {
      errors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", [
        { field: "siret", message: "Saisissez le SIRET de la structure." },
      ]);
      return;
    }
    if (inputs.nda.value.trim()) body.nda = inputs.nda.value.trim();
    if (inputs.message.value.trim()) body.message = inputs.message.value.trim();
    try {
      const answer = await busyWith(button, "Envoi de votre demande…", () =>
        api("/me/rights-requests", { method: "POST", body }),
      );
      form.reset();
      done("acces-resultat", answer && answer.message ? answer.message : "Votre demande d'accès est enregistrée.");
    } catch (error) {
      if (error.redirecting) return;
      errors.show(error.message || "Votre demande d'accès n'a pas pu être envoyée. Réessayez.", fieldsOf(error));
    }
  });
}

// ------------------------------------------------------------------ start
try {
  const { me } = await mountShell({ current: "account" });
  byId("section-informations").hidden = false;
  byId("section-mot-de-passe").hidden = false;
  informations(me);
  password(me);
  if (!isModerator(me)) rightsRequest(me);
} catch {
  // mountShell has shown the error in the alert region
}
