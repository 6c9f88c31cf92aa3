"""The search engine over the offer (issue 11, item 6): an OF of 2,000 formations and 6,000 sessions (the
demo head office), and a region of 40,000 sessions for the moderators' search, their search rows generated
here (the items the store's `tx_rows` actions leave, and the link checker's findings beside them) rather
than through the API, which would take too long. They are put with batch writes, not `TransactWriteItems`:
moto deep-copies the whole table for each action of a transaction, which at this size takes hours.

Figures, each beside what it is compared with:
1. DynamoDB requests per search (botocore's before-call hook on the product's clients) for a structure of
   20 formations and for the one of 2,000: the same (constant in the offer's size), pages of 1 MB aside.
2. `ofeli.domain.search.search` over the OF's rows already loaded (storage excluded): p50 and p95 over 200
   varied queries. Goal: p95 under 20 ms.
3. The same queries as whole requests through the local stack (the API gateway, the search function,
   DynamoDB on moto), beside a baseline measured in the same run through the same stack (`GET /memos`:
   one Query), so that a slower machine shows as a slower baseline, not as a slower search.
4. The moderators' region-wide request (`GET /moderation/formations`) over 40,000 sessions. Goal: p95
   under 250 ms on the local stack. The search function keeps the region's rows (read once, then only
   what the change log says changed): the first request, the warm ones, and requests each after a change;
   then its parts in-process (reading the shards, unpacking the rows, the catalogue, the search) so that
   the reader sees where the time goes.
5. Memory: the packed rows (bytes per formation), the OF's partition, the region's rows once unpacked.

Goals are printed with PASS or OVER; nothing is asserted: the script exits 0 whatever the figures. The
phases through the stack stop after `REQUEST_BUDGET_S` and say how many queries they ran. Each phase
prints its duration. Run: make bench (or .venv/bin/python bench/search.py).
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from _stack import on_local_stack, percentiles, timed

SEED = 20261130
OF_FORMATIONS = 2_000
OF_SESSIONS = 6_000
SMALL_FORMATIONS, SMALL_SESSIONS = 20, 60  # the demo branch's offer (figure 1)
REGION_SESSIONS = 40_000
REGION_STRUCTURES = 300  # the demo's three and generated ones
QUERIES = 200
REGION_QUERIES = 50
REQUEST_BUDGET_S = 30.0  # per timed phase through the stack: fewer queries when they are slow (printed)
GOAL_OF_P95_MS = 20.0
GOAL_REGION_P95_MS = 250.0

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
ABBREVIATIONS = ("CAP", "BP", "BTS", "TP", "Bac pro", "Titre", "CQP", "Formation", "Préparation", "")
CITIES = (
    "Caen", "Rouen", "Le Havre", "Cherbourg-en-Cotentin", "Évreux", "Alençon", "Saint-Lô", "Dieppe",
    "Lisieux", "Bayeux", "Vire Normandie", "Granville", "Fécamp", "Vernon", "Louviers", "Argentan",
    "Flers", "Coutances", "Avranches", "Honfleur", "Falaise", "Elbeuf", "Bolbec", "Yvetot",
    "Pont-Audemer", "Mont-Saint-Aignan", "Hérouville-Saint-Clair", "Saint-Étienne-du-Rouvray",
    "Sotteville-lès-Rouen", "Le Grand-Quevilly", "Valognes", "L'Aigle", "Mortagne-au-Perche", "Bernay",
)  # fmt: skip
DEMO_OF = "81432712100012"  # the demo head office: the demo OF user holds a right on it
DEMO_BRANCH = "81432712100020"  # and on its branch
DEMO_OF_USER = ("contact@of-demo.test", "Organisme-2026!")
DEMO_MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
# the demo referential's codes (infra/local/demo): active ones, one replaced (RNCP1212 → RNCP38116), two
# inactive without a successor (their formations awaiting renewal, archived once their sessions ended)
ACTIVE_CODES = ("RNCP38116", "RNCP37861", "RS5993", "RNCP38329", "RNCP34095", "RNCP37948", "RS6201", "RNCP35343")
REPLACED_CODES = ("RNCP1212",)
ENDED_CODES = ("RNCP7455", "RS4812")


# ---------------------------------------------------------------------- generated offer
def title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(1, 4))
    parts = [words[0].capitalize()]
    for word in words[1:]:
        link = rng.choice(LINKS)
        parts.append(link + ("" if link.endswith("'") else " ") + word)
    abbreviation = rng.choice(ABBREVIATIONS)
    return f"{abbreviation} {' '.join(parts)}".strip() if abbreviation else " ".join(parts)


class Offer:
    """Search rows as the store writes them: the row, its trainers, pending, the link checker's findings."""

    def __init__(self, rng: random.Random, today: date) -> None:
        from ofeli.domain.sessions import financing_referential

        self.rng = rng
        self.today = today
        self.formation_no = 100_000  # after the demo's F0000001...
        self.session_no = 100_000
        referential = financing_referential()
        self.measures = [(m.code, f.public) for f in referential.financers for m in f.measures]
        self.regional = {m.code for f in referential.financers if f.code == "2" for m in f.measures}
        self.entries: list[dict[str, Any]] = []  # {row, trainers, pending, links}

    def formation(self, siret: str, name: str, sessions: int, trainers: list[str]) -> None:
        from ofeli.domain.search import RowSession, SearchRow

        rng, today = self.rng, self.today
        self.formation_no += 1
        ref = f"F{self.formation_no:07d}"
        published = sessions > 0
        draw = rng.random()
        codes = (
            [rng.choice(ACTIVE_CODES)]
            if draw < 0.45
            else [rng.choice(REPLACED_CODES)]
            if draw < 0.48
            else [rng.choice(ENDED_CODES)]
            if draw < 0.50
            else []
        )
        site = f"https://www.of-{siret[-6:]}.test"
        website = f"{site}/formations/{ref.lower()}" if rng.random() < 0.7 else None
        home_city = rng.choice(CITIES)
        row_sessions = []
        for _ in range(sessions):
            self.session_no += 1
            start = today + timedelta(days=rng.randint(-3 * 365, 2 * 365))
            end = start + timedelta(days=rng.randint(20, 400))
            funded = rng.sample(self.measures, rng.choice((0, 1, 1, 1, 2)))
            measures = [code for code, _ in funded]
            regional = any(code in self.regional for code in measures)
            row_sessions.append(
                RowSession(
                    ref=f"S{self.session_no:07d}",
                    start=start,
                    end=end if rng.random() < 0.97 else None,
                    cities=[home_city] if rng.random() < 0.85 else rng.sample(CITIES, rng.randint(1, 2)),
                    measures=measures,
                    markets=[f"{start.year}-REG-{rng.randint(1, 400):04d}"] if regional and rng.random() < 0.6 else [],
                    public=any(public for _, public in funded),
                    trainer=rng.choice(trainers) if trainers and rng.random() < 0.1 else siret,
                    website=f"{site}/sessions/{self.session_no}" if rng.random() < 0.3 else None,
                    archived=rng.random() < 0.02,
                )
            )
        row = SearchRow(
            ref=ref,
            siret=siret,
            title=title(rng),
            codes=codes,
            published=published,
            website=website if published else None,
            structure=name,
            sessions=row_sessions,
        )
        links: dict[str, Any] = {}  # the last night's findings, as the link checker records them
        if published:
            from ofeli.domain.links import answered
            from ofeli.domain.search import urls_of

            broken = rng.random() < 0.04
            for n, url in enumerate(urls_of(row)):
                found = answered(url, 404 if broken and n == 0 else 200, url)
                checked_at = f"{today.isoformat()}T02:00:00.000+00:00"
                links[url] = {"ok": found.ok, "status": found.status, "reason": found.reason, "checked_at": checked_at}
        self.entries.append(
            {
                "row": row,
                "trainers": {s.trainer for s in row_sessions} - {siret},
                "pending": rng.random() < 0.05,
                "links": links,
            }
        )

    def structure(self, siret: str, name: str, formations: int, sessions: int, trainers: list[str]) -> None:
        """`formations` of which ~4 % never published (no session yet), `sessions` spread over the others."""
        unpublished = max(1, formations // 25) if formations >= 10 else 0
        counts = [0] * unpublished + [1] * (formations - unpublished)
        for _ in range(sessions - sum(counts)):
            counts[self.rng.randrange(unpublished, formations)] += 1
        self.rng.shuffle(counts)
        for n in counts:
            self.formation(siret, name, n, trainers)


def items_of(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The items the product's transactions leave: each `Update` of `tx_rows` applied to no item (its
    key and the attributes it SETs), and the link checker's `links` (`set_links` SETs the whole map); the
    change log's `Put`s are left out (the region is read whole at the first request)."""
    from ofeli.store import search as store

    for entry in entries:
        for action in store.tx_rows(entry["row"], entry["trainers"], pending=entry["pending"]):
            if "Update" not in action:
                continue
            update = action["Update"]
            expression = update["UpdateExpression"]
            if not expression.startswith("SET ") or " REMOVE " in expression or " ADD " in expression:
                raise RuntimeError(f"tx_rows changed: {expression!r}; update bench/search.py")
            item = dict(update["Key"])
            for assignment in expression.removeprefix("SET ").split(", "):
                name, value = (t.strip() for t in assignment.split("="))
                item[update["ExpressionAttributeNames"][name]] = update["ExpressionAttributeValues"][value]
            if entry["links"]:
                item["links"] = store.links_value(entry["links"])
            yield item


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's size of an item (names and values, the rule of thumb AWS documents)."""

    def size(value: Any) -> int:
        if isinstance(value, bytes | bytearray):
            return len(value)
        if isinstance(value, str):
            return len(value.encode())
        if isinstance(value, bool) or value is None:
            return 1
        if isinstance(value, int | float):
            return 1 + len(str(value)) // 2
        if isinstance(value, dict):
            return 3 + sum(len(k.encode()) + size(v) + 1 for k, v in value.items())
        if isinstance(value, list | tuple | set):
            return 3 + sum(size(v) + 1 for v in value)
        return len(str(value))

    return sum(len(name.encode()) + size(value) for name, value in item.items())


# ---------------------------------------------------------------------- queries
def queries(rows: list[Any], rng: random.Random, count: int) -> list[dict[str, str]]:
    """Queries as people and the dashboard ask them: each criterion alone, combined, wildcards, `;` lists,
    blocks, column filters, later pages; the sort turns over every column, ascending and descending."""
    from ofeli.domain.search import BLOCKS, COLUMNS
    from ofeli.domain.sessions import financing_referential

    labels = [(m.code, m.label) for f in financing_referential().financers for m in f.measures]
    published = [r for r in rows if r.sessions]
    out: list[dict[str, str]] = []
    while len(out) < count:
        row = rng.choice(published)
        session = rng.choice(row.sessions)
        word = rng.choice([w for w in row.title.split() if len(w) > 3] or [row.title.split()[-1]])
        kind = len(out) % 20
        query: dict[str, str]
        if kind == 0:
            query = {"q": word}
        elif kind == 1:
            query = {"q": row.ref}
        elif kind == 2:
            query = {"q": f"*{row.ref[-2:]}"}  # the quick search, a wildcard number
        elif kind == 3:
            query = {"ref": f"F{row.ref[2:4]}*{row.ref[-1]}"}
        elif kind == 4:
            query = {"ref": ";".join(rng.choice(rng.choice(published).sessions).ref for _ in range(4)), "ref_type": "S"}
        elif kind == 5:
            query = {"title": word.lower()}
        elif kind == 6:
            query = {"title": row.title.upper()}  # the exact label, whatever the case
        elif kind == 7:
            code, label = rng.choice(labels)
            query = {"mesure": rng.choice((code, label.lower()))}
        elif kind == 8:
            markets = [m for r in published[:300] for s in r.sessions for m in s.markets]
            query = {"marche": rng.choice(markets) if markets else "2026-REG-0001"}
        elif kind == 9:
            query = {"city": rng.choice(("Cherbourg", "caen", "Le Havre", "Saint-Lô", "evreux", "Rouen"))}
        elif kind == 10:
            query = {"state": rng.choice(("en_creation", "diffusee", "en_attente", "terminee"))}
        elif kind == 11:
            query = {"block": BLOCKS[(len(out) // 20) % len(BLOCKS)]}
        elif kind == 12:
            query = {"title": word, "city": (session.cities or ["Caen"])[0].split("-")[0], "state": "diffusee"}
        elif kind == 13:
            query = {"q": word, "block": rng.choice(BLOCKS)}
        elif kind == 14:
            query = {"filter_title": word[:4].lower(), "filter_city": rng.choice(CITIES)[:3]}
        elif kind == 15:
            query = {"filter_start": str(rng.randint(2024, 2027)), "filter_state": rng.choice(("diff", "term", "att"))}
        elif kind == 16:
            query = {"page": str(rng.randint(2, 60)), "page_size": rng.choice(("20", "50", "100"))}
        elif kind == 17:
            query = {"page_size": "200"}  # the whole offer, the largest page
        elif kind == 18:
            code, label = rng.choice(labels)
            query = {"mesure": label, "city": rng.choice(("Caen", "Rouen")), "ref": "*1*", "block": "diffusees"}
        else:
            query = {"q": f"introuvable{rng.randint(0, 99)}"}
        n = len(out)
        query |= {"sort": COLUMNS[n % len(COLUMNS)], "order": ("asc", "desc")[(n // len(COLUMNS)) % 2]}
        out.append(query)
    return out


# ---------------------------------------------------------------------- measuring
def verdict(value: float, goal: float) -> str:
    return f"goal < {goal:.0f} ms: {'PASS' if value < goal else 'OVER'}"


@contextmanager
def phase(label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    print(f"  [{label}: {time.perf_counter() - started:.1f} s]")


@contextmanager
def dynamodb_calls() -> Iterator[list[str]]:
    """The DynamoDB operations the product calls (tests/integration/conftest.py's hook)."""
    from ofeli import aws

    calls: list[str] = []

    def seen(model: Any, **_: Any) -> None:
        calls.append(model.name)

    clients = [aws.dynamodb().meta.client, aws.client("dynamodb")]
    for client in clients:
        client.meta.events.register("before-call.dynamodb", seen)
    try:
        yield calls
    finally:
        for client in clients:
            client.meta.events.unregister("before-call.dynamodb", seen)


def main() -> None:
    began = time.perf_counter()
    on_local_stack(run)
    print(f"\ntotal {time.perf_counter() - began:.0f} s (the local stack's start included)")


def run(template: Any, api: Any) -> None:
    from ofeli import clock
    from ofeli.domain.search import COLUMNS, SearchParams, prepare, search
    from ofeli.services import certifications
    from ofeli.services import search as service
    from ofeli.store import search as store
    from ofeli.store import table
    from ofeli_local import seed

    rng = random.Random(SEED)
    today = clock.today()

    print("Data")
    with phase("the demo seed (accounts, structures, referentials, 3 formations)"):
        seed.run()
        demo_items = [i for n in range(store.SEARCH_SHARDS) for i in table.query_all(f"SEARCH#{n}")]
        demo = [store.unpacked(i) for i in demo_items if i.get("role") == "responsable"]
    demo_sessions = sum(len(row.sessions) for row in demo)
    offer = Offer(rng, today)
    with phase("rows generated"):
        others = REGION_STRUCTURES - 3  # besides the demo's head office, branch and other OF
        sirets = [f"{rng.randint(100_000_000, 999_999_999)}{rng.randint(0, 99_999):05d}" for _ in range(others)]
        # some sessions trained by other structures (their copies go to those structures' partitions)
        offer.structure(DEMO_OF, "OF Démo Formation", OF_FORMATIONS, OF_SESSIONS, sirets[:3])
        branch = "OF Démo Formation — antenne de Cherbourg"
        offer.structure(DEMO_BRANCH, branch, SMALL_FORMATIONS, SMALL_SESSIONS, [])
        left = REGION_SESSIONS - OF_SESSIONS - SMALL_SESSIONS - demo_sessions
        weights = [rng.paretovariate(1.3) for _ in sirets]  # a few large organisations, many small ones
        total = sum(weights)
        shares = [max(1, int(left * w / total)) for w in weights]
        shares[-1] += left - sum(shares)
        for siret, sessions in zip(sirets, shares, strict=True):
            formations = max(1, round(sessions / rng.uniform(2.5, 3.5)))
            offer.structure(siret, f"Organisme {siret[:9]}", formations, sessions, rng.sample(sirets, 2))
        items = list(items_of(offer.entries))
    written = f"{len(items):,} items written (batch writes of the items tx_rows and set_links leave)"
    with phase(written), table.table().batch_writer() as writer:
        for item in items:
            writer.put_item(Item=item)
    # moto's copy of the table lives in this process, not in a Lambda container: the garbage collector
    # no longer walks it (nor the generated rows) at each collection of the timed code
    gc.collect()
    gc.freeze()
    responsible = [i for i in items if i["role"] == "responsable"]
    region_sessions = sum(len(e["row"].sessions) for e in offer.entries) + demo_sessions
    print(
        f"region: {len(responsible) + len(demo):,} formations, {region_sessions:,} sessions, "
        f"{REGION_STRUCTURES} structures; {len(items) - len(responsible)} trainers' copies"
    )

    def login(email: str, password: str) -> dict[str, str]:
        token = api.post("/auth/login", json={"email": email, "password": password}).get_json()
        return {"Authorization": f"Bearer {token['id_token']}"}

    of, moderator = login(*DEMO_OF_USER), login(*DEMO_MODERATOR)
    of_path, region_path = f"/structures/{DEMO_OF}/formations", "/moderation/formations"
    failures: Counter[str] = Counter()

    def get(path: str, headers: dict[str, str], query: dict[str, str] | None = None) -> tuple[float, Any, Counter]:
        """One request through the stack: its time, its answer (None when it failed), its DynamoDB calls."""
        with dynamodb_calls() as calls:
            started = time.perf_counter()
            response = api.get(path, query_string=query or {}, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            failures[f"{path.split('/')[1]}: {response.status_code}"] += 1
            return elapsed, None, Counter(calls)
        return elapsed, response.get_json(), Counter(calls)

    def through_stack(path: str, headers: dict[str, str], asked: list[dict[str, str]]) -> tuple[list[float], ...]:
        """The queries in turn with the baseline (both see the same load), within the time budget."""
        request_ms, baseline_ms = [], []
        started = time.perf_counter()
        for query in asked:
            request_ms.append(get(path, headers, query)[0])
            baseline_ms.append(get("/memos", headers)[0])
            if time.perf_counter() - started > REQUEST_BUDGET_S:
                break
        return request_ms, baseline_ms

    def report(label: str, samples: list[float], goal: float | None = None) -> tuple[float, float]:
        p50, p95 = percentiles(samples)
        print(f"  {label:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {verdict(p95, goal) if goal else ''}")
        return p50, p95

    # ------------------------------------------------------------------ 1. requests per search
    print("\n1. DynamoDB requests per OF search (GET /structures/{siret}/formations, after a first request)")
    with phase("counted"):
        for siret in (DEMO_BRANCH, DEMO_OF):
            path = f"/structures/{siret}/formations"
            get(path, of)
            _, found, calls = get(path, of)
            mine = [i for i in items if i["sk"].startswith(f"{siret}#")]
            rows = len(mine) + (2 if siret == DEMO_OF else 1)  # the demo's: 2 formations, the branch trains 1
            lines, size = (found or {}).get("total", "?"), sum(map(item_size, mine)) / 1e6
            print(f"  {rows:>5} rows ({lines:>5} lines, ~{size:.2f} MB): {sum(calls.values())} requests {dict(calls)}")
    print(
        "  the same requests whatever the offer's size; the second Query is the next 1 MB page "
        "(DynamoDB pages a Query at 1 MB)"
    )

    # ------------------------------------------------------------------ 2. in process, the OF
    print(f"\n2. search() over the OF's rows already in memory (storage excluded), {QUERIES} queries")
    with phase("loaded and measured"):
        items_of_of = store.rows_of(DEMO_OF)
        index = certifications.index()

        def catalogue() -> Any:
            built = service._catalogue(items_of_of, today, index, DEMO_OF)
            for column in COLUMNS:
                built.order(column)
            return built

        build_ms = min(timed(catalogue) for _ in range(3))
        loaded = catalogue()
        labels = service._measure_labels()
        asked = queries([prepared.row for prepared in loaded.rows], rng, QUERIES)
        parsed = [SearchParams.model_validate(q).query() for q in asked]
        for query in parsed[:5]:
            search(loaded, query, measure_labels=labels)
        memory_ms, hits = [], []
        for query in parsed:
            started = time.perf_counter()
            hits.append(search(loaded, query, measure_labels=labels).total)
            memory_ms.append((time.perf_counter() - started) * 1000)
    print(
        f"  the catalogue (rows unpacked, facts, lines, each column's order), built when the OF's rows changed "
        f"and kept while they do not: {build_ms:.0f} ms (best of 3)"
    )
    print(f"  {len(loaded.rows)} rows; lines found per query: median {statistics.median(hits):.0f}, max {max(hits)}")
    report("search() in memory (filter, sort, page)", memory_ms, GOAL_OF_P95_MS)
    worst = sorted(zip(memory_ms, asked, strict=True), key=lambda pair: -pair[0])[:3]
    print("  slowest: " + "; ".join(f"{ms:.0f} ms {q}" for ms, q in worst))

    # ------------------------------------------------------------------ 3. through the stack, the OF
    print("\n3. The same queries through the local stack (gateway, search function, DynamoDB on moto)")
    with phase("measured"):
        get(of_path, of, asked[0])
        get("/memos", of)
        request_ms, baseline_ms = through_stack(of_path, of, asked)
    print(f"  {len(request_ms)} of the {QUERIES} queries (time budget {REQUEST_BUDGET_S:.0f} s)")
    p50, p95 = report("GET /structures/{siret}/formations", request_ms)
    b50, b95 = report("GET /memos (baseline, same stack)", baseline_ms)
    print(f"  search / baseline: p50 {p50 / b50:.0f}x, p95 {p95 / b95:.0f}x")

    # ------------------------------------------------------------------ 4. the region
    print(f"\n4. GET /moderation/formations, the demo moderator, over the region ({region_sessions:,} sessions)")
    with phase("measured"):
        region_asked = queries([entry["row"] for entry in offer.entries], rng, REGION_QUERIES)
        first_ms, found, calls = get(region_path, moderator, region_asked[0])
        request_ms, baseline_ms = through_stack(region_path, moderator, region_asked[1:])
    print(
        f"  first request {first_ms:.0f} ms ({'answered' if found else 'failed'}): {sum(calls.values())} DynamoDB "
        f"requests {dict(calls)} for {len(items) + len(demo_items):,} stored rows over {store.SEARCH_SHARDS} shards"
    )
    print(f"  {len(request_ms)} of the {REGION_QUERIES} queries after it (time budget {REQUEST_BUDGET_S:.0f} s)")
    report("GET /moderation/formations", request_ms, GOAL_REGION_P95_MS)
    report("GET /memos (baseline, same stack)", baseline_ms)
    changed_ms = []
    with phase("each after a change of one row (the log read, the row read, a small catalogue of the changed rows)"):
        mine = [i for i in items if i["role"] == "responsable"][:10]
        for n, item in enumerate(mine):
            row = store.unpacked(item).model_copy(update={"title": f"{store.unpacked(item).title} {n}"})
            table.transact(store.tx_rows(row, []))
            changed_ms.append(get(region_path, moderator, region_asked[n % len(region_asked)])[0])
    report(f"GET /moderation/formations after a change ({len(changed_ms)})", changed_ms)
    if failures:
        print(f"  failed requests: {dict(failures)} (the function's log above says why)")

    print("  its parts, in process:")
    with phase("parts measured"):
        # The shards one after the other: moto answers one DynamoDB request at a time (ofeli_local.strict),
        # so reading them in parallel as region_rows() does takes as long here, and its 8 threads wait in
        # line for moto, up to the clients' read timeout (10 s) on a busy machine.
        started = time.perf_counter()
        shards = [f"SEARCH#{n}" for n in range(store.SEARCH_SHARDS)]
        raw = [i for pk in shards for i in table.query_all(pk) if i.get("role") == "responsable" and "row" in i]
        read_ms = (time.perf_counter() - started) * 1000
        unpack_ms = min(timed(lambda: [prepare(store.unpacked(item)) for item in raw]) for _ in range(2))
        with dynamodb_calls() as calls:
            rows_ms = [timed(lambda: service._catalogue(raw, today, certifications.index())) for _ in range(2)]
        named = service._catalogue(raw, today, certifications.index())
        orders_ms = timed(lambda: [named.order(column) for column in COLUMNS])
        search_ms, started = [], time.perf_counter()
        for query in (SearchParams.model_validate(q).query() for q in region_asked):
            search_ms.append(timed(lambda q=query: search(named, q, measure_labels=labels)))
            if time.perf_counter() - started > REQUEST_BUDGET_S / 2:
                break
    print(f"    reading the 8 shards (HTTP, moto, botocore, plain()): {read_ms:.0f} ms ({len(raw):,} rows kept)")
    print(f"    unpacking and preparing every row (zlib, JSON, pydantic, folding; best of 2): {unpack_ms:.0f} ms")
    print(
        f"    the catalogue: rows, facts, lines, blocks (services.search._catalogue, best of 2): {min(rows_ms):.0f} ms "
        f"({len(calls)} DynamoDB requests in 2 runs: {dict(Counter(calls))}); each column's order: {orders_ms:.0f} ms"
    )
    report(f"search() over them, {len(search_ms)} queries", search_ms)

    # ------------------------------------------------------------------ 5. sizes
    print("\n5. Sizes")
    packed = [len(i["row"]) for i in responsible]
    of_items = [i for i in items if i["sk"].startswith(f"{DEMO_OF}#")]
    links = [item_size({"links": i["links"]}) for i in items if "links" in i]
    print(
        f"  packed row (zlib JSON): mean {statistics.mean(packed):.0f} B per formation (max {max(packed)}); "
        f"the whole item: mean {statistics.mean(map(item_size, items)):.0f} B, of which the link checker's "
        f"`links` map: mean {statistics.mean(links):.0f} B on {len(links):,} items"
    )
    print(
        f"  the OF's rows: {sum(map(item_size, of_items)) / 1e6:.2f} MB "
        f"({sum(len(i['row']) for i in of_items) / 1e6:.2f} MB of packed rows); "
        f"the region's: {sum(map(item_size, items)) / 1e6:.1f} MB"
    )
    shard_mb = {n: 0.0 for n in range(store.SEARCH_SHARDS)}
    for item in items:
        shard_mb[int(item["pk"].split("#")[1])] += item_size(item) / 1e6
    print("  per shard (MB): " + ", ".join(f"{n}: {mb:.2f}" for n, mb in shard_mb.items()))
    with phase("unpacked under tracemalloc"):
        tracemalloc.start()
        held = [store.unpacked(item) for item in raw]
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"  the region's {len(held):,} rows unpacked: {current / 1e6:.0f} MB of Python objects (what a cache holds)")


if __name__ == "__main__":
    main()
