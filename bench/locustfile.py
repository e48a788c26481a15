"""Locust's part of bench/load.py (it runs in the bench's own virtualenv, var/bench-venv, and
imports nothing of the portal). Each simulated client carries a session of its own, made
beforehand by bench/load.py (so no sign-in, throttled or not, happens during the measure),
and visits the pages of the plan in turn, from a random place in the list, without pause
unless BENCH_THINK_SECONDS says otherwise."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, constant, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())


class Reader(HttpUser):
    wait_time = constant(float(os.environ.get("BENCH_THINK_SECONDS", "0")))

    def on_start(self) -> None:
        # One session per client: the nth client started takes the nth session.
        Reader.started = getattr(Reader, "started", 0) + 1
        session = PLAN["sessions"][(Reader.started - 1) % len(PLAN["sessions"])]
        self.client.cookies.set(PLAN["session_cookie"], session)
        self.turn = random.randrange(len(PLAN["pages"]))

    @task
    def next_page(self) -> None:
        page = PLAN["pages"][self.turn % len(PLAN["pages"])]
        self.turn += 1
        self.client.get(page["url"], name=page["name"])
