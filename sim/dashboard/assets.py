"""Solara's page assets, fetched once with npm, so the page loads without a CDN.

Solara's server proxies its page's JavaScript and CSS: it fetches them from a
public CDN on first use and caches them in ``settings.assets.proxy_cache_dir``.
Where that CDN cannot be reached (closed networks, CI, some regions) the npm
registry often can, and the same files are in the npm packages. We unpack
them into solara's cache, where the proxy finds them. The package list comes
from solara's own page template, so it follows solara's upgrades.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import ipyvue
import solara
import solara.server.settings as settings

TEMPLATE = Path(settings.__file__).with_name("templates") / "solara.html.j2"
SPEC = re.compile(r"\{\{ ?cdn ?\}\}/((?:@[\w.-]+/)?[\w.-]+@[\w.-]+)/")
# The charts are ECharts (solara.FigureEcharts), which imports echarts through the same proxy.
ECHARTS_VUE = Path(solara.__file__).parent / "components" / "echarts.vue"
ECHARTS_VERSION = re.compile(r'const version = "([\w.-]+)"')


def page_packages() -> set[str]:
    """The npm packages (``name@version``) solara's page loads through its CDN proxy."""
    specs = set(SPEC.findall(TEMPLATE.read_text()))
    # The template loads the Vue 3 app with ipyvue 3, the Vue 2 app otherwise (as solara.server does).
    app = "solara-vuetify3-app@" if ipyvue.__version__.startswith("3") else "solara-vuetify-app@"
    specs = {s for s in specs if "/solara-vuetify" not in s or f"/{app}" in s}
    if settings.assets.fontawesome_enabled:
        specs.add(settings.assets.fontawesome_path.strip("/").split("/")[0])
    if version := ECHARTS_VERSION.search(ECHARTS_VUE.read_text()):
        specs.add(f"echarts@{version.group(1)}")
    return specs


def missing(cache: Path | None = None) -> list[str]:
    cache = cache or settings.assets.proxy_cache_dir
    return sorted(spec for spec in page_packages() if not (cache / spec).is_dir())


def fetch(cache: Path | None = None, timeout: float = 600) -> list[str]:
    """Unpack the page's packages that solara's cache lacks. Returns those still missing.

    Without npm, or when npm fails, nothing is fetched, and solara's proxy will
    try its CDN as usual.
    """
    cache = cache or settings.assets.proxy_cache_dir
    wanted = missing(cache)
    npm = shutil.which("npm")
    if not wanted or npm is None:
        return wanted
    with tempfile.TemporaryDirectory() as tmp:
        try:
            packed = subprocess.run([npm, "pack", *wanted, "--json", "--pack-destination", tmp],
                                    capture_output=True, text=True, timeout=timeout, check=True)
        except (subprocess.SubprocessError, OSError):
            return wanted
        for info in json.loads(packed.stdout):
            spec = f"{info['name']}@{info['version']}"
            if spec in wanted:
                _unpack(Path(tmp) / info["filename"], cache / spec)
    return missing(cache)


def _unpack(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball's ``package/`` folder into ``target``, without source maps."""
    def strip_root(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
        name = member.name.partition("/")[2]
        if not name or name.endswith(".map") or (big and not name.startswith("dist/")):
            return None
        return tarfile.data_filter(member.replace(name=name), dest)

    big = target.name.startswith("echarts@")  # 50 MB of sources; the page needs only dist/
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    partial.chmod(0o755)  # mkdtemp's 0700 would hide it from a server run by another user
    with tarfile.open(tarball) as archive:
        archive.extractall(partial, filter=strip_root)
    try:
        partial.rename(target)  # whole or absent: a half-unpacked package is never served
    except OSError:  # another server unpacked it first
        shutil.rmtree(partial)
