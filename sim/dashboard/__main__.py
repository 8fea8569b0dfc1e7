"""``python -m sim.dashboard``: the same as ``groupsim-dashboard``."""

from sim.dashboard import main

main()
