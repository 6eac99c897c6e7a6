"""The constructed month's assessment through the store (restart, snapshot, replay), the API and the report files."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app import create_app
from application.replay import Replayer
from config import Settings
from domain.assessment import Books, assess
from domain.periods import period
from domain.scoring import AssessmentPolicy
from store.log import EventLog
from store.store import Store
from tests import month
from tests.support import Clock

NOVEMBER = period("month", date(2026, 11, 15))
TOKENS = {"cmd": "commander", "t01": "township:T01", "wall": "wall", "sys": "system", "lead": "duty_leader"}
URL = "/api/v1/assessment?period=month&day=2026-11-15"


def scores(books: Books) -> dict[str, float | None]:
    return {r["id"]: r["score"] for r in assess(books, NOVEMBER, AssessmentPolicy())["townships"] if r["score"]}


def test_the_months_scores_hold_across_a_restart_from_a_snapshot_a_full_replay_and_a_replay(engine, district):
    events = month.events()
    first = Store(EventLog(engine), district)
    first.append(events[: len(events) // 2])
    first.take_snapshot(events[len(events) // 2].at)
    first.append(events[len(events) // 2 :])
    started = Store(EventLog(engine), district)
    replayed = Store(EventLog(engine), district, snapshots=False)
    assert started.started_from > 0 and replayed.started_from == 0
    for store in (first, started, replayed):
        assert scores(store.read(Books.of)) == month.EXPECTED_SCORES
    replayer = Replayer(EventLog(engine), district, {})
    assert scores(Books.of(replayer.at(month.local(12, 6, 0)))) == month.EXPECTED_SCORES
    # At midnight A2 (ordered 23:55) is on site and not yet resolved nor called back: T01 resolution (3+5)/(4+5),
    # satisfaction 3/4: 27 + 31.11 + 26.25.
    assert scores(Books.of(replayer.at(month.local(12, 1, 0)))) == {**month.EXPECTED_SCORES, "T01": 84.36}
    before_a4s_reopening = Books.of(replayer.at(month.local(11, 9, 8, 30)))
    # A1 and A3 called back satisfied, A4 resolved and not yet called back: response 5/6 of 30, the rest whole.
    assert scores(before_a4s_reopening) == {"T01": 95.0}


@pytest.fixture(scope="module")
def onemap(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("assess"), simulator=False, api_tokens=TOKENS)
    onemap = create_app(settings, Clock(month.local(12, 6, 10)))
    onemap.services.store.append(month.events())
    return onemap


@pytest.fixture(scope="module")
def client(onemap):
    return onemap.server.test_client()


def get(client, url: str, token: str = "cmd"):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def test_the_api_answers_the_hand_computed_month_with_its_ranking_and_boards(client):
    body = get(client, URL).get_json()
    assert body["period"] == "2026-11"
    got = {r["id"]: (r["score"], r["rank"]) for r in body["townships"] if r["score"] is not None}
    assert got == {t: (s, month.EXPECTED_RANKS[t]) for t, s in month.EXPECTED_SCORES.items()}
    assert (body["red"], body["black"]) == (["T01", "T03", "T02"], [])


def test_a_township_gets_its_own_card_and_nothing_of_another(client):
    own = get(client, URL, "t01").get_json()["township"]
    assert (own["id"], own["score"], {x["incident"]: x["points"] for x in own["lost"]}) == (
        "T01",
        90.0,
        month.EXPECTED_LOST["T01"],
    )
    assert get(client, URL + "&township=T02", "t01").status_code == 403
    assert get(client, URL + "&township=T02").get_json()["township"]["score"] == 73.75


@pytest.mark.parametrize("token", ["wall", "sys"])
def test_a_wall_or_a_source_system_may_not_read_the_assessment(client, token):
    assert get(client, URL, token).status_code == 403


@pytest.mark.parametrize("query", ["period=fortnight", "day=2026-02-30", "period=month&day=0001-01-01"])
def test_a_bad_period_or_day_is_refused_with_its_reason(client, query):
    r = get(client, f"/api/v1/assessment?{query}")
    assert r.status_code == 400 and r.get_json()["error"]


def test_the_months_workbook_and_csv_hold_the_pages_figures(client):
    body = get(client, URL).get_json()
    sheet = load_workbook(io.BytesIO(get(client, URL + "&format=xlsx&lang=en").data))["ranking"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    by_name = {r[1]: (r[0], r[2]) for r in rows}
    names = {t: n for t, n in (("T01", "Yunhu Subdistrict"), ("T02", "Chengdong Subdistrict"))}
    for tid, name in names.items():
        row = next(r for r in body["townships"] if r["id"] == tid)
        assert by_name[name] == (row["rank"], row["score"])
    lost = load_workbook(io.BytesIO(get(client, URL + "&format=xlsx").data))["lost"]
    points = {r[2].value: r[4].value for r in lost.iter_rows(min_row=4)}
    assert points == {i: p for town in month.EXPECTED_LOST.values() for i, p in town.items()}
    text = get(client, URL + "&format=csv").data.decode("utf-8-sig")
    assert ["# lost", "失分明细（逐件）"] in list(csv.reader(io.StringIO(text)))


def test_the_months_pdf_names_each_township_with_its_score(client):
    pdf = PdfReader(io.BytesIO(get(client, URL + "&format=pdf&lang=en").data))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "township assessment · 2026-11" in text
    assert all(f"{s:g}" in text for s in month.EXPECTED_SCORES.values())


def test_once_a_month_is_over_its_files_are_written_once_with_the_pages_figures(onemap, client):
    s = onemap.services
    pdf, xlsx = s.assessments.write_due(s.settings.data_dir, s.district)
    assert (pdf.name, xlsx.name) == ("assessment-2026-11.pdf", "assessment-2026-11.xlsx")
    ranking = load_workbook(xlsx)["ranking"]
    written = [(r[0].value, r[2].value) for r in ranking.iter_rows(min_row=4, max_row=6)]
    assert written == [(1, 90.0), (2, 75.0), (3, 73.75)]
    mtime = pdf.stat().st_mtime_ns
    assert s.assessments.write_due(s.settings.data_dir, s.district) == [pdf, xlsx] and pdf.stat().st_mtime_ns == mtime


def test_the_trend_gives_each_months_scores_oldest_first_and_a_township_only_its_own(client):
    body = get(client, "/api/v1/assessment/trend?period=month&day=2026-11-15&count=3").get_json()
    assert [r["period"] for r in body["trend"]] == ["2026-09", "2026-10", "2026-11"]
    assert [r["townships"]["T01"]["score"] for r in body["trend"]] == [None, 100.0, 90.0]
    assert [r["townships"]["T02"]["rank"] for r in body["trend"]] == [None, 2, 3]
    own = get(client, "/api/v1/assessment/trend?period=month&day=2026-11-15&count=2", "t01").get_json()
    assert all(set(r["townships"]) == {"T01"} for r in own["trend"])
    assert get(client, "/api/v1/assessment/trend?count=37").status_code == 400


def test_the_months_workbook_says_where_disputes_ended_as_the_page_does(client):
    body = get(client, URL).get_json()
    sheet = load_workbook(io.BytesIO(get(client, URL + "&format=xlsx&lang=en").data))["sources"]
    rows = {r[0].value: (r[1].value, r[2].value) for r in sheet.iter_rows(min_row=4)}
    assert rows["District"] == (body["district"]["on_spot_share"], body["district"]["flows_out"]) == (0.5714, 3)
    assert rows["Yunhu Subdistrict"] == (0.75, 1) and rows["Source: 12345 citizen hotline"] == (0.6, 2)
