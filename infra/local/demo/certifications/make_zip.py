"""Rebuilds the demo certification referential `infra/local/demo/export-fiches-csv-2026-11-02.zip` from
the readable CSV sources beside this script.

    .venv/bin/python infra/local/demo/certifications/make_zip.py

Fifteen fiches in France Compétences' CSV export format (read by `ofeli.domain.certification_files`),
for what the demo's formations and structures need:
- RNCP37861 CAP Boulanger (NIV3, active until 31/12/2030, blocks, apprenticeship), whose partners are the
  demo OF (OF Démo Formation, 81432712100012) and Boulangerie Formation Normandie (44306184100047);
  RNCP37862 CAP Pâtissier;
- the titres professionnels Assistant comptable (RNCP38116, NIV4), Gestionnaire comptable et fiscal
  (RNCP37948, NIV5), Soudeur assembleur industriel (RNCP35343, NIV3, partner Atelier Normand des
  Métiers), Cuisinier (RNCP34095);
- RNCP1212 Assistant de comptabilité et d'administration, inactive, replaced by RNCP38116; RNCP7455
  Employé commercial en magasin, inactive, replaced by nothing;
- the BTS Management commercial opérationnel (RNCP38362) and Comptabilité et gestion (RNCP38329), open
  to apprenticeship;
- RS fiches: CléA (RS5080), habilitation électrique (RS6201), orthographe (RS5993), SST (RS6340), and an
  inactive one (RS4812).
Codes, SIRETs and labels are plausible, not necessarily France Compétences' own.

The zip is made as the real export is: a byte order mark before each member, member names with accents in
UTF-8 without the zip's UTF-8 flag, fixed member dates (two runs give the same members).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZIP = HERE.parent / "export-fiches-csv-2026-11-02.zip"
PARTS = {
    "Standard": "Standard",
    "Blocs_De_Competences": "Blocs_De_Compétences",
    "Nsf": "Nsf",
    "Formacode": "Formacode",
    "Rome": "Rome",
    "Certificateurs": "Certificateurs",
    "Partenaires": "Partenaires",
    "Ancienne_Nouvelle_Certification": "Ancienne_Nouvelle_Certification",
    "CCN": "CCN",
    "VoixdAcces": "VoixdAccès",
}
BOM = b"\xef\xbb\xbf"
DATE = (2026, 11, 2, 3, 0, 0)


class UnflaggedName(zipfile.ZipInfo):
    """A member whose name is written in UTF-8 but without the UTF-8 flag, as the real export does."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's own name)
        return self.filename.encode("utf-8"), self.flag_bits & ~0x800


def build(target: Path = ZIP) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for source, part in PARTS.items():
            info = UnflaggedName(f"export_fiches_CSV_{part}_2026_11_02.csv", date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, BOM + (HERE / f"{source}.csv").read_bytes())


if __name__ == "__main__":
    build()
    print(f"{ZIP} : {len(PARTS)} fichiers")
