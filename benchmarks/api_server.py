"""The API under test, in its own process: `python -m benchmarks.api_server
--kind kairos|bare --port P --database-url ... --redis-url ...`.

`kairos` serves Kairos's FastAPI app (all middleware; rate limits off, since one client
address sends everything) with the projector running, so command endpoints can wait for
their read-your-writes. `bare` serves one FastAPI GET endpoint and nothing else."""

from __future__ import annotations

import argparse
import logging
import secrets
import threading

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class Pong(BaseModel):
    status: str
    items: list[int]


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/bare", response_model=Pong)
    def bare() -> Pong:
        return Pong(status="ok", items=[1, 2, 3])

    return app


def kairos_app(database_url: str, redis_url: str) -> FastAPI:
    from infrastructure.bootstrap import bootstrap, explicit_settings
    from interfaces.http.app import create_app

    settings = explicit_settings(
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secrets.token_hex(32),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        rate_limit_enabled=False,
        celery_queue=f"kairos-bench-{secrets.token_hex(4)}",
        log_level="WARNING",
    )
    container = bootstrap(settings)
    threading.Thread(
        target=container.projector().run_forever,
        args=(threading.Event(), container.leadership("projector"), container.waiter()),
        kwargs={"poll_interval": 0.5},
        daemon=True,
    ).start()
    return create_app(container)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["kairos", "bare"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = bare_app() if args.kind == "bare" else kairos_app(args.database_url, args.redis_url)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
