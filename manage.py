"""Operations on the command line: users and tokens, report files, a projection snapshot. `python manage.py --help`."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from application.district import load_fixtures
from config import Settings, from_env, offset_text
from domain.model import Role
from store.accounts import Accounts
from store.log import make_engine


def main(argv: list[str] | None = None) -> int:
    """Create users and tokens, revoke tokens, list both; the password is read from stdin or a prompt."""
    settings = from_env([])
    p = argparse.ArgumentParser(
        prog="python manage.py",
        description="OneMap users and tokens, in the store of "
        "DATABASE_URL (default: the SQLite file in ONEMAP_DATA_DIR, data/)",
    )
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    u = sub.add_parser("create-user", help="add a user; the password is read from stdin when piped, else asked")
    u.add_argument("username", help="the sign-in name")
    u.add_argument(
        "role", choices=[r.value for r in Role if r not in (Role.SYSTEM, Role.WALL)], help="what the user may do"
    )
    u.add_argument("--township", help="the one township of a township operator (required for role township)")
    u.add_argument("--team", help="the one team of a team member (required for role team; its township is the team's)")
    t = sub.add_parser("create-token", help="make an API or kiosk token; printed once, stored only as a hash")
    t.add_argument("name", help="a label to know it by, e.g. wall-2 or hotline-feed")
    t.add_argument("kind", choices=["api", "kiosk"], help="api: Bearer token for /api/v1; kiosk: a wall URL")
    t.add_argument("role", choices=[r.value for r in Role], help="what the token may do (a wall kiosk: wall)")
    t.add_argument("--township", help="the one township of a township token")
    r = sub.add_parser("revoke-token", help="revoke a token by its id (see list); its walls go dark at once")
    r.add_argument("token_id", type=int, help="the token's id, as list shows it")
    sub.add_parser(
        "list",
        help="the users and the tokens, with times in the district's time "
        f"(UTC{offset_text(settings.utc_offset_h)}, ONEMAP_TIMEZONE)",
    )
    rep = sub.add_parser(
        "report",
        help="write a day's report files (PDF, XLSX, CSV) to <data dir>/reports/; files already there are kept",
    )
    rep.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: yesterday)")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh", help="the files' language")
    sub.add_parser(
        "snapshot",
        help="save the projection (the state folded from the log) so the next start folds "
        "only the events after it; the web process also takes one every 20,000 events or 10 minutes",
    )
    args = p.parse_args(argv)
    if args.cmd == "report":
        return _report(settings, args.day, args.lang)
    if args.cmd == "snapshot":
        return _snapshot(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # a user made before the first start: its database too
    accounts = Accounts(make_engine(settings.db_url), time.time)
    try:
        return _run(accounts, args, settings.utc_offset_h)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _report(settings: Settings, day: date | None, lang: str) -> int:
    """Write a day's PDF, workbook and CSV from the log, as the background loop does after midnight."""
    # Imported here: the users and tokens commands need neither the district nor the report libraries.
    from application.bootstrap import bootstrap

    core = bootstrap(settings)
    reports = core.reports(core.replayer(), time.time)
    for path in reports.write(day, lang) if day else reports.make_due(lang):
        print(path)
    return 0


def _snapshot(settings: Settings) -> int:
    """Start a store as the web process does (from the newest snapshot and the log after it) and save a new one."""
    from application.bootstrap import bootstrap

    core = bootstrap(settings)
    t0 = time.perf_counter()
    store = core.store
    started = time.perf_counter() - t0
    seq, size = store.take_snapshot(time.time())
    held, open_ = store.read(lambda state: (len(state.incidents), len(state.open_ids)))
    print(
        f"snapshot at seq {seq}: {size:,} bytes, {held:,} incidents in memory "
        f"({open_:,} open); started from seq {store.started_from} in {started:.1f} s"
    )
    return 0


def team_township(team_id: str) -> str:
    """Return the township of one of the district's teams, or raise ValueError naming it."""
    found = {t["id"]: t["township"] for t in load_fixtures()["teams"]}.get(team_id)
    if found is None:
        raise ValueError(f"unknown team {team_id!r}")
    return str(found)


def _run(accounts: Accounts, args: argparse.Namespace, utc_offset_h: float) -> int:
    if args.cmd == "create-user":
        password = sys.stdin.readline().strip() if not sys.stdin.isatty() else getpass.getpass("password: ")
        township = team_township(args.team) if args.team else args.township
        accounts.create_user(args.username, password, Role(args.role), township, args.team)
        print(f"user {args.username} ({args.role}) created")
    elif args.cmd == "create-token":
        print(accounts.create_token(args.name, args.kind, Role(args.role), args.township))
    elif args.cmd == "revoke-token":
        accounts.revoke_token(args.token_id)
        print(f"token {args.token_id} revoked")
    else:
        print(
            table(accounts.list_users(), ("username", "role", "township", "team", "active", "created_at"), utc_offset_h)
        )
        print()
        print(
            table(
                accounts.list_tokens(),
                ("id", "name", "kind", "role", "township", "created_at", "revoked_at"),
                utc_offset_h,
            )
        )
    return 0


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], utc_offset_h: float) -> str:
    """Return rows as an aligned text table; times (*_at) in the district's local time, blanks as "-"."""
    zone = timezone(timedelta(hours=utc_offset_h))

    def cell(key: str, value: Any) -> str:
        if value is None or value == "":
            return "-"
        if key.endswith("_at"):
            return datetime.fromtimestamp(float(value), zone).strftime("%Y-%m-%d %H:%M:%S")
        return "yes" if key == "active" and value in (1, True) else "no" if key == "active" else str(value)

    body = [[cell(c, r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(b[i]) for b in body)) if body else len(c) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(b, widths)).rstrip() for b in body]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
