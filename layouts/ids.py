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
WALL_FACILITIES = "wall-facilities"
WALL_BOUNDARIES = "wall-boundaries"
WALL_URGENT = "wall-urgent"
WALL_URGENT_COUNT = "wall-urgent-count"
WALL_RANKING = "wall-ranking"
WALL_HALLS = "wall-halls"
WALL_STATUS = "wall-status"

# commander console
CMD_QUEUE = "cmd-queue"
CMD_QUEUE_COUNT = "cmd-queue-count"
CMD_SELECTED = "cmd-selected"
CMD_DETAIL = "cmd-detail"
CMD_RESULT = "cmd-result"
CMD_DONE = "cmd-done"  # bumps after an order is issued, so the detail panel re-reads the incident
CMD_MAP = "cmd-map"
CMD_INCIDENTS = "cmd-incidents"
ISSUE_BTN = "issue-btn"  # pattern type: {"type": ISSUE_BTN, "incident": id, "team": team_id}
QUEUE_ROW = "queue-row"  # pattern type of a clickable queue row (selection is clientside)

# township room
TOWN_ORDERS = "town-orders"
TOWN_COUNT = "town-count"
TOWN_RESULT = "town-result"
TOWN_KPI = "town-kpi"
TOWN_TEAMS = "town-teams"
STEP_BTN = "step-btn"  # pattern type: {"type": STEP_BTN, "incident": id, "step": step}
