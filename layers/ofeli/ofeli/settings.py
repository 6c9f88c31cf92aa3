"""Settings read from the environment at first use (never at import time)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

PREFIX = "OFELI_"


class Settings(BaseModel):
    """Every value the functions need, from `OFELI_*` variables set by template.yaml (or the local stack).

    A plain pydantic model filled from the environment: pydantic-settings did the same for about a
    tenth of a second more on every cold start.
    """

    table: str
    documents_bucket: str
    exports_bucket: str
    jobs_queue_url: str
    user_pool_id: str
    user_pool_client_id: str
    ses_sender: str
    # Where the web frontend lives: CORS origin and the base of links in e-mails.
    web_origin: str = "*"
    web_url: str = ""
    # Where the local stack's authorizer fetches the pool's keys (AWS's API Gateway needs none).
    jwks_url: str = ""
    # Lifetime of presigned download URLs, in seconds.
    download_url_ttl: int = 300
    # The jobs queue's maxReceiveCount (template.yaml, JobsQueue): a job's delivery that reaches it is the
    # last one before the dead-letter queue (`ofeli.jobs.last_attempt`).
    jobs_max_receive_count: int = 3
    # Public routes (sign-in, password reset, account request): requests one caller's IP may make to
    # one route per window of `public_rate_window` seconds (then 429). High enough for an office behind
    # one address, and for the test suites, which all run from 127.0.0.1.
    public_rate_limit: int = 300
    public_rate_window: int = 60
    # Reset and "you already have an account" e-mails one address may receive per hour (more are dropped).
    mails_per_address_per_hour: int = 3
    # The region's departments: the moderators' structure search reads one partition per department
    # (plus one for the structures outside them), in parallel.
    region_departments: str = "14,27,50,61,76"
    # Where the moderators' digest goes (one e-mail when something new waits), and the least time
    # between two digests, in seconds.
    moderation_email: str = "moderation@carif-oref.test"
    digest_interval: int = 900
    # *Rechercher une adresse* (`ofeli.store.addresses`): `ban`, the national address base's API (AWS; the
    # functions need outbound internet, which Lambda outside a VPC has), or `local`, a fixture of addresses
    # shipped in the layer (the local stack and the tests: no network). The BAN's search endpoint (the
    # Géoplateforme's https://data.geopf.fr/geocodage/search answers the same), and how long to wait for it.
    address_search: Literal["ban", "local"] = "local"
    ban_url: str = "https://api-adresse.data.gouv.fr/search/"
    ban_timeout: float = 3.0
    # The website-link checker (`ofeli.store.link_probe`): the seconds one request may take in all
    # (connection, TLS, answer), the redirects followed, the requests in flight at once, in all and on one
    # site (host and port). `linkcheck_allow_private` lets it reach private, loopback and link-local
    # addresses: never in AWS, where the URLs are typed by the training organisations and must not open a
    # way into the account's network; true for the local stack and the tests, whose sites are on 127.0.0.1.
    linkcheck_timeout: float = 10.0
    linkcheck_max_redirects: int = 5
    linkcheck_concurrency: int = 16
    linkcheck_per_host: int = 2
    linkcheck_allow_private: bool = False

    def departments(self) -> list[str]:
        return [d.strip() for d in self.region_departments.split(",") if d.strip()]


@lru_cache(maxsize=1)
def settings() -> Settings:
    values = {
        name: os.environ[PREFIX + name.upper()] for name in Settings.model_fields if PREFIX + name.upper() in os.environ
    }
    return Settings.model_validate(values)
