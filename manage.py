"""Operations on the command line: users and tokens, and the day's report files. `python manage.py --help`."""
from __future__ import annotations

import argparse
import getpass
import sys
import time
from datetime import date

from config import Settings, from_env
from domain.model import Role
from store.accounts import Accounts
from store.log import make_engine


def main(argv: list[str] | None = None) -> int:
    """Create users and tokens, revoke tokens, list both; the password is read from stdin or a prompt."""
    p = argparse.ArgumentParser(prog="manage.py", description="OneMap users and tokens")
    sub = p.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("create-user", help="add a user (password from stdin when piped)")
    u.add_argument("username")
    u.add_argument("role", choices=[r.value for r in Role if r not in (Role.SYSTEM, Role.WALL)])
    u.add_argument("--township")
    t = sub.add_parser("create-token", help="make an API or kiosk token; printed once")
    t.add_argument("name")
    t.add_argument("kind", choices=["api", "kiosk"])
    t.add_argument("role", choices=[r.value for r in Role])
    t.add_argument("--township")
    r = sub.add_parser("revoke-token")
    r.add_argument("token_id", type=int)
    sub.add_parser("list")
    rep = sub.add_parser("report", help="write a day's report files to <data dir>/reports/ (kept ones are kept)")
    rep.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: yesterday)")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = p.parse_args(argv)
    if args.cmd == "report":
        return _report(from_env([]), args.day, args.lang)
    accounts = Accounts(make_engine(from_env([]).db_url), time.time)
    try:
        return _run(accounts, args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _report(settings: Settings, day: date | None, lang: str) -> int:
    """Write a day's PDF, workbook and CSV from the log, as the background loop does after midnight."""
    # Imported here: the users and tokens commands need neither the district nor the report libraries.
    from application.replay import Replayer
    from application.reports import Reports
    from store.log import EventLog
    from streams.wiring import build_district

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    district, _locator = build_district(settings)
    replayer = Replayer(EventLog(make_engine(settings.db_url)), district, settings.sla_policy.dispatch_s)
    reports = Reports(replayer, time.time, settings.utc_offset_h, settings.data_dir)
    for path in reports.write(day, lang) if day else reports.make_due(lang):
        print(path)
    return 0


def _run(accounts: Accounts, args: argparse.Namespace) -> int:
    if args.cmd == "create-user":
        password = sys.stdin.readline().strip() if not sys.stdin.isatty() else getpass.getpass("password: ")
        accounts.create_user(args.username, password, Role(args.role), args.township)
        print(f"user {args.username} ({args.role}) created")
    elif args.cmd == "create-token":
        print(accounts.create_token(args.name, args.kind, Role(args.role), args.township))
    elif args.cmd == "revoke-token":
        accounts.revoke_token(args.token_id)
        print(f"token {args.token_id} revoked")
    else:
        for row in accounts.list_users() + accounts.list_tokens():
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
