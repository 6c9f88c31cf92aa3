"""`ofeli serve`: the whole system on 127.0.0.1, with demo data; `ofeli import-organisations`: the
national list of training organisations imported through the API (`ofeli_local.import_cli`)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import date
from pathlib import Path

from ofeli_local.cfn import TemplateError
from ofeli_local.stack import LocalStack, StackError, project_root


def _stop_on_sigterm(*_: object) -> None:
    raise KeyboardInterrupt


def _import_organisations(args: argparse.Namespace) -> int:
    from ofeli_local.import_cli import CommandError, import_organisations

    try:
        return import_organisations(args.file, args.api, email=args.email, password=args.password, list_date=args.date)
    except CommandError as error:
        print(f"ofeli : {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ofeli", description="OFeli, en local.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="démarre tout le système en local, avec les données de démonstration")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--root", type=Path, default=None, help="le dossier du projet (celui de template.yaml)")
    serve.add_argument("--no-seed", action="store_true", help="sans les données de démonstration")
    serve.add_argument("--log-level", default=os.environ.get("OFELI_LOG_LEVEL", "WARNING"))
    organisations = commands.add_parser(
        "import-organisations",
        help="importe la liste publique des organismes de formation (CSV de la DGEFP) par l'API",
    )
    organisations.add_argument("file", type=Path, metavar="FICHIER")
    organisations.add_argument(
        "--api", default=f"http://127.0.0.1:{os.environ.get('PORT') or 8000}", help="l'adresse de l'API OFeli"
    )
    organisations.add_argument("--email", help="le compte de modération (sinon OFELI_EMAIL)")
    organisations.add_argument("--password", help="son mot de passe (sinon OFELI_PASSWORD)")
    organisations.add_argument(
        "--date", type=date.fromisoformat, help="la date de la liste, AAAA-MM-JJ (aujourd'hui par défaut)"
    )
    args = parser.parse_args(argv)
    if args.command == "import-organisations":
        return _import_organisations(args)

    stack = LocalStack(
        args.root or project_root(), host=args.host, port=args.port, seed=not args.no_seed, log_level=args.log_level
    )
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        stack.start()
    except (TemplateError, StackError) as error:
        stack.stop()
        print(f"ofeli : {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stack.stop()
        return 130
    try:
        print(f"OFeli prêt sur {stack.url}", flush=True)
        print(f"  e-mails envoyés : {stack.url}/_local/mail — API : {stack.url}/docs — Ctrl-C pour arrêter", flush=True)
        stack.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        print("OFeli arrêté.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
