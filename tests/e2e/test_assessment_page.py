"""The assessment page `/assessment` in real Chromium on the constructed November 2026 (tests/month.py, computed by
hand): the ranking, the boards, where disputes ended (三源), the trend and a township's card as the page shows them, in
Chinese and in English; a township's operator sees its own card and line and nothing of the other townships."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from layouts import trend
from layouts.scores import score
from tests import month

from .assessment_reads import endings, heat_row, periods_ending
from .november_app import NOVEMBER, running_november_app

pytestmark = pytest.mark.e2e
WAIT_MS = 30_000
ALARM = "rgb(239, 68, 68)"  # --bad in assets/onemap.css: every late thing of the product
LATE_REASONS_ZH = {"回应超时", "到场超时", "签收超时", "流转超时"}


@pytest.fixture(scope="module")
def november(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a log holding the constructed month; yield its URL."""
    with running_november_app(tmp_path_factory.mktemp("assessment")) as url:
        yield url


def _open(open_page: Callable[..., Any], url: str, lang: str = "zh", township: str | None = None, **kw: Any) -> Any:
    """Open November's page (or kw["query"]'s) signed in, once the server filled it; return (page, script errors)."""
    page, errors = open_page(f"{url}/assessment?{kw.get('query', NOVEMBER)}&lang={lang}", township=township)
    page.wait_for_selector(".om-assess-card" if township else ".om-assess-row", timeout=WAIT_MS)
    return page, errors


def _cell(page: Any, township: str, column: str) -> str:
    return page.inner_text(f"tr[data-township={township}] td.om-at-{column}").strip()


def _card(page: Any, township: str) -> dict[str, str]:
    """Click a township's row, wait for its card; return the points each incident lost, as the card shows them."""
    page.click(f"tr[data-township={township}]")
    page.wait_for_selector(f".om-assess-card[data-township={township}]", timeout=WAIT_MS)
    return _lost(page)


def _lost(page: Any) -> dict[str, str]:
    rows = page.query_selector_all(".om-assess-lost tbody tr")
    return {r.get_attribute("data-incident"): r.query_selector("td:last-child").inner_text().strip() for r in rows}


def _expected_lost(township: str) -> dict[str, str]:
    return {iid: score(points) for iid, points in month.EXPECTED_LOST[township].items()}


def test_the_ranking_shows_the_hand_computed_scores_ranks_and_changes_and_none_for_nothing_judged(
    november: str, open_page: Callable[..., Any], district: Any, artifacts: Path
) -> None:
    page, errors = _open(open_page, november)
    order = page.eval_on_selector_all("tr.om-assess-row", "rows => rows.map(r => r.dataset.township)")
    assert len(order) == 11 and order[:3] == ["T01", "T03", "T02"]
    assert {t: _cell(page, t, "score") for t in month.EXPECTED_SCORES} == {
        t: score(s) for t, s in month.EXPECTED_SCORES.items()
    }
    assert {t: _cell(page, t, "rank") for t in month.EXPECTED_RANKS} == {
        t: str(r) for t, r in month.EXPECTED_RANKS.items()
    }
    assert _cell(page, "T01", "township") == district.townships["T01"].name_zh
    # Nothing judged: no score and no rank, never a 0 that would read as a township that failed everything.
    assert (_cell(page, "T04", "score"), _cell(page, "T04", "rank")) == ("—", "—")
    # Against October (T01 100, rank 1; T02 85, rank 2): T01 -10 and the same rank, T02 -11.25 and down one.
    assert (_cell(page, "T01", "score_change"), _cell(page, "T01", "rank_change")) == ("▼ 10.0", "=")
    assert (_cell(page, "T02", "score_change"), _cell(page, "T02", "rank_change")) == ("▼ 11.25", "↓1")
    assert (_cell(page, "T03", "score_change"), _cell(page, "T03", "rank_change")) == ("—", "—")
    rates = [_cell(page, "T01", c) for c in ("response", "resolution", "satisfaction", "reopen", "return")]
    assert rates == ["90.0%", "100.0%", "80.0%", "20.0%", "0.0%"]
    page.screenshot(path=str(artifacts / "assessment-zh.png"))
    assert not errors, errors


def test_late_stages_show_in_the_alarm_colour_and_the_boards_hold_the_top_and_the_bottom(
    november: str, open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, november)
    assert _cell(page, "T03", "breaches") == "2"  # C1 responded late and breached on site
    late = "tr[data-township=T03] .om-assess-late"
    assert page.eval_on_selector(late, "e => getComputedStyle(e).backgroundColor") == ALARM
    assert page.query_selector("tr[data-township=T04] .om-assess-late") is None
    red = page.eval_on_selector_all(".om-assess-red li", "els => els.map(e => e.dataset.township)")
    assert red == ["T01", "T03", "T02"]
    # Three townships ranked, three on the red list: none left for the black list, and it says so.
    assert page.query_selector(".om-assess-black li") is None and "暂无" in page.inner_text(".om-assess-black")
    figures = page.eval_on_selector_all(".om-assess-figures .om-assess-fig > b", "els => els.map(e => e.innerText)")
    assert figures[1:3] == ["9", "10"] and figures[-1] == "3/11"  # received, orders (reopened and handed on too)
    assert not errors, errors


def test_a_township_card_lists_every_incident_that_lost_points_with_its_reasons_and_its_replay(
    november: str, open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, november)
    for township in ("T01", "T02", "T03"):
        assert _card(page, township) == _expected_lost(township), township
    assert page.inner_text(".om-card-score") == "75.0"
    row = ".om-assess-lost tr[data-incident=C1]"
    reasons = page.eval_on_selector_all(f"{row} .om-reason", "els => els.map(e => e.innerText)")
    assert reasons == ["回应超时", "到场超时", "未办结"]
    colours = page.eval_on_selector_all(f"{row} .om-reason", "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert [c == ALARM for c in colours] == [r in LATE_REASONS_ZH for r in reasons]
    assert page.get_attribute(f"{row} a", "href") == "/replay?incident=C1"
    assert page.inner_text(f"{row} td:first-child") == "2026-11-20"  # the local day it was ordered
    assert page.query_selector("tr.om-assess-row.om-selected[data-township=T03]") is not None
    assert not errors, errors


def test_the_page_reads_the_same_in_english(
    november: str, open_page: Callable[..., Any], district: Any, artifacts: Path
) -> None:
    page, errors = _open(open_page, november, "en")
    assert _cell(page, "T02", "township") == district.townships["T02"].name_en
    assert _cell(page, "T02", "score") == "73.75" and _cell(page, "T02", "rank") == "3"
    assert page.inner_text(".om-assess-red h2") == "Red list (top)"
    assert _card(page, "T03") == _expected_lost("T03")
    reasons = page.eval_on_selector_all(".om-assess-lost .om-reason", "els => els.map(e => e.innerText)")
    assert reasons == ["Responded late", "On site late", "Not resolved"]
    assert "2026-11 (2026-11-01 to 2026-11-30)" in page.inner_text(".om-assess-label")
    assert endings(page, ".om-assess-card") | {"sources": None} == {
        "share": "0.0%", "of": "0 of 1", "flows": "1", "sources": None,
        "outcomes": {"law_enforcement": "1", "court_mediation": "0", "petition": "0", "department": "0"},
    }  # fmt: skip
    assert page.inner_text(".om-assess-ends tr[data-source=grid] td") == "Grid platform"
    page.screenshot(path=str(artifacts / "assessment-en.png"))
    assert not errors, errors


def test_a_township_operator_sees_its_own_card_and_nothing_of_the_other_townships(
    november: str, open_page: Callable[..., Any], district: Any
) -> None:
    page, errors = _open(open_page, november, township="T02")
    asked: list[str] = []
    page.on("request", lambda r: "/_dash-update-component" in r.url and asked.append(r.post_data or ""))
    page.reload()  # once more, listening: the district's callback is never even asked for
    page.wait_for_selector(".om-assess-card[data-township=T02]", timeout=WAIT_MS)
    page.wait_for_selector(".om-heat tr[data-township=T02]", timeout=WAIT_MS)
    assert page.inner_text(".om-card-score") == "73.75" and _lost(page) == _expected_lost("T02")
    assert heat_row(page, "[data-township=T02]")[-2:] == ["85.0", "73.75"]  # its own line: October, November
    assert heat_row(page, "[data-row=on_spot_share]")[-2:] == ["100.0%", "57.1%"]  # and the district's
    assert endings(page, ".om-assess-card")["of"] == "1 / 2 件"  # its own 三源: B3 on the spot, B1 to petitions
    towns = page.eval_on_selector_all("[data-township]", "els => [...new Set(els.map(e => e.dataset.township))]")
    assert towns == ["T02"]
    assert page.query_selector(".om-assess-ranking, .om-assess-board, .om-assess-figures") is None
    text = page.inner_text("body")
    assert not [t.name_zh for tid, t in district.townships.items() if tid != "T02" and t.name_zh in text]
    assert page.query_selector(".om-assess-lost a") is None  # the replay page is not a room's: no dead link
    assert asked and not [body for body in asked if "assess-table" in body]
    assert not errors, errors


def test_picking_another_period_shows_its_scores(november: str, open_page: Callable[..., Any]) -> None:
    page, errors = _open(open_page, november)
    _card(page, "T02")
    page.fill("input#assess-day", "2026-10-15")
    page.wait_for_function(
        "() => document.querySelector('tr[data-township=T02] td.om-at-score')?.innerText === '85.0'", timeout=WAIT_MS
    )
    assert (_cell(page, "T01", "score"), _cell(page, "T01", "rank")) == ("100.0", "1")
    assert (_cell(page, "T02", "rank"), _cell(page, "T03", "score")) == ("2", "—")
    # The open card follows the period (its own answer, with the period's label): T02's October, O2 signed late
    # (15 + 35 + 35), its row still marked.
    page.wait_for_function("() => document.querySelector('.om-card-score')?.innerText === '85.0'", timeout=WAIT_MS)
    page.wait_for_selector("tr.om-assess-row.om-selected[data-township=T02]", timeout=WAIT_MS)
    assert _lost(page) == {"O2": "15.0"} and page.inner_text(".om-assess-label").startswith("2026-10")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.om-heat thead th')].pop()?.innerText === '2026-10'", timeout=WAIT_MS
    )
    assert heat_row(page, "[data-township=T01]")[-1] == "100.0"  # the trend now ends with October
    assert not errors, errors


@pytest.mark.parametrize("query", ["period=month&day=2026-13-45", "period=decade&day=2026-11-15"])
def test_a_bad_period_in_the_address_is_said_and_this_month_shown_instead(
    november: str, open_page: Callable[..., Any], query: str
) -> None:
    page, errors = _open(open_page, november, query=query)
    said = page.inner_text(".om-assess-bar .om-msg-error")
    assert ("YYYY-MM-DD" in said) if "13-45" in query else ("week" in said and "year" in said)
    assert len(page.query_selector_all("tr.om-assess-row")) == 11  # this month's ranking, not a guess at the link's
    assert not errors, errors


def test_where_disputes_ended_shows_the_districts_hand_computed_on_spot_share_flows_out_and_sources(
    november: str, open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, november)
    page.wait_for_selector(".om-assess-ends .om-end-share", timeout=WAIT_MS)
    # November (tests/month.py): 4 of 7 on the spot; B2 to law enforcement, A3 to the courts, B1 to petitions.
    assert endings(page, ".om-assess-ends") == {
        "share": "57.1%", "of": "4 / 7 件", "flows": "3",
        "outcomes": {"law_enforcement": "1", "court_mediation": "1", "petition": "1", "department": "0"},
        "sources": {"110": ["0", "1", "0.0%"], "12345": ["3", "2", "60.0%"], "grid": ["1", "0", "100.0%"]},
    }  # fmt: skip
    shares = {t: _cell(page, t, "on_spot") for t in ("T01", "T02", "T03", "T04")}
    assert shares == {"T01": "75.0%", "T02": "50.0%", "T03": "0.0%", "T04": "—"}  # nothing recorded: no share
    _card(page, "T01")
    card = endings(page, ".om-assess-card")
    assert (card["share"], card["of"], card["flows"]) == ("75.0%", "3 / 4 件", "1")  # A3 to the courts
    assert card["sources"]["12345"] == ["3", "1", "75.0%"] and card["sources"]["110"] == ["0", "0", "—"]
    assert not errors, errors


def test_the_trend_shows_each_townships_score_and_the_districts_on_spot_share_over_the_periods_asked_for(
    november: str, open_page: Callable[..., Any]
) -> None:
    page, errors = _open(open_page, november)
    page.wait_for_selector(".om-heat tr[data-township=T01]", timeout=WAIT_MS)
    kind = page.eval_on_selector("#assess-kind input:checked", "e => e.value")  # the period the page asks for
    count = int(page.get_attribute(".om-heat", "data-count") or 0)
    assert (kind, count) == ("month", trend.COUNTS["month"])
    labels = page.eval_on_selector_all(".om-heat thead th", "els => els.slice(1).map(e => e.innerText)")
    assert labels == periods_ending("month", "2026-11-15", count)  # oldest first, November last
    assert heat_row(page, "[data-township=T01]") == ["—"] * (count - 2) + ["100.0", "90.0"]
    assert heat_row(page, "[data-row=on_spot_share]")[-2:] == ["100.0%", "57.1%"]  # October: O1 and O2 on the spot
    towns = page.eval_on_selector_all(".om-heat tr[data-township]", "els => els.map(e => e.dataset.township)")
    assert towns[:3] == ["T01", "T03", "T02"] and len(towns) == 11  # November's rank order, then the rest
    assert not errors, errors
