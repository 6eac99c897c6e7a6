"""Every UI string the code asks for by its literal key is in the catalog, in Chinese and in English."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import i18n
from domain.catalog import CATEGORIES, SOURCES, TEAM_KINDS

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("application", "callbacks", "layouts", "web", "streams", "store", "domain", "geo")
# t("key"), tr('key'), i18n.t("key", lang), ui().t("key"): a literal key, not a prefix the code completes.
KEY = re.compile(r"""\b(?:t|tr)\(\s*["']([a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]*[A-Za-z0-9])+)["']""")
ERROR_CODE = re.compile(r"""\bi18n\.error\(\s*["']([a-z_]+)["']""")
# Keys the browser gets besides the catalog's (layouts.common.browser_catalog): the district's own names.
DISTRICT_KEYS = re.compile(r"^(township\.[A-Z0-9]+|district\.name)$")


def _sources(suffix: str, dirs: tuple[str, ...]) -> list[Path]:
    files = [p for d in dirs for p in (ROOT / d).rglob(f"*{suffix}")]
    return files + [p for p in ROOT.glob(f"*{suffix}") if p.name != "i18n.py"]


def _server_sources() -> list[Path]:
    """Return the Python code and the pages' templates (they call t("key") too)."""
    return _sources(".py", CODE_DIRS) + sorted((ROOT / "web" / "templates").glob("*.html"))


def _keys(files: list[Path]) -> dict[str, str]:
    """Return each literal key and the first file that asks for it."""
    found: dict[str, str] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        keys = KEY.findall(text) + [f"error.{c}" for c in ERROR_CODE.findall(text)]
        for key in keys:
            found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def test_the_code_asks_for_many_keys_so_the_scan_finds_them() -> None:
    assert len(_keys(_server_sources())) > 200 and len(_keys(_sources(".js", ("assets",)))) > 50


def test_every_key_the_python_code_and_the_templates_ask_for_is_in_the_catalog_in_both_languages() -> None:
    missing = {k: f for k, f in _keys(_server_sources()).items() if not (k in i18n.STRINGS and all(i18n.STRINGS[k]))}
    assert not missing, missing


def test_every_key_the_browser_asks_for_is_in_the_catalog_it_is_sent_in_both_languages() -> None:
    asked = {k: f for k, f in _keys(_sources(".js", ("assets",))).items() if "/vendor/" not in f}
    for lang in i18n.LANGS:
        sent = i18n.catalog(lang)
        missing = {k: f for k, f in asked.items() if not sent.get(k) and not DISTRICT_KEYS.match(k)}
        assert not missing, (lang, missing)


def test_the_catalog_names_every_category_source_and_team_kind_in_both_languages() -> None:
    for lang in i18n.LANGS:
        sent = i18n.catalog(lang)
        keys = [f"category.{c}" for c in CATEGORIES] + [f"source.{s}" for s in SOURCES]
        keys += [f"team_kind.{k}" for k in TEAM_KINDS]
        assert all(sent[k] and sent[k] != k for k in keys), lang


def test_a_missing_key_is_an_error_under_tests() -> None:
    with pytest.raises(i18n.MissingKey):
        i18n.t("no.such.key", "en")


def test_a_missing_key_in_production_shows_the_key_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    i18n.set_strict(False)
    try:
        with caplog.at_level(logging.WARNING, logger="i18n"):
            shown = [i18n.t("no.such.key.logged", "zh"), i18n.t("no.such.key.logged", "en")]
    finally:
        i18n.set_strict(True)
    assert shown == ["no.such.key.logged"] * 2
    assert [r.getMessage() for r in caplog.records].count(
        "i18n: no string for 'no.such.key.logged'; the key is shown instead"
    ) == 1


def test_every_role_has_a_name_in_both_languages() -> None:
    from domain.model import Role

    assert all(i18n.t(f"role.{r.value}", lang) for r in Role for lang in i18n.LANGS)
