"""``groupsim-ingest EXPORT``: a real group's export → a run-shaped folder with a report.

    groupsim-ingest chat.csv [--format auto|wechat-csv|telegram-json|discord-json|discord-csv|messages-csv]
                    [--events events.csv] [--out DIR] [--tz Asia/Shanghai] [--salt S]
                    [--infer-leaves auto|on|off] [--silence-days 30]

writes ``DIR`` (default ``results/ingest/<export stem>``) all at once:
``daily.parquet``, ``members.parquet``, ``summary.json`` (the simulator's
contract where observable, nulls elsewhere), ``messages.parquet``,
``events.parquet``, ``measures.json``, ``report.md`` and its figures.
Unreadable input gets one line naming file, row and field, and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from sim.errors import entry_point
from sim.ingest import detect, folder, pseudonym
from sim.ingest.frames import Export, IngestError
from sim.ingest.plain import read_events
from sim.ingest.report import write_report
from sim.ingest.tables import Group, assemble
from sim.output import DONE_MARKER

PROG = "groupsim-ingest"
DEFAULT_TZ = {"wechat-csv": "Asia/Shanghai"}  # others: UTC
SILENCE_DAYS = 30
MIN_PEOPLE = 3

TEXT = {
    "missing": "{file}: no such file",
    "silence": "--silence-days: must be at least 1, got {days}",
    "tz": "--tz: unknown time zone {tz!r} (e.g. Asia/Shanghai, UTC, Europe/Berlin)",
    "one_to_one": "{file}: a one-to-one chat ({people} participants), not a group; nothing to measure",
    "empty": "{file}: no messages and no joins or leaves; nothing to measure",
    "done": "wrote {out} ({members} members, {days} days, {messages:,} messages); read {out}/report.md",
    "salt": "member ids are salted with {where}; keep it private, reuse it to link later exports",
    "warning": "{prog}: warning: {text}",
    "error": "{prog}: {text}",
}

HELP = {
    "export": "the chat export (WeChat CSV, Telegram result.json, DiscordChatExporter JSON/CSV, messages.csv)",
    "format": "the export's format (default: told from its first bytes)",
    "events": "events.csv: time, member, event (join|leave|removed)[, inviter]; adds what the export lacks",
    "out": "output folder (default results/ingest/<export stem>)",
    "tz": "time zone of the days (default Asia/Shanghai for WeChat, else UTC)",
    "salt": "salt for member ids (default: a {file} file in the folder holding --out)",
    "infer": "infer leaves from silence (auto: only where neither the export nor --events notes leaves)",
    "silence": "days of silence before the record's end that count as having left",
}


def read_export(path: Path, fmt: str = "auto", events: Path | None = None, tz: str | None = None,
                ) -> tuple[Export, str]:
    """Read an export (and an optional events file) into the normalised frames; returns the time zone too."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(TEXT["missing"].format(file=path.name))
    fmt = detect.detect(path) if fmt == "auto" else fmt
    tz = tz or DEFAULT_TZ.get(fmt, "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise IngestError(TEXT["tz"].format(tz=tz)) from None
    warnings: list[str] = []
    export = detect.READERS[fmt](path, tz, warnings)
    if events is not None:
        extra = read_events(Path(events), export.people, tz, warnings)
        export.events = pd.concat([export.events, extra], ignore_index=True) if len(export.events) else extra
    export.warnings = warnings
    _refuse_non_groups(path, export)
    return export, tz


def _refuse_non_groups(path: Path, export: Export) -> None:
    senders = export.messages.loc[export.messages["sender"] >= 0, "sender"].nunique()
    people = max(senders, export.events["member"].nunique())
    if len(export.messages) == 0 and len(export.events) == 0 or people == 0:
        raise IngestError(TEXT["empty"].format(file=path.name))
    unsure = export.is_group is None and people < MIN_PEOPLE and len(export.events) == 0
    if export.is_group is False or unsure:
        raise IngestError(TEXT["one_to_one"].format(file=path.name, people=people))


def read_group(path: Path, fmt: str = "auto", events: Path | None = None, tz: str | None = None,
               infer: str = "auto", silence_days: int = SILENCE_DAYS, salt: str = "") -> Group:
    """The real group as frames and contract tables, in memory (no files written)."""
    if silence_days < 1:
        raise IngestError(TEXT["silence"].format(days=silence_days))
    export, tz = read_export(path, fmt, events, tz)
    return assemble(export, tz, infer, silence_days, salt)


def ingest(path: str | Path, out: str | Path | None = None, fmt: str = "auto", events: str | Path | None = None,
           tz: str | None = None, infer: str = "auto", silence_days: int = SILENCE_DAYS,
           salt: str | None = None) -> Group:
    """Read ``path`` and write the group's folder to ``out``; returns the group."""
    path = Path(path)
    out = Path(out) if out else Path("results") / "ingest" / path.stem
    group = read_group(path, fmt, None if events is None else Path(events), tz, infer, silence_days,
                       pseudonym.salt_for(out, salt))

    def fill(tmp: Path) -> None:
        group.daily.to_parquet(tmp / "daily.parquet", index=False)
        group.members.to_parquet(tmp / "members.parquet", index=False)
        group.messages.to_parquet(tmp / "messages.parquet", index=False)
        group.events.to_parquet(tmp / "events.parquet", index=False)
        measured = write_report(group, tmp, path.stem)
        folder.write_json(tmp / "measures.json", measured)
        folder.write_json(tmp / DONE_MARKER, {**group.summary, "warnings": group.warnings})

    folder.write_folder(out, fill)
    return group


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("export", type=Path, help=HELP["export"])
    p.add_argument("--format", default="auto", choices=detect.FORMATS, help=HELP["format"])
    p.add_argument("--events", type=Path, help=HELP["events"])
    p.add_argument("--out", type=Path, help=HELP["out"])
    p.add_argument("--tz", help=HELP["tz"])
    p.add_argument("--salt", help=HELP["salt"].format(file=pseudonym.SALT_FILE))
    p.add_argument("--infer-leaves", default="auto", choices=("auto", "on", "off"), help=HELP["infer"])
    p.add_argument("--silence-days", type=int, default=SILENCE_DAYS, help=HELP["silence"])
    return p


@entry_point(PROG)
def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out = args.out or Path("results") / "ingest" / args.export.stem
    try:
        group = ingest(args.export, out, args.format, args.events, args.tz, args.infer_leaves,
                       args.silence_days, args.salt)
    except IngestError as exc:
        print(TEXT["error"].format(prog=PROG, text=exc), file=sys.stderr)
        return 2
    for w in group.warnings:
        print(TEXT["warning"].format(prog=PROG, text=w), file=sys.stderr)
    if not args.salt:
        print(TEXT["salt"].format(where=out.resolve().parent / pseudonym.SALT_FILE), file=sys.stderr)
    s = group.summary
    print(TEXT["done"].format(out=out, members=s["members_ever"], days=s["days"], messages=s["total_messages"]))
    return 0


if __name__ == "__main__":
    main()
