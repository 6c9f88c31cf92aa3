"""Uploaded documents (private bucket): presigned POST to upload, short-lived presigned GET to read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from ofeli import aws
from ofeli.settings import settings

UPLOAD_SECONDS = 15 * 60


def upload_form(key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
    """A presigned POST that S3 accepts only for this key, this type and at most `max_bytes`."""
    form = aws.client("s3").generate_presigned_post(
        Bucket=settings().documents_bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return {"url": form["url"], "fields": form["fields"], "max_bytes": max_bytes, "content_type": content_type}


def download_url(key: str) -> str | None:
    """A short-lived link to the document, or None when nothing was uploaded there."""
    s3 = aws.client("s3")
    bucket = settings().documents_bucket
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return str(
        s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=settings().download_url_ttl
        )
    )


def listing(prefix: str) -> list[dict[str, Any]]:
    """The documents under a prefix, newest first, each with a short-lived download link."""
    s3 = aws.client("s3")
    bucket = settings().documents_bucket
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            url = s3.generate_presigned_url(
                "get_object", Params={"Bucket": bucket, "Key": obj["Key"]}, ExpiresIn=settings().download_url_ttl
            )
            found.append(
                {
                    "key": obj["Key"],
                    "filename": obj["Key"].rsplit("/", 1)[-1],
                    "size": int(obj["Size"]),
                    "uploaded_at": obj["LastModified"].isoformat(timespec="seconds"),
                    "url": url,
                }
            )
    return sorted(found, key=lambda d: d["uploaded_at"], reverse=True)


def exists(key: str) -> bool:
    """Whether something was uploaded under `key` (S3 answers 404 to the grant of s3:ListBucket)."""
    try:
        aws.client("s3").head_object(Bucket=settings().documents_bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return False
        raise
    return True


def read_chunks(key: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
    """The uploaded object's bytes, a chunk at a time (a file of 100 MiB is never held whole)."""
    body = aws.client("s3").get_object(Bucket=settings().documents_bucket, Key=key)["Body"]
    try:
        yield from body.iter_chunks(chunk_size)
    finally:
        body.close()
