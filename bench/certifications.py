"""The certification search over a referential the size of France's (issue 9, item 2): 30,000 generated
RNCP and RS fiches indexed by the code the import uses (their search rows, the gzip JSON snapshot in S3, the
pointer in DynamoDB), then 200 varied queries through the handler on the local stack: the API gateway
(the ID token checked), the offers function, its one GetItem, the query in memory. Goal: p95 under 50 ms.

Beside it, in the same run, a baseline: a trivial route (`GET /memos`: one Query) through the same stack, so
a slower machine shows as a slower baseline, not as a slower search. Also printed: the time to build and
publish the snapshot, its size, the first search of a container (it loads the snapshot) and the query
alone in memory. Run: make bench (or .venv/bin/python bench/certifications.py).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from _stack import on_local_stack, percentiles, timed

FICHES = 30_000
QUERIES = 200
GOAL_P95_MS = 50.0
SEED = 20261102

_WORDS = """
    agent assistant boulanger pâtissier cuisinier serveur hôtellerie restauration commerce vente manager
    comptable gestionnaire paie administration secrétaire assistante direction ressources humaines
    technicien maintenance industrielle électricien électrotechnique automatismes mécanique automobile
    carrosserie peinture soudeur chaudronnier usinage plasturgie logistique magasinier cariste transport
    conducteur routier marchandises voyageurs sécurité prévention incendie sauveteur secouriste santé
    aide-soignant auxiliaire puériculture accompagnant éducatif social animateur sportif éducateur
    développeur web informatique réseaux cybersécurité données concepteur designer graphiste multimédia
    bâtiment maçon charpentier menuisier plombier chauffagiste couvreur plâtrier carreleur peintre
    agriculture horticulture paysagiste viticulture élevage forêt bûcheron environnement énergie banque
    assurance immobilier négociateur conseiller clientèle relation formation formateur coiffure
    esthétique cosmétique fleuriste boucher charcutier traiteur poissonnier caviste sommelier
"""
WORDS = tuple(_WORDS.split())
LINKS = ("de", "du", "des", "en", "et", "d'", "la", "le")
ABBREVIATIONS = ("CAP", "BP", "BTS", "TP", "Bac pro", "Licence professionnelle", "Master", "Titre", "CQP", "")
CERTIFIERS = (
    "Ministère de l'Éducation nationale",
    "Ministère du Travail",
    "Ministère de l'Agriculture",
    "CCI France",
    "AFPA",
    "CNAM",
    "Chambre de métiers et de l'artisanat",
)


def title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(1, 4))
    parts = [words[0].capitalize()]
    for word in words[1:]:
        link = rng.choice(LINKS)
        parts.append(link + ("" if link.endswith("'") else " ") + word)
    abbreviation = rng.choice(ABBREVIATIONS)
    return f"{abbreviation} {' '.join(parts)}".strip() if abbreviation else " ".join(parts)


def generate(count: int, rng: random.Random) -> list:
    from ofeli.domain.certifications import Certification, Certifier, CompetenceBlock

    fiches = []
    for i in range(count):
        repertory = "RNCP" if i % 3 else "RS"
        number = 30_000 + i if repertory == "RNCP" else 4_000 + i
        code = f"{repertory}{number}"
        active = rng.random() < 0.4
        end = date(2020, 1, 1) + timedelta(days=rng.randint(0, 4000))
        fiches.append(
            Certification(
                code=code,
                repertory=repertory,
                number=number,
                title=title(rng),
                active=active,
                level=f"NIV{rng.randint(3, 8)}" if repertory == "RNCP" else None,
                registration_end=end,
                first_exam_session=end - timedelta(days=1500) if rng.random() < 0.3 else None,
                certifiers=[Certifier(name=rng.choice(CERTIFIERS))],
                blocks=[
                    CompetenceBlock(code=f"{code}BC{b:02d}", title=title(rng)) for b in range(1, rng.randint(1, 7))
                ],
                successors=[f"RNCP{30_000 + rng.randrange(0, count)}"] if not active and rng.random() < 0.3 else [],
                certifinfo=str(100_000 + i) if rng.random() < 0.5 else None,
            )
        )
    return fiches


def queries(fiches: list, rng: random.Random) -> list[dict[str, str]]:
    """200 queries of the kinds people type: words, starts of words, accents or not, codes in their
    forms, digits, Certifinfo codes, nothing, a later page, no hit."""
    from ofeli.domain.directory import fold

    out: list[dict[str, str]] = []
    while len(out) < QUERIES:
        fiche = rng.choice(fiches)
        words = [w for w in fiche.title.split() if len(w) > 3]
        kind = len(out) % 10
        if kind == 0 and words:
            out.append({"q": rng.choice(words)})
        elif kind == 1 and words:
            out.append({"q": fold(rng.choice(words))[: rng.randint(3, 6)]})  # the start of a word, no accent
        elif kind == 2 and len(words) >= 2:
            out.append({"q": " ".join(rng.sample(words, 2)).upper()})
        elif kind == 3:
            out.append({"q": fiche.code})
        elif kind == 4:
            out.append({"q": f"{fiche.repertory.lower()} {fiche.number}"})
        elif kind == 5:
            out.append({"q": str(fiche.number)})
        elif kind == 6:
            out.append({"q": fiche.certifinfo or "999999"})
        elif kind == 7:
            out.append({"page": str(rng.randint(1, 50)), "page_size": "20"})
        elif kind == 8:
            out.append({"q": rng.choice(WORDS)[:2], "page_size": "100"})  # a short prefix: many hits
        else:
            out.append({"q": f"introuvable{rng.randint(0, 999)}", "active": "true"})
    return out


def main() -> None:
    on_local_stack(run)


def run(template, api) -> None:
    from ofeli.domain.certification_search import CertificationQuery, Index
    from ofeli.services import accounts
    from ofeli.services import certifications as service
    from ofeli.store import certifications as store

    rng = random.Random(SEED)
    accounts.create_account("banc@of-bench.test", "Banc", "Essai")
    accounts.set_password("banc@of-bench.test", "Banc-Essai-2026!")
    token = api.post("/auth/login", json={"email": "banc@of-bench.test", "password": "Banc-Essai-2026!"}).get_json()
    headers = {"Authorization": f"Bearer {token['id_token']}"}

    started = time.perf_counter()
    fiches = generate(FICHES, rng)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    rows = list(service.rows_of(fiches))
    generation = store.mark_changed()
    key = service.publish(rows, generation)
    built = time.perf_counter() - started
    size = len(service.snapshot(rows, generation))
    print(f"{FICHES} fiches generated in {generated:.1f} s; snapshot built and published in {built:.2f} s ({key})")
    print(f"snapshot: {size / 1024 / 1024:.1f} MB gzip JSON")

    def get(path: str, query: dict[str, str] | None = None) -> None:
        response = api.get(path, query_string=query or {}, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]

    first = timed(lambda: get("/certifications", {"q": "boulanger"}))
    print(f"first search of a container (downloads the snapshot, builds the index): {first:.0f} ms")

    asked = queries(fiches, rng)
    for query in asked[:10]:  # warm both routes alike
        get("/certifications", query)
        get("/memos")
    search_ms, baseline_ms = [], []
    for query in asked:  # turn about, so both see the same load
        search_ms.append(timed(lambda q=query: get("/certifications", q)))
        baseline_ms.append(timed(lambda: get("/memos")))

    index = Index(rows)
    memory_ms = [
        timed(lambda q=query: index.search(CertificationQuery.model_validate({"q": None, **q}))) for query in asked
    ]

    p50, p95 = percentiles(search_ms)
    b50, b95 = percentiles(baseline_ms)
    m50, m95 = percentiles(memory_ms)
    verdict = "ok" if p95 < GOAL_P95_MS else "OVER"
    print(f"{'':<38} {'p50 (ms)':>9} {'p95 (ms)':>9}")
    print(
        f"{'GET /certifications (200 queries)':<38} {p50:>9.1f} {p95:>9.1f}  goal p95 < {GOAL_P95_MS:.0f} ms {verdict}"
    )
    print(f"{'GET /memos (baseline, same stack)':<38} {b50:>9.1f} {b95:>9.1f}")
    print(f"{'the query alone, in memory':<38} {m50:>9.2f} {m95:>9.2f}")
    print(f"search / baseline: p50 {p50 / b50:.2f}, p95 {p95 / b95:.2f}")


if __name__ == "__main__":
    main()
