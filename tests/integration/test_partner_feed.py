"""Issue 12, item 4: the partners' feed. Moderators create, list and revoke partner API keys (shown once,
stored hashed); a partner's `X-Api-Key` fetches the signed URL of the published offer as one LHEO 2.3 file
(every structure's published formations, their current and upcoming sessions), written by a scheduled
job; `since=` gives a file of what was published or changed since then, and the references withdrawn.

The demo (written by the seed, which runs the feed's job once): F0000001 *CAP boulanger* (head office,
sessions starting in 30 and 120 days, 12 weeks each), F0000002 *Assistant de comptabilité* (head office,
45 days, 20 weeks), F0000003 *Soudeur* (the other OF, 20, 60 and 90 days, 12 weeks each).
"""

from __future__ import annotations

import hashlib
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from records import HEAD

from ofeli import clock

OTHER = "41298765400016"
NS = {"l": "http://lheo.gouv.fr/2.3"}
XSD = Path(__file__).resolve().parents[3] / "shared" / "lheo" / "lheo-2.3.xsd"  # the official schema
LAYER_XSD = Path(__file__).resolve().parents[2] / "layers" / "ofeli" / "ofeli" / "data" / "lheo-2.3.xsd"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD if XSD.exists() else LAYER_XSD)))


def create_key(api, moderator, name="France Travail") -> dict:
    response = api.post("/moderation/partner-keys", json={"name": name}, headers=moderator)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def keys(api, moderator) -> list[dict]:
    response = api.get("/moderation/partner-keys", headers=moderator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def feed(api, key, **query):
    return api.get("/partner/feed", query_string=query, headers={"X-Api-Key": key})


def download(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:  # noqa: S310 (the local S3 of the emulated AWS)
        return bytes(response.read())


def read_feed(api, key, schema, **query) -> tuple[dict, etree._Element]:
    response = feed(api, key, **query)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    document = etree.fromstring(download(body["url"]))
    assert schema.validate(document), schema.error_log
    return body, document


def formations(document) -> dict[str, list[str]]:
    """Each formation's number and its sessions' (action) numbers."""
    return {
        f.get("numero"): [a.get("numero") for a in f.findall("l:action", NS)]
        for f in document.findall("l:offres/l:formation", NS)
    }


def responsibles(document) -> set[str]:
    return {s.text for s in document.iterfind(".//l:organisme-formation-responsable//l:SIRET", NS)}


def run_feed_job(workers, template):
    schedule = next(s for s in template.schedules if s.name == "PartnerFeed")
    assert schedule.seconds == 86400 and schedule.input is not None
    workers.fire(schedule)


def unauthorized(response):
    assert response.status_code == 401, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized" and "X-Api-Key" in error["message"]


# ---------------------------------------------------------------------- keys
def test_a_key_is_shown_once_listed_without_its_secret_used_and_revoked(seeded_api, moderator, of):
    created = create_key(seeded_api, moderator, "  France Travail  ")
    key = created["key"]
    assert len(key) >= 43 and created["name"] == "France Travail"
    assert created["created_by"] == "moderation@carif-oref.test" and created["revoked_at"] is None
    assert created["last_used_at"] is None

    # stored hashed: the key resolves by its SHA-256, and its text is nowhere in the table
    from ofeli.store import table

    stored = table.get(f"PARTNER_KEY#{hashlib.sha256(key.encode()).hexdigest()}", "KEY")
    assert stored is not None and stored["id"] == created["id"]
    assert key not in str(stored)

    # listed without the secret
    listing = seeded_api.get("/moderation/partner-keys", headers=moderator)
    assert key not in listing.get_data(as_text=True)
    (listed,) = [k for k in listing.get_json() if k["id"] == created["id"]]
    assert "key" not in listed and listed["name"] == "France Travail" and listed["last_used_at"] is None

    # used: the feed answers, the use is recorded
    assert feed(seeded_api, key).status_code == 200
    (listed,) = [k for k in keys(seeded_api, moderator) if k["id"] == created["id"]]
    assert listed["last_used_at"] is not None

    # revoked: refused from now on, kept in the list with its revocation
    revoked = seeded_api.delete(f"/moderation/partner-keys/{created['id']}", headers=moderator)
    assert revoked.status_code == 200, revoked.get_json()
    assert revoked.get_json()["revoked_at"] and revoked.get_json()["revoked_by"] == "moderation@carif-oref.test"
    unauthorized(feed(seeded_api, key))
    (listed,) = [k for k in keys(seeded_api, moderator) if k["id"] == created["id"]]
    assert listed["revoked_at"] == revoked.get_json()["revoked_at"]
    again = seeded_api.delete(f"/moderation/partner-keys/{created['id']}", headers=moderator)
    assert again.status_code == 409 and "déjà révoquée" in again.get_json()["error"]["message"]
    assert seeded_api.delete("/moderation/partner-keys/inconnue", headers=moderator).status_code == 404


def test_unknown_and_missing_keys_are_refused_before_anything_else(seeded_api, moderator):
    unauthorized(seeded_api.get("/partner/feed"))
    unauthorized(feed(seeded_api, "une-cle-qui-n-existe-pas"))
    unauthorized(feed(seeded_api, "x" * 5000))
    unauthorized(feed(seeded_api, "une-cle-qui-n-existe-pas", since="pas une date"))  # who before what
    # a Cognito token is not a partner key
    unauthorized(seeded_api.get("/partner/feed", headers=moderator))


def test_only_moderators_manage_keys(seeded_api, of):
    assert seeded_api.post("/moderation/partner-keys", json={"name": "X"}, headers=of).status_code == 403
    assert seeded_api.get("/moderation/partner-keys", headers=of).status_code == 403
    assert seeded_api.delete("/moderation/partner-keys/abc", headers=of).status_code == 403
    assert seeded_api.get("/moderation/partner-keys").status_code == 401


def test_a_key_needs_a_name(seeded_api, moderator):
    response = seeded_api.post("/moderation/partner-keys", json={"name": ""}, headers=moderator)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][0]["field"].endswith("name")


# ---------------------------------------------------------------------- the full feed
def test_the_feed_is_the_published_offer_of_every_structure(seeded_api, moderator, of, schema):
    key = create_key(seeded_api, moderator)["key"]
    # a formation in creation is not published: never in the feed
    created = seeded_api.post(
        f"/structures/{HEAD}/formations", json={"certifying": False, "title": "Pas encore publiée"}, headers=of
    )
    assert created.status_code == 201, created.get_json()
    from ofeli.services import partners

    partners.generate(trigger="test")
    body, document = read_feed(seeded_api, key, schema)
    found = formations(document)
    assert sorted(found) == ["F0000001", "F0000002", "F0000003"]
    assert body["offers"] == 3 and [len(found[f]) for f in sorted(found)] == [2, 1, 3]
    assert responsibles(document) == {HEAD, OTHER}  # several structures
    assert "Pas encore publiée" not in etree.tostring(document, encoding="unicode")
    # a short-lived signed URL
    signed = parse_qs(urlsplit(body["url"]).query)
    assert signed["X-Amz-Expires"] == ["300"]
    assert body["expires_at"] > body["generated_at"]


def test_the_scheduled_job_keeps_only_current_and_upcoming_sessions(seeded_api, moderator, schema, workers, template):
    key = create_key(seeded_api, moderator)["key"]
    clock.advance(timedelta(days=150))  # CAP: its first session ended; Soudeur: two of three ended
    run_feed_job(workers, template)
    body, document = read_feed(seeded_api, key, schema)
    found = formations(document)
    assert sorted(found) == ["F0000001", "F0000002", "F0000003"]
    assert [len(found[f]) for f in sorted(found)] == [1, 1, 1]
    for period in document.iterfind(".//l:session/l:periode/l:fin", NS):
        assert period.text >= clock.today().strftime("%Y%m%d")  # no session ended before today
    from ofeli.store import partner_feed

    run = partner_feed.latest()
    assert run is not None and run["trigger"] == "schedule"
    assert (run["offers"], run["sessions"], run["rejected"]) == (3, 3, [])
    assert body["generated_at"] == run["generated_at"]


def test_no_feed_yet_is_404(api, aws):
    from ofeli.domain.identity import Identity
    from ofeli.domain.partners import PartnerKeyCreate
    from ofeli.services import partners

    moderator = Identity(user_id="m", email="moderation@carif-oref.test", groups=frozenset({"moderators"}))
    key = partners.create_key(moderator, PartnerKeyCreate(name="Parcoursup")).key
    response = feed(api, key)
    assert response.status_code == 404
    assert "Aucun flux" in response.get_json()["error"]["message"]


# ---------------------------------------------------------------------- changes since
def test_changes_since_give_the_changed_formations_and_the_withdrawn_refs(
    seeded_api, moderator, schema, workers, template
):
    key = create_key(seeded_api, moderator)["key"]
    clock.advance(60)
    before = clock.now().isoformat().replace("+00:00", "Z")
    # nothing changed since: no file, nothing withdrawn
    nothing = feed(seeded_api, key, since=before)
    assert nothing.status_code == 200, nothing.get_json()
    assert (nothing.get_json()["offers"], nothing.get_json()["url"], nothing.get_json()["withdrawn"]) == (0, None, [])

    # the Carif-Oref indexes F0000002: it is the one changed formation
    formation = seeded_api.get("/formations/F0000002", headers=moderator).get_json()
    changed = seeded_api.patch(
        "/moderation/formations/F0000002",
        json={"version": formation["version"], "formacodes": ["32663"]},
        headers=moderator,
    )
    assert changed.status_code == 200, changed.get_json()
    body, document = read_feed(seeded_api, key, schema, since=before)
    assert formations(document) == {"F0000002": formations(document)["F0000002"]}
    assert (body["offers"], body["withdrawn"]) == (1, [])

    # 190 days later: the comptabilité and soudeur formations have no session left; the night's job runs
    clock.advance(timedelta(days=190))
    between = feed(seeded_api, key, since=before)  # before the job: found against the latest run
    assert between.status_code == 200, between.get_json()
    assert between.get_json()["withdrawn"] == ["F0000002", "F0000003"]
    run_feed_job(workers, template)
    _, full = read_feed(seeded_api, key, schema)
    assert list(formations(full)) == ["F0000001"]
    later = feed(seeded_api, key, since=before).get_json()
    assert later["withdrawn"] == ["F0000002", "F0000003"] and later["offers"] == 0
    # since after the withdrawal was recorded: nothing more to say
    clock.advance(60)
    assert feed(seeded_api, key, since=clock.now().isoformat()).get_json()["withdrawn"] == []


@pytest.mark.parametrize(
    ("since", "words"),
    [
        ("hier", "lisible"),
        ("2026-13-01T00:00:00Z", "lisible"),
        ("2026-11-01T00:00:00", "fuseau"),
        ("2999-01-01T00:00:00Z", "futur"),
        ("2001-01-01T00:00:00Z", "plus de cinq ans"),
    ],
)
def test_a_bad_since_is_422_in_french(seeded_api, moderator, since, words):
    key = create_key(seeded_api, moderator)["key"]
    response = feed(seeded_api, key, since=since)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["fields"][0]["field"] == "since" and words in error["fields"][0]["message"]
