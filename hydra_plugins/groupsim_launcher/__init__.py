"""Hydra instantiates launchers only from classes defined in ``hydra_plugins``; the logic is ``sim.launcher``."""

from hydra_plugins.hydra_joblib_launcher.joblib_launcher import JoblibLauncher

from sim.launcher import launch_safely


class SafeJoblibLauncher(JoblibLauncher):
    """``hydra/launcher=local``: joblib (loky) processes that survive a dying worker."""

    def launch(self, job_overrides, initial_job_idx):
        return launch_safely(self, job_overrides, initial_job_idx)
