"""The township room's server side: steps, the route / transfer / resolve dialog, and signing broadcasts."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, no_update

from application.services import Services
from callbacks.common import lang_of, page_actor, remote
from callbacks.guard import ROOM, Access, Guarded, Target
from callbacks.live import row_action
from domain.model import Role
from i18n import t
from layouts import ids
from layouts import township as view
from layouts.common import township_name

DIALOG_STEPS = ("route", "resolve")  # steps that ask something first; the others are one click


def step_command_id(order_id: str, step: str) -> str:
    """Return the idempotency key of a step: a double click never takes it twice."""
    return f"{order_id}.{step}"


def _incident(services: Services, incident_id: str) -> Any:
    return services.store.read(lambda state: state.incidents.get(incident_id))


def _order_id(incident: Any) -> str:
    return incident.order.id if incident is not None and incident.order is not None else ""


def _free_teams(services: Services, township: str) -> list[Any]:
    busy = services.store.read(lambda state: set(state.team_busy))
    return sorted(
        (x for x in services.district.teams.values() if x.township == township and x.id not in busy), key=lambda x: x.id
    )


def advance(services: Services, button: dict[str, Any] | None, lang: str) -> Any:
    """Take the step a button stands for; return the message to show."""
    if button is None:
        return no_update
    incident_id, step = button["incident"], button["step"]
    order_id = _order_id(_incident(services, incident_id))
    # Without an order there is no stable key; Commands rejects the step anyway (no_active_order).
    command_id = step_command_id(order_id, step) if order_id else ""
    outcome = services.commands.advance(page_actor(), incident_id, step, command_id, remote=remote())
    return view.result(outcome, step, lang)


def on_step(services: Services, button: dict[str, Any] | None, lang: str) -> tuple[Any, Any, Any]:
    """Take a one-click step, or open the dialog a route or a resolve needs; return (message, dialog body, hidden)."""
    if button is None:
        return no_update, no_update, no_update
    incident = _incident(services, button["incident"])
    if button["step"] not in DIALOG_STEPS or incident is None or incident.order is None:
        return advance(services, button, lang), no_update, True
    if button["step"] == "route":
        body = view.route_form(services, incident, _free_teams(services, incident.order.township), lang)
    else:
        body = view.resolve_form(incident, lang)
    return None, body, False


def confirm_route(
    services: Services,
    action: dict[str, Any] | None,
    mode: str,
    team: str | None,
    target: str,
    town: str | None,
    department: str | None,
    reason: str | None,
    lang: str,
) -> tuple[Any, Any, Any]:
    """Route to the picked team, or transfer; return (room message, dialog message, dialog hidden)."""
    if not action:
        return no_update, no_update, no_update
    incident = _incident(services, action["incident"])
    order_id = _order_id(incident)
    if mode == "transfer":
        to_town, to_dept = (town or "", "") if target == "township" else ("", (department or "").strip())
        outcome = services.commands.transfer(
            page_actor(),
            action["incident"],
            reason or "",
            to_town,
            to_dept,
            f"{order_id}.transfer" if order_id else "",
            remote(),
        )
        text = t("town.transferred", lang, target=township_name(services, to_town, lang) if to_town else to_dept)
        return _closing(view.result(outcome, "transfer", lang, text), outcome.ok)
    outcome = services.commands.advance(
        page_actor(),
        action["incident"],
        "route",
        step_command_id(order_id, "route") if order_id else "",
        remote=remote(),
        team_id=team or "",
    )
    return _closing(view.result(outcome, "route", lang), outcome.ok)


def confirm_resolve(
    services: Services, action: dict[str, Any] | None, note: str | None, lang: str, ended: str | None = None
) -> tuple[Any, Any, Any]:
    """Resolve with how it ended and the result note; return (room message, dialog message, dialog hidden)."""
    if not action:
        return no_update, no_update, no_update
    order_id = _order_id(_incident(services, action["incident"]))
    outcome = services.commands.advance(
        page_actor(),
        action["incident"],
        "resolve",
        step_command_id(order_id, "resolve") if order_id else "",
        note=(note or "").strip(),
        remote=remote(),
        outcome=str(ended or ""),
    )
    return _closing(view.result(outcome, "resolve", lang), outcome.ok)


def _closing(message: Any, ok: bool) -> tuple[Any, Any, Any]:
    """Close the dialog and tell the room when it worked; keep it open with the reason when refused."""
    return (message, None, True) if ok else (no_update, message, False)


def sign_broadcast(services: Services, button: dict[str, Any] | None, lang: str) -> Any:
    """Sign for a broadcast sent to this room."""
    if button is None:
        return no_update
    actor = page_actor()
    township = actor.township if actor.role is Role.TOWNSHIP else "-"
    outcome = services.commands.sign_broadcast(
        actor, button["broadcast"], f"{button['broadcast']}.sign.{township}", remote()
    )
    return view.result(outcome, "sign", lang, t("town.broadcast_signed", lang))


def _clicked_step(action: Any, *_args: Any) -> list[Target]:
    """Return the incident a relayed step click names, audited as that step when refused."""
    button = row_action(action, ("incident", "step"))
    return [Target("incident", button["incident"], f"order_{button['step']}"[:60])] if button else []


def _acted_on(action: Any, step: Any) -> list[Target]:
    """Return the incident a dialog was opened for (the browser keeps it, so it is checked again)."""
    if not isinstance(action, dict):
        return []
    audited = "transfer" if step == "transfer" else f"order_{step if step in ('route', 'resolve') else 'route'}"
    return [Target("incident", action.get("incident"), audited)]


def register(app: Guarded, services: Services) -> None:
    """Register the township room's server callbacks."""
    i18n = State(ids.I18N, "data")
    app.callback(
        Output(ids.TOWN_RESULT, "children"),
        Output(ids.TOWN_DIALOG_BODY, "children"),
        Output(ids.TOWN_DIALOG, "hidden"),
        Input(ids.TOWN_STEP, "data"),
        i18n,  # a row's step button (assets/keyed.js relays its click)
        prevent_initial_call=True,
        access=Access(ROOM, _clicked_step),
    )(lambda action, i18n: on_step(services, row_action(action, ("incident", "step")), lang_of(i18n)))
    app.callback(
        Output(ids.TOWN_RESULT, "children", allow_duplicate=True),
        Output(ids.TOWN_DIALOG_MSG, "children"),
        Output(ids.TOWN_DIALOG, "hidden", allow_duplicate=True),
        Input(ids.TOWN_CONFIRM_ROUTE, "n_clicks"),
        State(ids.TOWN_ACTION, "data"),
        State(ids.TOWN_MODE, "value"),
        State(ids.TOWN_TEAM_PICK, "value"),
        State(ids.TOWN_TRANSFER_TO, "value"),
        State(ids.TOWN_TRANSFER_TOWN, "value"),
        State(ids.TOWN_TRANSFER_DEPT, "value"),
        State(ids.TOWN_REASON, "value"),
        i18n,
        prevent_initial_call=True,
        access=Access(ROOM, lambda _n, action, mode, *_: _acted_on(action, mode)),
    )(
        lambda n, action, mode, team, target, town, dept, reason, i18n: confirm_route(
            services, action if n else None, mode, team, target, town, dept, reason, lang_of(i18n)
        )
    )
    app.callback(
        Output(ids.TOWN_RESULT, "children", allow_duplicate=True),
        Output(ids.TOWN_DIALOG_MSG, "children", allow_duplicate=True),
        Output(ids.TOWN_DIALOG, "hidden", allow_duplicate=True),
        Input(ids.TOWN_CONFIRM_RESOLVE, "n_clicks"),
        State(ids.TOWN_ACTION, "data"),
        State(ids.TOWN_NOTE, "value"),
        State(ids.TOWN_OUTCOME, "value"),
        i18n,
        prevent_initial_call=True,
        access=Access(ROOM, lambda _n, action, *_: _acted_on(action, "resolve")),
    )(lambda n, action, note, ended, i18n: confirm_resolve(services, action if n else None, note, lang_of(i18n), ended))
    app.callback(
        Output(ids.TOWN_RESULT, "children", allow_duplicate=True),
        Input(ids.TOWN_SIGN, "data"),
        i18n,
        prevent_initial_call=True,
        access=Access(ROOM),  # the broadcast's own scope: Commands.sign_broadcast
    )(lambda action, i18n: sign_broadcast(services, row_action(action, ("broadcast",)), lang_of(i18n)))
