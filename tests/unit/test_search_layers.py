"""Issue 11: the region's search as two catalogues (the region as it was read, the rows changed since left
out, and the changed rows as they are now) answers exactly as one catalogue of the current rows would:
the same lines in the same order on every page, the same counts, for every criterion, sort and order."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from ofeli.domain.search import (
    COLUMNS,
    Catalogue,
    RowFacts,
    RowSession,
    SearchParams,
    SearchRow,
    prepare,
    search,
    search_layers,
)

TODAY = date(2026, 11, 30)
WORDS = ("boulanger", "soudeur", "comptabilité", "anglais", "cuisine", "paie", "logistique", "vente")
CITIES = ("Caen", "Cherbourg-en-Cotentin", "Rouen", "Le Havre", "Saint-Lô", "Évreux")
MEASURES = ("AIF", "PRF", "CPF", "AUTRE")
LABELS = {"AIF": "Aide individuelle à la formation", "PRF": "Programme régional", "CPF": "CPF", "AUTRE": "Autre"}


def _row(rng: random.Random, number: int, version: int = 0) -> SearchRow:
    siret = f"8143271210{number % 7:04d}"
    sessions = []
    for n in range(rng.randint(0, 4)):
        start = TODAY + timedelta(days=rng.randint(-400, 300))
        sessions.append(
            RowSession(
                ref=f"S{number * 10 + n:07d}",
                start=start,
                end=start + timedelta(days=rng.randint(1, 200)),
                cities=rng.sample(CITIES, rng.randint(0, 2)),
                measures=rng.sample(MEASURES, rng.randint(0, 2)),
                markets=[f"2026-REG-{rng.randint(1, 5):04d}"] if rng.random() < 0.3 else [],
                public=rng.random() < 0.5,
                trainer=siret,
            )
        )
    title = " ".join(rng.sample(WORDS, rng.randint(1, 3))) + (f" v{version}" if version else "")
    return SearchRow(
        ref=f"F{number:07d}",
        siret=siret,
        title=title.capitalize(),
        published=rng.random() < 0.8,
        structure=f"Organisme {number % 7}",
        sessions=sessions,
    )


def _facts(rng: random.Random) -> RowFacts:
    return RowFacts(pending=rng.random() < 0.2, broken_links=["https://x.test"] if rng.random() < 0.1 else [])


def _queries(rng: random.Random) -> list[dict[str, str]]:
    asked = [
        {},
        {"q": "boulanger"},
        {"q": "*3"},
        {"q": "F0000012;S0000071"},
        {"ref": "*1*"},
        {"ref": "S00001*", "ref_type": "S"},
        {"title": "soudeur"},
        {"mesure": "aide individuelle à la formation"},
        {"marche": "2026-REG-0002"},
        {"city": "Cherbourg"},
        {"state": "diffusee"},
        {"block": "en_attente"},
        {"block": "fonds_publics", "city": "caen"},
        {"filter_title": "pai", "filter_state": "diff"},
        {"filter_start": "2026"},
    ]
    out = []
    for query in asked:
        for column in COLUMNS:
            for order in ("asc", "desc"):
                page_size = rng.choice(("5", "20", "200"))
                out.append(
                    {**query, "sort": column, "order": order, "page": str(rng.randint(1, 4)), "page_size": page_size}
                )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_layers_answer_as_one_catalogue_of_the_current_rows(seed: int) -> None:
    rng = random.Random(seed)
    rows = {n: (prepare(_row(rng, n)), _facts(rng)) for n in range(1, 121)}
    base = Catalogue(list(rows.values()), today=TODAY).build_all()
    positions = {n: position for position, n in enumerate(rows)}
    changed = rng.sample(sorted(rows), 15)
    current = dict(rows)
    for n in changed[:10]:  # changed
        current[n] = (prepare(_row(rng, n, version=1)), _facts(rng))
    for n in changed[10:]:  # gone
        del current[n]
    for n in range(121, 126):  # new
        current[n] = (prepare(_row(rng, n)), _facts(rng))
        changed.append(n)
    top = Catalogue([current[n] for n in sorted(changed) if n in current], today=TODAY)
    hidden = base.hide(positions[n] for n in changed if n in positions)
    whole = Catalogue(list(current.values()), today=TODAY)
    for asked in _queries(rng):
        query = SearchParams.model_validate(asked).query()
        expected = search(whole, query, measure_labels=LABELS)
        assert search_layers(base, hidden, top, query, measure_labels=LABELS) == expected, asked
    assert search(whole, SearchParams().query(), measure_labels=LABELS).total > 100  # the data is not empty
