"""A large export is streamed: memory grows far slower than the file (texts are never held).

Two generated exports of a few tens of MB, one three times the other, are
read in a fresh interpreter each (after a warm-up read, so imports and
memory pools do not count); the extra peak memory the larger one needs
must stay well below half the extra bytes it has (reading a whole file
into memory needs more than its size). A fixed ~50 MB of parser buffers
and memory pools comes on top and does not grow with the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 30_000, 90_000
TEXT = "闲聊 chat " * 40
PROBE = """
import resource, sys
from sim.ingest.cli import read_group
read_group(sys.argv[1], sys.argv[3], salt="s")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
group = read_group(sys.argv[2], sys.argv[3], salt="s")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, len(group.messages))
"""


def wechat(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n")
        for i in range(rows):
            f.write(f'{i},1@chatroom,{3 if i % 9 == 0 else 1},0,0,{1_700_000_000 + i * 7},2,"{TEXT}{i}",,,n{i % 300},wxid_{i % 300}\n')
    return path


def telegram(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write('{"name": "g", "type": "private_supergroup", "id": 1, "messages": [\n')
        for i in range(rows):
            m = {"id": i, "type": "message", "date_unixtime": str(1_700_000_000 + i * 7), "from": f"n{i % 300}",
                 "from_id": f"user{i % 300}", "text": TEXT, **({"reply_to_message_id": i - 1} if i % 5 == 4 else {})}
            f.write(("," if i else "") + json.dumps(m, ensure_ascii=False) + "\n")
        f.write("]}\n")
    return path


def extra_peak(warm: Path, path: Path, fmt: str) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(warm), str(path), fmt], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    grown, messages = map(int, out.stdout.split())
    return grown, messages


@pytest.mark.parametrize("fmt, write, suffix", [("wechat-csv", wechat, "csv"), ("telegram-json", telegram, "json")])
def test_memory_grows_much_slower_than_the_file(fmt, write, suffix, tmp_path):
    warm = write(tmp_path / f"warm.{suffix}", 500)
    small, large = write(tmp_path / f"small.{suffix}", SMALL), write(tmp_path / f"large.{suffix}", LARGE)
    assert large.stat().st_size > 30e6
    grown_small, n_small = extra_peak(warm, small, fmt)
    grown_large, n_large = extra_peak(warm, large, fmt)
    assert (n_small, n_large) == (SMALL, LARGE)
    extra_bytes = large.stat().st_size - small.stat().st_size
    assert grown_large - grown_small < 0.5 * extra_bytes, (grown_small, grown_large, extra_bytes)
