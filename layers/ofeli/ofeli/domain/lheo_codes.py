"""The LHEO 2.3 code tables a session uses, copied from `lheo-2.3-dictionaries.xml` (code → label).

Copied rather than read at run time: a few dozen entries that change with a new LHEO version only, and
the Lambda layer then needs no XML. tests/unit/test_lheo_codes.py checks every table against the file.
`CONTACT_TYPES` (`dict-type-contact`) lives in `ofeli.domain.structures`; `DICTIONARIES` names it too, so
one test covers all.
"""

from __future__ import annotations

from ofeli.domain.structures import CONTACT_TYPES

# `dict-niveaux` (the European levels' labels shortened to their first sentence; tests/unit/test_formation_rules.py
# compares each with the start of the dictionary's)
LEVELS: dict[str, str] = {
    "0": "information non communiquée",
    "1": "sans niveau spécifique",
    "2": "niveau VI (illettrisme, analphabétisme)",
    "3": "niveau V bis (préqualification)",
    "4": "niveau V (CAP, BEP, CFPA du premier degré)",
    "5": "niveau IV (BP, BT, baccalauréat professionnel ou technologique)",
    "6": "niveau III (BTS, DUT)",
    "7": "niveau II (licence ou maîtrise universitaire)",
    "8": "niveau I (supérieur à la maîtrise)",
    "11": "Niveau 1. Maîtrise des savoirs de base",
    "12": "Niveau 2",
    "13": "Niveau 3",
    "14": "Niveau 4",
    "15": "Niveau 5",
    "16": "Niveau 6",
    "17": "Niveau 7",
    "18": "Niveau 8",
}

# dict-modalites-enseignement: the teaching mode of an action (modalites-enseignement)
TEACHING_MODES: dict[str, str] = {
    "0": "formation entièrement présentielle",
    "1": "formation mixte",
    "2": "formation entièrement à distance",
}
ON_SITE, MIXED, REMOTE = "0", "1", "2"

# dict-modalites-es: how people enter and leave (modalites-entrees-sorties)
ENTRY_MODES: dict[str, str] = {
    "0": "entrées/sorties à dates fixes",
    "1": "entrées/sorties permanentes",
}

# dict-etat-recrutement: the state of the recruitment (etat-recrutement)
RECRUITMENT_STATES: dict[str, str] = {"1": "ouvert", "2": "fermé", "3": "suspendu"}
OPEN = "1"

# dict-financeurs: who funds (organisme-financeur/code-financeur); "1" is obsolete
FINANCERS: dict[str, str] = {
    "11": "Etat - Ministère chargé de l'emploi",
    "12": "Etat - Ministère de l'éducation nationale",
    "13": "Etat - Autre",
    "2": "Collectivité territoriale - Conseil régional",
    "3": "Fonds européens - FSE",
    "4": "Pôle emploi",
    "5": "Entreprise",
    "6": "ACSÉ (anciennement FASILD)",
    "7": "AGEFIPH",
    "8": "Collectivité territoriale - Conseil général",
    "9": "Collectivité territoriale - Commune",
    "15": "Collectivité territoriale - Autre",
    "10": "Bénéficiaire de l'action",
    "0": "Autre",
    "14": "Fonds européens - Autre",
    "16": "OPCO",
    "17": "Transition Pro",
    "18": "LADOM",
    "19": "État - Ministère de l’intérieur",
    "20": "OFII - Office français de l’immigration et de l'intégration",
    "1": "Code(s) obsolète(s)",
}
OBSOLETE_FINANCER = "1"
REGIONAL_COUNCIL = "2"
FRANCE_TRAVAIL = "4"  # "Pôle emploi" in LHEO 2.3

# dict-type-parcours: the path type (parcours-de-formation)
PATH_TYPES: dict[str, str] = {
    "1": "en groupe (non personnalisable)",
    "2": "individualisé",
    "3": "modularisé",
    "4": "mixte",
}
INDIVIDUALISED = "2"

# dict-modalite-recrutement: recruitment modalities (recrutement/modalite-recrutement)
RECRUITMENT_MODALITIES: dict[str, str] = {
    "0": "information inconnue",
    "1": "méthode de recrutement par simulation",
    "2": "concours",
    "3": "dossier",
    "4": "tests pratiques",
    "5": "épreuves écrites",
    "6": "épreuves orales",
    "7": "inscription sur candidature",
    "8": "entretien ou RDV individuel",
    "9": "information collective",
}
APPLICATION, INTERVIEW, INFORMATION_MEETING = "7", "8", "9"  # ISC, RDVI, ICO: what France Travail reads

# dict-type-equipement: equipment a trainee needs (equipement/type-equipement)
EQUIPMENT_TYPES: dict[str, str] = {
    "0": "Autre",
    "1": "Protection de la tête",
    "2": "Protection des yeux",
    "3": "Protection des mains",
    "4": "Protection de l'ouïe",
    "5": "Protection du corps",
    "6": "Protection des pieds",
    "7": "Protection des voies respiratoires",
    "8": "Protection chutes",
    "9": "Outillage professionnel",
    "10": "Tenue professionnelle",
    "11": "Équipement numérique",
}

# dict-type-validation-blocs: how a session validates a certification's blocks (blocs-competences/validation-blocs)
BLOCK_VALIDATIONS: dict[str, str] = {
    "0": "Partielle: certains blocs mais pas la totalité de date à date",
    "1": "Totale: tous les blocs",
    "2": (
        "Mixte: une validation totale mais proposée également en individualisation de parcours avec des blocs "
        "accessibles dans cette session"
    ),
}
PARTIAL, TOTAL, MIXED_VALIDATION = "0", "1", "2"

# dict-type-alternance: the work-study contract (cycle/alternance/type-alternance)
ALTERNANCE_TYPES: dict[str, str] = {
    "0": "Tout type de contrat d'alternance",
    "1": "Contrat d'apprentissage (CA)",
    "2": "Contrat de professionalisation (CP)",
}
APPRENTICESHIP_CONTRACT = "1"

# dict-unite-rythme: the unit of a work-study rhythm (rythme-alternance/unite-rythme-alternance)
RHYTHM_UNITS: dict[str, str] = {"0": "Heure", "1": "Demi-journée", "2": "Journée", "3": "Semaine", "4": "Mois"}

# dict-type-cycle: the kind of a cycle (cycle/type-cycle)
CYCLE_TYPES: dict[str, str] = {"0": "Formation initiale", "1": "Contrat d'apprentissage"}
APPRENTICESHIP_CYCLE = "1"

# dict-perimetre-recrutement: where people are recruited from (code-perimetre-recrutement)
RECRUITMENT_PERIMETERS: dict[str, str] = {
    "0": "Autres",
    "1": "Commune",
    "2": "Département",
    "3": "Région",
    "4": "Interrégion",
    "5": "Pays",
    "6": "International",
}

# The tables by their LHEO name: what the test compares, and what `GET /referentials/{name}` can serve.
DICTIONARIES: dict[str, dict[str, str]] = {
    "dict-modalites-enseignement": TEACHING_MODES,
    "dict-modalites-es": ENTRY_MODES,
    "dict-etat-recrutement": RECRUITMENT_STATES,
    "dict-financeurs": FINANCERS,
    "dict-type-contact": CONTACT_TYPES,
    "dict-type-parcours": PATH_TYPES,
    "dict-modalite-recrutement": RECRUITMENT_MODALITIES,
    "dict-type-equipement": EQUIPMENT_TYPES,
    "dict-type-validation-blocs": BLOCK_VALIDATIONS,
    "dict-type-alternance": ALTERNANCE_TYPES,
    "dict-unite-rythme": RHYTHM_UNITS,
    "dict-type-cycle": CYCLE_TYPES,
    "dict-perimetre-recrutement": RECRUITMENT_PERIMETERS,
    "dict-niveaux": LEVELS,
}
