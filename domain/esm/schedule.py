"""Schedule policies and the pure maths that turns one participant-day into prompt moments.

All arithmetic happens on absolute (UTC) instants; local wall-clock times are only used to
find the window's edges and fixed times. So a daylight-saving change can neither produce a
local time that does not exist nor the same prompt twice:

* a local time inside a spring-forward gap moves forward by the gap (02:30 -> 03:30);
* a local time that happens twice in an autumn fold means its first occurrence;
* interval and random moments are spaced in real elapsed time.

The random draw is stratified: the window is cut into `prompts_per_day` equal blocks and one
moment is drawn uniformly inside each block, from the part that keeps `min_gap_minutes` to
the previous moment. The seed is an input, so a recorded seed reproduces the day exactly.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.shared.errors import InvalidInput

KINDS = ("random", "fixed", "interval")
HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z")
MAX_PROMPTS_PER_DAY = 48
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class InvalidSchedule(InvalidInput):
    pass


def parse_hhmm(value: Any, field: str) -> time:
    if not isinstance(value, str) or not HHMM.match(value):
        raise InvalidSchedule(f"{field} must be a local time HH:MM (24h)")
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def zone(name: Any, field: str = "timezone") -> ZoneInfo:
    if not isinstance(name, str) or not name or len(name) > 64:
        raise InvalidSchedule(f"{field} must be an IANA time zone name such as Europe/Warsaw")
    if name not in known_zones():
        raise InvalidSchedule(f"{field} {name!r} is not a known IANA time zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidSchedule(f"{field} {name!r} is not a known IANA time zone") from None


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - {"localtime", "Factory"}


def window_minutes(start: time, end: time) -> int:
    """Nominal length; a window whose end is not after its start runs past midnight."""
    return ((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)) % (24 * 60)


@dataclass(frozen=True)
class Window:
    start: time
    end: time

    @classmethod
    def parse(cls, start: Any, end: Any) -> Window:
        window = cls(parse_hhmm(start, "window_start"), parse_hhmm(end, "window_end"))
        if window_minutes(window.start, window.end) < 15:
            raise InvalidSchedule(
                "window_end must be at least 15 minutes after window_start"
                " (an earlier window_end means the next morning)"
            )
        return window

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def bounds(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The window of `day` as UTC instants (ending the next day if it crosses midnight)."""
        end_day = day + timedelta(days=1) if self.crosses_midnight else day
        return local_instant(day, self.start, tz), local_instant(end_day, self.end, tz)

    def as_strings(self) -> tuple[str, str]:
        return self.start.strftime("%H:%M"), self.end.strftime("%H:%M")


@dataclass(frozen=True)
class SchedulePolicy:
    kind: str
    window: Window
    prompts_per_day: int = 1
    min_gap_minutes: int = 0
    times: tuple[time, ...] = ()
    every_minutes: int = 60
    days: SamplingDays = field(default_factory=lambda: SamplingDays())

    @classmethod
    def parse(cls, data: Any) -> SchedulePolicy:
        if not isinstance(data, dict):
            raise InvalidSchedule("schedule must be an object")
        return replace(cls._parse(data), days=SamplingDays.parse(data))

    def samples(self, day: date, first_day: date) -> bool:
        """Whether `day` is a sampling day of a study whose first day is `first_day`."""
        return self.days.samples(day, first_day)

    @classmethod
    def _parse(cls, data: dict[str, Any]) -> SchedulePolicy:
        kind = data.get("kind")
        if kind not in KINDS:
            raise InvalidSchedule(f"schedule.kind must be one of {', '.join(KINDS)}")
        window = Window.parse(data.get("window_start", "09:00"), data.get("window_end", "21:00"))
        if kind == "fixed":
            times = data.get("times")
            if not isinstance(times, list) or not 1 <= len(times) <= MAX_PROMPTS_PER_DAY:
                raise InvalidSchedule(
                    f"schedule.times must list 1 to {MAX_PROMPTS_PER_DAY} HH:MM times"
                )
            parsed = tuple(sorted({parse_hhmm(t, "schedule.times[]") for t in times}))
            if len(parsed) != len(times):
                raise InvalidSchedule("schedule.times must not repeat a time")
            return cls(kind="fixed", window=window, times=parsed)
        if kind == "interval":
            every = data.get("every_minutes")
            if not isinstance(every, int) or isinstance(every, bool) or not 5 <= every <= 1440:
                raise InvalidSchedule("schedule.every_minutes must be an integer from 5 to 1440")
            if window_minutes(window.start, window.end) // every + 1 > MAX_PROMPTS_PER_DAY:
                raise InvalidSchedule(f"interval gives more than {MAX_PROMPTS_PER_DAY} a day")
            return cls(kind="interval", window=window, every_minutes=every)
        count = data.get("prompts_per_day")
        if (
            not isinstance(count, int)
            or isinstance(count, bool)
            or not 1 <= count <= MAX_PROMPTS_PER_DAY
        ):
            raise InvalidSchedule(
                f"schedule.prompts_per_day must be an integer from 1 to {MAX_PROMPTS_PER_DAY}"
            )
        gap = data.get("min_gap_minutes", 0)
        if not isinstance(gap, int) or isinstance(gap, bool) or gap < 0:
            raise InvalidSchedule("schedule.min_gap_minutes must be a non-negative integer")
        policy = cls(kind="random", window=window, prompts_per_day=count, min_gap_minutes=gap)
        policy.check_window(window)
        return policy

    def check_window(self, window: Window) -> None:
        """A personal window must leave room for the policy."""
        if self.kind == "random":
            block = window_minutes(window.start, window.end) // self.prompts_per_day
            if block < self.min_gap_minutes:
                raise InvalidSchedule(
                    f"the window {window.as_strings()[0]}-{window.as_strings()[1]} is too short"
                    f" for {self.prompts_per_day} prompts at least"
                    f" {self.min_gap_minutes} minutes apart"
                )

    def as_dict(self) -> dict[str, Any]:
        start, end = self.window.as_strings()
        data: dict[str, Any] = {"kind": self.kind, "window_start": start, "window_end": end}
        if self.kind == "random":
            data["prompts_per_day"] = self.prompts_per_day
            data["min_gap_minutes"] = self.min_gap_minutes
        elif self.kind == "fixed":
            data["times"] = [t.strftime("%H:%M") for t in self.times]
        else:
            data["every_minutes"] = self.every_minutes
        return {**data, **self.days.as_dict()}


@dataclass(frozen=True)
class SamplingDays:
    """Which days of the study sample at all (each day's moments come from the policy):
    `days_of_week` (local weekdays), `every_n_days` (day 1, 1 + n, ...), `burst` (`on_days`
    of sampling, then `off_days` without, repeated), counted from the study's first day; a
    day samples when every rule given lets it."""

    weekdays: frozenset[int] | None = None
    every_n_days: int = 1
    burst: tuple[int, int] | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> SamplingDays:
        weekdays = None
        if data.get("days_of_week") is not None:
            names = data["days_of_week"]
            if (
                not isinstance(names, list)
                or not names
                or not all(n in WEEKDAYS for n in names)
                or len(set(names)) != len(names)
            ):
                raise InvalidSchedule(
                    f"schedule.days_of_week must list distinct days from {', '.join(WEEKDAYS)}"
                )
            weekdays = frozenset(WEEKDAYS.index(n) for n in names)
        every = data.get("every_n_days", 1)
        if every is None:
            every = 1
        if not isinstance(every, int) or isinstance(every, bool) or not 1 <= every <= 365:
            raise InvalidSchedule("schedule.every_n_days must be an integer from 1 to 365")
        burst = None
        if data.get("burst") is not None:
            raw = data["burst"]
            if not isinstance(raw, dict) or set(raw) != {"on_days", "off_days"}:
                raise InvalidSchedule("schedule.burst must be {on_days, off_days}")
            on, off = raw["on_days"], raw["off_days"]
            for name, value in (("on_days", on), ("off_days", off)):
                if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 365:
                    raise InvalidSchedule(f"schedule.burst.{name} must be an integer from 1 to 365")
            burst = (on, off)
        return cls(weekdays, every, burst)

    def samples(self, day: date, first_day: date) -> bool:
        offset = (day - first_day).days
        if offset < 0:
            return False
        if self.weekdays is not None and day.weekday() not in self.weekdays:
            return False
        if offset % self.every_n_days:
            return False
        return self.burst is None or offset % sum(self.burst) < self.burst[0]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.weekdays is not None:
            data["days_of_week"] = [WEEKDAYS[i] for i in sorted(self.weekdays)]
        if self.every_n_days != 1:
            data["every_n_days"] = self.every_n_days
        if self.burst is not None:
            data["burst"] = {"on_days": self.burst[0], "off_days": self.burst[1]}
        return data


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time. A nonexistent time (spring-forward gap)
    moves forward by the gap; an ambiguous one (autumn fold) is its first occurrence."""
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def plan_day(
    policy: SchedulePolicy,
    day: date,
    tz: ZoneInfo,
    window: Window | None,
    seed: int,
    first_day: date | None = None,
) -> list[datetime]:
    """The prompt moments (UTC, ascending, distinct) of one local day; none on a day the
    policy's sampling days leave out (counted from `first_day`, the study's first day;
    None: every day samples)."""
    if first_day is not None and not policy.samples(day, first_day):
        return []
    window = window or policy.window
    start, end = window.bounds(day, tz)
    if policy.kind == "fixed":
        moments = {local_instant(day, t, tz) for t in policy.times}
        return sorted(moments)
    if policy.kind == "interval":
        step = timedelta(minutes=policy.every_minutes)
        result = []
        moment = start
        while moment <= end:
            result.append(moment)
            moment += step
        return result
    return _stratified(start, end, policy.prompts_per_day, policy.min_gap_minutes * 60, seed)


def _stratified(start: datetime, end: datetime, count: int, gap: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    span = int((end - start).total_seconds())
    block = span // count
    gap = min(gap, block)  # a DST-shortened window keeps the count and narrows the gap
    offsets: list[int] = []
    previous: int | None = None
    for index in range(count):
        low = 0 if previous is None else max(0, previous + gap - block)
        offset = rng.randrange(low, block) if low < block else block - 1
        offsets.append(index * block + offset)
        previous = offset
    return [start + timedelta(seconds=o) for o in offsets]


def days_to_plan(
    start: date, end: date, today: date, ahead_days: int, planned: set[str] | frozenset[str]
) -> list[date]:
    """Days from today up to `ahead_days` later, clipped to the campaign's dates, not yet
    planned."""
    first = max(start, today)
    last = min(end, today + timedelta(days=ahead_days))
    days = []
    day = first
    while day <= last:
        if day.isoformat() not in planned:
            days.append(day)
        day += timedelta(days=1)
    return days
