"""The vendor drivers and the analytics stay free of Home Assistant, so they could ship as a library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "custom_components" / "heatpump_efficiency"
PURE_LAYERS = ("units", "analytics")
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
    """No module under units/ or analytics/ reaches Home Assistant, directly or through the integration."""
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"{layer}/ has no modules"
    offenders: dict[str, set[str]] = {}
    for path in files:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if bad := offending(imported_modules(path.read_text(encoding="utf-8"), module)):
            offenders[str(path.relative_to(PACKAGE))] = bad
    assert offenders == {}
