"""Per-user (or per-account) budgets on expensive or guessable operations, in Redis.

A fixed window per (budget, key): `spend` adds a cost atomically only when it fits under the
limit, else answers the seconds until the window ends (for `Retry-After`). When Redis is
unreachable every budget fails open (logged), so a broker outage never stops the API; the
vendor pacers still hold the global request rates.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis

log = logging.getLogger("kairos.budgets")

SPEND = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if current + cost > limit then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) * 1000 end
  return -ttl
end
local total = redis.call('INCRBY', KEYS[1], cost)
if total == cost then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 1000) end
return total
"""


class Budgets:
    def __init__(self, client: Any | None) -> None:
        """`client`: a Redis client with short timeouts (the composition root's), or None."""
        self.client = client
        self._script = client.register_script(SPEND) if client is not None else None
        self._down_until = 0.0

    def _key(self, name: str, key: str, window_seconds: int) -> str:
        window = int(time.time() // window_seconds)
        return f"kairos:budget:{name}:{key}:{window}"

    def spend(self, name: str, key: str, limit: int, window_seconds: int, cost: int = 1) -> int:
        """Spends `cost` of the window's `limit`; 0 when it fit, else seconds to wait."""
        if self._script is None or time.time() < self._down_until:
            return 0
        try:
            result = int(
                self._script(
                    keys=[self._key(name, key, window_seconds)],
                    args=[cost, limit, window_seconds],
                )
            )
        except (redis.RedisError, OSError) as error:
            log.warning("budgets cannot reach redis (%s); failing open", type(error).__name__)
            self._down_until = time.time() + 5
            return 0
        return 0 if result >= 0 else max(1, -result // 1000 + 1)

    def left(self, name: str, key: str, limit: int, window_seconds: int) -> tuple[int, int]:
        """(what is left of the window's limit, seconds until the window ends)."""
        if self.client is None or time.time() < self._down_until:
            return limit, 0
        redis_key = self._key(name, key, window_seconds)
        try:
            used, ttl = self.client.pipeline().get(redis_key).pttl(redis_key).execute()
        except (redis.RedisError, OSError):
            return limit, 0
        reset = max(1, int(ttl) // 1000 + 1) if ttl and int(ttl) > 0 else window_seconds
        return limit - int(used or 0), reset
