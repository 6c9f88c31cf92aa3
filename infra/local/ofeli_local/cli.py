"""`ofeli serve`: the whole system on 127.0.0.1, with demo data; `ofeli import-organisations` and
`ofeli import-certifications`: the national list of training organisations, France Compétences'
certification referential, imported through the API (`ofeli_local.import_cli`)."""

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


def _import(args: argparse.Namespace) -> int:
    from ofeli_local.import_cli import CERTIFICATIONS, ORGANISATIONS, CommandError, import_file

    kind = CERTIFICATIONS if args.command == "import-certifications" else ORGANISATIONS
    try:
        return import_file(kind, args.file, args.api, email=args.email, password=args.password, list_date=args.date)
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
    imports = {
        "import-organisations": (
            "importe la liste publique des organismes de formation (CSV de la DGEFP) par l'API",
            "la date de la liste, AAAA-MM-JJ (aujourd'hui par défaut)",
        ),
        "import-certifications": (
            "importe le référentiel des certifications de France Compétences (export CSV .zip, ou XML) par l'API",
            "la date de l'export, AAAA-MM-JJ (par défaut celle du nom du fichier, sinon aujourd'hui)",
        ),
    }
    for name, (description, date_help) in imports.items():
        command = commands.add_parser(name, help=description)
        command.add_argument("file", type=Path, metavar="FICHIER")
        command.add_argument(
            "--api", default=f"http://127.0.0.1:{os.environ.get('PORT') or 8000}", help="l'adresse de l'API OFeli"
        )
        command.add_argument("--email", help="le compte de modération (sinon OFELI_EMAIL)")
        command.add_argument("--password", help="son mot de passe (sinon OFELI_PASSWORD)")
        command.add_argument("--date", type=date.fromisoformat, help=date_help)
    args = parser.parse_args(argv)
    if args.command in imports:
        return _import(args)

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
