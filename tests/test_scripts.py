"""The development scripts' helpers (scripts/_lib.sh): apt settings for the rootfs, the dev config's links."""

from __future__ import annotations

import os
from pathlib import Path
import shutil
import subprocess

import pytest

ROOT = Path(__file__).parents[1]
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="the scripts need bash")


def run_lib(function: str, *args: str, env: dict[str, str]) -> None:
    """Run one function of scripts/_lib.sh with extra environment variables."""
    assert BASH is not None
    # Only bash, with this repository's library and paths made by the test.
    subprocess.run(  # noqa: S603
        [BASH, "-c", f'source scripts/_lib.sh && {function} "$@"', "bash", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=60,
    )


def test_rootfs_gets_the_hosts_apt_acquire_settings(tmp_path: Path) -> None:
    """Acquire-only files are copied (a snapshot mirror's expired Release works); hooks never are."""
    host = tmp_path / "host"
    (host / "apt.conf.d").mkdir(parents=True)
    (host / "apt.conf").write_text(
        'Acquire::http::Proxy "http://proxy.example:3128";\n'
    )
    (host / "apt.conf.d" / "99snapshot").write_text(
        "// a frozen snapshot mirror\n"
        'Acquire::Check-Valid-Until "false";\n'
        'Acquire::Check-Date "false";\n'
    )
    (host / "apt.conf.d" / "50block").write_text(
        "Acquire::IndexTargets {\n"
        "  deb::DEP-11 {\n"
        '    DefaultEnabled "false";\n'
        "  };\n"
        "};\n"
    )
    (host / "apt.conf.d" / "20hooks").write_text(
        'Acquire::Languages "none";\n'
        'DPkg::Post-Invoke { "/usr/bin/host-only-tool"; };\n'
    )
    (host / "apt.conf.d" / "01autoremove").write_text(
        'APT::NeverAutoRemove { "^linux-image.*"; };\n'
    )
    rootfs = tmp_path / "rootfs"
    stale = rootfs / "etc" / "apt" / "apt.conf.d" / "90host-removed-on-host"
    stale.parent.mkdir(parents=True)
    stale.write_text('Acquire::Languages "none";\n')

    run_lib(
        "copy_host_apt_acquire",
        env={"HPE_ROOTFS": str(rootfs), "HPE_HOST_APT_DIR": str(host)},
    )

    copied = {
        path.name: path.read_text()
        for path in (rootfs / "etc" / "apt" / "apt.conf.d").iterdir()
    }
    assert set(copied) == {"90host-apt.conf", "90host-99snapshot", "90host-50block"}
    assert 'Acquire::Check-Valid-Until "false";' in copied["90host-99snapshot"]


def test_dev_config_links_integration_and_blueprints(tmp_path: Path) -> None:
    """The dev config loads the integration and every blueprint from the work tree, file by file."""
    config = tmp_path / "config"
    blueprints = config / "blueprints" / "automation" / "heatpump_efficiency"
    blueprints.mkdir(parents=True)
    (blueprints / "renamed.yaml").symlink_to(tmp_path / "missing.yaml")
    (blueprints / "mine.yaml").write_text(
        "blueprint: {}\n"
    )  # the user's own file stays

    run_lib("link_work_tree", str(config), env={})

    shipped = ROOT / "blueprints" / "automation" / "heatpump_efficiency"
    names = sorted(path.name for path in shipped.glob("*.yaml"))
    assert names
    for name in names:
        link = blueprints / name
        assert link.is_symlink()
        assert not Path(os.readlink(link)).is_absolute()
        assert link.read_text() == (shipped / name).read_text()
    # Home Assistant's blueprint loader globs recursively, which does not enter linked directories.
    found = sorted(
        path.name for path in (config / "blueprints" / "automation").glob("**/*.yaml")
    )
    assert found == sorted([*names, "mine.yaml"])
    integration = config / "custom_components" / "heatpump_efficiency"
    assert (integration / "manifest.json").read_text() == (
        ROOT / "custom_components" / "heatpump_efficiency" / "manifest.json"
    ).read_text()
