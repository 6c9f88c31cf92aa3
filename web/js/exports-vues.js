// What the exports show (exports-page.js wires them): the *Exporter* button and the bell with its badge,
// above the right of the formations' results; the dialog that chooses the format; the bell's list of files
// with their state and a download button for each ready one.

import { h, fill } from "./dom.js";
import { badgeCount, badgeDetails, FORMATS, whenText } from "./exports-etat.js";

/** The toolbar: *Exporter*, then the bell (a disclosure button) and its panel. */
export function exportTools({ onExport, onBell }) {
  const exportButton = h(
    "button",
    { type: "button", class: "bouton bouton--secondaire", id: "exporter", onclick: onExport },
    "Exporter",
  );
  // The button's name is its content: "Mes exports", the badge's number, what it counts (hidden text).
  const badge = h("span", { class: "pastille cloche__pastille", hidden: true });
  const details = h("span", { class: "visuellement-cache" });
  const bellButton = h(
    "button",
    {
      type: "button",
      class: "bouton bouton--secondaire cloche",
      id: "cloche-exports",
      "aria-expanded": "false",
      "aria-controls": "panneau-exports",
      onclick: onBell,
    },
    h("span", { class: "cloche__signe", "aria-hidden": "true" }, "🔔"),
    "Mes exports",
    " ",
    badge,
    details,
  );
  const panel = h("section", { class: "panneau-exports", id: "panneau-exports", "aria-labelledby": "titre-exports", hidden: true });
  const element = h(
    "div",
    { class: "outils-export" },
    h("div", { class: "outils-export__boutons" }, exportButton, bellButton),
    panel,
  );
  return { element, exportButton, bellButton, badge, details, panel };
}

/** The badge and the bell button's accessible name, from the bell's state. */
export function showBadge(tools, bell) {
  const count = badgeCount(bell);
  tools.badge.hidden = !count;
  tools.badge.textContent = count ? String(count) : "";
  tools.details.textContent = count ? ` (${badgeDetails(bell)})` : "";
}

function fileItem(f, onDownload) {
  const when = whenText(f.created_at);
  return h(
    "li",
    { class: `fichier-export fichier-export--${f.status}`, "data-export": f.id },
    h(
      "p",
      { class: "fichier-export__titre" },
      h("span", { class: "fichier-export__nom" }, f.filename),
      " ",
      h("span", { class: `statut-export statut-export--${f.status}` }, f.status_label),
      f.status === "ready" && !f.downloaded ? h("span", { class: "fichier-export__nouveau" }, " — nouveau") : null,
    ),
    h("p", { class: "fichier-export__message" }, f.message),
    when ? h("p", { class: "fichier-export__date" }, `Demandé le ${when}`) : null,
    f.status === "ready"
      ? h(
          "button",
          { type: "button", class: "bouton bouton--principal bouton--petit", onclick: () => onDownload(f) },
          "Télécharger",
          h("span", { class: "visuellement-cache" }, ` ${f.filename}`),
        )
      : null,
  );
}

/** The bell's panel: its title and the files, newest first. */
export function showBell(tools, bell, { onDownload, onClose }) {
  fill(
    tools.panel,
    h(
      "div",
      { class: "panneau-exports__entete" },
      h("h3", { id: "titre-exports", class: "panneau-exports__titre", tabindex: "-1" }, "Mes exports"),
      h("button", { type: "button", class: "bouton bouton--lien", onclick: onClose }, "Fermer", h("span", { class: "visuellement-cache" }, " la liste des exports")),
    ),
    !bell.loaded
      ? h("p", {}, "Chargement de vos exports…")
      : bell.files.length
        ? h("ul", { class: "fichiers-export" }, bell.files.map((f) => fileItem(f, onDownload)))
        : h("p", { class: "vide" }, "Aucun export pour l'instant : cliquez sur « Exporter » pour en demander un. Les fichiers sont gardés 30 jours."),
  );
}

/** The format dialog (a modal <dialog>), appended to the body once. */
export function formatDialog() {
  const title = h("h2", { class: "dialogue__titre", id: "titre-dialogue-export" }, "Exporter les formations");
  const scope = h("p", { id: "portee-export" });
  const errorZone = h("div", { class: "zone-erreur", role: "alert", tabindex: "-1" });
  const radios = FORMATS.map((format, index) => {
    const id = `format-export-${format.value}`;
    const input = h("input", { type: "radio", name: "format-export", id, value: format.value, checked: index === 0, "aria-describedby": `${id}-aide` });
    return {
      input,
      box: h(
        "div",
        { class: "case" },
        input,
        h("label", { for: id }, format.label),
        h("p", { class: "champ__aide", id: `${id}-aide` }, format.help),
      ),
    };
  });
  const confirm = h("button", { type: "submit", class: "bouton bouton--principal", id: "confirmer-export" }, "Exporter");
  const cancel = h("button", { type: "button", class: "bouton bouton--secondaire" }, "Annuler");
  const form = h(
    "form",
    { method: "dialog", novalidate: true },
    h("fieldset", { class: "groupe" }, h("legend", { class: "champ__libelle" }, "Format du fichier"), radios.map((r) => r.box)),
    h("div", { class: "actions" }, confirm, cancel),
  );
  const dialog = h(
    "dialog",
    { class: "dialogue", id: "dialogue-export", "aria-labelledby": title.id, "aria-describedby": scope.id },
    title,
    scope,
    errorZone,
    form,
  );
  document.body.append(dialog);
  return {
    dialog,
    form,
    confirm,
    cancel,
    errorZone,
    first: radios[0].input,
    setScope(text) {
      scope.textContent = text;
    },
    format() {
      return radios.find((r) => r.input.checked)?.input.value || "xlsx";
    },
    setBusy(busy) {
      confirm.disabled = busy;
      cancel.disabled = busy;
      if (busy) form.setAttribute("aria-busy", "true");
      else form.removeAttribute("aria-busy");
    },
  };
}
