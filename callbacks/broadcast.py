"""The console's broadcast form: the levels of the chosen kind (clientside) and sending (server)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, no_update

from application.services import Services
from callbacks.common import lang_of, page_actor, remote
from callbacks.guard import CONSOLE, Access, Guarded
from i18n import t
from layouts import ids
from layouts.common import error_message, outcome_message

LEVELS_OF_KIND = """function (kind, levels) {
  var options = (levels || {})[kind] || [];
  return [options, options.length ? options[0].value : null];
}"""


def send(
    services: Services,
    n_clicks: int | None,
    command_id: str | None,
    kind: str,
    level: str,
    scope: str,
    towns: list[str] | None,
    message: str | None,
    lang: str,
) -> tuple[Any, Any, Any, Any]:
    """Send the broadcast; return (form message, dialog hidden, console message, message box value)."""
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    chosen: list[str] | str = "all" if scope == "all" else sorted(towns or [])
    if not chosen:
        return error_message(t("bcast.pick_towns", lang)), no_update, no_update, no_update
    # The browser made the command id when the form opened: a double click on send is a duplicate.
    outcome = services.commands.broadcast(page_actor(), kind, level, chosen, message or "", command_id or "", remote())
    n = len(services.district.townships) if chosen == "all" else len(chosen)
    answer = outcome_message(outcome, t("bcast.sent", lang, n=n), lang)
    if not outcome.ok:
        return answer, no_update, no_update, no_update
    return None, True, answer, ""


def register(app: Guarded, services: Services) -> None:
    """Register the broadcast form's callbacks."""
    app.clientside_callback(
        LEVELS_OF_KIND,
        Output(ids.BCAST_LEVEL, "options"),
        Output(ids.BCAST_LEVEL, "value"),
        Input(ids.BCAST_KIND, "value"),
        State(ids.BCAST_LEVELS, "data"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.BCAST_RESULT, "children"),
        Output(ids.BCAST_DIALOG, "hidden"),
        Output(ids.CMD_RESULT, "children", allow_duplicate=True),
        Output(ids.BCAST_MSG, "value"),
        Input(ids.BCAST_SEND, "n_clicks"),
        State(ids.BCAST_CMD, "data"),
        State(ids.BCAST_KIND, "value"),
        State(ids.BCAST_LEVEL, "value"),
        State(ids.BCAST_SCOPE, "value"),
        State(ids.BCAST_TOWNS, "value"),
        State(ids.BCAST_MSG, "value"),
        State(ids.I18N, "data"),
        prevent_initial_call=True,
        access=Access(CONSOLE),
    )(
        lambda n, cid, kind, level, scope, towns, msg, i18n: send(
            services, n, cid, kind, level, scope, towns, msg, lang_of(i18n)
        )
    )
