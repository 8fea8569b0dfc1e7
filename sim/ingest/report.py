"""``report.md`` and its figures for an ingested group: the measures in plain words."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from sim.ingest import figures, measures
from sim.ingest.tables import Group

TEXT = {
    "title": "# {name}: what the export shows",
    "source": ("Read from a {format} export: {days} days ({first} to {last}, {tz}), {members} members seen, "
               "{messages:,} messages. Leaves: {leaves}. Member ids are salted pseudonyms; no names or "
               "texts are kept."),
    "activity": "## Activity\n\nMedian {median:g} messages a day; the busiest day had {max:,}. "
                "Members at the end: {final} (peak {peak}). {died}",
    "died": "The group went quiet (fewer than 3 messages a day for 7 days) after {days} days.",
    "alive": "The group never went quiet for 7 days running.",
    "participation": "## Who talks\n\nThe top 10% of members wrote {top:.0%} of the messages; Gini "
                     "{gini:.2f}; {never:.0%} of members seen never posted (members who never posted and never "
                     "joined or left in the export are not seen at all, so the true share is higher).",
    "newcomers": "## Newcomers\n\nNewcomers during the record: {n}; {posted} of them posted, a median "
                 "{median} days after joining; {back} of those who posted came back on a later day.",
    "replies": "## Replies\n\n{share} of posts are replies. {latency}",
    "latency": "Where the export links a reply to its message ({linked}), the median reply came after "
               "{median:.0f} minutes (90% within {p90:.0f}).",
    "no_latency": "The export does not link replies to the messages they answer, so reply latency is unknown.",
    "hazard": "## Leaving\n\nExits by tenure: observed {observed}, inferred from silence {inferred}. "
              "Hazard = exits in the tenure bin / members who reached it.",
    "cascades": "## Invitation tree\n\n{n} invitation cascades of 2+ members; the largest has {size} members, "
                "depth {depth} and mean distance between members {distance:.2f} (Wiener index / pairs, "
                "Qiu et al. 2016: deep chains ~4, one-hub broadcasts ~1.8).",
    "no_cascades": "## Invitation tree\n\nThe export names no inviters, so there is no invitation tree.",
    "kinds": "## Message kinds over time",
    "rhythm": "## Weekly rhythm",
    "warnings": "## Warnings\n\n",
}


def _share(x) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def _figure(fig: plt.Figure, folder: Path, name: str) -> str:
    fig.savefig(folder / f"{name}.png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return f"![{name}]({name}.png)"


def write_report(group: Group, folder: Path, name: str) -> dict:
    """Write ``report.md`` + PNGs into ``folder``; return the measures (also saved as measures.json)."""
    s, daily, members, msgs = group.summary, group.daily, group.members, group.messages
    tz = s["source"]["time_zone"]
    part = measures.participation(members)
    per_newcomer, newcomers = measures.newcomers(members, msgs)
    latency, replies = measures.replies(msgs)
    hazard = measures.quit_hazard(members, len(daily))
    cascades = measures.cascades(members)
    kinds, rhythm = measures.kinds_over_time(msgs), measures.rhythm(msgs, tz)
    out = [TEXT["title"].format(name=name),
           TEXT["source"].format(format=s["source"]["format"], days=s["days"], first=s["source"]["first_day"],
                                 last=s["source"]["last_day"], tz=tz, members=s["members_ever"],
                                 messages=s["total_messages"], leaves=s["source"]["leaves"])]
    out += [TEXT["activity"].format(median=float(daily["messages"].median()), max=int(daily["messages"].max()),
                                    final=s["final_members"], peak=s["peak_members"],
                                    died=TEXT["died"].format(days=s["lifetime_days"]) if s["died"] else TEXT["alive"]),
            _figure(figures.activity(daily), folder, "activity")]
    out += [TEXT["participation"].format(top=part["top10_share"] or 0, gini=part["gini"],
                                         never=part["never_posted_share"] or 0),
            _figure(figures.rank(measures.rank_curve(members)), folder, "participation_rank")]
    median = newcomers["median_days_to_first_post"]
    out += [TEXT["newcomers"].format(n=newcomers["newcomers"], posted=newcomers["posted"],
                                     median="n/a" if median is None else f"{median:g}",
                                     back=_share(newcomers["came_back_share_of_posters"])),
            _figure(figures.newcomers(per_newcomer), folder, "newcomers")]
    latency_text = (TEXT["latency"].format(linked=replies["replies_linked"], median=replies["median_latency_minutes"],
                                           p90=replies["p90_latency_minutes"])
                    if replies["median_latency_minutes"] is not None else TEXT["no_latency"])
    out += [TEXT["replies"].format(share=_share(replies["reply_share"]), latency=latency_text)]
    out += [TEXT["hazard"].format(observed=int(hazard["exits_observed"].sum()),
                                  inferred=int(hazard["exits_inferred"].sum())),
            _figure(figures.hazard(hazard), folder, "quit_hazard"),
            hazard.to_markdown(index=False, floatfmt=("g",) * 5 + (".3f",) * 2)]
    if len(cascades):
        top = cascades.iloc[0]
        out += [TEXT["cascades"].format(n=len(cascades), size=int(top["size"]), depth=top["depth"],
                                        distance=top["mean_distance"]),
                cascades.head(10).to_markdown(index=False, floatfmt=("g",) * 4 + (".2f",))]
    else:
        out += [TEXT["no_cascades"]]
    out += [TEXT["kinds"], _figure(figures.kinds(kinds), folder, "kinds"),
            TEXT["rhythm"], _figure(figures.rhythm(rhythm), folder, "rhythm")]
    if group.warnings:
        out += [TEXT["warnings"] + "\n".join(f"- {w}" for w in group.warnings)]
    (folder / "report.md").write_text("\n\n".join(out) + "\n")
    result = {"participation": part, "newcomers": newcomers, "replies": replies,
              "cascades": cascades.head(10).to_dict("records"), "quit_hazard": hazard.to_dict("records")}
    return result
