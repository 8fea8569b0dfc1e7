"""``groupsim-validate --calibrate``: fit the free parameters to the calibrated facts together.

Pattern-oriented calibration: every fact whose status is ``calibrated`` is
measured by its own ``measure`` at a small ``Scale``, with a trial's values
passed as overrides, and the trial's loss is the weighted sum of each fact's
distance from its band (``fact_loss``). Optuna's TPE with a fixed sampler
seed, one trial at a time, on seeded runs gives the same fit for the same
options; the best few trials are re-scored on three times as many fresh
seeds and the lowest wins (as ``sim.calibration.search`` does for an
operator's series).

The fitted values are the default config: they are written to
``configs/calibrated/population/<population>.yaml`` and, for a value that
belongs to one archetype, ``configs/calibrated/group/<archetype>.yaml``;
``configs/config.yaml`` merges each over the file it was fitted for (optional
defaults keyed by the chosen population and group), so command-line
overrides still win. Population values apply to every archetype. The
validated facts are then checked on that default, untuned, by a plain
``groupsim-validate``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import optuna
import pandas as pd
from hydra import compose, initialize_config_dir

from sim import api
from sim.calibration.search import SAMPLER_SEED
from sim.config import register_configs
from sim.output import atomic_write
from sim.validation import facts as registry
from sim.validation.facts import Fact, Finding, Scale


@dataclass(frozen=True)
class Free:
    """A fitted parameter: its config key, search range, and the fact that wants it.

    ``archetype`` set: the value belongs to that group archetype only; it
    reaches only that archetype's runs and is written to its calibrated file.
    """

    key: str
    low: float
    high: float
    archetype: str = ""
    why: str = ""

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


# The union of the calibrated facts' parameters that are fitted, with ranges a
# member or group could plausibly have. Held at their files' values (not
# fitted): the course's event_days and owner_active_days (the course's
# published shape), habit_rate and habit_floor (every archetype's habit), the
# long-lived archetypes' chat_propensity and need_profile, packet_send_multiple
# and packet_min_grab (WeChat's packet conventions).
FREE: tuple[Free, ...] = (
    Free("population.norm_hesitation", 0.3, 0.95, why="Matias: rules raise newcomers' posting"),
    Free("population.norm_learning", 0.002, 0.05, why="Matias: watching teaches the norms slowly"),
    Free("population.reply_habit_boost", 0.0, 0.5, why="Joyce & Kraut: an answer brings one back"),
    Free("population.tie_per_reply", 0.0, 0.8, why="Joyce & Kraut: an answer ties"),
    Free("population.packet_lucky_send", 0.2, 1.0, why="Yuan: the luckiest sends the next packet"),
    Free("population.packet_other_send", 0.0, 0.3, why="Yuan: others sometimes do"),
    Free("group.event_stir", 0.0, 6.0, "course", "temporary groups die in 4–10 days and cool"),
)
WEIGHTS: dict[str, float] = {}   # fact key -> weight in the loss (default 1)
CENTRE_PULL = 0.1    # inside a two-sided band, a small pull to its centre breaks ties
ALSO_MISSED = 1.0    # the rest of a claim (``Finding.also``) not held: as far as one band width
NO_FIGURE = 10.0     # no figure at all (nothing to measure in these runs)


def fact_loss(finding: Finding, weight: float = 1.0) -> float:
    """Distance of the figure from its band in band widths (0 inside), plus a small pull to
    the centre of a two-sided band; a one-sided band's width is its bound's size."""
    x, low, high = finding.simulated, finding.low, finding.high
    if not math.isfinite(x):
        return weight * NO_FIGURE
    two_sided = math.isfinite(high) and high > low
    width = (high - low) if two_sided else (abs(low) or 1.0)
    loss = max(low - x, x - high, 0.0) / width
    if two_sided:
        loss += CENTRE_PULL * abs(x - (low + high) / 2) / width
    if not finding.also:
        loss += ALSO_MISSED
    return weight * loss


def calibrated_facts() -> list[Fact]:
    return [f for f in registry.FACTS if f.status == "calibrated"]


def rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: float(f"{v:.4g}") for k, v in values.items()}


def scale_for(values: dict[str, float], params: Sequence[Free], scale: Scale) -> Scale:
    """``scale`` with the trial's values as overrides: population-wide in ``extra``, values of
    one archetype in ``scoped``."""
    extra = tuple(f"{p.key}={values[p.key]!r}" for p in params if not p.archetype)
    scoped = tuple((p.archetype, f"{p.key}={values[p.key]!r}") for p in params if p.archetype)
    return dataclasses.replace(scale, extra=scale.extra + extra, scoped=scale.scoped + scoped)


Scored = dict[str, tuple[Finding, float]]


def score(values: dict[str, float], params: Sequence[Free], fitted: Sequence[Fact], scale: Scale
          ) -> Scored:
    """Each fact's finding and loss under ``values``."""
    run = scale_for(values, params, scale)
    return {f.key: (finding, fact_loss(finding, WEIGHTS.get(f.key, 1.0)))
            for f in fitted for finding in [f.measure(run)]}


@dataclass
class FactFit:
    """The fitted values, each fact's figure and loss on the re-check seeds, and the trial log."""

    values: dict[str, float]
    loss: float
    scored: Scored
    fit_seeds: list[int]
    check_seeds: list[int]
    trials: pd.DataFrame = field(repr=False)

    @property
    def unreached(self) -> list[str]:
        return [key for key, (finding, _) in self.scored.items() if not finding.passed]


def fit(trials: int = 30, seeds: int = 3, recheck: int = 3, groups: int = 20, jobs: int = 1,
        params: Sequence[Free] = FREE, fitted: Sequence[Fact] | None = None,
        echo: Callable[[str], None] = print) -> FactFit:
    """Search ``params`` for the lowest summed loss over the calibrated facts."""
    fitted = list(calibrated_facts() if fitted is None else fitted)
    fit_scale = Scale(seeds, groups, jobs)
    check_scale = Scale(3 * seeds, groups, jobs, first_seed=seeds)  # fresh seeds

    def objective(trial: optuna.Trial) -> float:
        values = {p.key: trial.suggest_float(p.key, p.low, p.high) for p in params}
        scored = score(values, params, fitted, fit_scale)
        for key, (finding, loss) in scored.items():
            trial.set_user_attr(f"simulated_{key}", finding.simulated)
            trial.set_user_attr(f"loss_{key}", loss)
        total = sum(loss for _, loss in scored.values())
        echo(f"trial {trial.number}: loss {total:.3f}")
        return total

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize",
                                sampler=optuna.samplers.TPESampler(seed=SAMPLER_SEED))
    study.optimize(objective, n_trials=trials)
    log = pd.DataFrame([{"trial": t.number, "loss": t.value, **t.params, **t.user_attrs}
                        for t in study.trials])
    finalists: list[dict[str, float]] = []
    for _, row in log.sort_values(["loss", "trial"]).iterrows():
        values = rounded(row[[p.key for p in params]].to_dict())
        if values not in finalists:
            finalists.append(values)
        if len(finalists) == max(recheck, 1):
            break
    rechecked = []
    for values in finalists:
        scored = score(values, params, fitted, check_scale)
        rechecked.append((sum(loss for _, loss in scored.values()), scored, values))
        echo(f"re-check on fresh seeds: loss {rechecked[-1][0]:.3f}")
    loss, scored, values = min(rechecked, key=lambda r: r[0])
    return FactFit(values, loss, scored, list(range(seeds)), list(range(seeds, 4 * seeds)), log)


def command(trials: int, seeds: int, recheck: int, groups: int) -> str:
    return shlex.join(["groupsim-validate", "--calibrate", "--trials", str(trials), "--seeds",
                       str(seeds), "--recheck", str(recheck), "--groups", str(groups)])


def header(result: FactFit, cmd: str, params: Sequence[Free], fitted: Sequence[Fact]) -> list[str]:
    """Which command wrote the file, with which seeds, and each fact's figure and loss."""
    seeds = result.check_seeds
    lines = [f"# Written by `{cmd}` (optuna TPE, sampler seed {SAMPLER_SEED};",
             f"# fit seeds {result.fit_seeds[0]}–{result.fit_seeds[-1]}, best re-checked on fresh "
             f"seeds {seeds[0]}–{seeds[-1]}). Do not edit: rerun the command.",
             "# Merged over its population's or archetype's file by configs/config.yaml;",
             "# population values apply to every archetype. See docs/calibration_of_facts.md.",
             f"# Fitted together: {', '.join(p.key for p in params)}.",
             f"# Loss per fact on the re-check seeds (total {result.loss:.3f}):"]
    for f in fitted:
        finding, loss = result.scored[f.key]
        mark = "in band" if finding.passed else "NOT REACHED"
        lines.append(f"#   {f.key}: {finding.simulated:.3g} (band {finding.low:g}–{finding.high:g}, "
                     f"{mark}), loss {loss:.3f}")
    if result.unreached:
        lines.append(f"# Not reached within the search ranges: {', '.join(result.unreached)}.")
    return lines


def default_choice(group: str) -> str:
    """The option the default config chooses for a config group (``population`` -> ``default``)."""
    register_configs()
    with initialize_config_dir(config_dir=str(api.CONFIG_DIR), version_base=None):
        cfg = compose(config_name="config", return_hydra_config=True)
    return str(cfg.hydra.runtime.choices[group])


def write_config(result: FactFit, cmd: str, params: Sequence[Free], fitted: Sequence[Fact],
                 population: str | None = None) -> list[Path]:
    """Write the fitted values where ``configs/config.yaml`` merges them; return the files."""
    population = population or default_choice("population")
    targets: dict[Path, list[Free]] = {}
    root = api.CONFIG_DIR / "calibrated"
    for p in params:
        path = (root / "group" / f"{p.archetype}.yaml" if p.archetype
                else root / "population" / f"{population}.yaml")
        targets.setdefault(path, []).append(p)
    top = header(result, cmd, params, fitted)
    for path, chosen in targets.items():
        body = [f"{p.name}: {result.values[p.key]!r}    # fitted in [{p.low:g}, {p.high:g}]: {p.why}"
                for p in chosen]
        text = "\n".join(top + body) + "\n"
        atomic_write(path, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
    return list(targets)


def write_outputs(result: FactFit, out: Path, cmd: str, params: Sequence[Free],
                  fitted: Sequence[Fact]) -> None:
    """``fit.json`` (values, ranges, each fact's figure and loss, seeds) and ``trials.csv``."""
    report = {
        "command": cmd, "sampler_seed": SAMPLER_SEED, "fit_seeds": result.fit_seeds,
        "check_seeds": result.check_seeds, "values": result.values,
        "ranges": {p.key: [p.low, p.high] for p in params},
        "archetype": {p.key: p.archetype for p in params if p.archetype},
        "loss": result.loss,
        "facts": {f.key: {"simulated": finding.simulated, "low": finding.low,
                          "high": finding.high if math.isfinite(finding.high) else None,
                          "passed": finding.passed, "shown": finding.shown, "loss": loss,
                          "weight": WEIGHTS.get(f.key, 1.0), "calibrated_by": f.calibrated_by}
                  for f in fitted for finding, loss in [result.scored[f.key]]},
        "unreached": result.unreached,
        "trials": len(result.trials),
    }
    atomic_write(out / "fit.json",
                 lambda p: p.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8"))
    atomic_write(out / "trials.csv", lambda p: result.trials.to_csv(p, index=False))


def _say(line: str) -> None:
    print(line, flush=True)   # a long fit shows its progress even when piped to a file


def calibrate_facts(out: Path, trials: int = 30, seeds: int = 3, recheck: int = 3, groups: int = 20,
                    jobs: int = 1, echo: Callable[[str], None] = _say) -> FactFit:
    """Fit, write the default config's calibrated files and ``out/fit.json``, ``trials.csv``."""
    fitted = calibrated_facts()
    result = fit(trials, seeds, recheck, groups, jobs, FREE, fitted, echo)
    cmd = command(trials, seeds, recheck, groups)
    for path in write_config(result, cmd, FREE, fitted):
        echo(f"wrote {path}")
    write_outputs(result, out, cmd, FREE, fitted)
    for f in fitted:
        finding, loss = result.scored[f.key]
        echo(f"{'IN BAND' if finding.passed else 'MISSED '}  {f.key}: {finding.shown} (loss {loss:.3f})")
    return result
