"""The export writers (issue 12, item 5): LHEO 2.3 and Excel over generated offers of 10,000 and 100,000
sessions (about 3 sessions per formation, texts of realistic length: a few hundred characters of objective
and content, addresses, one or two funding lines, recruitment modalities), pure: no storage.

Each case runs in a fresh subprocess (`python bench/exports.py --case lheo 100000 FILE`), so that its peak
memory is its own: `resource.getrusage(RUSAGE_SELF).ru_maxrss` (the process's peak resident set) read once
the generator's pool of templates is built and the schema loaded (the baseline), then after writing; the
writer's memory is the difference. The offers are generated lazily (a generator over a fixed pool of
validated formations and sessions, each offer a new `Offer` with its own references), so that what is
measured is the writer's memory, not the data's.

Figures, each beside what it is compared with:
1. the writer's own time, wall and CPU: the write (which iterates the generator) minus the time to only
   iterate the same generator (measured first, in the same process: what the writer is not responsible for),
   and the goal (LHEO 10 s, Excel 20 s at 100,000 sessions, on the wall clock); beside it, since the machine
   is shared and its speed varies from run to run, two yardsticks measured in the same process: the
   generation's own CPU time and a fixed pure-Python workload (`_yardstick`), with the writer's CPU time as a
   multiple of each (ratios that hold from one run to the next better than seconds), and the load average.
   For Excel, the cells (rows × columns) written per second of the writer's CPU; for LHEO, the formations
   the XSD validated whole (the first of each shape, `ofeli.lheo.schema.Shapes`);
2. peak memory above the baseline, the process's peak, and the goal (200 MiB); then the ratio of the
   memory at 100,000 to that at 10,000 (goal ≤ 1.3);
3. bytes written;
4. the XSD validation of the 100,000-session LHEO file: `xmllint --noout --schema` when it is installed,
   and lxml's `XMLSchema` (the time to parse and validate the whole file).

Nothing is asserted: goals are printed with ok or OVER; the script exits 0 whatever the figures. The machine
is shared: run it a few times. Run: make bench (or .venv/bin/python bench/exports.py).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261130
SIZES = (10_000, 100_000)
SESSIONS_PER_FORMATION = 3
POOL = 400  # distinct formations and sessions the generator draws from
GOALS_S = {"lheo": 10.0, "xlsx": 20.0}
GOAL_MIB = 200.0
GOAL_RATIO = 1.3
XSD = ROOT.parent / "shared/lheo/lheo-2.3.xsd"  # the official file, beside the repository
GENERATED = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)

_WORDS = """
    agent assistant boulanger pâtissier cuisinier serveur hôtellerie restauration commerce vente manager
    comptable gestionnaire paie administration secrétaire direction ressources humaines technicien
    maintenance industrielle électricien automatismes mécanique automobile carrosserie soudeur chaudronnier
    usinage logistique magasinier cariste transport conducteur routier sécurité prévention santé
    aide-soignant auxiliaire accompagnant éducatif social animateur développeur web informatique réseaux
    cybersécurité données bâtiment maçon charpentier menuisier plombier chauffagiste couvreur peintre
    agriculture horticulture paysagiste énergie banque assurance immobilier conseiller clientèle coiffure
"""
WORDS = tuple(_WORDS.split())
CITIES = (
    ("Caen", "14000", "14118"), ("Rouen", "76000", "76540"), ("Le Havre", "76600", "76351"),
    ("Cherbourg-en-Cotentin", "50100", "50129"), ("Évreux", "27000", "27229"), ("Alençon", "61000", "61001"),
    ("Saint-Lô", "50000", "50502"), ("Dieppe", "76200", "76217"), ("Lisieux", "14100", "14366"),
    ("Bayeux", "14400", "14047"), ("Granville", "50400", "50218"), ("Vernon", "27200", "27681"),
)  # fmt: skip
STREETS = (
    "rue de la République",
    "avenue du Général de Gaulle",
    "boulevard Maréchal Juin",
    "rue Saint-Jean",
    "place de la Gare",
)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _text(rng: random.Random, low: int, high: int) -> str:
    """A paragraph of `low` to `high` characters."""
    size = rng.randint(low, high)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(_sentence(rng, rng.randint(6, 14)))
    return " ".join(parts)[:size]


class Generator:
    """Offers drawn from a fixed pool of validated formations, sessions and structures."""

    def __init__(self, seed: int = SEED) -> None:
        from ofeli.domain import lheo_codes as lheo
        from ofeli.domain.certifications import Certification, CompetenceBlock
        from ofeli.domain.offers import FormationCertification, FormationDraft
        from ofeli.domain.sessions import (
            FundingLine,
            Period,
            Place,
            RecruitmentModality,
            SessionAddress,
            SessionDraft,
            TimeRange,
            financing_referential,
        )
        from ofeli.domain.structures import Address, EmailEntry, PhoneEntry, Structure, StructureContact

        rng = random.Random(seed)
        self.rng = rng
        measures = [(f.code, m.code, m.publics) for f in financing_referential().financers for m in f.measures]
        measures = [m for m in measures if m[1] not in ("CONTRAT_APPRENTISSAGE", "CONTRAT_PROFESSIONNALISATION")]

        def address() -> SessionAddress:
            city, postal, insee = rng.choice(CITIES)
            return SessionAddress(
                line1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
                postal_code=postal,
                city=city,
                insee_code=insee,
                latitude=round(rng.uniform(48.5, 49.9), 5),
                longitude=round(rng.uniform(-1.8, 1.7), 5),
            )

        self.structures = []
        for number in range(40):
            siret = _siret(100_000 + number)
            contact = StructureContact(
                id="c1",
                principal=True,
                civility="Madame",
                last_name="Durand",
                first_name="Sophie",
                email=f"contact@of-{number}.test",
                phones=["02 31 00 00 00"],
                types=["4"],
            )
            self.structures.append(
                Structure(
                    siret=siret,
                    name=f"Organisme de formation {rng.choice(WORDS)} {number}",
                    nda=f"28{number:09d}",
                    address=Address(line1=f"{number + 1} {rng.choice(STREETS)}", postal_code="14000", city="Caen"),
                    contacts=[contact],
                    emails=[EmailEntry(email=f"accueil@of-{number}.test")],
                    phones=[PhoneEntry(number="02 31 11 22 33")],
                )
            )
        self.certifications = {
            f"RNCP{35000 + n}": Certification(
                code=f"RNCP{35000 + n}",
                repertory="RNCP",
                number=35000 + n,
                title=_sentence(rng, 5),
                active=True,
                blocks=[CompetenceBlock(code=f"RNCP{35000 + n}BC0{i}", title=_sentence(rng, 8)) for i in range(1, 5)],
            )
            for n in range(30)
        }
        codes = list(self.certifications)
        self.formations = []
        for _ in range(POOL):
            certifying = rng.random() < 0.6
            self.formations.append(
                FormationDraft(
                    certifying=certifying,
                    certifications=[FormationCertification(code=rng.choice(codes))] if certifying else [],
                    title=_sentence(rng, rng.randint(3, 8))[:-1],
                    objective=_text(rng, 200, 600),
                    content=_text(rng, 300, 900),
                    expected_results=_text(rng, 80, 250) if rng.random() < 0.7 else None,
                    entry_level="1",
                    exit_level=rng.choice(("13", "14", "15")),
                    contact_id="c1",
                    website="https://www.of-demo.test/formations/" + str(rng.randint(1, 99999)),
                )
            )
        self.sessions = []
        for _ in range(POOL):
            start = date(2026, 9, 1) + timedelta(days=rng.randint(0, 500))
            funding = [
                FundingLine(financer=f, measure=m, publics=list(p), seats=rng.randint(6, 20))
                for f, m, p in rng.sample(measures, rng.choice((1, 1, 2)))
            ]
            place = address()
            self.sessions.append(
                SessionDraft(
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(30, 300)),
                    places=[Place(name=f"Centre de {place.city}", address=place)],
                    funding=funding,
                    funding_conditions=_text(rng, 50, 200) if rng.random() < 0.5 else None,
                    audience_info=_text(rng, 40, 200) if rng.random() < 0.5 else None,
                    hours_in_centre=rng.randint(35, 900),
                    hours_in_company=rng.choice((None, 70, 140, 210)),
                    prerequisites=_text(rng, 40, 300),
                    path_type=rng.choice(("1", "2")),
                    rhythms=["temps_plein"],
                    registration=Place(name="Accueil", address=place),
                    website="https://www.of-demo.test/sessions/" + str(rng.randint(1, 99999))
                    if rng.random() < 0.6
                    else None,
                    recruitment=[
                        RecruitmentModality(
                            code=lheo.APPLICATION,
                            number="X-1",
                            seats=12,
                            periods=[Period(start=start - timedelta(days=60), end=start - timedelta(days=5))],
                        ),
                        RecruitmentModality(
                            code=lheo.INFORMATION_MEETING,
                            number="X-2",
                            seats=20,
                            date=start - timedelta(days=20),
                            hours=TimeRange(start=clock_time(9, 30), end=clock_time(11, 30)),
                            remote=rng.random() < 0.3,
                            address=address(),
                            comment=_text(rng, 50, 700) if rng.random() < 0.5 else None,
                        ),
                    ],
                )
            )

    def offers(self, sessions: int) -> Iterator[Any]:
        """Offers of `sessions` sessions in all, `SESSIONS_PER_FORMATION` each, made one at a time."""
        from ofeli.domain.exports import Offer

        rng = random.Random(SEED + sessions)
        made = 0
        formation_no = 0
        while made < sessions:
            formation_no += 1
            count = min(SESSIONS_PER_FORMATION, sessions - made)
            chosen = []
            for _ in range(count):
                made += 1
                template = rng.choice(self.sessions)
                ref = f"S{made:07d}"
                modalities = [
                    m.model_copy(update={"number": f"{ref}-{i}"}) for i, m in enumerate(template.recruitment, 1)
                ]
                chosen.append(template.model_copy(update={"ref": ref, "recruitment": modalities}))
            structure = rng.choice(self.structures)
            formation = rng.choice(self.formations)
            yield Offer(
                ref=f"F{formation_no:07d}",
                formation=formation,
                sessions=tuple(chosen),
                responsible=structure,
                updated_at=GENERATED,
                contacts={c.id: c for c in structure.contacts},
                certifications={c: self.certifications[c] for c in formation.codes},
                formacodes=("23054",),
                nsf=("254",),
                romes=("H2913",),
            )


def _siret(number: int) -> str:
    """A SIRET with a valid Luhn key."""
    from ofeli.domain.identifiers import luhn_ok

    base = f"81432{number:06d}00"
    return next(base + f"{key}" for key in range(10) if luhn_ok(base + f"{key}"))


def _mib(kib: int) -> float:
    return kib / 1024  # ru_maxrss is in KiB on Linux


def _yardstick() -> float:
    """CPU seconds of a fixed pure-Python workload (string building, dicts, calls): how fast this process runs
    now, to compare the writers' times with from one run to the next."""
    started = time.process_time()
    table: dict[int, str] = {}
    for n in range(200_000):
        table[n % 1000] = f"<a>{n}</a>" + str(n % 7)
    return time.process_time() - started


def case(kind: str, sessions: int, path: str) -> dict[str, Any]:
    """One measured write, in this process (run as a subprocess by `main`)."""
    generator = Generator()
    shapes = None
    if kind == "lheo":
        from ofeli.lheo import writer as lheo_writer
        from ofeli.lheo.schema import Shapes

        lheo_writer.schema()  # loaded once per process: part of the baseline
        shapes = Shapes()
    else:
        from ofeli.excel import writer as excel_writer
    yardstick_s = _yardstick()
    started, cpu = time.perf_counter(), time.process_time()
    count = sum(len(o.sessions) for o in generator.offers(sessions))
    generation_s, generation_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "lheo":
        report = lheo_writer.write(generator.offers(sessions), path, generated_at=GENERATED, shapes=shapes)
    else:
        report = excel_writer.write(generator.offers(sessions), path, today=GENERATED.date())
    total_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yardstick_s = min(yardstick_s, _yardstick())
    return {
        "sessions": count,
        "formations": report.formations,
        "written": report.sessions,
        "rejected": len(report.rejected),
        "first_rejected": report.rejected[0].reason if report.rejected else None,
        "validations": shapes.validations if shapes is not None else None,
        "generation_s": generation_s,
        "generation_cpu_s": generation_cpu_s,
        "yardstick_s": yardstick_s,
        "total_s": total_s,
        "cpu_s": cpu_s,
        "baseline_mib": _mib(baseline_kib),
        "peak_mib": _mib(peak_kib),
        "bytes": os.path.getsize(path),
    }


def _run_case(kind: str, sessions: int, path: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--case", kind, str(sessions), path], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def main() -> None:
    print(
        f"Exports over generated offers ({SESSIONS_PER_FORMATION} sessions per formation), one subprocess per case.\n"
        "writer = the write minus the generation of its offers (measured alone first, same process), wall and CPU; "
        "goal on the writer's wall time; ×gen, ×yard: the writer's CPU as a multiple of the generation's CPU and "
        "of a fixed pure-Python workload (same process: ratios that hold on a shared machine).\n"
        "memory: ru_maxrss of the subprocess, after writing minus before (pool built, schema loaded)"
    )
    with tempfile.TemporaryDirectory() as folder:
        for kind, suffix in (("lheo", "xml"), ("xlsx", "xlsx")):
            memory: dict[int, float] = {}
            for sessions in SIZES:
                path = str(Path(folder) / f"offre-{sessions}.{suffix}")
                r = _run_case(kind, sessions, path)
                own_s = r["total_s"] - r["generation_s"]
                own_cpu_s = r["cpu_s"] - r["generation_cpu_s"]
                extra_mib = r["peak_mib"] - r["baseline_mib"]
                memory[sessions] = extra_mib
                goal_s = GOALS_S[kind] * sessions / SIZES[-1]
                if kind == "xlsx":
                    cells = r["written"] * len(_excel_columns())
                    detail = f"{cells / own_cpu_s:,.0f} cells/s of CPU"
                else:
                    detail = f"{r['validations']} formations validated whole by the XSD"
                print(
                    f"{kind:4} {sessions:>7,} sessions: writer {own_s:6.2f} s wall, {own_cpu_s:6.2f} s CPU "
                    f"(goal {goal_s:5.1f} s {_verdict(own_s < goal_s)}) | with generation {r['total_s']:6.2f} s, "
                    f"generation alone {r['generation_s']:5.2f} s wall, {r['generation_cpu_s']:5.2f} s CPU | "
                    f"writer CPU ×gen {own_cpu_s / r['generation_cpu_s']:5.2f}, ×yard "
                    f"{own_cpu_s / r['yardstick_s']:6.1f} (yardstick {r['yardstick_s']:.3f} s), "
                    f"load {os.getloadavg()[0]:.1f} | {detail}"
                )
                print(
                    f"{'':4} {'':>7}           memory +{extra_mib:6.1f} MiB over a baseline of "
                    f"{r['baseline_mib']:5.1f} MiB (peak {r['peak_mib']:5.1f}; goal +{GOAL_MIB:.0f} "
                    f"{_verdict(extra_mib < GOAL_MIB)}) | {r['bytes'] / 1e6:7.1f} MB | written {r['written']:,} "
                    f"sessions, formations rejected {r['rejected']}"
                    + (f" (first: {r['first_rejected']})" if r["first_rejected"] else "")
                )
                if kind == "lheo" and sessions == SIZES[-1]:
                    # in a subprocess: parsing the file takes GBs, and a child inherits its parent's peak
                    # (Linux keeps ru_maxrss across exec), which would hide the next cases' memory
                    subprocess.run([sys.executable, __file__, "--validate", path], check=False)
            small, large = memory[SIZES[0]], memory[SIZES[-1]]
            ratio = large / small if small > 0 else float("inf")
            print(
                f"{kind:4} memory at {SIZES[-1]:,} / at {SIZES[0]:,}: {large:.1f} / {small:.1f} MiB = {ratio:.2f} "
                f"(goal ≤ {GOAL_RATIO}: {_verdict(ratio <= GOAL_RATIO)})"
            )


def _excel_columns() -> tuple[tuple[str, int], ...]:
    from ofeli.excel.writer import COLUMNS

    return COLUMNS


def _validate(path: str) -> None:
    xsd = XSD if XSD.exists() else ROOT / "layers/ofeli/ofeli/data/lheo-2.3.xsd"
    xmllint = shutil.which("xmllint")
    if xmllint:
        started = time.perf_counter()
        done = subprocess.run([xmllint, "--noout", "--schema", str(xsd), path], capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        verdict = "valid" if done.returncode == 0 else f"INVALID: {done.stderr.strip()[:300]}"
        print(f"lheo xmllint --noout --schema over the {SIZES[-1]:,}-session file: {elapsed:.2f} s, {verdict}")
    else:
        print("lheo xmllint not installed (Debian: libxml2-utils): lxml only")
    from lxml import etree

    started = time.perf_counter()
    checker = etree.XMLSchema(etree.parse(str(xsd)))
    valid = checker.validate(etree.parse(path))
    elapsed = time.perf_counter() - started
    verdict = "valid" if valid else f"INVALID: {checker.error_log[0] if checker.error_log else ''}"
    print(f"lheo lxml XMLSchema (parse and validate) over the {SIZES[-1]:,}-session file: {elapsed:.2f} s, {verdict}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--validate":
        _validate(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "--case":
        print(json.dumps(case(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    else:
        main()
