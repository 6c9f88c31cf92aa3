// The dashboard (/): the home page after signing in.
//   OF user: the structure space's card, then the guide's blocks for that space
//     (GET /structures/{siret}/dashboard): Formations (five counts, each a link to its pre-filtered search,
//     /formations?block=…), the record's state, Contacts,
//     Messagerie, and the user's own Mémos (GET/POST /memos, DELETE /memos/{id}).
//   Moderator: the moderation spaces, with the number of submissions waiting (GET /moderation/queue).

import { api } from "./api.js";
import { h, fill, formatSiret } from "./dom.js";
import { FormErrors } from "./formulaire.js";
import { longDate, plural, successBox } from "./format.js";
import {
  announce,
  clearError,
  focusSpaceSelector,
  fullName,
  isModerator,
  mountShell,
  showError,
  showUnread,
  STRUCTURE_EVENT,
  unreadText,
} from "./shell.js";

const TITLE = document.title;
const area = document.getElementById("tableau");

// ------------------------------------------------------------------ moderators
function moderatorView(me) {
  const waiting = h("span", { id: "file-attente" });
  const view = [
    h("p", { class: "intro" }, `Bienvenue, ${fullName(me)}.`),
    h("p", {}, "Vous êtes dans l'espace du Carif-Oref. Vos espaces de modération :"),
    h(
      "ul",
      { class: "liste-liens" },
      h(
        "li",
        {},
        h("a", { href: "/moderation/file" }, "File de modération"),
        " : valider ou refuser les modifications soumises par les organismes (fiches structure, formations, sessions)",
        waiting,
        " ;",
      ),
      h(
        "li",
        {},
        h("a", { href: "/messagerie" }, "Derniers messages des organismes"),
        " : lire les messages de toutes les structures et leur répondre ;",
      ),
      h(
        "li",
        {},
        h("a", { href: "/moderation/demandes-de-compte" }, "Demandes de compte"),
        " : accepter ou refuser les demandes de création de compte des organismes ;",
      ),
      h(
        "li",
        {},
        h("a", { href: "/moderation/comptes" }, "Comptes et droits"),
        " : retrouver un compte et gérer ses droits sur les structures ;",
      ),
      h(
        "li",
        {},
        h("a", { href: "/moderation/recherche-formations" }, "Formations de la région"),
        " : rechercher les formations et les sessions de toutes les structures.",
      ),
    ),
  ];
  api("/moderation/queue")
    .then((entries) => {
      if (!Array.isArray(entries)) return;
      waiting.textContent = ` — ${plural(entries.length, "demande en attente", "demandes en attente")}`;
    })
    .catch(() => {
      // the link is there all the same
    });
  return view;
}

// ------------------------------------------------------------------ OF users: no space yet
function noStructureView() {
  return h(
    "div",
    { class: "alerte alerte--info" },
    h("p", { class: "alerte__titre" }, "Aucune structure rattachée"),
    h(
      "p",
      {},
      "Votre compte n'a encore de droits de saisie sur aucune structure. Contactez le Carif-Oref pour les obtenir.",
    ),
  );
}

function chooseFirstView() {
  return h(
    "section",
    { class: "alerte alerte--info", "aria-labelledby": "titre-choix" },
    h("h2", { id: "titre-choix", class: "alerte__titre" }, "Choisissez d'abord un espace structure"),
    h(
      "p",
      {},
      "Vous avez des droits d'accès sur plusieurs structures. Sélectionnez, dans la liste « Espace structure » " +
        "située sous votre nom en haut de la page, la structure sur laquelle vous souhaitez intervenir : " +
        "ce choix détermine l'affichage de tous les autres éléments (fiche structure, formations, contacts…).",
    ),
    h("button", { type: "button", class: "bouton bouton--secondaire", onclick: focusSpaceSelector }, "Aller à la liste « Espace structure »"),
  );
}

// ------------------------------------------------------------------ the structure card
function row(term, ...description) {
  return [h("dt", {}, term), h("dd", {}, ...description)];
}

function structureCard(structure) {
  return h(
    "section",
    { class: "carte", "aria-labelledby": "titre-structure" },
    h("p", { class: "carte__surtitre" }, "Espace structure"),
    h("h2", { id: "titre-structure", class: "carte__titre" }, structure.name),
    h(
      "dl",
      { class: "carte__donnees" },
      row("SIRET", h("span", { class: "insecable" }, formatSiret(structure.siret))),
      structure.nda ? row("Numéro de déclaration d'activité (NDA)", structure.nda) : null,
      row(
        "Statut",
        structure.is_responsible
          ? "organisme responsable (porteur du NDA)"
          : "établissement non responsable (ne porte pas le NDA)",
      ),
    ),
    structure.is_responsible
      ? null
      : h(
          "p",
          { class: "carte__note" },
          "Pour créer une formation, choisissez l'espace de l'organisme responsable, porteur du numéro de déclaration d'activité.",
        ),
  );
}

// ------------------------------------------------------------------ the blocks of the guide
const BLOCKS = [
  {
    key: "diffusees",
    label: "Formations diffusées",
    help: "Toutes vos formations actuellement validées et diffusées sur notre site TMF et sites partenaires.",
  },
  {
    key: "fonds_publics",
    label: "Formations fonds publics diffusées",
    help: "Toutes vos formations financées sur fonds publics actuellement validées et diffusées sur notre site TMF et sites partenaires.",
  },
  {
    key: "en_attente",
    label: "Formations en attente de validation",
    help: "Formations ou sessions en attente de validation par nos services.",
  },
  {
    key: "non_diffusees",
    label: "Formations non diffusées",
    help: "Formations en attente de mise à jour et à réactiver si besoin.",
  },
  {
    key: "erreur_lien",
    label: "Erreur liens site internet",
    help: "Formations pour lesquelles une erreur de lien internet a été détectée.",
    more: "Merci de corriger ce lien URL vers votre site pour favoriser la visibilité de votre offre.",
  },
];

function block(id, title, ...content) {
  return h(
    "section",
    { class: `bloc bloc--${id}`, "aria-labelledby": `titre-${id}` },
    h("h2", { id: `titre-${id}`, class: "bloc__titre", tabindex: "-1" }, title),
    ...content,
  );
}

function formationsBlock(dashboard) {
  const blocks = dashboard.blocks || {};
  return block(
    "formations",
    "Formations",
    h(
      "p",
      { class: "bloc__total" },
      h("strong", {}, plural(dashboard.formations ?? 0, "formation", "formations")),
      " au total dans cet espace structure.",
    ),
    h(
      "ul",
      { class: "compteurs" },
      BLOCKS.map((item) => {
        const count = Number(blocks[item.key] ?? 0);
        // the count opens the block's search, pre-filtered: the same rows as the count
        return h(
          "li",
          { class: "compteur", "data-bloc": item.key },
          h(
            "a",
            { class: "compteur__lien", href: `/formations?block=${encodeURIComponent(item.key)}` },
            h("span", { class: "compteur__nombre" }, String(count)),
            " ",
            h("span", { class: "compteur__libelle" }, item.label),
          ),
          " ",
          h("span", { class: "compteur__aide" }, item.help, count > 0 && item.more ? ` ${item.more}` : null),
        );
      }),
    ),
  );
}

function recordBlock(dashboard) {
  const link = h("a", { href: "/ma-structure" }, "Ouvrir Ma structure");
  if (dashboard.structure_submission === "submitted") {
    return block(
      "fiche",
      "Fiche structure",
      h("p", { class: "etat-fiche etat-fiche--attente" }, "Fiche structure en attente de validation"),
      h("p", {}, "Le Carif-Oref vérifie vos modifications : la fiche ne peut pas être modifiée avant sa décision."),
      h("p", {}, link),
    );
  }
  if (dashboard.structure_submission === "draft") {
    return block(
      "fiche",
      "Fiche structure",
      h("p", { class: "etat-fiche etat-fiche--brouillon" }, "Modification de la fiche structure en cours, non soumise"),
      h("p", {}, "Pensez à la soumettre pour validation quand votre saisie est terminée."),
      h("p", {}, link),
    );
  }
  return block(
    "fiche",
    "Fiche structure",
    h("p", { class: "etat-fiche" }, "Fiche structure publiée, aucune modification en cours"),
    h("p", {}, link),
  );
}

function contactsBlock(dashboard) {
  const contacts = Array.isArray(dashboard.contacts) ? dashboard.contacts : [];
  return block(
    "contacts",
    "Contacts",
    h("p", { class: "bloc__aide" }, "Les contacts liés à la structure et ceux qui ont des droits de saisie pour elle."),
    contacts.length
      ? h(
          "ul",
          { class: "contacts" },
          contacts.map((contact) =>
            h(
              "li",
              { class: "contact" },
              h("span", { class: "contact__nom" }, contact.name),
              " ",
              h("span", { class: "contact__role" }, contact.role),
              " ",
              contact.email
                ? h("a", { class: "contact__email", href: `mailto:${contact.email}` }, contact.email)
                : h("span", { class: "contact__role" }, "Pas d'adresse e-mail"),
            ),
          ),
        )
      : h("p", { class: "vide" }, "Aucun contact pour cette structure."),
  );
}

function messagesBlock(dashboard) {
  const count = Number(dashboard.messages ?? 0);
  const unread = Number(dashboard.unread_messages ?? 0);
  return block(
    "messagerie",
    "Messagerie",
    h(
      "p",
      {},
      h("strong", { class: "bloc__nombre" }, plural(count, "message échangé", "messages échangés")),
      " entre vous et le Carif-Oref.",
    ),
    unread
      ? h("p", { class: "non-lus" }, h("a", { href: "/messagerie", class: "non-lus__lien" }, unreadText(unread)), " du Carif-Oref.")
      : h("p", { class: "non-lus non-lus--aucun" }, "Aucun message non lu."),
    h("p", {}, h("a", { href: "/messagerie" }, "Ouvrir la messagerie")),
  );
}

// ------------------------------------------------------------------ memos (the user's own)
let memos = [];
let memoBusy = false;

function sortMemos(list) {
  return [...list].sort((a, b) => {
    if (a.due_date && b.due_date) return a.due_date.localeCompare(b.due_date);
    if (a.due_date) return -1;
    if (b.due_date) return 1;
    return String(a.created_at).localeCompare(String(b.created_at));
  });
}

function shortText(text) {
  const value = String(text || "");
  return value.length > 60 ? `${value.slice(0, 60).trimEnd()}…` : value;
}

function memoItem(memo) {
  return h(
    "li",
    { class: "memo", "data-memo": memo.id },
    h("p", { class: "memo__texte" }, memo.text),
    h("p", { class: "memo__echeance" }, memo.due_date ? `Échéance : ${longDate(memo.due_date)}` : "Sans échéance"),
    h(
      "button",
      { type: "button", class: "bouton bouton--lien memo__supprimer", onclick: (event) => deleteMemo(memo, event.currentTarget) },
      "Supprimer",
      h("span", { class: "visuellement-cache" }, ` le mémo « ${shortText(memo.text)} »`),
    ),
  );
}

function renderMemoList() {
  const list = document.getElementById("liste-memos");
  if (!list) return;
  if (!memos.length) {
    fill(list, h("p", { class: "vide", id: "aucun-memo" }, "Aucun mémo pour l'instant."));
    return;
  }
  fill(list, h("ul", { class: "memos", "aria-label": "Vos mémos" }, sortMemos(memos).map(memoItem)));
}

function memoForm() {
  const zone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1" });
  const textError = h("p", { class: "champ__erreur", id: "memo-texte-erreur", hidden: true });
  const dateError = h("p", { class: "champ__erreur", id: "memo-echeance-erreur", hidden: true });
  const text = h("textarea", {
    class: "champ__saisie champ__saisie--memo",
    id: "memo-texte",
    name: "text",
    rows: "3",
    maxlength: "1000",
    required: true,
    "aria-describedby": "memo-texte-aide",
  });
  const due = h("input", {
    class: "champ__saisie champ__saisie--court",
    type: "date",
    id: "memo-echeance",
    name: "due_date",
    "aria-describedby": "memo-echeance-aide",
  });
  const button = h("button", { type: "submit", class: "bouton bouton--secondaire" }, "Ajouter le mémo");
  const form = h(
    "form",
    { class: "formulaire memo-formulaire", novalidate: true, "aria-labelledby": "titre-ajout-memo" },
    h("h3", { id: "titre-ajout-memo" }, "Ajouter un mémo"),
    zone,
    h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: "memo-texte" }, "Texte du mémo"),
      h("p", { class: "champ__aide", id: "memo-texte-aide" }, "Une tâche à faire, par exemple. 1 000 caractères au plus."),
      textError,
      text,
    ),
    h(
      "div",
      { class: "champ" },
      h("label", { class: "champ__libelle", for: "memo-echeance" }, "Échéance (facultative)"),
      h("p", { class: "champ__aide", id: "memo-echeance-aide" }, "Facultative : la date à laquelle la tâche doit être faite."),
      dateError,
      due,
    ),
    button,
  );
  const errors = new FormErrors({
    zone,
    fields: {
      text: { input: text, error: textError, label: "Texte du mémo" },
      due_date: { input: due, error: dateError, label: "Échéance" },
    },
    heading: "Le mémo n'a pas été ajouté",
    title: TITLE,
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (memoBusy) return;
    errors.clear();
    document.getElementById("memos-resultat").replaceChildren();
    const problems = [];
    if (!text.value.trim()) problems.push({ field: "text", message: "Écrivez le texte du mémo." });
    if (due.validity.badInput) problems.push({ field: "due_date", message: "Saisissez une date complète : jour, mois et année." });
    if (problems.length) {
      errors.show("Le formulaire contient des erreurs : corrigez les champs signalés.", problems);
      return;
    }
    const body = { text: text.value.trim() };
    if (due.value) body.due_date = due.value;
    memoBusy = true;
    button.disabled = true;
    try {
      const memo = await api("/memos", { method: "POST", body });
      memos.push(memo);
      renderMemoList();
      text.value = "";
      due.value = "";
      fill(
        document.getElementById("memos-resultat"),
        successBox(`Mémo ajouté${memo.due_date ? ` (échéance : ${longDate(memo.due_date)})` : ""} : « ${shortText(memo.text)} ».`),
      );
      text.focus();
    } catch (error) {
      if (error.redirecting) return;
      errors.show(error.message || "Le mémo n'a pas pu être ajouté. Réessayez.", error.fields || []);
    } finally {
      memoBusy = false;
      button.disabled = false;
    }
  });
  return form;
}

async function deleteMemo(memo, button) {
  if (memoBusy) return;
  memoBusy = true;
  button.disabled = true;
  const result = document.getElementById("memos-resultat");
  result.replaceChildren();
  try {
    await api(`/memos/${encodeURIComponent(memo.id)}`, { method: "DELETE" });
  } catch (error) {
    memoBusy = false;
    button.disabled = false;
    if (!error.redirecting) showError(error);
    return;
  }
  memoBusy = false;
  // The focus goes to the next memo's button, else the previous one's, else the block's title.
  const item = button.closest("li");
  const neighbour = item?.nextElementSibling || item?.previousElementSibling;
  const nextId = neighbour?.dataset.memo;
  memos = memos.filter((m) => m.id !== memo.id);
  renderMemoList();
  fill(result, successBox(`Mémo supprimé : « ${shortText(memo.text)} ».`));
  const target = nextId
    ? document.querySelector(`[data-memo="${CSS.escape(nextId)}"] .memo__supprimer`)
    : document.getElementById("titre-memos");
  target?.focus();
}

function memosBlock() {
  return block(
    "memos",
    "Mémos",
    h("p", { class: "bloc__aide" }, "Vos mémos personnels, par exemple vos tâches à effectuer sur vos formations. Vous seul les voyez."),
    h("div", { id: "memos-resultat", role: "status" }),
    h("div", { id: "liste-memos" }),
    memoForm(),
  );
}

// ------------------------------------------------------------------ the OF view
let loading = 0;

async function loadBlocks(structure) {
  const ticket = ++loading;
  clearError();
  const zone = document.getElementById("blocs");
  fill(zone, h("p", { class: "etat" }, "Chargement du tableau de bord…"));
  const [dashboard, memoList] = await Promise.allSettled([
    api(`/structures/${encodeURIComponent(structure.siret)}/dashboard`),
    api("/memos"),
  ]);
  if (ticket !== loading) return;
  const failed = [dashboard, memoList].find((r) => r.status === "rejected");
  if (failed) {
    if (failed.reason && failed.reason.redirecting) return;
    showError(failed.reason, { retry: true });
  }
  memos = memoList.status === "fulfilled" && Array.isArray(memoList.value) ? memoList.value : [];
  const content = [];
  if (dashboard.status === "fulfilled" && dashboard.value) {
    const value = dashboard.value;
    showUnread(value.unread_messages); // the menu's badge, from the same answer
    content.push(
      formationsBlock(value),
      h("div", { class: "blocs__cote" }, recordBlock(value), messagesBlock(value), contactsBlock(value)),
    );
  }
  content.push(memosBlock());
  fill(zone, h("div", { class: "blocs" }, content));
  renderMemoList();
}

function ofView(me, structure) {
  if (me.structures.length === 0) return noStructureView();
  if (!structure) return chooseFirstView();
  return [structureCard(structure), h("div", { id: "blocs" })];
}

function render(me, structure) {
  fill(area, isModerator(me) ? moderatorView(me) : ofView(me, structure));
  if (!isModerator(me) && structure) loadBlocks(structure);
}

try {
  const { me, structure } = await mountShell({ current: "dashboard", unreadFromPage: true });
  render(me, structure);
  document.addEventListener(STRUCTURE_EVENT, (event) => {
    render(event.detail.me, event.detail.structure);
    announce(`Espace structure choisi : ${event.detail.structure.name}. Tableau de bord mis à jour.`);
  });
} catch {
  // mountShell has shown the error in the alert region
}
