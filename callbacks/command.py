"""The commander console's server side: the detail panel and every one-click command on it."""

from __future__ import annotations

from typing import Any

from dash import ALL, Input, Output, State, ctx, no_update

from application.commands import Outcome
from application.services import Services
from callbacks.common import clicked, lang_of, page_actor, remote
from callbacks.guard import CONSOLE, Access, Guarded, Target
from callbacks.live import row_action
from i18n import t
from layouts import ids
from layouts import incident as view
from layouts.common import outcome_message, township_name


def order_command_id(incident_id: str, earlier_orders: int = 0) -> str:
    """Return the idempotency key of an order: a double click never issues twice."""
    return f"{incident_id}.order.{earlier_orders}"


def action_command_id(incident_id: str, action: str, orders: int) -> str:
    """Return the idempotency key of a feedback, close or cancel: once per order of the incident."""
    return f"{incident_id}.{action}.{orders}"


def _incident(services: Services, incident_id: str) -> Any:
    return services.store.read(lambda state: state.incidents.get(incident_id))


def _orders(incident: Any) -> int:
    return 0 if incident is None else len(incident.history) + (incident.order is not None)


def show_detail(services: Services, incident_id: str | None, lang: str) -> Any:
    """Return the detail panel of an incident: facts, suggestions or progress, duplicates, cancel."""
    if not incident_id:
        return view.select_hint(lang)
    incident = _incident(services, incident_id)
    waiting = incident is not None and incident.order is None
    suggestions = services.commands.suggest(incident_id) if waiting else []
    s = services.settings
    dups = services.commands.merge_candidates(incident_id, s.merge_within_m, s.merge_within_s) if incident else []
    candidates = [c for c in (_incident(services, d) for d in dups) if c is not None]
    return view.detail(services, incident, suggestions, lang, candidates)


def _answer(outcome: Outcome, text: str, lang: str, done: int | None, **data: str) -> tuple[Any, Any]:
    return outcome_message(outcome, text, lang, **data), (done or 0) + 1


def issue(services: Services, button: dict[str, Any] | None, lang: str, done: int | None) -> tuple[Any, Any]:
    """Issue the order a team button stands for; return (message, bumped counter)."""
    if button is None:
        return no_update, no_update
    incident_id, team_id = button["incident"], button["team"]
    outcome = services.commands.issue_order(
        page_actor(), incident_id, team_id, order_command_id(incident_id, button.get("k", 0)), remote()
    )
    return view.result(services, outcome, team_id, lang), (done or 0) + 1


def issue_to_room(services: Services, button: dict[str, Any] | None, lang: str, done: int | None) -> tuple[Any, Any]:
    """Issue the order to a township room, which picks its own team."""
    if button is None:
        return no_update, no_update
    incident_id, township = button["incident"], button["township"]
    outcome = services.commands.issue_order(
        page_actor(), incident_id, "", order_command_id(incident_id, button["k"]), remote(), township=township
    )
    text = t("cmd.issued_room", lang, township=township_name(services, township, lang))
    return _answer(outcome, text, lang, done, township=township, team="")


def _value_for(values: list[Any], idents: list[dict[str, Any]], incident_id: str) -> str:
    """Return the value of the pattern-matched input that belongs to an incident."""
    return next((v or "" for v, i in zip(values or [], idents or []) if i.get("incident") == incident_id), "")


def cancel(
    services: Services,
    button: dict[str, Any] | None,
    reasons: list[Any],
    idents: list[Any],
    lang: str,
    done: int | None,
) -> tuple[Any, Any]:
    """Cancel an incident with the reason typed next to the button."""
    if button is None:
        return no_update, no_update
    incident_id = button["incident"]
    outcome = services.commands.cancel(
        page_actor(),
        incident_id,
        _value_for(reasons, idents, incident_id),
        action_command_id(incident_id, "cancel", button["k"]),
        remote(),
    )
    return _answer(outcome, t("cmd.cancelled", lang), lang, done)


def merge(
    services: Services,
    button: dict[str, Any] | None,
    reasons: list[Any],
    idents: list[Any],
    lang: str,
    done: int | None,
) -> tuple[Any, Any]:
    """Fold a suggested duplicate into the selected incident, with the reason."""
    if button is None:
        return no_update, no_update
    dup, into = button["dup"], button["into"]
    outcome = services.commands.merge(
        page_actor(), dup, into, _value_for(reasons, idents, into), f"{dup}.merge", remote()
    )
    return _answer(outcome, t("cmd.merged", lang, dup=dup), lang, done)


def feedback(services: Services, button: dict[str, Any] | None, lang: str, done: int | None) -> tuple[Any, Any]:
    """Record the call-back: satisfied, not satisfied (reopens) or not reached."""
    if button is None:
        return no_update, no_update
    incident_id, result = button["incident"], button["result"]
    key = action_command_id(incident_id, "feedback", _orders(_incident(services, incident_id)))
    outcome = services.commands.feedback(page_actor(), incident_id, result, "", key, remote())
    text = t(
        "cmd.reopened_msg" if result == "unsatisfied" else "cmd.feedback_done",
        lang,
        result=t(f"feedback.{result}", lang),
    )
    return _answer(outcome, text, lang, done)


def close(services: Services, button: dict[str, Any] | None, lang: str, done: int | None) -> tuple[Any, Any]:
    """Close an incident after its call-back."""
    if button is None:
        return no_update, no_update
    incident_id = button["incident"]
    key = action_command_id(incident_id, "close", _orders(_incident(services, incident_id)))
    outcome = services.commands.close(page_actor(), incident_id, "", key, remote())
    return _answer(outcome, t("cmd.closed", lang), lang, done)


def _relayed_incident(action: Any, *_args: Any) -> list[Target]:
    """Return the incident a relayed row click names (a call-back row's feedback or close)."""
    clicked_row = row_action(action, ("incident",))
    return [Target("incident", clicked_row["incident"])] if clicked_row else []


def _clicked_incidents(*_args: Any) -> list[Target]:
    """Return the incidents the clicked button names (a merge names two)."""
    button = clicked(ctx.triggered) or {}
    return [Target("incident", button[k]) for k in ("incident", "dup", "into") if k in button]


def register(app: Guarded, services: Services) -> None:
    """Register the console's server callbacks; every command writes the one result line."""
    i18n, done = State(ids.I18N, "data"), State(ids.CMD_DONE, "data")
    outs = lambda: [
        Output(ids.CMD_RESULT, "children", allow_duplicate=True),
        Output(ids.CMD_DONE, "data", allow_duplicate=True),
    ]
    app.callback(
        Output(ids.CMD_DETAIL, "children"),
        Input(ids.CMD_SIG, "data"),
        Input(ids.CMD_DONE, "data"),
        State(ids.CMD_SELECTED, "data"),
        i18n,
        access=Access(CONSOLE, lambda _sig, _done, selected, _i18n: [Target("incident", selected)] if selected else []),
    )(lambda _sig, _done, selected, i18n: show_detail(services, selected, lang_of(i18n)))
    simple = (
        (ids.ISSUE_BTN, {"incident": ALL, "team": ALL, "k": ALL}, issue),
        (ids.ISSUE_ROOM_BTN, {"incident": ALL, "township": ALL, "k": ALL}, issue_to_room),
    )
    for kind, pattern, fn in simple:
        app.callback(
            *outs(),
            Input({"type": kind, **pattern}, "n_clicks"),
            i18n,
            done,
            prevent_initial_call=True,
            access=Access(CONSOLE, _clicked_incidents),
        )(lambda _c, i18n, n, fn=fn: fn(services, clicked(ctx.triggered), lang_of(i18n), n))
    relayed = ((ids.CMD_FEEDBACK, ("incident", "result"), feedback), (ids.CMD_CLOSE, ("incident",), close))
    for store, fields, fn in relayed:  # the call-back rows' buttons (assets/keyed.js relays their clicks)
        app.callback(
            *outs(),
            Input(store, "data"),
            i18n,
            done,
            prevent_initial_call=True,
            access=Access(CONSOLE, _relayed_incident),
        )(lambda action, i18n, n, fn=fn, fields=fields: fn(services, row_action(action, fields), lang_of(i18n), n))
    with_reason = (
        (ids.CANCEL_BTN, {"incident": ALL, "k": ALL}, ids.CANCEL_REASON, cancel),
        (ids.MERGE_BTN, {"dup": ALL, "into": ALL}, ids.MERGE_REASON, merge),
    )
    for kind, pattern, reason_kind, act in with_reason:
        reason = {"type": reason_kind, "incident": ALL}
        app.callback(
            *outs(),
            Input({"type": kind, **pattern}, "n_clicks"),
            State(reason, "value"),
            State(reason, "id"),
            i18n,
            done,
            prevent_initial_call=True,
            access=Access(CONSOLE, _clicked_incidents),
        )(
            lambda _c, values, idents, i18n, n, act=act: act(
                services, clicked(ctx.triggered), values, idents, lang_of(i18n), n
            )
        )
