// Messagerie (/messagerie): the thread between a structure and the Carif-Oref.
//   OF user: the thread of the chosen structure space (reloaded when the space changes), and "Écrire au
//     Carif-Oref". `?siret=` (the link of the e-mail) opens that structure's space when the user has it.
//   Moderator: without `?siret=`, the latest messages of every structure, grouped by structure; with it,
//     that structure's thread and "Répondre à l'organisme".
// API: GET/POST /structures/{siret}/messages, GET /moderation/messages, GET /structures/{siret} (its name).

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { FormErrors } from "./formulaire.js";
import { compactSiret, dateTime, plural, successBox } from "./format.js";
import { clearError, focusSpaceSelector, fullName, isModerator, mountShell, setStatus, showError } from "./shell.js";

const TITLE = document.title;
const MAX_LENGTH = 5000;
const EXCERPT = 280;
const area = document.getElementById("messagerie");
const requested = compactSiret(new URLSearchParams(window.location.search).get("siret"));
const NUMBER = new Intl.NumberFormat("fr-FR");

let me = null;
let loading = 0;

// ------------------------------------------------------------------ one message
function authorName(message) {
  return String(message.author_name || "").replace(/\s*\(Carif-Oref\)\s*$/, "");
}

/** Who wrote it, in words: "Carif-Oref", "Vous", "Votre organisme" / "Organisme". */
function who(message) {
  const mine = authorName(message) === fullName(me);
  if (message.from_carif) return isModerator(me) && mine ? "Vous (Carif-Oref)" : "Carif-Oref";
  if (isModerator(me)) return "Organisme";
  return mine ? "Vous" : "Votre organisme";
}

function messageItem(message, { excerpt = false } = {}) {
  const label = who(message);
  let body = String(message.body || "");
  const cut = excerpt && body.length > EXCERPT;
  if (cut) body = `${body.slice(0, EXCERPT).trimEnd()}…`;
  return h(
    "li",
    { class: `message ${message.from_carif ? "message--carif" : "message--organisme"}`, "data-message": message.id },
    h(
      "p",
      { class: "message__entete" },
      h("strong", { class: "message__qui" }, label),
      label.startsWith("Vous") ? null : h("span", { class: "message__auteur" }, `, ${authorName(message)}`),
      h("span", { class: "message__date" }, ", le ", dateTime(message.created_at)),
    ),
    h("p", { class: "message__corps" }, body),
    cut ? h("p", { class: "message__suite" }, "(extrait : la suite est dans la conversation)") : null,
  );
}

// ------------------------------------------------------------------ a thread and its form
function counterText(length) {
  return `${NUMBER.format(length)} ${length > 1 ? "caractères" : "caractère"} sur ${NUMBER.format(MAX_LENGTH)}`;
}

function writeForm(siret, { heading, label, help, sentMessage }) {
  const zone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1" });
  const done = h("div", { role: "status" });
  const error = h("p", { class: "champ__erreur", id: "message-erreur", hidden: true });
  const counter = h("p", { class: "compte-caracteres", id: "message-compteur" }, counterText(0));
  const spoken = h("p", { class: "visuellement-cache", role: "status" });
  const textarea = h("textarea", {
    class: "champ__saisie",
    id: "message",
    name: "body",
    rows: "6",
    maxlength: String(MAX_LENGTH),
    required: true,
    "aria-describedby": "message-aide message-compteur",
  });
  const button = h("button", { type: "submit", class: "bouton bouton--principal" }, "Envoyer");
  const form = h(
    "form",
    { class: "formulaire ecrire", novalidate: true, "aria-labelledby": "titre-ecrire" },
    zone,
    h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: "message" }, label),
      h("p", { class: "champ__aide", id: "message-aide" }, help),
      error,
      textarea,
      counter,
      spoken,
    ),
    button,
  );
  const errors = new FormErrors({
    zone,
    fields: { body: { input: textarea, error, label } },
    heading: "Le message n'a pas été envoyé",
    title: TITLE,
  });

  let timer = null;
  textarea.addEventListener("input", () => {
    const length = textarea.value.length;
    counter.textContent = counterText(length);
    window.clearTimeout(timer);
    const left = MAX_LENGTH - length;
    if (left <= 500) {
      timer = window.setTimeout(() => {
        spoken.textContent = left > 0 ? `Il vous reste ${NUMBER.format(left)} caractères.` : "Vous avez atteint la limite de 5 000 caractères.";
      }, 800);
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    errors.clear();
    done.replaceChildren();
    const body = textarea.value.trim();
    if (!body) {
      errors.show("Votre message est vide.", [{ field: "body", message: "Écrivez votre message avant de l'envoyer." }]);
      return;
    }
    button.disabled = true;
    button.textContent = "Envoi…";
    try {
      const message = await api(`/structures/${encodeURIComponent(siret)}/messages`, { method: "POST", body: { body } });
      const list = document.getElementById("fil-messages");
      document.getElementById("fil-vide")?.remove();
      const item = messageItem(message);
      item.setAttribute("tabindex", "-1");
      list.append(item);
      list.hidden = false;
      const count = document.getElementById("fil-compte");
      if (count) count.textContent = countText(list.children.length);
      textarea.value = "";
      counter.textContent = counterText(0);
      spoken.textContent = "";
      fill(done, successBox(sentMessage));
      item.focus();
    } catch (error) {
      if (error.redirecting) return;
      errors.show(error.message || "Le message n'a pas pu être envoyé. Réessayez.", error.fields || []);
    } finally {
      button.disabled = false;
      button.textContent = "Envoyer";
    }
  });

  return h(
    "section",
    { class: "ecrire-bloc", "aria-labelledby": "titre-ecrire" },
    h("h2", { id: "titre-ecrire" }, heading),
    done,
    form,
  );
}

function threadList(messages) {
  return [
    h(
      "p",
      { class: "vide", id: "fil-vide", hidden: messages.length > 0 },
      "Aucun message échangé pour l'instant.",
    ),
    h(
      "ol",
      { class: "fil", id: "fil-messages", "aria-labelledby": "titre-fil", hidden: messages.length === 0 },
      messages.map((m) => messageItem(m)),
    ),
  ];
}

function countText(count) {
  return `${plural(count, "message échangé", "messages échangés")}, du plus ancien au plus récent.`;
}

function countLine(count) {
  return h("span", { id: "fil-compte" }, countText(count));
}

function jumpToForm(messages, heading) {
  if (messages.length < 3) return null;
  return h("p", { class: "fil-retour" }, h("a", { href: "#message" }, `Aller au formulaire « ${heading} »`));
}

function ofThread(structure, messages) {
  const heading = "Écrire au Carif-Oref";
  return [
    h(
      "section",
      { "aria-labelledby": "titre-fil" },
      h("h2", { id: "titre-fil" }, "Vos échanges avec le Carif-Oref"),
      h(
        "p",
        { class: "intro-page" },
        `Espace structure : ${structure.name || formatSiret(structure.siret)}. `,
        countLine(messages.length),
      ),
      jumpToForm(messages, heading),
      threadList(messages),
    ),
    writeForm(structure.siret, {
      heading,
      label: "Votre message",
      help:
        "5 000 caractères au plus. Le Carif-Oref vous répond ici ; vous êtes prévenu par e-mail de sa réponse.",
      sentMessage: "Votre message a été envoyé au Carif-Oref.",
    }),
  ];
}

function moderatorThread(siret, name, messages) {
  const heading = "Répondre à l'organisme";
  return [
    h("p", { class: "fil-retour" }, h("a", { href: "/messagerie" }, "Retour aux derniers messages des organismes")),
    h(
      "section",
      { "aria-labelledby": "titre-fil" },
      h("h2", { id: "titre-fil" }, name ? `Conversation avec « ${name} »` : `Conversation avec la structure ${formatSiret(siret)}`),
      h(
        "p",
        { class: "intro-page" },
        "SIRET ",
        h("span", { class: "insecable" }, formatSiret(siret)),
        ". ",
        countLine(messages.length),
      ),
      jumpToForm(messages, heading),
      threadList(messages),
    ),
    writeForm(siret, {
      heading,
      label: "Votre réponse",
      help: "5 000 caractères au plus. Les utilisateurs de la structure sont prévenus par e-mail de votre réponse.",
      sentMessage: "Votre réponse a été envoyée ; les utilisateurs de la structure sont prévenus par e-mail.",
    }),
  ];
}

async function openThread(structure) {
  const ticket = ++loading;
  clearError();
  area.replaceChildren();
  setStatus("Chargement des messages…");
  try {
    const messages = await api(`/structures/${encodeURIComponent(structure.siret)}/messages`);
    let name = structure.name;
    if (!name && isModerator(me)) {
      name = await structureName(structure.siret);
    }
    if (ticket !== loading) return;
    setStatus("");
    const list = Array.isArray(messages) ? messages : [];
    fill(area, isModerator(me) ? moderatorThread(structure.siret, name, list) : ofThread(structure, list));
  } catch (error) {
    if (ticket !== loading) return;
    setStatus("");
    showError(error);
  }
}

async function structureName(siret) {
  try {
    const view = await api(`/structures/${encodeURIComponent(siret)}`);
    return (view && view.published && view.published.name) || null;
  } catch (error) {
    if (error.redirecting) throw error;
    return null; // the messages say more than a missing name
  }
}

// ------------------------------------------------------------------ moderators: the latest messages
function groups(messages) {
  const bySiret = new Map();
  for (const message of messages) {
    if (!bySiret.has(message.siret)) bySiret.set(message.siret, []);
    bySiret.get(message.siret).push(message);
  }
  return [...bySiret.entries()].map(([siret, list]) => ({ siret, messages: list }));
}

function conversation(group, name, index) {
  const id = `conversation-${index}`;
  const title = name || `Structure ${formatSiret(group.siret)}`;
  return h(
    "li",
    {},
    h(
      "section",
      { class: "carte conversation", "aria-labelledby": id },
      h("h3", { id, class: "carte__titre" }, title),
      h("p", { class: "conversation__siret" }, "SIRET ", h("span", { class: "insecable" }, formatSiret(group.siret))),
      h("ol", { class: "fil fil--extraits", "aria-label": `Derniers messages de ${title}` }, group.messages.map((m) => messageItem(m, { excerpt: true }))),
      h(
        "p",
        { class: "conversation__lien" },
        h(
          "a",
          { href: `/messagerie?siret=${encodeURIComponent(group.siret)}` },
          "Ouvrir la conversation et répondre",
          h("span", { class: "visuellement-cache" }, ` (${title})`),
        ),
      ),
    ),
  );
}

async function showLatest() {
  setStatus("Chargement des derniers messages…");
  try {
    const messages = await api("/moderation/messages");
    const list = groups(Array.isArray(messages) ? messages : []);
    const names = await Promise.all(list.map((g) => structureName(g.siret)));
    setStatus("");
    fill(
      area,
      h(
        "section",
        { "aria-labelledby": "titre-derniers" },
        h("h2", { id: "titre-derniers" }, "Derniers messages des organismes"),
        h(
          "p",
          { class: "intro-page" },
          "Les 50 derniers messages échangés avec les structures, regroupés par structure, de la conversation la plus " +
            "récente à la plus ancienne (dans chacune, le message le plus récent d'abord). Ouvrez une conversation pour " +
            "la lire en entier et répondre.",
        ),
        list.length
          ? h("ul", { class: "conversations" }, list.map((g, i) => conversation(g, names[i], i)))
          : h("p", { class: "vide" }, "Aucun message pour l'instant."),
      ),
    );
  } catch (error) {
    setStatus("");
    showError(error, { retry: true });
  }
}

// ------------------------------------------------------------------ OF users without a space
function chooseFirstView() {
  return h(
    "section",
    { class: "alerte alerte--info", "aria-labelledby": "titre-choix" },
    h("h2", { id: "titre-choix", class: "alerte__titre" }, "Choisissez d'abord un espace structure"),
    h(
      "p",
      {},
      "Vous avez des droits d'accès sur plusieurs structures. Sélectionnez, dans la liste « Espace structure » située " +
        "sous votre nom en haut de la page, la structure dont vous voulez lire les messages.",
    ),
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: focusSpaceSelector }, "Aller à la liste « Espace structure »"),
  );
}

function noStructureView() {
  return h(
    "div",
    { class: "alerte alerte--info" },
    h("p", { class: "alerte__titre" }, "Aucune structure rattachée"),
    h("p", {}, "Votre compte n'a encore de droits sur aucune structure : il n'y a pas de messagerie à afficher."),
  );
}

function onStructureChange(structure) {
  if (!structure) return;
  if (requested && requested !== structure.siret) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  openThread(structure);
}

/** Opens the space of `siret` through the header's selector, as if the user had chosen it. */
function selectSpace(siret) {
  const select = document.getElementById("espace-structure");
  if (!select) return false;
  select.value = siret;
  select.dispatchEvent(new Event("change"));
  return true;
}

// ------------------------------------------------------------------ start
try {
  const mounted = await mountShell({ current: "messages", onStructureChange });
  me = mounted.me;
  if (isModerator(me)) {
    if (requested) await openThread({ siret: requested, name: null });
    else await showLatest();
  } else if (requested) {
    const mine = me.structures.find((s) => s.siret === requested);
    if (mine && mounted.structure?.siret !== requested && selectSpace(requested)) {
      // the space change opens the thread
    } else {
      await openThread(mine || { siret: requested, name: null });
    }
  } else if (mounted.structure) {
    await openThread(mounted.structure);
  } else {
    fill(area, me.structures.length ? chooseFirstView() : noStructureView());
  }
} catch {
  // mountShell has shown the error in the alert region
}
