"""After action on the scripted day: the report is the KPI figure by figure; a replay is the live state it replays."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from application import report_pdf
from config import Settings
from tests.integration import scenario_day as day
from tests.integration.scenario_day import DISTRICT_TZ
from tests.integration.test_scenario_figures import assert_hand_computed, kpi
from web import views

MOMENTS = (95, 305, 555, 915, day.READ_AT)  # seconds after 09:00, none at a scripted step's own time
CMD = {"Authorization": "Bearer cmd"}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, simulator=False, api_tokens=day.TOKENS)


@pytest.fixture
def played(settings, clock, district):
    """Play the scripted day through the API, capturing what a live wall was sent at each of MOMENTS."""
    live: dict[int, dict] = {}

    def on_tick(onemap, at):
        if at in MOMENTS:
            live[at] = onemap.services.pusher.snapshot("all")

    p = day.play_day(settings, clock, district, on_tick)
    live[day.READ_AT] = p.onemap.services.pusher.snapshot("all")
    return p.onemap, p.client, p.start, live


def the_day(start: float) -> str:
    return datetime.fromtimestamp(start, DISTRICT_TZ).strftime("%Y-%m-%d")


def daily(client, start, fmt="json", token="cmd", lang="zh"):
    return client.get(
        f"/api/v1/reports/daily?day={the_day(start)}&format={fmt}&lang={lang}",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_daily_report_equals_the_kpi_of_the_day_figure_by_figure(played):
    _onemap, client, start, _live = played
    report = daily(client, start).get_json()
    figures = kpi(client, the_day(start))
    assert report["district"] == figures["district"] == day.EXPECTED_DISTRICT
    assert report["townships"] == figures["townships"]
    assert_hand_computed(report)


def test_the_report_lists_every_late_clock_the_figures_count_with_its_lateness_and_note(played):
    _onemap, client, start, _live = played
    report = daily(client, start).get_json()
    by_stage = {}
    for row in report["breaches"]:
        by_stage[row["stage"]] = by_stage.get(row["stage"], 0) + 1
    figures = report["district"]
    assert by_stage == {
        "dispatch": figures["dispatch"]["late"],
        **{s: t["late"] for s, t in figures["stages"].items() if t["late"]},
    }
    # B signed 40 s late in T01; D's second order signed 40 s late in T10, where it was worked.
    signs = sorted((r["township"], r["lateness_s"]) for r in report["breaches"] if r["stage"] == "sign")
    assert signs == [("T01", 40.0), ("T10", 40.0)]
    # C was reopened by its unsatisfied call-back, and the note given is that call-back's.
    assert [(r["township"], r["reopened"], r["note"]) for r in report["reopened"]] == [("T02", 1, "仍有问题")]
    assert report["by_source"] == {"12345": 11} and report["by_category"] == {"noise": 9, "elderly_help": 2}


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_replay_at_a_moment_equals_what_the_live_wall_was_sent_then(played, moment):
    _onemap, client, start, live = played
    r = client.get(f"/api/v1/replay?at={start + moment}", headers=CMD)
    assert r.status_code == 200
    body = r.get_json()
    assert body["replay"] is True
    key = lambda e: f"{e['kind']}:{e['id']}"  # noqa: E731
    assert {key(e): e for e in body["entities"]} == {key(e): e for e in live[moment]["entities"]}
    assert body["seq"] == live[moment]["seq"]


def test_a_replay_is_the_same_with_checkpoints_every_few_events_and_without(played):
    onemap, _client, start, live = played
    from application.replay import Replayer

    for every in (1, 7, 1_000_000):
        replayer = Replayer(
            onemap.services.store.log,
            onemap.services.district,
            onemap.services.settings.sla_policy.dispatch_s,
            every=every,
        )
        for moment in MOMENTS:
            state = replayer.at(start + moment)
            assert views.snapshot(state, start + moment, 8.0, "all") == live[moment], (every, moment)


def test_a_township_reads_only_its_own_part_and_no_other_township(played):
    _onemap, client, start, _live = played
    own = daily(client, start, token="t01").get_json()
    assert [r["id"] for r in own["townships"]] == ["T01"] and own["township"] == "T01"
    assert {r["township"] for r in own["breaches"]} == {"T01"}
    asked = client.get(
        f"/api/v1/reports/daily?day={the_day(start)}&township=T02", headers={"Authorization": "Bearer t01"}
    )
    assert asked.status_code == 403
    replay = client.get(f"/api/v1/replay?at={start + 500}", headers={"Authorization": "Bearer t01"}).get_json()
    assert all(
        e.get("township") == "T01" or (e.get("order") or {}).get("township") == "T01"
        for e in replay["entities"]
        if e["kind"] == "incident"
    )


def test_a_source_system_may_neither_read_reports_nor_replay(played):
    _onemap, client, start, _live = played
    assert daily(client, start, token="sys").status_code == 403
    assert client.get(f"/api/v1/replay?at={start}", headers={"Authorization": "Bearer sys"}).status_code == 403
    assert client.get(f"/api/v1/replay?at={start}").status_code == 401


def test_the_pdf_has_the_chinese_title_figures_and_township_names_as_text(played):
    _onemap, client, start, _live = played
    r = daily(client, start, fmt="pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    for words in ("每日运行报告", "全区指标", "镇街排名", "超时明细", "派单按时率"[:2], "签收", "噪声扰民"):
        assert words in text, words


def test_the_pdf_in_english_on_request(played):
    _onemap, client, start, _live = played
    text = PdfReader(io.BytesIO(daily(client, start, fmt="pdf", lang="en").data)).pages[0].extract_text()
    assert "daily report" in text and "District figures" in text


def test_the_fallback_cid_font_still_makes_a_pdf_with_chinese_text(played):
    onemap, client, start, _live = played
    report = daily(client, start).get_json()
    pdf = report_pdf.render(report, onemap.services.district, "zh", font_name=report_pdf.font(prefer_embedded=False))
    assert "全区指标" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_workbook_has_a_sheet_per_table_with_the_figures(played):
    _onemap, client, start, _live = played
    wb = load_workbook(io.BytesIO(daily(client, start, fmt="xlsx").data))
    assert wb.sheetnames == [
        "summary",
        "stages",
        "ranking",
        "breaches",
        "reopened",
        "flood",
        "flood_stages",
        "security",
        "halls",
        "by_source",
        "by_category",
        "series",
    ]
    summary = {row[0]: row[1] for row in wb["summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["接报"] == 11 and summary["派单"] == 7 and summary["按时率"] == 0.5
    ranking = list(wb["ranking"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in ranking[:3]] == [(1, "东湖街道"), (1, "西湖街道"), (3, "城关街道")] or ranking[0][
        0
    ] == 1
    assert wb["breaches"].max_row - 3 == len(daily(client, start).get_json()["breaches"])


def test_the_csv_holds_every_table_in_utf8_for_excel(played):
    _onemap, client, start, _live = played
    text = daily(client, start, fmt="csv").data.decode("utf-8-sig")
    assert "# summary,全区指标" in text and "# breaches,超时明细" in text and "噪声扰民" in text


def test_the_day_files_are_kept_in_the_data_directory_once(played, settings, clock):
    onemap, _client, start, _live = played
    reports = onemap.services.reports
    clock.now = start + 86400  # the next day: the scripted day is over
    paths = reports.make_due()
    assert [p.name for p in paths] == [f"{the_day(start)}.{f}" for f in ("pdf", "xlsx", "csv")]
    assert all(p.parent == settings.data_dir / "reports" and p.stat().st_size > 0 for p in paths)
    stamps = [p.stat().st_mtime_ns for p in paths]
    assert reports.make_due() == paths and [p.stat().st_mtime_ns for p in paths] == stamps


def test_the_weekly_report_counts_the_scripted_day_within_its_seven_days(played):
    _onemap, client, start, _live = played
    r = client.get(f"/api/v1/reports/weekly?start={the_day(start)}", headers=CMD).get_json()
    assert r["kind"] == "weekly" and r["end"] - r["start"] == 7 * 86400
    assert r["district"] == day.EXPECTED_DISTRICT and len(r["received_series"]) == 7
    assert r["received_series"][0]["received"] == 11
    assert client.get("/api/v1/reports/weekly?week=2026-W47", headers=CMD).get_json()["day"] == "2026-11-16"


def test_manage_report_writes_a_day_s_files_from_the_log(played, settings, monkeypatch, capsys):
    import manage

    _onemap, _client, start, _live = played
    monkeypatch.setenv("ONEMAP_DATA_DIR", str(settings.data_dir))
    assert manage.main(["report", "--day", the_day(start), "--lang", "en"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(settings.data_dir / "reports" / f"{the_day(start)}.{f}") for f in ("pdf", "xlsx", "csv")]
    assert "District figures" in (settings.data_dir / "reports" / f"{the_day(start)}.csv").read_text("utf-8-sig")
