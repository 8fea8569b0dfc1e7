"""An experiment spec's own words (question, why, arm labels, advice) in the reader's language.

The English lives in ``experiments/NAME.yaml`` (the spec is the source);
other languages in the ``experiments`` catalog domain, keyed
``<name>.question``, ``<name>.why``, ``<name>.arm.<key>``, ``<name>.next.<outcome>``.
A text missing there is shown in English.
"""

from __future__ import annotations

from sim.experiments.spec import Experiment
from sim.i18n import catalog, current_lang

DOMAIN = "experiments"


def spec_text(experiment: Experiment, field: str, english: str, lang: str | None = None) -> str:
    """``field`` of ``experiment`` ('question', 'arm.none', 'next.better') in ``lang``."""
    return catalog(lang or current_lang(), DOMAIN).get(f"{experiment.name}.{field}") or english
