// The *état du dispositif* of a published session's funding lines: "renseigné par le Carif-Oref lors de sa
// validation" (the guide). A moderator sets it on the formation page (PATCH /moderation/sessions/{ref}, the
// formation's version checked); the OF reads it.

import { api } from "./api.js";
import { h, fill } from "./dom.js";
import { financerOf, measureOf, SCHEME_STATES } from "./session-etat.js";

/**
 * @param {{session: object, view: object, referential: object|null, onSaved: (view: object, message: string) => void}} options
 * @returns {HTMLElement|null} null when the session has no funding line
 */
export function schemeStatesForm({ session, view, referential, onSaved }) {
  const lines = session.funding || [];
  if (!session.ref || !lines.length) return null;
  const id = `dispositif-${session.ref}`;
  const zone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1", id: `${id}-erreur` });
  const selects = lines.map((line, index) => {
    const select = h(
      "select",
      { class: "champ__saisie champ__saisie--court", id: `${id}-${index}` },
      h("option", { value: "" }, "Non renseigné"),
      Object.entries(SCHEME_STATES).map(([code, label]) => h("option", { value: code }, label)),
    );
    select.value = line.scheme_state || "";
    const financer = financerOf(referential, line.financer)?.label || line.financer || "";
    const measure = measureOf(referential, line.financer, line.measure)?.label || line.measure || "";
    return {
      line,
      select,
      element: h(
        "div",
        { class: "champ champ--compact" },
        h("label", { class: "champ__libelle", for: select.id }, `Financement n° ${index + 1} (${financer} — ${measure})`),
        select,
      ),
    };
  });
  const button = h("button", { type: "submit", class: "bouton bouton--principal" }, "Enregistrer l'état du dispositif");
  const form = h(
    "form",
    { class: "session-dispositif", novalidate: true, "aria-labelledby": `${id}-titre` },
    h("h4", { id: `${id}-titre`, class: "session-section__titre" }, "État du dispositif (Carif-Oref)"),
    h("p", { class: "fiche-rubrique__aide" }, "Renseigné par le Carif-Oref lors de sa validation ; l'organisme le lit dans la session."),
    zone,
    selects.map((s) => s.element),
    h("div", { class: "actions" }, button),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    zone.replaceChildren();
    button.disabled = true;
    try {
      const saved = await api(`/moderation/sessions/${encodeURIComponent(session.ref)}`, {
        method: "PATCH",
        body: {
          version: view.version,
          funding: selects.map((s) => ({ financer: s.line.financer, measure: s.line.measure, scheme_state: s.select.value || null })),
        },
      });
      onSaved(saved, `L'état du dispositif de la session ${session.ref} est enregistré.`);
    } catch (error) {
      if (error.redirecting) return;
      fill(
        zone,
        h(
          "div",
          { class: "alerte alerte--erreur" },
          h("p", { class: "alerte__titre" }, "L'état du dispositif n'est pas enregistré"),
          h("p", {}, error.message),
          error.status === 409 ? h("p", {}, "Rechargez la page pour voir la dernière version de la formation.") : null,
        ),
      );
      zone.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
