"""Every component id of the browser UI, in one place (clientside JS uses the same strings)."""

from __future__ import annotations

# shell: present on every page
URL = "om-url"
PAGE = "om-page"
LIVE = "om-live"  # the small live summary pushed by assets/live.js via set_props
I18N = "om-i18n"  # {lang, strings}: the browser's catalog, copied to window.onemapI18n
SCOPE = "om-scope"  # the Socket.IO scope the page subscribes to ("all" or a township id)
TICK = "om-tick"  # re-render timer: SLA states change with time, not only with deltas
BOOT = "om-boot"  # dummy output of the clientside start-up callback

# wall
WALL_KPIS = "wall-kpis"
WALL_MAP = "wall-map"
WALL_INCIDENTS = "wall-incidents"
WALL_BOUNDARIES = "wall-boundaries"
WALL_URGENT = "wall-urgent"
WALL_URGENT_COUNT = "wall-urgent-count"
WALL_RANKING = "wall-ranking"
WALL_HALLS = "wall-halls"
WALL_STATUS = "wall-status"
WALL_STAGES = "wall-stages"  # per-clock on-time figures: dispatch and the four timed stages
# the wall map's layers (layouts/maps.py LayerIds; another map takes maps.layer_ids(its map id))
WALL_LAYERS = "wall-layers"  # the layer control: baseLayer names the township shading
WALL_LEGEND = "wall-legend"  # the shading legend, filled clientside
WALL_STATIONS = "wall-stations"
WALL_HALL_MARKS = "wall-hall-marks"  # WALL_HALLS is the queue panel
WALL_TEAMS = "wall-teams"
WALL_ALERTS = "wall-alerts"

# commander console
CMD_QUEUE = "cmd-queue"
CMD_QUEUE_COUNT = "cmd-queue-count"
CMD_SELECTED = "cmd-selected"
CMD_DETAIL = "cmd-detail"
CMD_RESULT = "cmd-result"
CMD_DONE = "cmd-done"  # bumps after an order is issued, so the detail panel re-reads the incident
CMD_MAP = "cmd-map"
CMD_BOUNDARIES = "cmd-map-boundaries"
CMD_INCIDENTS = "cmd-incidents"
ISSUE_BTN = "issue-btn"  # pattern type: {"type": ISSUE_BTN, "incident": id, "team": team_id}
QUEUE_ROW = "queue-row"  # pattern type of a clickable queue row (selection is clientside)

# township room
TOWN_ORDERS = "town-orders"
TOWN_COUNT = "town-count"
TOWN_RESULT = "town-result"
TOWN_KPI = "town-kpi"
TOWN_TEAMS = "town-teams"

# signed-in header and alerts (console and rooms)
USER_BOX = "om-user-box"  # who is signed in, role, sign-out (filled by the server from the session)
SOUND_BTN = "om-sound"  # sound on/off; assets/alerts.js owns its text

# commander console: more panels and actions
CMD_SIG = "cmd-sig"  # the selected incident's live signature: a change re-renders the detail panel
CMD_CALLBACKS = "cmd-callbacks"  # resolved incidents awaiting the call-back
CMD_CALLBACKS_COUNT = "cmd-callbacks-count"
CMD_ALERTS = "cmd-alerts"  # breached orders
CMD_ALERTS_COUNT = "cmd-alerts-count"
CMD_BOARD = "cmd-board"  # recent broadcasts and who signed
ISSUE_ROOM_BTN = "issue-room-btn"  # pattern: {"type", "incident", "township", "k"}
CANCEL_BTN = "cancel-btn"  # pattern: {"type", "incident", "k"}
CANCEL_REASON = "cancel-reason"  # pattern: {"type", "incident"}
MERGE_BTN = "merge-btn"  # pattern: {"type", "dup", "into"}
MERGE_REASON = "merge-reason"  # pattern: {"type", "incident"}

# the broadcast form (a dialog on the console)
BCAST_OPEN = "bcast-open"
BCAST_DIALOG = "bcast-dialog"
BCAST_CMD = "bcast-cmd"  # the command id of this opening of the form (made in the browser)
BCAST_KIND = "bcast-kind"
BCAST_LEVEL = "bcast-level"
BCAST_LEVELS = "bcast-levels"  # {kind: [{label, value}]}: the levels each kind may take
BCAST_SCOPE = "bcast-scope"  # "all" | "some"
BCAST_TOWNS = "bcast-towns"
BCAST_MSG = "bcast-msg"
BCAST_SEND = "bcast-send"
BCAST_CLOSE = "bcast-close"
BCAST_RESULT = "bcast-result"

# township room: new-order banner, broadcasts, the step dialog (route / transfer / resolve)
TOWN_BANNER = "town-banner"
TOWN_BROADCASTS = "town-broadcasts"
TOWN_DIALOG = "town-dialog"  # shown for route and resolve; its body is rendered when it opens
TOWN_DIALOG_BODY = "town-dialog-body"
TOWN_DIALOG_MSG = "town-dialog-msg"
TOWN_ACTION = "town-action"  # {incident, step}: what the open dialog is about
TOWN_MODE = "town-mode"  # "team" | "transfer"
TOWN_TEAM_PICK = "town-team-pick"
TOWN_TRANSFER_TO = "town-transfer-to"  # "township" | "department"
TOWN_TRANSFER_TOWN = "town-transfer-town"
TOWN_TRANSFER_DEPT = "town-transfer-dept"
TOWN_REASON = "town-reason"
TOWN_NOTE = "town-note"
TOWN_OUTCOME = "town-outcome"  # the resolve dialog's choice of how it ended (三源)
TOWN_CONFIRM_ROUTE = "town-confirm-route"
TOWN_CONFIRM_RESOLVE = "town-confirm-resolve"
# The replay bar (layouts/replay.py, callbacks/replay.py, assets/replay.js)
REPLAY_CFG = "replay-cfg"  # {utc_offset_h, now}: the district's clock for the bar
REPLAY_DAY = "replay-day"
REPLAY_SLIDER = "replay-slider"  # seconds into the local day
REPLAY_PLAY = "replay-play"
REPLAY_SPEED = "replay-speed"
REPLAY_CLOCK = "replay-clock"  # one tick a second while playing
REPLAY_AT = "replay-at"  # the moment (Unix seconds) the bar points at
REPLAY_SNAP = "replay-snap"  # the entities at that moment, from the server
REPLAY_SHOWN = "replay-shown"  # the seq the live renderers were fed
REPLAY_LINK = "replay-link"
REPLAY_TIME = "replay-time"  # the moment's local time, beside the slider
REPLAY_INCIDENT = "replay-incident"  # ?incident=: the incident whose timeline is played
REPLAY_TIMELINE = "replay-timeline"  # its steps, each a link to its moment
REPLAY_TRACK = "replay-track"  # its map layer: site, team tracks, numbered steps (assets/timeline.js)
# township room map and attention (issue 11: layouts/township.py, callbacks/roommap.py, assets/attention.js)
ROOM_MAP = "room-map"  # its layers: layouts/maps.py layer_ids(ROOM_MAP)
ROOM_ATTENTION = "room-attention"  # dummy output of the attention callback (the title flashes while an order waits)
# The flood-and-security wall screen (layouts/situation.py, callbacks/situation.py, assets/situation.js)
SIT_RESPONSE = "sit-response"  # the district's flood response level and what gives it
SIT_FLOOD = "sit-flood"  # stations above warning, then the others
SIT_POSTURE = "sit-posture"  # the security posture and its sign board
SIT_EVENTS = "sit-events"
SIT_EVENTS_COUNT = "sit-events-count"
SIT_HALLS = "sit-halls"
SIT_HALLS_COUNT = "sit-halls-count"
# keyed lists (assets/keyed.js): a row's button relays its click to its action's store as {its data-* fields, n}
CMD_FEEDBACK = "cmd-feedback"  # {incident, result, n}: the call-back's result
CMD_CLOSE = "cmd-close"  # {incident, n}: close after the call-back
TOWN_STEP = "town-step"  # {incident, step, n}: a room's next step on an order
TOWN_SIGN = "town-sign"  # {broadcast, n}: a room signs for a broadcast
# The wall's analytics view (layouts/analytics.py, callbacks/analytics.py, assets/charts.js): one graph per chart entity
ANALYTICS_CHARTS = {name: f"an-{name}" for name in ("hourly", "stages", "categories", "ranking", "gauges", "halls")}
ANALYTICS_DRAWN = "an-drawn"  # the renderer's (unused) output: the figures go to Plotly.react, not through Dash
# The assessment page /assessment (layouts/assessment.py, callbacks/assessment.py): a period's scores, ranks, cards
ASSESS_KIND = "assess-kind"  # week | month | quarter | year
ASSESS_DAY = "assess-day"  # a day of the period, YYYY-MM-DD
ASSESS_LABEL = "assess-label"  # the period shown and the moment its figures stand at
ASSESS_DISTRICT = "assess-district"  # the district's figures
ASSESS_TABLE = "assess-table"  # the ranking of the townships
ASSESS_BOARDS = "assess-boards"  # the red and black lists
ASSESS_ROW = "assess-row"  # pattern: {"type", "township"}: a ranking row; a click opens its card
ASSESS_PICK = "assess-pick"  # the township whose card is open
ASSESS_CARD = "assess-card"  # a township's card: its indicators and the incidents that lost it points
ASSESS_SOURCES = "assess-sources"  # the district's 三源: where the finished incidents ended
ASSESS_HEAT = "assess-heat"  # the trend's table (or why there is none), drawn in by assets/keyed.js, not by Dash
ASSESS_HEAT_DATA = "assess-heat-data"  # what the server answered for it: the table's description, or a message
ASSESS_HEAT_DRAWN = "assess-heat-drawn"  # the renderer's (unused) output: the table goes into the page, not Dash
# Early warnings (assets/warnings.js draws them, keyed; callbacks/warning.py acknowledges): the wall's, the analytics
# view's and the console's lists, their counts of unacknowledged ones, and the console's ack buttons' relay
WALL_WARNINGS = "wall-warnings"
WALL_WARN_COUNT = "wall-warn-count"
ANALYTICS_WARNINGS = "an-warnings"
CMD_WARNINGS = "cmd-warnings"
CMD_WARN_COUNT = "cmd-warn-count"
CMD_WARN_ACK = "cmd-warn-ack"  # {warning, n}: a warning row's acknowledge button (assets/keyed.js relays it)
# Recurring problems (layouts/recurring.py; assets/recurring.js draws the lists keyed, the rings, the detail dialog):
# the console's and the analytics view's lists and counts, the rings' layers of the console map and the wall map
CMD_RECURRING = "cmd-recurring"
CMD_RECUR_COUNT = "cmd-recur-count"
CMD_RECUR_MAP = "cmd-map-recurring"
ANALYTICS_RECURRING = "an-recurring"
ANALYTICS_RECUR_COUNT = "an-recur-count"
WALL_RECURRING = "wall-recurring"

# What each page's clientside renderer returns, by name: {name: (component id, property)}. callbacks/live.py makes
# the Dash outputs from these, in this order, and assets/outputs.js puts the renderer's {name: value} in that order.
WALL_OUTPUTS: dict[str, tuple[str, str]] = {  # assets/wall.js render(), then the map's layers (callbacks/maps.py)
    "kpis": (WALL_KPIS, "children"),
    "urgent": (WALL_URGENT, "children"),
    "urgent_count": (WALL_URGENT_COUNT, "children"),
    "ranking": (WALL_RANKING, "children"),
    "status": (WALL_STATUS, "children"),
    "hall_queues": (WALL_HALLS, "children"),
    "stages": (WALL_STAGES, "children"),
    "warnings_count": (WALL_WARN_COUNT, "children"),
}
CONSOLE_OUTPUTS: dict[str, tuple[str, str]] = {  # assets/console.js render()
    "queue_count": (CMD_QUEUE_COUNT, "children"),
    "callbacks_count": (CMD_CALLBACKS_COUNT, "children"),
    "alerts_count": (CMD_ALERTS_COUNT, "children"),
    "board": (CMD_BOARD, "children"),
    "sig": (CMD_SIG, "data"),
    "warnings_count": (CMD_WARN_COUNT, "children"),
    "recurring_count": (CMD_RECUR_COUNT, "children"),
    "recurring_map": (CMD_RECUR_MAP, "data"),
}
TOWN_OUTPUTS: dict[str, tuple[str, str]] = {  # assets/township.js render()
    "count": (TOWN_COUNT, "children"),
    "kpi": (TOWN_KPI, "children"),
    "banner": (TOWN_BANNER, "children"),
}
