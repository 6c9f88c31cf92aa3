"""Publish web/ to the stack's web bucket, pointing the pages at the stack's API, then refresh CloudFront.

    .venv/bin/python infra/deploy_web.py --stack ofeli     (or: make deploy-web STACK=ofeli)

Run it after `sam deploy`: it reads the stack's outputs (WebBucketName, ApiUrl, WebDistributionId).
"""

from __future__ import annotations

import argparse
import mimetypes
import time
from pathlib import Path
from typing import Any

import boto3

WEB = Path(__file__).resolve().parents[1] / "web"
CONFIG = "js/config.js"


def config_js(api_url: str) -> str:
    return (
        "// Written by infra/deploy_web.py: the pages and the API are on different origins in AWS.\n"
        f'export const API_BASE = "{api_url.rstrip("/")}";\n'
    )


def upload(s3: Any, bucket: str, api_url: str, site: Path = WEB) -> list[str]:
    """Every file of the site, with its type; js/config.js names the API. Returns the keys written."""
    keys = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        key = path.relative_to(site).as_posix()
        body = config_js(api_url).encode() if key == CONFIG else path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in {"application/javascript", "application/json", "image/svg+xml"}:
            kind += "; charset=utf-8"
        cache = "no-cache" if key.endswith(".html") or key == CONFIG else "public, max-age=300"
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=kind, CacheControl=cache)
        keys.append(key)
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True, help="le nom de la pile CloudFormation (sam deploy)")
    args = parser.parse_args()
    stack = boto3.client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    keys = upload(boto3.client("s3"), outputs["WebBucketName"], outputs["ApiUrl"])
    boto3.client("cloudfront").create_invalidation(
        DistributionId=outputs["WebDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())},
    )
    print(f"{len(keys)} fichiers publiés : {outputs['WebUrl']}")


if __name__ == "__main__":
    main()
