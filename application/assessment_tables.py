"""The assessment report as titled tables (the PDF, the workbook's sheets and the CSV show these), from its figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import i18n
from application.table import Table, township_name
from domain.model import OUTCOMES, District
from domain.scoring import INDICATORS

RATES = ("response", "resolution", "satisfaction")
SHARES = ("completion_rate", "satisfaction_rate", "reopen_rate", "return_rate", "on_site_verified_rate")
COUNTS = ("received", "orders", "ordered", "resolved", "reopened", "returned")
EPOCH = date(1970, 1, 1)


def tables(report: dict[str, Any], district: District, lang: str) -> list[Table]:
    """Return the ranking, the figures, the boards, the points lost by indicator and every incident that lost points."""
    t: Callable[..., str] = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    town: Callable[[str], str] = lambda tid: township_name(district, tid, lang)  # noqa: E731
    rows = report["townships"]
    ranking = Table(
        "ranking",
        t("monthly.ranking"),
        [t("col.rank"), t("col.township"), t("monthly.score"), t("monthly.score_change"), t("monthly.rank_change")]
        + [t(f"monthly.ind.{k}") for k in RATES]
        + [t("monthly.breaches")],
        [
            [_dash(r["rank"]), town(r["id"]), _dash(r["score"]), _dash(r["score_change"]), _dash(r["rank_change"])]
            + [r["indicators"][k]["rate"] for k in RATES]
            + [r["breaches"]]
            for r in rows
        ],
        frozenset(range(5, 5 + len(RATES))),
    )
    figures = Table(
        "figures",
        t("monthly.figures"),
        [t("col.township")] + [t(f"monthly.{k}") for k in SHARES + COUNTS],
        [[town(r["id"])] + [r[k] for k in SHARES + COUNTS] for r in rows],
        frozenset(range(1, 1 + len(SHARES))),
    )
    boards = Table(
        "boards",
        t("monthly.boards"),
        [t("monthly.board"), t("col.rank"), t("col.township"), t("monthly.score")],
        [
            [t(f"monthly.{b}"), _rank(rows, tid), town(tid), _score(rows, tid)]
            for b in ("red", "black")
            for tid in report[b]
        ],
    )
    points = Table(
        "points",
        t("monthly.points_lost"),
        [t("col.township")] + [f"{t(f'monthly.ind.{k}')} ({_weight(rows, k)})" for k in INDICATORS],
        [[town(r["id"])] + [r["indicators"][k]["lost_points"] for k in INDICATORS] for r in rows],
    )
    lost = Table(
        "lost",
        t("monthly.lost"),
        [t("col.township"), t("monthly.day"), t("col.incident"), t("monthly.reasons"), t("monthly.points")],
        [
            [
                town(x["township"]),
                (EPOCH + timedelta(days=x["day"])).isoformat(),
                x["incident"],
                "、".join(t(f"monthly.why.{w}") for w in x["reasons"])
                if lang == "zh"
                else ", ".join(t(f"monthly.why.{w}") for w in x["reasons"]),
                x["points"],
            ]
            for x in report["lost"]
        ],  # fmt: skip
    )
    return [ranking, figures, _sources(report, t, town, lang), boards, points, lost]


def _sources(report: dict[str, Any], t: Callable[..., str], town: Callable[[str], str], lang: str) -> Table:
    """Where disputes ended (三源): each township's and the district's share settled on the spot and flows out, by
    where they went, then the district's by source."""
    rows = [(town(r["id"]), r) for r in report["townships"]] + [(t("monthly.district"), report["district"])]
    lines = [[name, r["on_spot_share"], r["flows_out"]] + [r["outcomes"][o] for o in OUTCOMES] for name, r in rows]
    lines += [
        [f"{t('monthly.source')}: {i18n.name('source', src, lang)}", x["on_spot_share"], x["out"]]
        + [x["settled"]] + [None] * (len(OUTCOMES) - 1)
        for src, x in report["district"]["by_source"].items()
    ]  # fmt: skip
    return Table(
        "sources",
        t("monthly.sources"),
        [t("col.township"), t("monthly.on_spot_share"), t("monthly.flows_out")] + [t(f"outcome.{o}") for o in OUTCOMES],
        lines,
        frozenset({1}),
    )


def _dash(value: Any) -> Any:
    return "—" if value is None else value


def _rank(rows: list[dict[str, Any]], tid: str) -> Any:
    return next(r["rank"] for r in rows if r["id"] == tid)


def _score(rows: list[dict[str, Any]], tid: str) -> Any:
    return next(r["score"] for r in rows if r["id"] == tid)


def _weight(rows: list[dict[str, Any]], name: str) -> str:
    return f"{rows[0]['indicators'][name]['weight']:g}" if rows else ""
