"""The one catalog of UI strings, Chinese first, English second; category names live in the domain catalog."""
from __future__ import annotations

from typing import Any

from domain.catalog import CATEGORIES, SOURCES, TEAM_KINDS

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    # errors: one per Rejected code of the domain, and the edges' own
    "error.forbidden": ("无权执行此操作", "You are not allowed to do this"),
    "error.out_of_scope": ("只能处理本镇街的工单（{township}）", "You may only act on your own township's orders ({township})"),
    "error.unknown_incident": ("事件不存在：{incident}", "No such incident: {incident}"),
    "error.already_ordered": ("该事件已派单", "This incident already has an order"),
    "error.unknown_team": ("队伍不存在：{team}", "No such team: {team}"),
    "error.team_busy": ("该队伍正在处置其他事件", "That team is busy with another incident"),
    "error.no_active_order": ("该事件没有在办工单", "This incident has no active order"),
    "error.unknown_step": ("未知环节：{step}", "Unknown step: {step}"),
    "error.step_already_done": ("该环节已完成", "That step is already done"),
    "error.step_out_of_order": ("请先完成“{expected}”", "Do “{expected}” first"),
    "error.bad_request": ("请求格式错误：{reason}", "Malformed request: {reason}"),
    "error.unauthorized": ("缺少或无效的令牌", "Missing or invalid token"),
    "error.not_found": ("未找到", "Not found"),
    "error.unknown_township": ("镇街不存在：{township}", "No such township: {township}"),
    "error.team_required": ("请先选择处置队伍", "Pick the team first"),
    "error.note_required": ("办结需填写处置结果", "Resolving needs a result note"),
    "error.not_transferable": ("当前环节不能转派", "The order cannot be transferred at this stage"),
    "error.transfer_target_required": ("请选择转派的镇街或部门（二选一）", "Choose one target: a township or a department"),
    "error.reason_required": ("请填写原因", "A reason is required"),
    "error.not_resolved": ("事件尚未办结", "The incident is not resolved yet"),
    "error.feedback_required": ("请先完成回访", "Record the call-back first"),
    "error.feedback_already_recorded": ("已回访", "The call-back is already recorded"),
    "error.unknown_feedback": ("回访结果无效：{result}", "Unknown call-back result: {result}"),
    "error.not_open": ("事件已结束：{incident}", "The incident is no longer open: {incident}"),
    "error.merge_into_itself": ("不能与自身合并", "An incident cannot be merged into itself"),
    "error.unknown_broadcast": ("指令类型或级别无效", "Unknown broadcast kind or level"),
    "error.csrf": ("请求来源无效，请刷新页面", "The request did not come from this site; reload the page"),
    "login.title": ("一图指挥 · 登录", "OneMap · Sign in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("用户名或密码错误", "Wrong username or password"),
    "login.too_many": ("失败次数过多，请5分钟后再试", "Too many failed attempts; try again in 5 minutes"),
    "login.csrf": ("表单已过期，请重试", "The form expired; try again"),
    "login.logout": ("退出登录", "Sign out"),
    "admin.title": ("系统管理", "Administration"),
    "admin.users": ("用户", "Users"),
    "admin.tokens": ("令牌（接口 / 大屏）", "Tokens (API / wall kiosk)"),
    "admin.revoke": ("吊销", "Revoke"),
    "admin.done": ("已完成", "Done"),
    "admin.token_once": ("令牌仅显示这一次：", "The token, shown this once:"),
    "admin.audit_csv": ("导出审计日志（CSV）", "Export the audit trail (CSV)"),
    "stage.merged": ("已合并", "Merged"),
    "stage.transferred": ("已转派部门", "Transferred"),
    "step.feedback": ("回访", "Call back"),
    "step.close": ("结案", "Close"),
    "step.transfer": ("转派", "Transfer"),
    "feedback.satisfied": ("满意", "Satisfied"),
    "feedback.unsatisfied": ("不满意", "Not satisfied"),
    "feedback.unreached": ("未联系上", "Not reached"),
    "broadcast.flood_response": ("防汛应急响应", "Flood emergency response"),
    "broadcast.security_posture": ("重点时段安保等级", "Key-period security posture"),
    "broadcast.extra_windows": ("增开服务窗口", "Extra service-hall windows"),
    # stages and steps
    "stage.new": ("待派单", "Awaiting order"),
    "stage.ordered": ("待签收", "Awaiting sign-for"),
    "stage.signed": ("已签收", "Signed"),
    "stage.responded": ("已回应", "Responded"),
    "stage.routed": ("已流转", "Routed"),
    "stage.on_site": ("现场处置", "On site"),
    "stage.resolved": ("已办结", "Resolved"),
    "stage.closed": ("已关闭", "Closed"),
    "stage.cancelled": ("已撤销", "Cancelled"),
    "step.sign": ("签收", "Sign for"),
    "step.respond": ("回应", "Respond"),
    "step.route": ("流转", "Route"),
    "step.on_site": ("现场处置", "On site"),
    "step.resolve": ("办结", "Resolve"),
    "status.waiting": ("待派单", "Waiting"),
    "status.ok": ("正常", "On time"),
    "status.warning": ("临期", "Due soon"),
    "status.breached": ("超时", "Overdue"),
    "status.handling": ("处置中", "Handling"),
    "status.resolved": ("已办结", "Resolved"),
    "status.closed": ("已关闭", "Closed"),
    # browser UI (layouts/, assets/): pages, panels, columns, live badge
    "app.title": ("一图指挥", "OneMap"),
    "app.center": ("综合信息指挥中心", "Integrated Information Command Center"),
    "app.subtitle": ("一网统管 · 一图总览 · 一体指挥", "One network · one map · one command"),
    "nav.wall": ("大屏总览", "Wall overview"),
    "nav.command": ("指挥调度台", "Commander console"),
    "nav.townships": ("镇街指挥室", "Township command rooms"),
    "nav.home": ("首页", "Home"),
    "nav.switch_lang": ("English", "中文"),
    "page.not_found": ("页面不存在：{path}", "No such page: {path}"),
    "live.live": ("实时 LIVE", "LIVE"),
    "live.stale": ("数据陈旧 STALE", "STALE"),
    "live.offline": ("已断开 OFFLINE", "DISCONNECTED"),
    "live.connecting": ("连接中…", "Connecting…"),
    "live.age": ("数据 {age} 前", "data {age} old"),
    "kpi.received": ("今日接报", "Received today"),
    "kpi.ordered": ("派单", "Orders issued"),
    "kpi.on_time": ("按时处置", "On time"),
    "kpi.resolved": ("办结", "Resolved"),
    "kpi.completion_rate": ("办结率", "Completion rate"),
    "kpi.on_time_rate": ("按时率", "On-time rate"),
    "kpi.satisfaction_rate": ("满意率", "Satisfaction"),
    "kpi.breached_open": ("超时未结", "Open breaches"),
    "kpi.open": ("在办", "Open"),
    "kpi.rank": ("排名", "Rank"),
    "wall.title": ("{district}综合信息指挥中心", "{district} Integrated Command Center"),
    "wall.map": ("一图总览", "District map"),
    "wall.urgent": ("紧急工单", "Most urgent orders"),
    "wall.ranking": ("镇街排名", "Township ranking"),
    "wall.status": ("事件态势", "Live incidents"),
    "wall.no_orders": ("暂无在办工单", "No open orders"),
    "wall.stations": ("水位站", "Water gauges"),
    "wall.halls": ("便民服务中心", "Service halls"),
    "wall.queue": ("排队 {n}", "{n} waiting"),
    "wall.sla_note": ("签收1分 · 回应2分 · 流转3分 · 到场10分", "Sign 1′ · respond 2′ · route 3′ · on site 10′"),
    "col.rank": ("排名", "#"),
    "col.on_time_rate": ("按时率", "On time"),
    "col.completion_rate": ("办结率", "Done"),
    "col.received": ("接报", "Recv."),
    "col.township": ("镇街", "Township"),
    "col.category": ("类别", "Category"),
    "col.incident": ("事件", "Incident"),
    "col.team": ("处置队伍", "Team"),
    "col.stage": ("环节", "Stage"),
    "col.next": ("当前环节", "Current step"),
    "col.time_left": ("剩余时间", "Time left"),
    "col.waited": ("已等待", "Waiting"),
    "col.priority": ("等级", "Priority"),
    "col.action": ("操作", "Action"),
    "col.address": ("地点", "Location"),
    "col.source": ("来源", "Source"),
    "priority.1": ("特急", "Urgent"),
    "priority.2": ("紧急", "High"),
    "priority.3": ("一般", "Normal"),
    "cmd.queue": ("待派单队列", "Awaiting order"),
    "cmd.queue_empty": ("暂无待派单事件", "Nothing is waiting for an order"),
    "cmd.select": ("请在左侧队列中选择一个事件", "Select an incident in the queue"),
    "cmd.detail": ("事件详情", "Incident"),
    "cmd.reported": ("接报时间", "Received"),
    "cmd.waited": ("已等待", "Waiting for"),
    "cmd.suggest": ("推荐队伍", "Suggested teams"),
    "cmd.distance": ("距离", "Distance"),
    "cmd.eta": ("预计到达", "ETA"),
    "cmd.issue": ("一键派单", "Issue order"),
    "cmd.issue_other": ("派单", "Issue"),
    "cmd.no_teams": ("暂无可派空闲队伍", "No free team can take this"),
    "cmd.gone": ("该事件已不在待派单队列", "This incident is no longer waiting"),
    "cmd.ordered_to": ("已派单：{team}（{township}）", "Ordered: {team} ({township})"),
    "cmd.issued": ("已派单至 {team}", "Order issued to {team}"),
    "cmd.duplicate": ("该指令已执行过，未重复派单", "Already done; not issued twice"),
    "cmd.same_township": ("本镇街", "Same township"),
    "cmd.map": ("事件分布", "Incident map"),
    "town.room": ("{name}指挥室", "{name} command room"),
    "town.orders": ("本镇街工单", "Our orders"),
    "town.no_orders": ("暂无在办工单", "No open orders"),
    "town.unknown": ("未知镇街：{id}", "Unknown township: {id}"),
    "town.unknown_hint": ("请从首页选择镇街指挥室", "Pick a township room on the home page"),
    "town.today": ("今日指标", "Today"),
    "town.teams": ("专职服务队", "Service teams"),
    "town.team_free": ("待命", "Available"),
    "town.team_busy": ("处置中", "On a job"),
    "town.step_done": ("已完成：{step}", "Done: {step}"),
    "town.duplicate": ("该操作已执行过", "Already done"),
    "town.late": ("超时", "late"),
    "unit.km": ("{km} 公里", "{km} km"),
    "unit.min": ("{min} 分钟", "{min} min"),
}


def t(key: str, lang: str = "zh", **params: Any) -> str:
    """Return a catalog string in a language, with its parameters filled in; the key itself if unknown."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def error(code: str, lang: str = "zh", **params: Any) -> str:
    """Return the message for a Rejected code; step names in params are translated too."""
    if "expected" in params:
        params["expected"] = t(f"step.{params['expected']}", lang)
    return t(f"error.{code}", lang, **params)


def name(kind: str, code: str, lang: str = "zh") -> str:
    """Return the name of a category, source or team kind."""
    if kind == "category" and code in CATEGORIES:
        c = CATEGORIES[code]
        return c.name_en if lang == "en" else c.name_zh
    table = {"source": SOURCES, "team_kind": TEAM_KINDS}.get(kind, {})
    pair = table.get(code)
    return (pair[1] if lang == "en" else pair[0]) if pair else code


def catalog(lang: str) -> dict[str, str]:
    """Return every string in one language, for the browser (assets read window.onemapI18n)."""
    out = {k: (v[1] if lang == "en" else v[0]) for k, v in STRINGS.items()}
    out.update({f"category.{c}": name("category", c, lang) for c in CATEGORIES})
    out.update({f"source.{s}": name("source", s, lang) for s in SOURCES})
    out.update({f"team_kind.{k}": name("team_kind", k, lang) for k in TEAM_KINDS})
    return out
