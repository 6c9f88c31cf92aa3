// The levels of LHEO 2.3 (`dict-niveaux`), as the API codes a formation's entry and exit levels: the
// mirror of LEVELS in layers/ofeli/ofeli/domain/offers.py (tests/unit/test_web_modules.py compares them).
// And the European levels of the repertories (NIV3…NIV8) that the certification referential gives.

export const LEVELS = [
  { code: "0", label: "information non communiquée" },
  { code: "1", label: "sans niveau spécifique" },
  { code: "2", label: "niveau VI (illettrisme, analphabétisme)" },
  { code: "3", label: "niveau V bis (préqualification)" },
  { code: "4", label: "niveau V (CAP, BEP, CFPA du premier degré)" },
  { code: "5", label: "niveau IV (BP, BT, baccalauréat professionnel ou technologique)" },
  { code: "6", label: "niveau III (BTS, DUT)" },
  { code: "7", label: "niveau II (licence ou maîtrise universitaire)" },
  { code: "8", label: "niveau I (supérieur à la maîtrise)" },
  { code: "11", label: "Niveau 1. Maîtrise des savoirs de base" },
  { code: "12", label: "Niveau 2" },
  { code: "13", label: "Niveau 3" },
  { code: "14", label: "Niveau 4" },
  { code: "15", label: "Niveau 5" },
  { code: "16", label: "Niveau 6" },
  { code: "17", label: "Niveau 7" },
  { code: "18", label: "Niveau 8" },
];

/** The groups of the level lists: the European nomenclature first (the one in use), then the old one. */
export const LEVEL_GROUPS = [
  { label: "Sans niveau", codes: ["1", "0"] },
  { label: "Nomenclature européenne (niveaux 1 à 8)", codes: ["11", "12", "13", "14", "15", "16", "17", "18"] },
  { label: "Ancienne nomenclature (niveaux VI à I)", codes: ["2", "3", "4", "5", "6", "7", "8"] },
];

/** What the API fills a new formation's entry level with: « sans niveau spécifique ». */
export const NO_SPECIFIC_LEVEL = "1";

/** "15" → "Niveau 5"; the code itself when unknown, "" when none. */
export function levelLabel(code) {
  if (code === null || code === undefined || code === "") return "";
  const found = LEVELS.find((level) => level.code === String(code));
  return found ? found.label : String(code);
}

/** "NIV5" (France Compétences) → "Niveau 5"; "" when none. */
export function europeanLevelLabel(level) {
  const match = /^NIV([1-8])$/i.exec(String(level || "").trim());
  return match ? `Niveau ${match[1]}` : String(level || "");
}
