// A formation's sessions, read-only: the table of the *Sessions* part (reference, dates, place, trainer,
// state said in words and with a sign; in a draft, the reference opens the session's form and the icon
// button duplicates it) and one session's values (a finished session, or any for who cannot edit).

import { h, formatSiret, scrollingTable } from "./dom.js";
import { longDate, plural } from "./format.js";
import { codeLabel, EQUIPMENT_TYPES, PATH_TYPES, RECRUITMENT_MODALITIES, RECRUITMENT_STATES } from "./lheo-codes.js";
import { contactText } from "./formation-etat.js";
import { contactTypeLabel } from "./types-contact.js";
import {
  addressText,
  dayText,
  ENTRY_TYPES,
  errorCount,
  modalityKind,
  modalityName,
  placeSummary,
  placeText,
  publicLabels,
  REMOTE_ADDRESS,
  RHYTHMS,
  SCHEME_STATES,
  STATES,
  TEACHING_MODE_CHOICES,
  financerOf,
  measureOf,
} from "./session-etat.js";

const NOT_SET = "Non renseigné";

/** The state of a session: words, and a sign hidden from speech (never the colour alone). */
export function sessionStateBadge(state, label) {
  return h(
    "span",
    { class: `etat-session etat-session--${state}` },
    h("span", { class: "etat-session__signe", "aria-hidden": "true" }, STATES[state]?.mark || ""),
    label,
  );
}

function trainerCell(session, view) {
  if (!session.trainer_siret || session.trainer_siret === view?.siret) return "L'organisme responsable";
  return `SIRET ${formatSiret(session.trainer_siret)}`;
}

/**
 * @param {object[]} rows session-etat.js sessionRows
 * @param {{view: object, errors?: Record<string, number>, messages?: Record<string, string>, open?: string|null,
 *   places?: Map<string, object>, onOpen?: (row: object, button: HTMLElement) => void,
 *   onDuplicate?: (row: object, button: HTMLElement) => void}} options
 *   errors: the count of errors of each session (by key); messages: a message on the session itself; places: the
 *   trainers' places by id (a session's place chosen among them)
 */
export function sessionsTable(rows, { view, errors = {}, messages = {}, open = null, places = new Map(), onOpen = null, onDuplicate = null }) {
  if (!rows.length) return h("p", { class: "vide" }, "Aucune session n'est enregistrée.");
  const actions = Boolean(onDuplicate) && rows.some((r) => r.duplicable);
  return scrollingTable(
    "legende-sessions",
    h(
      "table",
      { class: "tableau tableau--sessions" },
      h("caption", { id: "legende-sessions" }, plural(rows.length, "session", "sessions")),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Référence", "Début", "Fin", "Lieu", "Organisme formateur", "État", actions ? "Actions" : null]
            .filter(Boolean)
            .map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((row) => {
          const s = row.session;
          const count = errors[row.key] || 0;
          const message = messages[row.key] || "";
          const name = s.ref || "Nouvelle session";
          const reference = onOpen
            ? h(
                "button",
                {
                  type: "button",
                  class: "bouton bouton--lien session-reference",
                  "aria-expanded": String(open === row.key),
                  "aria-controls": "session-editeur",
                  onclick: (event) => onOpen(row, event.currentTarget),
                },
                name,
                h("span", { class: "visuellement-cache" }, row.editable ? " : modifier la session" : " : consulter la session"),
              )
            : name;
          return h(
            "tr",
            { id: `session-${row.key}`, class: count || message ? "ligne--erreur" : null, "data-session": row.key },
            h(
              "th",
              { scope: "row", class: "insecable" },
              reference,
              count ? h("span", { class: "champ__erreur cellule__detail" }, errorCount(count)) : null,
              message ? h("span", { class: "champ__erreur cellule__detail" }, message) : null,
            ),
            h("td", {}, s.start_date ? longDate(s.start_date) : NOT_SET),
            h("td", {}, s.end_date ? longDate(s.end_date) : NOT_SET),
            h("td", {}, placeSummary(s, places)),
            h("td", {}, trainerCell(s, view)),
            h(
              "td",
              {},
              sessionStateBadge(row.state, row.label),
              row.published ? null : h("span", { class: "cellule__detail" }, "Nouvelle, pas encore publiée"),
            ),
            actions
              ? h(
                  "td",
                  {},
                  row.duplicable
                    ? h(
                        "button",
                        {
                          type: "button",
                          class: "bouton bouton--secondaire bouton--petit bouton--icone-seule",
                          title: `Dupliquer la session ${s.ref}`,
                          onclick: (event) => onDuplicate(row, event.currentTarget),
                        },
                        h("img", { src: "/img/dupliquer.svg", alt: "", width: "20", height: "20", class: "bouton__icone" }),
                        h("span", { class: "visuellement-cache" }, `Dupliquer la session ${s.ref}`),
                      )
                    : null,
                )
              : null,
          );
        }),
      ),
    ),
  );
}

function pair(term, value) {
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  return [h("dt", {}, term), h("dd", {}, empty ? h("span", { class: "diff-vide" }, NOT_SET) : value)];
}

function list(items) {
  return items.length ? h("ul", { class: "session-liste" }, items.map((i) => h("li", {}, i))) : "";
}

/**
 * One session's values, read-only.
 * @param {object} session a SessionDraft (or published session)
 * @param {{view: object, referential?: object|null, contacts?: object[], trainer?: string, places?: Map<string, object>}} options
 */
export function sessionReadView(session, { view, referential = null, contacts = [], trainer = "", places = new Map() }) {
  const s = session;
  const teaching = TEACHING_MODE_CHOICES.find(([c]) => c === s.teaching_mode)?.[1] || "";
  const funding = (s.funding || []).map((line) => {
    const financer = financerOf(referential, line.financer)?.label || line.financer || "";
    const measure = measureOf(referential, line.financer, line.measure)?.label || line.measure || "";
    const publics = publicLabels(referential, line.financer, line.measure, line.publics).join(", ");
    return [
      `${financer}${measure ? ` — ${measure}` : ""}`,
      publics ? ` ; publics : ${publics}` : "",
      ` ; recrutement ${codeLabel(RECRUITMENT_STATES, line.recruitment_state)}`,
      line.seats ? ` ; ${plural(line.seats, "place", "places")}` : "",
      line.market_number ? ` ; marché n° ${line.market_number}` : "",
      line.scheme_state ? ` ; ${SCHEME_STATES[line.scheme_state] || line.scheme_state}` : "",
    ].join("");
  });
  const recruitment = (s.recruitment || []).map((m) => {
    const kind = modalityKind(m.code);
    const name = modalityName(m.code, Object.fromEntries(RECRUITMENT_MODALITIES));
    const bits = [name];
    if (m.number) bits.push(`n° ${m.number}`);
    if (m.seats) bits.push(plural(m.seats, "place", "places"));
    if (kind === "application") {
      bits.push((m.periods || []).map((p) => `candidatures du ${dayText(p.start)} au ${dayText(p.end)}`).join(", "));
    }
    if (kind === "meeting") {
      bits.push(`le ${dayText(m.date)} de ${m.hours?.start || "?"} à ${m.hours?.end || "?"}`);
      bits.push(m.remote ? `à distance (${REMOTE_ADDRESS})` : addressText(m.address));
    }
    if (m.comment) bits.push(m.comment);
    return bits.filter(Boolean).join(" ; ");
  });
  return h(
    "dl",
    { class: "formation-donnees session-lecture" },
    pair("Dates", s.start_date && s.end_date ? `Du ${longDate(s.start_date)} au ${longDate(s.end_date)}` : ""),
    pair("Type de session", ENTRY_TYPES[s.entry_type] || ""),
    pair("Organisme formateur", trainer || trainerCell(s, view)),
    pair("Modalité d'enseignement", teaching),
    pair("Lieux de formation", list((s.places || []).map((p) => placeText(p, places)))),
    pair(
      "Contacts",
      list((s.contacts || []).map((c) => `${contactText(contacts, c.contact_id)}${c.contact_type ? ` (${contactTypeLabel(c.contact_type)})` : ""}`)),
    ),
    pair("Financements", list(funding)),
    s.funding_conditions ? pair("Détail des conditions de prise en charge", s.funding_conditions) : null,
    s.audience_info ? pair("Informations complémentaires sur le public visé", s.audience_info) : null,
    (s.cycles || []).length
      ? pair(
          "Cycles de l'alternance",
          list(s.cycles.map((c) => `Année ${c.year ?? "?"} : ${c.rhythm?.in_centre ?? "?"} en centre, ${c.rhythm?.in_company ?? "?"} en entreprise`)),
        )
      : null,
    (s.blocks || []).length ? pair("Blocs de compétences", list(s.blocks.map((b) => `${b.certification} : ${(b.blocks || []).join(", ")}`))) : null,
    pair("Durée en centre", s.hours_in_centre ? plural(s.hours_in_centre, "heure", "heures") : ""),
    pair("Durée en entreprise", s.hours_in_company ? plural(s.hours_in_company, "heure", "heures") : ""),
    pair("Durée totale", s.total_hours ? plural(s.total_hours, "heure", "heures") : ""),
    pair("Prérequis", s.prerequisites ? h("p", { class: "texte-long" }, s.prerequisites) : ""),
    pair("Type de parcours", s.path_type ? codeLabel(PATH_TYPES, s.path_type) : ""),
    pair("Rythme", (s.rhythms || []).map((r) => RHYTHMS[r] || r).join(", ")),
    s.rhythm_comment ? pair("Commentaire rythme", s.rhythm_comment) : null,
    (s.equipment || []).length
      ? pair("Équipements", list(s.equipment.map((e) => `${codeLabel(EQUIPMENT_TYPES, e.equipment_type)}${e.description ? ` : ${e.description}` : ""}`)))
      : null,
    pair("Lieu d'inscription", placeText(s.registration, places)),
    pair("Modalités de recrutement", list(recruitment)),
  );
}
