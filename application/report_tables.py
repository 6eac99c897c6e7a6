"""A report as titled tables in one language: what the PDF, the workbook (a sheet each) and the CSV all show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import i18n
from application import assessment_tables
from application.table import Table, township_name
from domain.model import TIMED_STEPS, District

FIGURES = (
    "received",
    "ordered",
    "on_time",
    "late",
    "on_time_rate",
    "resolved",
    "completion_rate",
    "satisfied",
    "rated",
    "satisfaction_rate",
    "open",
    "waiting",
    "waiting_late",
    "in_progress",
    "breached_open",
    "awaiting_callback",
    "on_site_done",
    "on_site_verified",
    "on_site_verified_rate",
)
RATES = frozenset({"on_time_rate", "completion_rate", "satisfaction_rate", "on_site_verified_rate"})
RANK_COLS = (
    "received",
    "ordered",
    "on_time",
    "late",
    "on_time_rate",
    "resolved",
    "completion_rate",
    "satisfaction_rate",
    "breached_open",
)


def tables(report: dict[str, Any], district: District, lang: str) -> list[Table]:
    """Return the report's tables in reading order, labelled in the language."""
    if report["kind"] == "assessment":
        return assessment_tables.tables(report, district, lang)
    t: Callable[..., str] = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    clock = _clock(report["utc_offset_h"])
    town: Callable[[str | None], str] = lambda tid: township_name(district, tid, lang)  # noqa: E731
    fig = report["district"]
    incident_cols = [
        t("col.incident"),
        t("report.time"),
        t("col.township"),
        t("col.source"),
        t("col.category"),
        t("report.status"),
        t("report.reopened_n"),
        t("report.note"),
    ]

    def incident_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [
            [
                r["incident"],
                clock(r["received_at"]),
                town(r["township"]),
                i18n.name("source", r["source"], lang),
                i18n.name("category", r["category"], lang),
                t(f"stage.{r['status']}"),
                r["reopened"],
                r["note"],
            ]
            for r in rows
        ]

    return [
        Table(
            "summary",
            t("report.summary"),
            [t("report.figure"), t("report.value")],
            [[t(f"fig.{k}"), fig[k]] for k in FIGURES],
            percent_rows=frozenset(i for i, k in enumerate(FIGURES) if k in RATES),
        ),
        Table(
            "stages",
            t("report.stages"),
            [t("col.stage"), t("fig.on_time"), t("fig.late"), t("report.rate")],
            [[t("stage.dispatch"), *_tally(fig["dispatch"])]]
            + [[t(f"step.{s}"), *_tally(fig["stages"][s])] for s in TIMED_STEPS]
            + [
                [t("report.median"), fig["dispatch"]["median_s"], None, None],
                [t("report.p90"), fig["dispatch"]["p90_s"], None, None],
            ],
            frozenset({3}),
        ),
        Table(
            "ranking",
            t("report.ranking"),
            [t("col.rank"), t("col.township")] + [t(f"fig.{k}") for k in RANK_COLS],
            [
                [r["rank"] if r["rank"] is not None else "—", town(r["id"])] + [r[k] for k in RANK_COLS]
                for r in report["townships"]
            ],
            frozenset({6, 8, 9}),
        ),
        Table(
            "breaches",
            t("report.breaches"),
            [
                t("col.incident"),
                t("col.township"),
                t("col.category"),
                t("col.stage"),
                t("report.deadline"),
                t("report.done_at"),
                t("report.lateness"),
                t("report.status"),
                t("report.note"),
                t("report.proof"),
                t("report.photos"),
            ],
            [
                [
                    r["incident"],
                    town(r["township"]),
                    i18n.name("category", r["category"], lang),
                    t("stage.dispatch") if r["stage"] == "dispatch" else t(f"step.{r['stage']}"),
                    clock(r["deadline"]),
                    clock(r["done_at"]),
                    r["lateness_s"],
                    t(f"stage.{r['status']}"),
                    r["note"],
                    t(f"proof.{r['proof']}") if r["proof"] else "—",
                    len(r["photos"]),
                ]
                for r in report["breaches"]
            ],
        ),
        Table("reopened", t("report.reopened"), incident_cols, incident_rows(report["reopened"])),
        Table("flood", t("report.flood"), incident_cols, incident_rows(report["flood"])),
        Table(
            "flood_stages",
            t("report.flood_stages"),
            [t("report.time"), t("report.station"), t("report.flood_stage"), t("report.level"), t("col.incident")],
            [
                [
                    clock(r["at"]),
                    _station(district, r["station"], lang),
                    t(f"flood.{r['stage']}"),
                    r["level"],
                    r["incident"],
                ]
                for r in report["flood_stages"]
            ],
        ),
        Table("security", t("report.security"), incident_cols, incident_rows(report["security"])),
        Table(
            "halls",
            t("report.halls"),
            [
                t("report.hall"),
                t("col.township"),
                t("report.waiting"),
                t("report.longest_wait"),
                t("report.open_windows"),
                t("report.served"),
            ],
            [
                [
                    _hall(district, r["hall"], lang),
                    town(r["township"]),
                    r["waiting"],
                    r["longest_wait_s"],
                    f"{r['open_windows']}/{r['windows']}",
                    r["served"],
                ]
                for r in report["halls"]
            ],
        ),
        Table(
            "by_source",
            t("report.by_source"),
            [t("col.source"), t("report.count")],
            [[i18n.name("source", k, lang), n] for k, n in report["by_source"].items()],
        ),
        Table(
            "by_category",
            t("report.by_category"),
            [t("col.category"), t("report.count")],
            [[i18n.name("category", k, lang), n] for k, n in report["by_category"].items()],
        ),
        Table(
            "series",
            t("report.series"),
            [t("report.time"), t("fig.received")],
            [[clock(r["start"]), r["received"]] for r in report["received_series"]],
        ),
    ]


def title(report: dict[str, Any], district: District, lang: str) -> str:
    """Return the report's title: the district, daily or weekly, and the day."""
    name = district.name_en if lang == "en" else district.name_zh
    return i18n.t(f"report.{report['kind']}", lang, district=name, day=report["day"])


def subtitle(report: dict[str, Any], district: District, lang: str) -> str:
    """Return the line under the title: as of when, and the scope when it is one township."""
    line = i18n.t(
        "report.as_of", lang, time=_clock(report["utc_offset_h"], full=True)(report["as_of"]), seq=report["seq"]
    )
    if report.get("township"):
        line += "  " + i18n.t("report.scope", lang, township=township_name(district, report["township"], lang))
    return line


def _tally(t: dict[str, Any]) -> list[Any]:
    return [t["on_time"], t["late"], t["on_time_rate"]]


def _clock(utc_offset_h: float, full: bool = False) -> Callable[[float | None], str]:
    tz = timezone(timedelta(hours=utc_offset_h))
    fmt = "%Y-%m-%d %H:%M:%S" if full else "%m-%d %H:%M:%S"
    return lambda at: datetime.fromtimestamp(at, tz).strftime(fmt) if at is not None else ""


def _station(district: District, sid: str, lang: str) -> str:
    s = district.stations.get(sid)
    return (s.name_en if lang == "en" else s.name_zh) if s else sid


def _hall(district: District, hid: str, lang: str) -> str:
    h = district.halls.get(hid)
    return (h.name_en if lang == "en" else h.name_zh) if h else hid
