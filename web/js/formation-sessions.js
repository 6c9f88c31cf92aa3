// The *Sessions* part of the formation page (the guide's *Création*, *Modification* and *Duplication d'une
// session*): the list of the formation's sessions with their state; in a draft (*Demande de modification*),
// *Ajouter une session* (POST /formations/{ref}/sessions: numbered, prefilled), the reference that opens the
// session's form, *Dupliquer* (POST /sessions/{ref}/duplicate, new dates asked; the mandataire only, a
// finished session too); a finished session is read-only. The draft's sessions are saved with the formation
// (PUT …/draft `data.sessions`), submitted with it; the API's errors on them (`sessions.S0000012.…`) go
// next to their fields, with a summary that opens the session at the field.

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { modal } from "./dialogue.js";
import { isoDay } from "./certifications.js";
import { schemeStatesForm } from "./session-dispositif.js";
import { sessionForm } from "./session-saisie.js";
import { trainerText } from "./session-organisation.js";
import { sessionReadView, sessionStateBadge, sessionsTable } from "./session-vues.js";
import {
  dayText,
  duplicateProblem,
  pathLabel,
  sessionFromDraft,
  sessionKey,
  sessionRows,
  sessionsKey,
  sessionTitle,
  sessionToDraft,
  splitMessages,
} from "./session-etat.js";

let referential = null; // GET /referentials/financements, once per page
let referentialLoading = null;
const blocksByCode = new Map(); // certification code → its blocks ([{code, title}]), null when not found
const placesBySiret = new Map(); // a trainer's SIRET → its places (GET /structures/{siret}/places)
const placesById = new Map(); // every place met, by id (a session refers to a trainer's place by it)

async function loadPlaces(sirets) {
  await Promise.all(
    [...new Set(sirets)]
      .filter((siret) => siret && !placesBySiret.has(siret))
      .map(async (siret) => {
        try {
          const found = await api(`/structures/${encodeURIComponent(siret)}/places`);
          const list = Array.isArray(found) ? found : [];
          placesBySiret.set(siret, list);
          for (const place of list) placesById.set(place.place_id, place);
        } catch {
          placesBySiret.set(siret, []);
        }
      }),
  );
}

async function loadReferential() {
  if (referential) return referential;
  referentialLoading ||= api("/referentials/financements")
    .then((data) => {
      referential = data && Array.isArray(data.financers) ? data : null;
      return referential;
    })
    .catch(() => null)
    .finally(() => {
      referentialLoading = null;
    });
  return referentialLoading;
}

async function loadBlocks(codes) {
  await Promise.all(
    codes
      .filter((code) => !blocksByCode.has(code))
      .map(async (code) => {
        try {
          const detail = await api(`/certifications/${encodeURIComponent(code)}`);
          blocksByCode.set(code, detail?.certification?.blocks || []);
        } catch {
          blocksByCode.set(code, null);
        }
      }),
  );
}

/**
 * @param {{ref: string, view: () => object, formation: () => object|null, contacts: () => object[],
 *   known: () => Map<string, object>, edition: () => boolean, busy: () => boolean,
 *   setBusy: (value: boolean, message?: string) => void, save: () => Promise<boolean>,
 *   dirty: () => boolean, show: (view: object) => void, changed: () => void, say: (message: string) => void,
 *   moderator?: () => boolean,
 *   announce: (message: string) => void, failed: (error: Error) => void}} page
 *   formation: the formation's form values (null out of a draft); show: applies a view and renders the page;
 *   say: a success box; announce: a polite message for screen readers
 */
export function sessionsPart(page) {
  const state = {
    drafts: [],
    savedKey: "[]",
    open: null,
    errors: {}, // key → [{path, message}]
    warnings: {},
    messages: {}, // key → a message on the session itself (path "")
  };
  let refreshTimer = null;
  const today = () => isoDay();

  // ---------------------------------------------------------------- state
  function load(view) {
    const edition = page.edition();
    state.drafts = edition ? ((view.draft && view.draft.sessions) || []).map(sessionFromDraft) : [];
    state.savedKey = sessionsKey(state.drafts);
    state.errors = {};
    state.messages = {};
    const split = splitMessages(view.warnings || []);
    state.warnings = resolveKeys(split.sessions);
    if (state.open !== null && !rows().some((r) => r.key === state.open)) state.open = null;
  }

  /** The API's keys (an S number, or a position in the draft's list) as the page's. */
  function resolveKeys(byKey) {
    const out = {};
    for (const [key, items] of Object.entries(byKey)) {
      const position = /^\d+$/.test(key) ? Number(key) : -1;
      const session = position >= 0 ? state.drafts[position] : null;
      const mine = session ? sessionKey(session, position) : key;
      (out[mine] ||= []).push(...items);
    }
    return out;
  }

  function rows() {
    return sessionRows(page.view(), state.drafts, { edition: page.edition(), today: today() });
  }

  function data() {
    return state.drafts.map(sessionToDraft);
  }

  function dirty() {
    return page.edition() && sessionsKey(state.drafts) !== state.savedKey;
  }

  // ---------------------------------------------------------------- the part
  const zone = h("div", { id: "sessions-tableau" });
  const editor = h("div", { id: "session-editeur", class: "session-editeur" });

  function element() {
    const edition = page.edition();
    const view = page.view();
    renderTable();
    renderEditor();
    return h(
      "section",
      { class: "fiche-rubrique sessions", id: "sessions", "aria-labelledby": "titre-sessions" },
      h("h2", { id: "titre-sessions", class: "fiche-rubrique__titre", tabindex: "-1" }, "Sessions"),
      edition
        ? h(
            "p",
            { class: "fiche-rubrique__aide" },
            "Cliquez sur la référence d'une session pour la modifier, ou sur Ajouter une session. Une session terminée ne " +
              "se modifie pas : dupliquez-la pour proposer de nouvelles dates. Les sessions sont enregistrées avec le " +
              "brouillon de la formation (Sauvegarder le brouillon), puis soumises avec elle.",
          )
        : view.can_edit && view.submission?.state !== "submitted"
          ? h(
              "p",
              { class: "fiche-rubrique__aide" },
              "Pour ajouter, modifier ou dupliquer une session, cliquez d'abord sur Demande de modification.",
            )
          : null,
      edition
        ? h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "bouton bouton--principal", id: "ajouter-session", onclick: add }, "Ajouter une session"),
          )
        : null,
      zone,
      editor,
    );
  }

  function counts() {
    const out = {};
    for (const [key, items] of Object.entries(state.errors)) out[key] = items.filter((i) => i.path).length;
    return out;
  }

  /** The trainers of the listed sessions (the responsible one for most). */
  function trainers() {
    const view = page.view();
    return [view.siret, ...rows().map((r) => r.session.trainer_siret)].filter(Boolean);
  }

  function renderTable() {
    const missing = trainers().filter((siret) => !placesBySiret.has(siret));
    if (missing.length) loadPlaces(missing).then(() => scheduleTable());
    fill(
      zone,
      sessionsTable(rows(), {
        view: page.view(),
        errors: counts(),
        messages: state.messages,
        open: state.open,
        places: placesById,
        onOpen: (row) => toggle(row.key),
        onDuplicate: (row, button) => askDuplicate(row, button),
      }),
    );
  }

  function scheduleTable() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      if (!zone.contains(document.activeElement)) renderTable();
    }, 400);
  }

  function formationValues() {
    const view = page.view();
    return page.formation() || view.draft || view.published || {};
  }

  function certificationsOf(formation) {
    const known = page.known();
    return (formation.certifying ? formation.certifications || [] : []).map((c) => ({
      code: c.code,
      principal: Boolean(c.principal),
      title: known.get(c.code)?.title || "",
      blocks: blocksByCode.has(c.code) ? blocksByCode.get(c.code) : null,
    }));
  }

  function renderEditor(focusId = null) {
    facts = formationFacts();
    const row = rows().find((r) => r.key === state.open);
    if (!row) {
      editor.replaceChildren();
      return;
    }
    const view = page.view();
    const session = row.session;
    const close = h(
      "button",
      { type: "button", class: "bouton bouton--secondaire bouton--petit", id: "fermer-session", onclick: () => toggle(row.key) },
      "Fermer la session",
      h("span", { class: "visuellement-cache" }, ` ${session.ref || ""}`),
    );
    const heading = h("h3", { id: "titre-session-ouverte", class: "session-editeur__titre", tabindex: "-1" }, sessionTitle(session));
    let body;
    let lost = [];
    if (row.editable) {
      const formation = formationValues();
      const trainer = session.trainer_siret || view.siret;
      const built = sessionForm({
        session,
        sessions: state.drafts,
        view,
        trainerPlaces: placesBySiret.get(trainer) || [],
        placesById,
        trainerChanged: (siret) => loadPlaces([siret || view.siret]),
        formation,
        certifications: certificationsOf(formation),
        referential,
        contacts: page.contacts(),
        errors: state.errors[row.key] || [],
        warnings: state.warnings[row.key] || [],
        today: today(),
        onChange: () => {
          page.changed();
          scheduleTable();
          heading.textContent = sessionTitle(session);
        },
        rerender: (id) => {
          renderEditor(id);
          scheduleTable();
        },
        say: page.announce,
      });
      body = built.element;
      lost = built.lost;
      editor.registry = built.registry;
    } else {
      editor.registry = null;
      body = [
        row.state === "terminee" || row.state === "archivee"
          ? h(
              "p",
              { class: "alerte alerte--info" },
              "Cette session est terminée : vous ne pouvez pas la modifier" +
                (row.duplicable ? ", mais vous pouvez la dupliquer pour proposer de nouvelles dates." : "."),
            )
          : null,
        sessionReadView(session, { view, referential, contacts: page.contacts(), trainer: trainerText(session, view), places: placesById }),
        page.moderator?.() && row.published
          ? schemeStatesForm({
              session,
              view,
              referential,
              onSaved: (saved, message) => {
                page.show(saved);
                page.say(message);
                document.getElementById("titre-session-ouverte")?.focus();
              },
            })
          : null,
        row.duplicable
          ? h(
              "button",
              { type: "button", class: "bouton bouton--secondaire", onclick: (event) => askDuplicate(row, event.currentTarget) },
              `Dupliquer la session ${session.ref}`,
            )
          : null,
      ];
    }
    fill(
      editor,
      h(
        "section",
        { class: "session-editeur__cadre", "aria-labelledby": heading.id },
        h("div", { class: "session-editeur__entete" }, heading, sessionStateBadge(row.state, row.label), close),
        lost.length
          ? h("div", { class: "alerte alerte--erreur" }, h("ul", { class: "alerte__liste" }, lost.map((l) => h("li", {}, `${pathLabel(l.path)} : ${l.message}`))))
          : null,
        body,
      ),
    );
    if (focusId) document.getElementById(focusId)?.focus();
  }

  async function toggle(key) {
    if (state.open === key) {
      state.open = null;
      renderEditor();
      renderTable();
      zone.querySelector(`[data-session="${CSS.escape(key)}"] .session-reference`)?.focus();
      return;
    }
    await openSession(key);
    document.getElementById("titre-session-ouverte")?.focus();
  }

  /** What a session's form reads besides the page: the financing referential, blocks, the trainers' places. */
  function loadFor(formation) {
    return Promise.all([loadReferential(), loadBlocks(certificationsOf(formation).map((c) => c.code)), loadPlaces(trainers())]);
  }

  async function openSession(key) {
    state.open = key;
    const formation = formationValues();
    page.announce("Chargement de la session…");
    await loadFor(formation);
    renderTable();
    renderEditor();
  }

  /** Opens the session `key` and focuses the field of `path` (a link of the errors' summary). */
  async function openAt(key, path) {
    if (state.open !== key || !editor.registry) await openSession(key);
    if (!path || !editor.registry?.focus(path)) {
      (document.getElementById("titre-session-ouverte") || zone.querySelector(`[data-session="${CSS.escape(key)}"] button`))?.focus();
    }
  }

  // ---------------------------------------------------------------- the API's errors
  /**
   * The sessions' errors of a refused save or submission ({key: [{path, message}]} as the API names them):
   * kept for the table and the forms, the first session with errors opened. Returns the summary's part.
   */
  function showErrors(byKey) {
    state.errors = resolveKeys(byKey);
    state.messages = {};
    for (const [key, items] of Object.entries(state.errors)) {
      const own = items.filter((i) => !i.path).map((i) => i.message);
      if (own.length) state.messages[key] = own.join(" ");
    }
    const keys = Object.keys(state.errors);
    if (!keys.length) {
      renderTable();
      renderEditor();
      return null;
    }
    if (state.open === null || !state.errors[state.open]) {
      const first = rows().find((r) => state.errors[r.key] && r.editable);
      if (first) state.open = first.key;
    }
    loadFor(formationValues()).then(() => {
      renderTable();
      renderEditor();
    });
    renderTable();
    renderEditor();
    const titles = new Map(rows().map((r) => [r.key, r.session.ref ? `Session ${r.session.ref}` : `Nouvelle session n° ${r.position + 1}`]));
    return h(
      "div",
      { class: "sessions-erreurs" },
      h("p", {}, "Dans les sessions :"),
      h(
        "ul",
        { class: "alerte__liste" },
        Object.entries(state.errors).flatMap(([key, items]) =>
          items.map((item) =>
            h(
              "li",
              {},
              h(
                "a",
                {
                  href: "#sessions",
                  onclick: (event) => {
                    event.preventDefault();
                    openAt(key, item.path);
                  },
                },
                `${titles.get(key) || `Session ${key}`}${item.path ? ` — ${pathLabel(item.path)}` : ""} : ${item.message}`,
              ),
            ),
          ),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- Ajouter une session
  /** Unsaved changes are saved before a call that writes the draft (it would answer without them). */
  async function saveFirst() {
    if (!page.dirty()) return true;
    return page.save();
  }

  async function add() {
    if (page.busy()) return;
    if (!(await saveFirst())) return;
    page.setBusy(true, "Ajout d'une session…");
    try {
      const view = await api(`/formations/${encodeURIComponent(page.ref)}/sessions`, { method: "POST", body: {} });
      page.setBusy(false);
      const added = (view.draft?.sessions || []).at(-1);
      state.open = added ? sessionKey(added, view.draft.sessions.length - 1) : null;
      await loadFor(view.draft || {});
      page.show(view);
      page.say(
        `La session ${added?.ref || ""} est ajoutée au brouillon, préremplie (organisme formateur, lieu, inscription, ` +
          "contact) : complétez-la, puis sauvegardez le brouillon.",
      );
      document.getElementById("titre-session-ouverte")?.focus();
    } catch (error) {
      page.setBusy(false);
      page.failed(error);
    }
  }

  // ---------------------------------------------------------------- Dupliquer
  let duplicateDialog = null;

  function buildDuplicateDialog() {
    const title = h("h2", { id: "dialogue-duplication-titre", class: "dialogue__titre" }, "Dupliquer la session");
    const text = h("p", { id: "dialogue-duplication-texte" });
    const start = h("input", { type: "date", id: "duplication-debut", class: "champ__saisie champ__saisie--court", "aria-describedby": "duplication-debut-erreur" });
    const end = h("input", { type: "date", id: "duplication-fin", class: "champ__saisie champ__saisie--court", "aria-describedby": "duplication-fin-erreur" });
    const startError = h("p", { class: "champ__erreur", id: "duplication-debut-erreur", hidden: true });
    const endError = h("p", { class: "champ__erreur", id: "duplication-fin-erreur", hidden: true });
    const errorZone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1" });
    const yes = h("button", { type: "button", class: "bouton bouton--principal" }, "Dupliquer");
    const no = h("button", { type: "button", class: "bouton bouton--secondaire" }, "Annuler");
    const dialog = h(
      "dialog",
      { class: "dialogue", id: "dialogue-duplication", "aria-labelledby": title.id, "aria-describedby": text.id },
      title,
      text,
      errorZone,
      h(
        "div",
        { class: "champs-cote" },
        h("div", { class: "champ" }, h("label", { class: "champ__libelle", for: start.id }, "Nouvelle date de début", h("span", { class: "obligatoire", "aria-hidden": "true" }, " *")), startError, start),
        h("div", { class: "champ" }, h("label", { class: "champ__libelle", for: end.id }, "Nouvelle date de fin", h("span", { class: "obligatoire", "aria-hidden": "true" }, " *")), endError, end),
      ),
      h("div", { class: "actions" }, yes, no),
    );
    start.required = true;
    end.required = true;
    document.body.append(dialog);
    let busy = false;
    const control = modal(dialog, { busy: () => busy });
    let current = null;

    function mark(input, error, message) {
      error.hidden = !message;
      fill(error, message ? [h("span", { class: "visuellement-cache" }, "Erreur : "), message] : []);
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }

    function clear() {
      errorZone.replaceChildren();
      mark(start, startError, "");
      mark(end, endError, "");
    }

    no.addEventListener("click", () => control.close());
    yes.addEventListener("click", async () => {
      if (busy || !current) return;
      clear();
      const problem = duplicateProblem(start.value, end.value);
      if (problem) {
        const [input, error] = problem.field === "start" ? [start, startError] : [end, endError];
        mark(input, error, problem.message);
        input.focus();
        return;
      }
      busy = true;
      yes.disabled = true;
      no.disabled = true;
      const row = current;
      try {
        if (!(await saveFirst())) {
          busy = false;
          control.close();
          return;
        }
        page.setBusy(true, "Duplication de la session…");
        const view = await api(`/sessions/${encodeURIComponent(row.session.ref)}/duplicate`, {
          method: "POST",
          body: { start_date: start.value, end_date: end.value },
        });
        page.setBusy(false);
        const copy = (view.draft?.sessions || []).at(-1);
        state.open = copy ? sessionKey(copy, view.draft.sessions.length - 1) : null;
        busy = false;
        await loadFor(view.draft || {});
        control.close(document.getElementById("titre-sessions"));
        page.show(view);
        page.say(
          `La session ${row.session.ref} est dupliquée : la session ${copy?.ref || ""} du ${dayText(start.value)} au ` +
            `${dayText(end.value)} est ajoutée au brouillon. Vérifiez-la (les dates de ses modalités de recrutement), ` +
            "puis sauvegardez le brouillon.",
        );
        document.getElementById("titre-session-ouverte")?.focus();
      } catch (error) {
        page.setBusy(false);
        busy = false;
        if (error.redirecting) return;
        const fields = Array.isArray(error.fields) ? error.fields : [];
        const startField = fields.find((f) => /start/.test(f.field));
        const endField = fields.find((f) => /end/.test(f.field));
        if (startField) mark(start, startError, startField.message);
        if (endField) mark(end, endError, endField.message);
        fill(
          errorZone,
          h("div", { class: "alerte alerte--erreur" }, h("p", { class: "alerte__titre" }, "La session n'est pas dupliquée"), h("p", {}, error.message)),
        );
        errorZone.focus();
      } finally {
        yes.disabled = false;
        no.disabled = false;
      }
    });
    return {
      open(row, opener) {
        current = row;
        clear();
        text.textContent =
          `Une copie de la session ${row.session.ref} (du ${dayText(row.session.start_date)} au ${dayText(row.session.end_date)}) ` +
          "est ajoutée au brouillon de la formation avec les dates que vous indiquez : les dates de ses modalités de " +
          "recrutement suivent, ses numéros sont donnés de nouveau.";
        start.value = "";
        end.value = "";
        control.open(opener, start);
      },
    };
  }

  function askDuplicate(row, opener) {
    if (page.busy()) return;
    duplicateDialog ||= buildDuplicateDialog();
    duplicateDialog.open(row, opener);
  }

  /** What the session form reads of the formation: when it changes (apprenticeship…), the form follows. */
  function formationFacts() {
    const f = formationValues();
    return JSON.stringify([Boolean(f.apprenticeship), f.cycle_years ?? null, Boolean(f.certifying), (f.certifications || []).map((c) => [c.code, Boolean(c.principal)])]);
  }
  let facts = "";

  function formationChanged() {
    const now = formationFacts();
    if (now === facts) return;
    facts = now;
    if (!editor.registry) return;
    const formation = formationValues();
    loadBlocks(certificationsOf(formation).map((c) => c.code)).then(() => renderEditor());
  }

  return { load, data, dirty, element, showErrors, openAt, renderTable, formationChanged };
}
