"""The console's early warnings: a row's acknowledge button relays its click to a store (assets/keyed.js); it acts here."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, no_update

from application.services import Services
from callbacks.common import lang_of, page_actor, remote
from callbacks.guard import CONSOLE, Access, Guarded
from callbacks.live import row_action
from i18n import name, t
from layouts import ids
from layouts.common import outcome_message, township_name


def ack_command_id(warning_id: str) -> str:
    """Return the idempotency key of an acknowledgement: once per warning, however often its button is clicked."""
    return f"{warning_id}.ack"


def acknowledge(services: Services, action: dict[str, str] | None, lang: str, done: int | None) -> tuple[Any, Any]:
    """Acknowledge the warning a row's button names; return (the result line, the bumped counter)."""
    if action is None:
        return no_update, no_update
    wid = action["warning"]
    outcome = services.commands.acknowledge_warning(page_actor(), wid, "", ack_command_id(wid), remote())
    w = services.store.read(lambda state: state.warnings.get(wid))
    what = f"{township_name(services, w.township, lang)} · {name('category', w.category, lang)}" if w else wid
    return outcome_message(outcome, t("warn.done", lang, what=what), lang), (done or 0) + 1


def register(app: Guarded, services: Services) -> None:
    """Register the acknowledge button's server callback: the console's roles only, checked before anything is read."""
    app.callback(
        Output(ids.CMD_RESULT, "children", allow_duplicate=True),
        Output(ids.CMD_DONE, "data", allow_duplicate=True),
        Input(ids.CMD_WARN_ACK, "data"),
        State(ids.I18N, "data"),
        State(ids.CMD_DONE, "data"),
        prevent_initial_call=True,
        access=Access(CONSOLE),
    )(lambda action, i18n, n: acknowledge(services, row_action(action, ("warning",)), lang_of(i18n), n))
