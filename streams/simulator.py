"""The demo district's feed: incidents with a daytime rhythm, station readings, hall tickets; seedable."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from domain.catalog import CATEGORIES
from domain.halls import hall_open
from domain.model import District
from streams.feeds import OPEN311_CODE, cap_alert, native

# Hourly weight of incident reports over a local day: quiet nights, busy mornings and evenings.
HOURLY = [
    0.4,
    0.3,
    0.25,
    0.25,
    0.3,
    0.4,
    0.7,
    1.1,
    1.4,
    1.5,
    1.4,
    1.3,
    1.2,
    1.2,
    1.3,
    1.3,
    1.4,
    1.5,
    1.6,
    1.5,
    1.3,
    1.0,
    0.7,
    0.5,
]
MAX_WARMUP_S = 6 * 3600.0
SOURCE_MIX = (("12345", 0.45), ("grid", 0.27), ("110", 0.18), ("open311", 0.05), ("security", 0.05))
ID_PREFIX = {"12345": "GD", "grid": "WG", "110": "JJ", "open311": "SR", "security": "AB"}
ALERT_EVERY_S = 4 * 3600.0
CATEGORY_WEIGHT = {
    "noise": 8,
    "illegal_parking": 9,
    "garbage": 8,
    "road_occupation": 7,
    "neighbour_dispute": 6,
    "streetlight": 5,
    "property_dispute": 5,
    "waterlogging": 4,
    "water_outage": 3,
    "power_outage": 3,
    "pollution": 4,
    "illegal_construction": 3,
    "fallen_tree": 3,
    "road_obstruction": 4,
    "manhole_cover": 2,
    "stray_animal": 3,
    "elderly_help": 2,
    "lost_person": 1,
    "wage_dispute": 2,
    "gas_leak": 1,
    "flood_risk": 1,
    "public_safety": 2,
}
# Places reports come from (each spread ~40 m): enough that weeks of a busy feed do not make every place a recurring
# problem by chance (4,000 made thousands in a month), as a real district's reports spread.
PLACES = 40_000
READING_EVERY_S = 300.0
TICKETS_PER_HALL_PER_H = 12.0
ROADS = ("人民路", "解放路", "青溪路", "湖滨大道", "建设路", "文化路", "新华路", "学府路", "工业路", "滨江路")


class Simulator:
    """Emits raw source records for the span since its last tick, as real systems would send them."""

    def __init__(
        self,
        district: District,
        in_district: Callable[[Sequence[float], Sequence[float]], list[Any]],
        rate_per_min: float,
        seed: int,
        malformed_share: float = 0.005,
    ) -> None:
        self.district, self.rate_per_min, self.malformed_share = district, rate_per_min, malformed_share
        self.zone = timezone(timedelta(hours=district.utc_offset_h))  # the rhythm and the halls keep its local day
        self.rng = random.Random(seed)
        self.points = self._sample_points(in_district, PLACES)
        self.last: float | None = None
        self.counter = 0
        self.levels = {s.id: s.normal_level for s in district.stations.values()}
        self.next_reading = 0.0
        self.queues: dict[str, list[str]] = {h: [] for h in district.halls}
        self.open_halls: set[str] = set()
        self.next_alert = 0.0

    def _sample_points(
        self, in_district: Callable[[Sequence[float], Sequence[float]], list[Any]], n: int
    ) -> list[tuple[float, float]]:
        lons = [t.lon for t in self.district.townships.values()]
        lats = [t.lat for t in self.district.townships.values()]
        pad = 0.06
        xs = [self.rng.uniform(min(lons) - pad, max(lons) + pad) for _ in range(n * 2)]
        ys = [self.rng.uniform(min(lats) - pad, max(lats) + pad) for _ in range(n * 2)]
        keep = [(x, y) for x, y, t in zip(xs, ys, in_district(xs, ys)) if t is not None]
        return keep[:n] or [self.district.center]

    def tick(self, now: float) -> list[dict[str, Any]]:
        """Return the records due since the last tick (the first tick starts the clock and returns none)."""
        if self.last is None:
            self.last = now
        if now <= self.last:
            return []
        span, start = min(now - self.last, 3600.0), self.last
        self.last = now
        hour = datetime.fromtimestamp(now, self.zone).hour
        expected = self.rate_per_min / 60 * span * HOURLY[hour] / (sum(HOURLY) / 24)
        out = [self._incident(start + self.rng.random() * span) for _ in range(_poisson(self.rng, expected))]
        out += self._readings(now) + self._tickets(now, span) + self._alert(now)
        return out

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.rng.getrandbits(32):08x}-{self.counter}"

    def _incident(self, at: float) -> dict[str, Any]:
        source = self.rng.choices([s for s, _ in SOURCE_MIX], [w for _, w in SOURCE_MIX])[0]
        code = self.rng.choices(list(CATEGORY_WEIGHT), list(CATEGORY_WEIGHT.values()))[0]
        if source == "open311" and code not in OPEN311_CODE:
            source = "12345"
        lon, lat = self.rng.choice(self.points)
        lon, lat = lon + self.rng.gauss(0, 0.0004), lat + self.rng.gauss(0, 0.0004)
        if source == "security":  # a security camera or post reports public-safety events, not noise
            code = self.rng.choices(("public_safety", "road_obstruction"), (4, 1))[0]
        address = f"{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"
        when = datetime.fromtimestamp(at, self.zone).isoformat(timespec="seconds")
        text = f"{address}附近：{CATEGORIES[code].name_zh}"
        record = native(
            source, self._id(ID_PREFIX[source]), code, round(lon, 6), round(lat, 6), when, text, address, self.rng
        )
        if self.rng.random() < self.malformed_share:
            record = self._break(record)
        return record

    def _alert(self, now: float) -> list[dict[str, Any]]:
        """Now and then a heavy-rain warning over a township, as the weather service would send it."""
        if now < self.next_alert:
            return []
        self.next_alert = now + ALERT_EVERY_S * (0.5 + self.rng.random())
        town = self.rng.choice(list(self.district.townships.values()))
        return [cap_alert(self._id("CAP"), town.lon, town.lat, now, f"{town.name_zh}暴雨黄色预警")]

    def _break(self, record: dict[str, Any]) -> dict[str, Any]:
        """Damage a record as real feeds do, so the dead-letter path runs every day."""
        broken = dict(record)
        key = self.rng.choice([k for k in broken if k != "source"])
        broken[key] = self.rng.choice(("ufo_sighting", "not-a-number", 999, "", None, [1, 2]))
        return broken

    def _readings(self, now: float) -> list[dict[str, Any]]:
        if now < self.next_reading:
            return []
        self.next_reading = now + READING_EVERY_S
        out = []
        for s in self.district.stations.values():
            # A mean-reverting walk with rare surges: most days normal, some days a warning.
            surge = 0.5 if self.rng.random() < 0.02 else 0.0
            level = self.levels[s.id] + 0.15 * (s.normal_level - self.levels[s.id]) + self.rng.gauss(0, 0.05) + surge
            self.levels[s.id] = level
            out.append(
                {
                    "source": "hydrology",
                    "source_id": self._id(s.id),
                    "station_id": s.id,
                    "level": round(level, 2),
                    "rainfall": round(max(0.0, self.rng.gauss(2, 3)), 1),
                    "observed_at": now,
                }
            )
        return out

    def _windows(self, local: datetime) -> list[dict[str, Any]]:
        """Open the halls' windows in their office hours (domain.halls.hall_open) and close them after."""
        changing = [h for h in self.district.halls.values() if (h.id in self.open_halls) != hall_open(h, local)]
        out = []
        for h in changing:
            self.open_halls ^= {h.id}
            action = "window_opened" if h.id in self.open_halls else "window_closed"
            if action == "window_closed":  # at closing time the last tickets are called, as a hall does
                out += [
                    {
                        "source": "hall",
                        "source_id": self._id(h.id),
                        "hall_id": h.id,
                        "action": "called",
                        "ticket": ticket,
                    }
                    for ticket in self.queues[h.id]
                ]
                self.queues[h.id] = []
            out += [
                {"source": "hall", "source_id": self._id(h.id), "hall_id": h.id, "action": action, "window": str(w + 1)}
                for w in range(max(1, h.windows // 2))
            ]
        return out

    def _tickets(self, now: float, span: float) -> list[dict[str, Any]]:
        out = self._windows(datetime.fromtimestamp(now, self.zone))
        for hall, queue in self.queues.items():
            if hall not in self.open_halls:
                continue
            for _ in range(_poisson(self.rng, TICKETS_PER_HALL_PER_H / 3600 * span)):
                ticket = f"A{self.counter % 1000:03d}"
                queue.append(ticket)
                out.append(
                    {
                        "source": "hall",
                        "source_id": self._id(hall),
                        "hall_id": hall,
                        "action": "issued",
                        "ticket": ticket,
                    }
                )
            for _ in range(min(len(queue), _poisson(self.rng, TICKETS_PER_HALL_PER_H / 3600 * span))):
                out.append(
                    {
                        "source": "hall",
                        "source_id": self._id(hall),
                        "hall_id": hall,
                        "action": "served",
                        "ticket": queue.pop(0),
                    }
                )
        return out


def warmup_span(now: float, rate_per_min: float, reports: float, utc_offset_h: float) -> float:
    """Return how far back the recent past must go to hold about `reports` at the local hour-of-day rhythm."""
    zone = timezone(timedelta(hours=utc_offset_h))
    span, t, expected = 0.0, now, 0.0
    per_s = rate_per_min / 60 / (sum(HOURLY) / 24)
    while expected < reports and span < MAX_WARMUP_S:
        expected += per_s * HOURLY[datetime.fromtimestamp(t - 60, zone).hour] * 60
        span, t = span + 60, t - 60
    return span


def _poisson(rng: random.Random, lam: float) -> int:
    """Draw a Poisson count (Knuth for small means, a normal approximation for large ones)."""
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
