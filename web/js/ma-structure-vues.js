// *Ma structure*: what every tab shows, read-only, and the formats shared by the page's modules.

import { h, formatSiret, scrollingTable } from "./dom.js";
import { KINDS } from "./coordonnees.js";

export const CARIF_EMAIL = "service-offre@cariforefnormandie.fr";

const DAY = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeZone: "Europe/Paris" });
const TIME = new Intl.DateTimeFormat("fr-FR", { timeStyle: "short", timeZone: "Europe/Paris" });
const DATE_ONLY = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" });

/** "le 27/11/2026 à 10:31" (Paris time). */
export function when(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return "";
  return `le ${DAY.format(date)} à ${TIME.format(date)}`;
}

/** "12 mai 2027" for a calendar date ("2027-05-12"). */
export function day(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(iso || "") : DATE_ONLY.format(date);
}

export function sizeText(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString("fr-FR")} ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}

export function carifLink() {
  return h("a", { href: `mailto:${CARIF_EMAIL}` }, CARIF_EMAIL);
}

// ------------------------------------------------------------------ greyed, read-only fields
let fieldCount = 0;

/** A greyed field: fed from national databases or by the Carif-Oref, never editable here. */
export function readonlyField(label, value, { wide = false } = {}) {
  fieldCount += 1;
  const id = `lecture-${fieldCount}`;
  const text = value === null || value === undefined || value === "" ? "Non renseigné" : String(value);
  return h(
    "div",
    { class: `champ fiche-champ--lecture${wide ? " fiche-champ--large" : ""}` },
    h("label", { class: "champ__libelle", for: id }, label),
    h("input", { class: "champ__saisie fiche-saisie--lecture", type: "text", id, readonly: true, value: text }),
  );
}

function section(titleText, ...content) {
  return h("section", { class: "fiche-rubrique" }, h("h3", { class: "fiche-rubrique__titre" }, titleText), ...content);
}

function panelTitle(text) {
  return h("h2", { class: "visuellement-cache" }, text);
}

function empty(text) {
  return h("p", { class: "vide" }, text);
}

// ------------------------------------------------------------------ Identité
function formatSiren(siren) {
  const digits = String(siren || "");
  return /^\d{9}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
}

export function identityPanel(record) {
  return [
    panelTitle("Identité"),
    h(
      "p",
      { class: "fiche-consigne" },
      "Les champs grisés sont alimentés à partir de bases de données nationales : ils ne peuvent pas être modifiés " +
        "par vos soins via la plateforme OFeli. En cas de changement, merci de contacter nos services (",
      carifLink(),
      ") afin que nous procédions à la modification.",
    ),
    h(
      "div",
      { class: "fiche-grille" },
      readonlyField("SIRET", formatSiret(record.siret)),
      readonlyField("SIREN", formatSiren(record.siren)),
      readonlyField("Numéro de déclaration d'activité (NDA)", record.nda),
      readonlyField("Raison sociale", record.name, { wide: true }),
      readonlyField("Forme juridique", record.legal_form, { wide: true }),
      readonlyField("Code NAF", record.naf),
    ),
  ];
}

// ------------------------------------------------------------------ Coordonnées
export function addressSection(record) {
  const address = record.address;
  return section(
    "Adresse postale",
    h(
      "p",
      { class: "fiche-consigne" },
      "Si votre adresse a changé, nous vous invitons à nous contacter par mail (",
      carifLink(),
      ").",
    ),
    address
      ? h(
          "div",
          { class: "fiche-grille" },
          readonlyField("Adresse", address.line1, { wide: true }),
          address.line2 ? readonlyField("Complément d'adresse", address.line2, { wide: true }) : null,
          readonlyField("Code postal", address.postal_code),
          readonlyField("Ville", address.city),
        )
      : empty("Aucune adresse postale enregistrée."),
  );
}

/** The value of an entry, as a link where it helps (mailto:, tel:, the website). */
export function entryValue(kindName, entry) {
  const value = entry[KINDS[kindName].key];
  if (kindName === "emails") return h("a", { href: `mailto:${value}` }, value);
  if (kindName === "phones") return h("a", { href: `tel:${value.replace(/\s+/g, "")}`, class: "insecable" }, value);
  return h("a", { href: value, rel: "noopener noreferrer" }, value);
}

/** An entry as plain text: "Accueil : accueil@of-demo.test". */
export function entryText(kindName, entry) {
  const value = entry && typeof entry === "object" ? entry[KINDS[kindName].key] : entry;
  return entry && entry.label ? `${entry.label} : ${value}` : String(value ?? "");
}

/** A list of *Coordonnées*, read-only. */
export function entriesList(kindName, entries) {
  const kind = KINDS[kindName];
  if (!entries.length) return empty(kind.empty);
  return h(
    "ul",
    { class: "fiche-entrees" },
    entries.map((entry) =>
      h(
        "li",
        { class: "fiche-entree" },
        h(
          "span",
          { class: "fiche-entree__texte" },
          entry.label ? h("span", { class: "fiche-entree__libelle" }, `${entry.label} : `) : null,
          h("span", { class: "fiche-entree__valeur" }, entryValue(kindName, entry)),
        ),
      ),
    ),
  );
}

export function listSection(kindName, entries, note) {
  return section(KINDS[kindName].title, note || null, entriesList(kindName, entries));
}

// ------------------------------------------------------------------ Organisation
function structureLink(ref) {
  return [
    h("a", { href: `/ma-structure?siret=${encodeURIComponent(ref.siret)}` }, ref.name),
    h("span", { class: "fiche-lien-structure__siret" }, " — SIRET ", h("span", { class: "insecable" }, formatSiret(ref.siret))),
  ];
}

export function organisationPanel(record) {
  return [
    panelTitle("Organisation"),
    h(
      "p",
      { class: "fiche-consigne" },
      "Cet élément vous permet de visualiser les possibles rattachements de votre structure avec d'autres " +
        "(en fonction du numéro SIREN ou du réseau d'appartenance). ",
      h("strong", {}, "Nous contacter pour toute modification"),
      " (",
      carifLink(),
      ").",
    ),
    section(
      "Parent",
      h("p", { class: "fiche-rubrique__aide" }, "Organisme responsable (siège), porteur du numéro de déclaration d'activité."),
      record.parent
        ? h("p", { class: "fiche-lien-structure" }, structureLink(record.parent))
        : empty("Aucune structure parente : cette structure n'est rattachée à aucun siège."),
    ),
    section(
      "Structures rattachées",
      h(
        "p",
        { class: "fiche-rubrique__aide" },
        "Liste des structures rattachées au siège (antennes, établissements secondaires…).",
      ),
      record.attached.length
        ? h(
            "ul",
            { class: "fiche-structures" },
            record.attached.map((ref) => h("li", { class: "fiche-lien-structure" }, structureLink(ref))),
          )
        : empty("Aucune structure rattachée."),
    ),
    section(
      "Réseau d'appartenance",
      record.network ? h("p", {}, record.network) : empty("Cette structure n'est rattachée à aucun réseau."),
    ),
  ];
}

// ------------------------------------------------------------------ Contacts
function contactName(contact) {
  return [contact.civility, contact.first_name, contact.last_name].filter(Boolean).join(" ");
}

/** One contact of the structure, as a card: name, function, e-mail, phones, LHEO contact types. */
export function contactCard(contact) {
  return h(
    "li",
    { class: "fiche-contact" },
    h(
      "p",
      { class: "fiche-contact__nom" },
      contactName(contact),
      contact.principal ? h("span", { class: "etiquette" }, "Contact principal") : null,
    ),
    contact.role ? h("p", {}, contact.role) : null,
    contact.email ? h("p", {}, h("a", { href: `mailto:${contact.email}` }, contact.email)) : null,
    contact.phones && contact.phones.length ? h("p", {}, `Téléphone : ${contact.phones.join(", ")}`) : null,
    contact.type_labels && contact.type_labels.length
      ? h("p", { class: "fiche-contact__types" }, `Type : ${contact.type_labels.map((t) => t.label).join(", ")}`)
      : null,
  );
}

/** The structure's contacts, the principal one first (the order the API gives). */
export function contactsSection(record) {
  const contacts = record.contacts || [];
  return section(
    "Contacts de la structure",
    h(
      "p",
      { class: "fiche-rubrique__aide" },
      "Précision : le contact dit « principal » correspond à la personne responsable de l'établissement. " +
        "Les contacts sont tenus à jour par le Carif-Oref ; ce sont eux que vous choisirez dans vos sessions.",
    ),
    contacts.length
      ? h("ul", { class: "fiche-contacts" }, contacts.map(contactCard))
      : empty("Aucun contact n'est enregistré : utilisez la demande ci-dessous pour nous en indiquer."),
  );
}

export const CONTACT_REQUEST_HELP =
  "Pour tout ajout ou suppression de contact, utilisez ce champ texte (vous n'avez pas la main pour ajouter ou " +
  "supprimer un contact) : indiquez le nom, le prénom, la fonction et les coordonnées de la personne.";

export function contactRequestText(text) {
  return text ? h("p", { class: "fiche-texte-demande" }, text) : empty("Aucune demande.");
}

// ------------------------------------------------------------------ Qualité, Habilitations
export function qualityPanel(record) {
  return [
    panelTitle("Qualité"),
    h("p", { class: "fiche-consigne" }, "Affichage automatique de vos labels Qualiopi."),
    record.qualiopi.length
      ? h(
          "ul",
          { class: "fiche-labels" },
          record.qualiopi.map((label) =>
            h(
              "li",
              { class: "fiche-label" },
              h("p", { class: "fiche-label__titre" }, label.name),
              h(
                "p",
                {},
                "Catégories d'actions : ",
                label.categories.length ? label.categories.join(", ") : "non précisées",
                ".",
              ),
              h("p", {}, label.valid_until ? `Valable jusqu'au ${day(label.valid_until)}.` : "Date de fin de validité non renseignée."),
              label.source
                ? h("p", { class: "fiche-label__source" }, `Source : ${label.source}${label.list_date ? `, liste du ${day(label.list_date)}` : ""}.`)
                : null,
            ),
          ),
        )
      : empty("Aucun label Qualiopi n'est enregistré pour cette structure."),
  ];
}

export function habilitationsPanel(record) {
  return [
    panelTitle("Habilitations"),
    h(
      "p",
      { class: "fiche-consigne" },
      "Liste des certifications / habilitations pour lesquelles vous êtes habilités à former ou à organiser " +
        "l'évaluation. Si vous constatez un manque, adressez-vous au certificateur pour qu'il ajoute votre SIRET dans la liste.",
    ),
    record.habilitations.length
      ? h(
          "ul",
          { class: "fiche-liste" },
          record.habilitations.map((item) =>
            h("li", {}, h("span", { class: "fiche-code" }, item.code), " — ", item.title),
          ),
        )
      : empty("Aucune habilitation n'est enregistrée pour cette structure."),
  ];
}

// ------------------------------------------------------------------ Formations de l'OF
const ROLES = { responsable: "OF responsable", formateur: "OF formateur" };

export function formationsPanel(formations) {
  return [
    panelTitle("Formations de l'OF"),
    h(
      "p",
      { class: "fiche-consigne" },
      "La liste des formations déjà intégrées dans la base, soit en tant qu'OF responsable, soit en tant qu'OF formateur.",
    ),
    formations.length
      ? scrollingTable(
          "legende-formations",
          h(
            "table",
            { class: "tableau" },
            h(
              "caption",
              { id: "legende-formations" },
              formations.length === 1 ? "1 formation" : `${formations.length} formations`,
            ),
            h(
              "thead",
              {},
              h("tr", {}, ["Référence", "Intitulé", "Rôle de l'organisme"].map((t) => h("th", { scope: "col" }, t))),
            ),
            h(
              "tbody",
              {},
              formations.map((f) =>
                h(
                  "tr",
                  {},
                  h("td", { class: "insecable" }, h("a", { href: `/formation?ref=${encodeURIComponent(f.ref)}` }, f.ref)),
                  h("th", { scope: "row" }, f.title),
                  h("td", {}, ROLES[f.role] || f.role),
                ),
              ),
            ),
          ),
        )
      : empty("Aucune formation n'est encore enregistrée pour cette structure."),
  ];
}
