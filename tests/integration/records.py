"""The structure record through the API, as the integration tests call it (the demo's accounts)."""

from __future__ import annotations

HEAD = "81432712100012"
OF = ("contact@of-demo.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")


def structure(api, headers, siret=HEAD):
    response = api.get(f"/structures/{siret}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def data_with(record, **changes):
    """The draft's editable fields as published, with `changes`."""
    data = {k: record["published"][k] for k in ("emails", "phones", "websites", "contact_request")}
    return {**data, **changes}


def save(api, headers, version, data, siret=HEAD):
    return api.put(f"/structures/{siret}/draft", json={"version": version, "data": data}, headers=headers)
