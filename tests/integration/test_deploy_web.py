"""The web deployment writes the site to the bucket and points the pages at the stack's API."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("deploy_web", ROOT / "infra" / "deploy_web.py")
assert spec and spec.loader
deploy_web = importlib.util.module_from_spec(spec)
spec.loader.exec_module(deploy_web)


def test_upload_writes_every_page_with_its_type_and_the_api_address(aws):
    s3 = aws.client("s3")
    bucket = aws.physical["WebBucket"].ref
    keys = deploy_web.upload(s3, bucket, "https://abc.execute-api.eu-west-3.amazonaws.com/v1/")
    assert {"index.html", "connexion.html", "css/ofeli.css", "js/config.js"} <= set(keys)
    page = s3.get_object(Bucket=bucket, Key="connexion.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    assert page["Body"].read() == (ROOT / "web" / "connexion.html").read_bytes()
    config = s3.get_object(Bucket=bucket, Key="js/config.js")["Body"].read().decode()
    assert 'export const API_BASE = "https://abc.execute-api.eu-west-3.amazonaws.com/v1";' in config
    css = s3.get_object(Bucket=bucket, Key="css/ofeli.css")
    assert css["ContentType"] == "text/css; charset=utf-8"
