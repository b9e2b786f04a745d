"""The vendor drivers and the analytics stay free of Home Assistant, so they could ship as a library."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import subprocess
import sys

from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
import pytest

from custom_components.heatpump_efficiency.const import DOMAIN

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "custom_components" / "heatpump_efficiency"
PURE_LAYERS = ("units", "analytics", "presets")
PURE_PREFIXES = tuple(
    f"custom_components.heatpump_efficiency.{layer}" for layer in PURE_LAYERS
)


def imported_modules(source: str, module: str) -> set[str]:
    """Return every module a piece of source imports, relative imports resolved against `module`."""
    package = module.split(".")[:-1]
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                modules.add(node.module or "")
                continue
            base = package[: len(package) - node.level + 1]
            modules.add(".".join([*base, *([node.module] if node.module else [])]))
    return modules


def offending(modules: set[str]) -> set[str]:
    """Return the imports a pure layer must not make."""
    return {
        m
        for m in modules
        if m == "homeassistant"
        or m.startswith("homeassistant.")
        or (m.startswith("custom_components.") and not m.startswith(PURE_PREFIXES))
    }


def test_checker_sees_every_import_form() -> None:
    """The checker itself catches each form, so the layer test cannot pass vacuously."""
    module = "custom_components.heatpump_efficiency.analytics.engine"
    assert offending(imported_modules("import homeassistant.core", module))
    assert offending(imported_modules("from homeassistant.const import X", module))
    assert offending(imported_modules("from ..coordinator import X", module))
    assert offending(imported_modules("from .. import const", module))
    assert not offending(imported_modules("from ..units.model import Reading", module))
    assert not offending(imported_modules("from .energy import X", module))


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_layer_has_no_homeassistant_imports(layer: str) -> None:
    """No module under units/, analytics/ or presets/ reaches Home Assistant, directly or through the integration."""
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"{layer}/ has no modules"
    offenders: dict[str, set[str]] = {}
    for path in files:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if bad := offending(imported_modules(path.read_text(encoding="utf-8"), module)):
            offenders[str(path.relative_to(PACKAGE))] = bad
    assert offenders == {}


# Runs in a fresh interpreter with Home Assistant made unimportable (`None` in sys.modules).
_BLOCKED = """
import importlib, json, pkgutil, runpy, sys
sys.modules["homeassistant"] = None
sys.path.insert(0, {root!r})
"""
_IMPORT_LAYERS = """
import custom_components.heatpump_efficiency as package
imported = []
for layer in ("units", "analytics", "presets"):
    module = importlib.import_module(f"custom_components.heatpump_efficiency.{layer}")
    for info in pkgutil.walk_packages(module.__path__, module.__name__ + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
loaded = [name for name, module in sys.modules.items() if module is not None]
print(json.dumps({
    "imported": imported,
    "homeassistant": sorted(m for m in loaded if m.split(".")[0] == "homeassistant"),
    "integration": hasattr(package, "CONFIG_SCHEMA"),
}))
"""


def run_without_homeassistant(code: str) -> subprocess.CompletedProcess[str]:
    """Run Python code in a subprocess in which `import homeassistant` fails."""
    # Only this interpreter, with code written in this module.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", _BLOCKED.format(root=str(ROOT)) + code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )


def test_blocking_homeassistant_works() -> None:
    """The blocker itself: importing the integration's setup code fails under it."""
    result = run_without_homeassistant(
        "import custom_components.heatpump_efficiency.coordinator"
    )
    assert result.returncode != 0
    assert "homeassistant" in result.stderr


def test_pure_layers_import_without_homeassistant() -> None:
    """Every module of units/, analytics/ and presets/ imports in an interpreter where Home Assistant cannot."""
    result = run_without_homeassistant(_IMPORT_LAYERS)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for layer in PURE_LAYERS
        for path in (PACKAGE / layer).rglob("*.py")
        if path.name != "__init__.py"
    }
    assert set(report["imported"]) >= expected
    assert report["homeassistant"] == []
    # Without Home Assistant the package defines no integration (nothing half-set-up).
    assert report["integration"] is False


def test_replay_cli_runs_without_homeassistant() -> None:
    """The replay CLI analyses a CSV in an interpreter without Home Assistant."""
    csv = ROOT / "tests" / "fixtures" / "analytics" / "replay_small.csv"
    result = run_without_homeassistant(
        f"sys.argv = ['replay', {str(csv)!r}, '--no-days']\n"
        "runpy.run_module('custom_components.heatpump_efficiency.analytics.replay', "
        "run_name='__main__')"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["readings"] > 0
    assert summary["cop_combined"] > 1


def test_bench_runs_without_homeassistant() -> None:
    """scripts/bench runs (a short season for one unit) in an interpreter without Home Assistant."""
    bench = ROOT / "scripts" / "bench"
    result = run_without_homeassistant(
        "sys.argv = ['bench', '--units', '1', '--days', '2']\n"
        f"runpy.run_path({str(bench)!r}, run_name='__main__')"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Python ")
    assert lines[-1].split()[0] == "1"  # one line of figures for the one-unit fleet


async def test_homeassistant_loader_finds_the_integration(hass: HomeAssistant) -> None:
    """With Home Assistant installed, its loader gets the integration's setup functions and schema."""
    integration = await async_get_integration(hass, DOMAIN)
    component = await integration.async_get_component()
    for name in (
        "CONFIG_SCHEMA",
        "async_setup",
        "async_setup_entry",
        "async_unload_entry",
        "async_remove_entry",
        "PLATFORMS",
    ):
        assert hasattr(component, name), name
