"""Who is calling: an OF user or a moderator (Cognito), or a partner (API key)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ofeli.domain.errors import Forbidden

MODERATORS = "moderators"


@dataclass(frozen=True)
class Identity:
    user_id: str
    email: str
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_moderator(self) -> bool:
        return MODERATORS in self.groups

    @property
    def roles(self) -> list[str]:
        return ["moderator"] if self.is_moderator else ["of"]


def parse_groups(raw: object) -> frozenset[str]:
    """`cognito:groups` as API Gateway passes it: a list, or a string like "a,b" or "[a b]"."""
    if raw is None or raw == "":
        return frozenset()
    if isinstance(raw, list | tuple | set | frozenset):
        return frozenset(str(g) for g in raw)
    text = str(raw).strip().strip("[]")
    return frozenset(part for part in text.replace(",", " ").split() if part)


def require_moderator(identity: Identity) -> None:
    if not identity.is_moderator:
        raise Forbidden("Cette action est réservée aux modérateurs du Carif-Oref.")
