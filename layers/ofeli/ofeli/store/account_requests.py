"""Account requests and the e-mail claims that keep one account per e-mail.

- `ACCOUNT_REQUEST#<id>` / `RECORD`: the request; while pending, `gsi2`: `ACCOUNT_REQUESTS#pending` /
  `<created_at>#<id>`, so the moderators' list is one query, oldest first.
- `EMAIL#<email>` / `CLAIM`: who holds an e-mail, `owner` = `request:<id>` or `user:<user id>`; created
  with the request (or the account), so two requests for one e-mail cannot both be written.
- A rights request (an existing account asks for rights on another structure) is a request of `kind`
  "rights" in the same pending list, with the account's `user_id`; `USER#<sub>` / `RIGHTS_REQUEST#<siret>`
  is written with it and deleted by its decision, so an account has one pending request per structure.
"""

from __future__ import annotations

from typing import Any

from ofeli.store import table
from ofeli.store.table import Item

PENDING = "ACCOUNT_REQUESTS#pending"
ALREADY_DECIDED = "Cette demande de compte a déjà été traitée."
ADDRESS_HELD = "Cette adresse e-mail a déjà un compte ou une demande en cours."


def request_key(request_id: str) -> str:
    return f"ACCOUNT_REQUEST#{request_id}"


def claim_key(email: str) -> str:
    return f"EMAIL#{email}"


def claim_item(email: str, owner: str) -> Item:
    return {"pk": claim_key(email), "sk": "CLAIM", "email": email, "owner": owner}


def holder(email: str) -> str | None:
    """Who holds an e-mail: "user" (an account), "request" (a pending request), or None."""
    claim = table.get(claim_key(email), "CLAIM", consistent=True)
    if claim is None:
        return None
    return "request" if str(claim.get("owner", "")).startswith("request:") else "user"


def create(request_id: str, record: dict[str, Any]) -> Item:
    """The request and its e-mail claim; Conflict (and nothing written) when the e-mail is held."""
    email = record["contact"]["email"]
    item = {
        "pk": request_key(request_id),
        "sk": "RECORD",
        "gsi2pk": PENDING,
        "gsi2sk": f"{record['created_at']}#{request_id}",
        "id": request_id,
        "status": "pending",
        **record,
    }
    table.transact(
        [table.tx_put_new(item), table.tx_put_new(claim_item(email, f"request:{request_id}"))],
        conflict=ADDRESS_HELD,
    )
    return {**item, "version": 1}


def rights_claim_key(user_id: str, siret: str) -> tuple[str, str]:
    return f"USER#{user_id}", f"RIGHTS_REQUEST#{siret}"


def create_rights(request_id: str, record: dict[str, Any], *, conflict: str) -> Item:
    """A rights request of `record["user_id"]` on `record["siret"]`; Conflict (`conflict`, nothing written)
    when the account has a pending one for that structure already."""
    pk, sk = rights_claim_key(record["user_id"], record["siret"])
    item = {
        "pk": request_key(request_id),
        "sk": "RECORD",
        "gsi2pk": PENDING,
        "gsi2sk": f"{record['created_at']}#{request_id}",
        "id": request_id,
        "kind": "rights",
        "status": "pending",
        **record,
    }
    table.transact(
        [table.tx_put_new(item), table.tx_put_new({"pk": pk, "sk": sk, "request_id": request_id})],
        conflict=conflict,
    )
    return {**item, "version": 1}


def tx_release_rights_claim(user_id: str, siret: str, request_id: str) -> dict[str, Any]:
    pk, sk = rights_claim_key(user_id, siret)
    return table.tx_delete(pk, sk, condition="#request_id = :id", values={":id": request_id})


def get(request_id: str) -> Item | None:
    return table.get(request_key(request_id), "RECORD", consistent=True)


def pending(*, limit: int = 100, cursor: str | None = None) -> table.Page:
    return table.query(PENDING, index="gsi2", limit=limit, cursor=cursor)


def tx_decide(request_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The request leaves the pending list, once: a second decision fails the transaction."""
    return table.tx_update(
        request_key(request_id),
        "RECORD",
        changes,
        condition="#status = :pending",
        values={":pending": "pending"},
        remove=("gsi2pk", "gsi2sk"),
    )


def tx_release_claim(email: str, request_id: str) -> dict[str, Any]:
    return table.tx_delete(
        claim_key(email), "CLAIM", condition="#owner = :owner", values={":owner": f"request:{request_id}"}
    )


def tx_claim_for_user(email: str, request_id: str, user_id: str) -> dict[str, Any]:
    return table.tx_update(
        claim_key(email),
        "CLAIM",
        {"owner": f"user:{user_id}"},
        condition="#owner = :owner",
        values={":owner": f"request:{request_id}"},
    )
