// The LHEO 2.3 code tables of a session (code → label), as the API knows them: the mirror of
// `DICTIONARIES` in layers/ofeli/ofeli/domain/lheo_codes.py (tests/unit/test_web_sessions.py compares them;
// the contact types are in types-contact.js, the levels in niveaux.js). Lists of [code, label] in LHEO's order.
// The API also serves them (GET /referentials/{name}); a handful of stable codes, so the page needs no request.

/** dict-modalites-enseignement */
export const TEACHING_MODES = [
  ["0", "formation entièrement présentielle"],
  ["1", "formation mixte"],
  ["2", "formation entièrement à distance"],
];

/** dict-etat-recrutement */
export const RECRUITMENT_STATES = [
  ["1", "ouvert"],
  ["2", "fermé"],
  ["3", "suspendu"],
];

/** dict-financeurs */
export const FINANCERS = [
  ["11", "Etat - Ministère chargé de l'emploi"],
  ["12", "Etat - Ministère de l'éducation nationale"],
  ["13", "Etat - Autre"],
  ["2", "Collectivité territoriale - Conseil régional"],
  ["3", "Fonds européens - FSE"],
  ["4", "Pôle emploi"],
  ["5", "Entreprise"],
  ["6", "ACSÉ (anciennement FASILD)"],
  ["7", "AGEFIPH"],
  ["8", "Collectivité territoriale - Conseil général"],
  ["9", "Collectivité territoriale - Commune"],
  ["15", "Collectivité territoriale - Autre"],
  ["10", "Bénéficiaire de l'action"],
  ["0", "Autre"],
  ["14", "Fonds européens - Autre"],
  ["16", "OPCO"],
  ["17", "Transition Pro"],
  ["18", "LADOM"],
  ["19", "État - Ministère de l’intérieur"],
  ["20", "OFII - Office français de l’immigration et de l'intégration"],
  ["1", "Code(s) obsolète(s)"],
];

/** dict-type-parcours */
export const PATH_TYPES = [
  ["1", "en groupe (non personnalisable)"],
  ["2", "individualisé"],
  ["3", "modularisé"],
  ["4", "mixte"],
];

/** dict-modalite-recrutement */
export const RECRUITMENT_MODALITIES = [
  ["0", "information inconnue"],
  ["1", "méthode de recrutement par simulation"],
  ["2", "concours"],
  ["3", "dossier"],
  ["4", "tests pratiques"],
  ["5", "épreuves écrites"],
  ["6", "épreuves orales"],
  ["7", "inscription sur candidature"],
  ["8", "entretien ou RDV individuel"],
  ["9", "information collective"],
];

/** dict-type-equipement */
export const EQUIPMENT_TYPES = [
  ["0", "Autre"],
  ["1", "Protection de la tête"],
  ["2", "Protection des yeux"],
  ["3", "Protection des mains"],
  ["4", "Protection de l'ouïe"],
  ["5", "Protection du corps"],
  ["6", "Protection des pieds"],
  ["7", "Protection des voies respiratoires"],
  ["8", "Protection chutes"],
  ["9", "Outillage professionnel"],
  ["10", "Tenue professionnelle"],
  ["11", "Équipement numérique"],
];

/** dict-type-validation-blocs */
export const BLOCK_VALIDATIONS = [
  ["0", "Partielle: certains blocs mais pas la totalité de date à date"],
  ["1", "Totale: tous les blocs"],
  ["2", "Mixte: une validation totale mais proposée également en individualisation de parcours avec des blocs accessibles dans cette session"],
];

/** dict-type-alternance */
export const ALTERNANCE_TYPES = [
  ["0", "Tout type de contrat d'alternance"],
  ["1", "Contrat d'apprentissage (CA)"],
  ["2", "Contrat de professionalisation (CP)"],
];

/** dict-unite-rythme */
export const RHYTHM_UNITS = [
  ["0", "Heure"],
  ["1", "Demi-journée"],
  ["2", "Journée"],
  ["3", "Semaine"],
  ["4", "Mois"],
];

/** dict-type-cycle */
export const CYCLE_TYPES = [
  ["0", "Formation initiale"],
  ["1", "Contrat d'apprentissage"],
];

/** The tables by their LHEO name. */
export const DICTIONARIES = {
  "dict-modalites-enseignement": TEACHING_MODES,
  "dict-etat-recrutement": RECRUITMENT_STATES,
  "dict-financeurs": FINANCERS,
  "dict-type-parcours": PATH_TYPES,
  "dict-modalite-recrutement": RECRUITMENT_MODALITIES,
  "dict-type-equipement": EQUIPMENT_TYPES,
  "dict-type-validation-blocs": BLOCK_VALIDATIONS,
  "dict-type-alternance": ALTERNANCE_TYPES,
  "dict-unite-rythme": RHYTHM_UNITS,
  "dict-type-cycle": CYCLE_TYPES,
};

/** The label of `code` in `table` (the code itself when unknown). */
export function codeLabel(table, code) {
  const found = table.find(([c]) => c === String(code ?? ""));
  return found ? found[1] : String(code ?? "");
}
