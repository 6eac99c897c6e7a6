"""The recurring problems' panel (the console, the analytics view): assets/recurring.js draws its rows, keyed, and
opens a problem's reports in time order in its dialog; the rule in force is written under the list."""

from __future__ import annotations

from dash import html

from application.services import Services
from i18n import t
from layouts.common import panel


def rule(services: Services, lang: str) -> str:
    """Return the definition in force (R, N, D of the policy file's "recurring"), as the glossary words it."""
    policy = services.district.recurring
    return t("recur.rule", lang, radius=f"{policy.radius_m:g}", count=policy.count, days=f"{policy.days:g}")


def recurring_panel(services: Services, lang: str, host_id: str, count_id: str, class_name: str = "") -> html.Section:
    """Return the panel of recurring problems: its list (drawn into host_id), its count and the rule under it."""
    body = [html.Div(id=host_id, className="om-recur-list"), html.Div(rule(services, lang), className="om-recur-rule")]
    count = html.Span(id=count_id, className="om-panel-count om-recur-total")
    return panel(t("recur.title", lang), body, f"om-recur-panel {class_name}".strip(), extra=count)
