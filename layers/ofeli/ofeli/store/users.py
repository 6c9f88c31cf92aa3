"""User profiles and their rights on structures.

- `USER#<sub>` / `PROFILE`: e-mail, names and phone (*Mon compte*); `gsi1`: `EMAIL#<email>` (one account = one e-mail).
- `USER#<sub>` / `RIGHT#<siret>`: a right on a structure; `gsi1`: `STRUCTURE#<siret>` / `USER#<sub>`,
  so the users of a structure are one query.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli.domain.errors import NotFound
from ofeli.store import table
from ofeli.store.table import Item


def user_key(user_id: str) -> str:
    return f"USER#{user_id}"


def profile_item(user_id: str, email: str, first_name: str, last_name: str, phone: str | None = None) -> Item:
    item = {
        "pk": user_key(user_id),
        "sk": "PROFILE",
        "gsi1pk": f"EMAIL#{email}",
        "gsi1sk": "USER",
        "user_id": user_id,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
    }
    return item if phone is None else {**item, "phone": phone}


def right_item(user_id: str, structure: Item) -> Item:
    return {
        "pk": user_key(user_id),
        "sk": f"RIGHT#{structure['siret']}",
        "gsi1pk": f"STRUCTURE#{structure['siret']}",
        "gsi1sk": user_key(user_id),
        "siret": structure["siret"],
    }


def get_profile(user_id: str) -> Item | None:
    return table.get(user_key(user_id), "PROFILE")


def update_profile(user_id: str, changes: dict[str, Any], *, version: int) -> Item:
    """*Mon compte*: names and phone, on the profile still at `version` (a stale one is a Conflict)."""
    return table.update_versioned(user_key(user_id), "PROFILE", changes, version=version)


def find_by_email(email: str) -> Item | None:
    page = table.query(f"EMAIL#{email}", index="gsi1", limit=1)
    return page.items[0] if page.items else None


def grant(user_id: str, structure: Item) -> Item:
    return table.put_new(right_item(user_id, structure), conflict="Ce compte a déjà des droits sur cette structure.")


def rights_of(user_id: str) -> list[str]:
    """The SIRETs the user has rights on."""
    return [item["siret"] for item in table.query_all(user_key(user_id), sk_prefix="RIGHT#")]


def has_right(user_id: str, siret: str) -> bool:
    return table.get(user_key(user_id), f"RIGHT#{siret}") is not None


def revoke(user_id: str, siret: str) -> None:
    """Remove a right; NotFound when the user did not have it."""
    try:
        table.table().delete_item(
            Key={"pk": user_key(user_id), "sk": f"RIGHT#{siret}"}, ConditionExpression="attribute_exists(pk)"
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            raise NotFound("Ce compte n'a pas de droits sur cette structure.") from error
        raise


def of_structure(siret: str) -> list[str]:
    """The ids of the users with rights on a structure."""
    items = table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="USER#")
    return [item["gsi1sk"].removeprefix("USER#") for item in items]


def profiles(user_ids: list[str]) -> list[Item]:
    return table.get_many([(user_key(user_id), "PROFILE") for user_id in user_ids])
