// The LHEO 2.3 contact types (`dict-type-contact`), as the API knows them (CONTACT_TYPES in
// layers/ofeli/ofeli/domain/structures.py; tests/unit/test_web_contact_types.py checks that the two match).

export const CONTACT_TYPES = [
  { code: "0", label: "Autre" },
  { code: "1", label: "Référent handicap" },
  { code: "2", label: "Référent mobilité internationale" },
  { code: "3", label: "Référent pédagogique" },
  { code: "4", label: "Accueil" },
  { code: "5", label: "Direction" },
  { code: "6", label: "Référent qualité" },
  { code: "7", label: "Référent entreprise" },
  { code: "8", label: "Référent commercial" },
  { code: "9", label: "Gestionnaire financier" },
  { code: "10", label: "Direction Déléguée aux Formations Professionnelles et Techniques (DDFPT)" },
  { code: "11", label: "Communication" },
  { code: "12", label: "Référent FOAD" },
  { code: "13", label: "Référent VAE" },
  { code: "14", label: "Référent Apprentissage" },
];

/** "3" → "Référent pédagogique" (the code itself when unknown). */
export function contactTypeLabel(code) {
  const found = CONTACT_TYPES.find((t) => t.code === String(code));
  return found ? found.label : String(code);
}
