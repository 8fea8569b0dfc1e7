"""A simulated group's history as a ``Truth``, and as an export on disk (worked examples, tests).

The model is stepped a day at a time and each member's message count is
read off ``model.members.messages`` before and after, so no model code
changes. Times within a day are made up: joins in the first minutes after
midnight, messages through the day, exits just before midnight (the
simulator's order). Kinds are spread deterministically over the messages
(mostly text; images, stickers, replies, red packets) so every reader path
is exercised.

    python -m sim.ingest.synthetic OUT_DIR [--format wechat-csv] [--days 60] [--seed 1] [overrides...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sim.api import Run, compose_config
from sim.ingest.writers import WRITERS, Truth
from sim.metrics import member_table, summarize
from sim.model import GroupModel

START = pd.Timestamp("2024-03-04")  # a Monday
KIND_EVERY = (("red_packet", 53), ("reply", 7), ("image", 5), ("sticker", 11), ("voice", 13))
NAMES = ("Ann", "Bo", "Cai", "Dong", "Eva", "Fang", "Gao", "Hui", "Ivy", "Jun", "Kai", "Lan")


def simulate(overrides: list[str]) -> tuple[Run, np.ndarray]:
    """A run and its messages per day × member slot (what an export would list)."""
    cfg = compose_config(overrides)
    model = GroupModel(cfg)
    before, per_day = model.members.column("messages").copy(), []
    for _ in range(cfg.days):
        model.step()
        now = model.members.column("messages").copy()
        per_day.append(now - np.pad(before, (0, len(now) - len(before))))
        before = now
    width = model.members.n
    counts = np.array([np.pad(d, (0, width - len(d))) for d in per_day])
    daily = model.recorder.daily()
    # The operator's posts (the owner persona, lectures, scripted shares) are not any
    # member's own talk in the model, but an export lists them under the owner's account.
    counts[:, 0] += daily["operator_messages"].to_numpy()
    members = member_table(model)
    return Run(cfg, daily, members, summarize(model, daily, members), model), counts


def _kind(i: int) -> str:
    return next((k for k, every in KIND_EVERY if i % every == every - 1), "text")


def truth_of(run: Run, counts: np.ndarray, tz: str = "Asia/Shanghai", prefix: str = "wxid_") -> Truth:
    """The run's history in plain terms: people, timed messages, timed joins and exits."""
    members = run.members
    ids = [f"{prefix}{slot:05d}" for slot in members["member_id"]]
    people = pd.DataFrame({"id": ids, "name": [f"{NAMES[s % len(NAMES)]}{s}" for s in members["member_id"]]})

    def at(day: int, seconds: int) -> pd.Timestamp:
        return (START + pd.Timedelta(days=int(day), seconds=int(seconds))).tz_localize(tz).tz_convert("UTC")

    events = []
    for r in members.itertuples(index=False):
        inviter = ids[int(r.invited_by)] if pd.notna(r.invited_by) else None
        if r.joined_day > 0 or inviter:
            events.append((at(r.joined_day, 60 + r.member_id % 600), ids[r.member_id], "join", inviter))
        if pd.notna(r.exit_day):
            event = "removed" if r.exit_reason == "removed" else "leave"
            events.append((at(r.exit_day, 86_000 + r.member_id % 300), ids[r.member_id], event, None))
    rows, n = [], 0
    for day, slots in enumerate(counts, start=1):
        posters = np.repeat(np.arange(counts.shape[1]), slots)
        spacing = 50_000 // max(len(posters), 1)
        for j, slot in enumerate(posters):
            kind = _kind(n)
            reply = str(n) if kind == "reply" and n > 0 else None  # answers the message before
            rows.append((at(day, 28_800 + j * spacing), ids[slot], kind if reply or kind != "reply" else "text",
                         str(n + 1), reply))
            n += 1
    messages = pd.DataFrame(rows, columns=["time", "sender", "kind", "msg_id", "reply_to"])
    return Truth(people, messages, pd.DataFrame(events, columns=["time", "member", "event", "inviter"]), tz)


def write_example(folder: Path, fmt: str, overrides: list[str]) -> tuple[Path, Path | None]:
    folder.mkdir(parents=True, exist_ok=True)
    run, counts = simulate(overrides)
    return WRITERS[fmt](truth_of(run, counts), folder)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m sim.ingest.synthetic", description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--format", default="wechat-csv", choices=sorted(WRITERS))
    p.add_argument("--days", type=int, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("overrides", nargs="*")
    args = p.parse_intermixed_args(argv)
    export, events = write_example(args.folder, args.format, [f"days={args.days}", f"seed={args.seed}", *args.overrides])
    print(export if events is None else f"{export} {events}")


if __name__ == "__main__":
    main()
