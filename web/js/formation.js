// Formation (/formation?ref=F…): a formation and its sessions, read-only, for the users of its
// responsible structure or of a structure that trains some of its sessions, and for moderators.
// Its editing (draft, submission) comes with the formation pages of the offer.
// API: GET /formations/{ref}.

import { api } from "./api.js";
import { h, fill, formatSiret, scrollingTable } from "./dom.js";
import { longDate, plural } from "./format.js";
import { mountShell, setStatus, showError } from "./shell.js";

const area = document.getElementById("formation");
const ref = new URLSearchParams(window.location.search).get("ref") || "";

function sessions(formation) {
  const rows = formation.sessions || [];
  if (!rows.length) return h("p", { class: "vide" }, "Aucune session n'est enregistrée.");
  return scrollingTable(
    "legende-sessions",
    h(
      "table",
      { class: "tableau" },
      h("caption", { id: "legende-sessions" }, plural(rows.length, "1 session", `${rows.length} sessions`)),
      h(
        "thead",
        {},
        h("tr", {}, ["Référence", "Début", "Fin", "Lieu", "Organisme formateur"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        {},
        rows.map((s) =>
          h(
            "tr",
            {},
            h("th", { scope: "row", class: "insecable" }, s.ref),
            h("td", {}, longDate(s.start_date)),
            h("td", {}, longDate(s.end_date)),
            h("td", {}, `${s.city} (${s.postal_code})`),
            h("td", {}, s.trainer_siret ? `SIRET ${formatSiret(s.trainer_siret)}` : "L'organisme responsable"),
          ),
        ),
      ),
    ),
  );
}

function view(formation) {
  return [
    h("p", { class: "fiche-consigne" }, `Référence ${formation.ref}`),
    h("h2", {}, formation.title),
    h("p", {}, "Organisme responsable : ", `${formation.responsible_name} (SIRET ${formatSiret(formation.siret)})`),
    h("h3", {}, "Objectif"),
    h("p", { class: "texte-long" }, formation.objective),
    formation.content ? [h("h3", {}, "Contenu"), h("p", { class: "texte-long" }, formation.content)] : null,
    h("h3", {}, "Sessions"),
    sessions(formation),
  ];
}

try {
  await mountShell({ current: "structure" });
  if (!/^F\d{7}$/.test(ref)) {
    fill(area, h("p", {}, "Cette adresse ne désigne aucune formation : ouvrez-la depuis Ma structure, onglet Formations de l'OF."));
  } else {
    setStatus("Chargement de la formation…");
    try {
      const formation = await api(`/formations/${encodeURIComponent(ref)}`);
      document.title = `${formation.title} — Formation — OFeli`;
      fill(area, view(formation));
      setStatus("");
    } catch (error) {
      setStatus("");
      showError(error, { retry: error && error.status >= 500 });
    }
  }
} catch {
  // mountShell has shown the error in the alert region
}
