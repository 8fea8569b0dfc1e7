"""Reading a real group's chat export into a run-shaped folder (``groupsim-ingest``).

One small module per format (``wechat``, ``telegram``, ``discord``,
``plain``) reads into the normalised frames (``frames``); ``tables`` turns
them into the simulator's data contract where observable; ``measures``
holds the measures (usable on simulated runs too); ``report`` writes them
up; ``writers`` writes each format back, for tests and worked examples.

The entry points are ``sim.ingest.cli.ingest`` (write the folder) and
``sim.ingest.cli.read_group`` (in memory).
"""

from sim.ingest.frames import IngestError

__all__ = ["IngestError"]
