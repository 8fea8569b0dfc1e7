"""The dated event log: what the operator did each day and how the group answered.

Built after each day from what the model recorded that day (the recorder's
daily row, ``members.money_received``, the playbook's counters), never by
re-running a mechanism. Events are kept as (msgid, numbers) so the log can be
shown in either language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.dashboard.levers import LEVER_CONTROLS
from sim.i18n import current_lang, t
from sim.metrics import DAILY_COLUMNS
from sim.strategies.playbook import LEVERS

if TYPE_CHECKING:
    from sim.model import GroupModel

CONTROLS = {lever.name: lever for lever in LEVER_CONTROLS}
# Standing and daily levers act every day; the log names only the ones that are news.
NEWS = {name for name, cls in LEVERS.items() if cls.classifier["cadence"] in ("periodic", "triggered")}
Event = tuple[str, dict]


@dataclass
class Before:
    """The playbook's running counters before a day, to tell what happened on it."""

    uses: dict = field(default_factory=dict)
    unaffordable: dict = field(default_factory=dict)
    sent_back: float = 0.0  # red-packet money members had sent to the group (gifts ledger)

    @classmethod
    def of(cls, model: GroupModel) -> Before:
        return cls(dict(model.playbook.uses), dict(model.playbook.unaffordable), model.gifts.sent)


def day_events(model: GroupModel, before: Before) -> list[Event]:
    """Today's events, in the order an operator would tell them."""
    row = dict(zip(DAILY_COLUMNS, model.recorder.rows[-1]))
    book = model.playbook
    pulled = [name for name in book.uses if book.uses[name] > before.uses.get(name, 0)
              and (name in NEWS or name not in LEVERS or not before.uses.get(name))]
    skipped = [name for name in book.unaffordable
               if book.unaffordable[name] > before.unaffordable.get(name, 0)]
    events: list[Event] = []
    for name in pulled:
        if name == "red_packets":  # grabbed: members who received money today (prizes included)
            received = model.members.money_received[: model.members.n]
            events.append(("red packet ¥{money:.0f}, {grabbed} grabbed, {thanks} thanks", {
                "money": book.cfg.red_packets.money, "grabbed": int((received > 0).sum()),
                "thanks": int(row["msg_thanks"])}))
        elif name in NEWS or name not in LEVERS:
            events.append(("{lever}", {"lever": name}))
        else:
            events.append(("{lever}: first day", {"lever": name}))
    if (sent := model.gifts.sent - before.sent_back) > 0:  # Yuan et al. 2024: the luckiest give back
        events.append(("members sent red packets back, ¥{money:.0f}", {"money": sent}))
    for name in skipped:
        events.append(("{lever} skipped: out of money or hours", {"lever": name}))
    if row["joined"]:
        events.append(("{n} joined", {"n": row["joined"]}))
    if row["left"]:
        events.append(("{n} left", {"n": row["left"]}))
    if row["conversions"]:
        events.append(("{n} bought, ¥{revenue:,.0f}", {"n": row["conversions"],
                                                      "revenue": row["revenue"]}))
    return events


def lever_name(name: str, lang: str | None = None) -> str:
    """The operators' Chinese term (红包) in Chinese, the English label in English."""
    control = CONTROLS.get(name)
    if control is None:
        return name
    return control.term if (lang or current_lang()) == "zh" else t(control.label, "en", domain="dashboard")


def log_line(day: int, events: list[Event], lang: str | None = None) -> str:
    """``第7天：红包 ¥20，38人抢，14人道谢`` / ``day 7: red packet ¥20, 38 grabbed, 14 thanks``."""
    sep = t("; ", lang, domain="dashboard")
    body = sep.join(t(msgid, lang, domain="dashboard",
                      **(numbers | ({"lever": lever_name(numbers["lever"], lang)} if "lever" in numbers
                                    else {})))
                    for msgid, numbers in events)
    return t("day {day}: {events}", lang, domain="dashboard", day=day, events=body)
