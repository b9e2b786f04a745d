"""Translations: every language mirrors en.json, and the integration's translation keys exist in it."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest

COMPONENT = (
    Path(__file__).parent.parent / "custom_components" / "heatpump_efficiency"
).resolve()
TRANSLATIONS = COMPONENT / "translations"
EN = TRANSLATIONS / "en.json"

# Languages being translated; all of them must ship.
EXPECTED_LANGUAGES = frozenset({"de", "nl", "fr", "sv", "nb", "da", "fi", "pl", "it"})

TRANSLATED = sorted(path for path in TRANSLATIONS.glob("*.json") if path != EN)

# `translation_key="defrost"` (or with single quotes) as written in entity descriptions,
# exceptions, issues and selectors.
_TRANSLATION_KEY = re.compile(r"""\btranslation_key\s*=\s*(["'])(\w+)\1""")
# The argument at the start of a `{...}` block: `{name}`, `{n, number}` or ICU
# `{count, plural, one {...} other {...}}`.
_ARGUMENT = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:,\s*(\w+)\s*(?:,(.*))?)?", re.DOTALL)
_ICU_BRANCHING = frozenset({"plural", "select", "selectordinal"})
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: the top level is not an object"
    return data


def _strings(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield (dotted key path, text) for every string leaf; anything else fails."""
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _strings(value, path)
        else:
            assert isinstance(value, str), f"{path}: {value!r} is not a string"
            yield path, value


def _blocks(text: str) -> Iterator[str]:
    """Yield the inside of every top-level `{...}` block of text."""
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "{":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"unbalanced braces in {text!r}"
            if depth == 0:
                yield text[start:index]
    assert depth == 0, f"unbalanced braces in {text!r}"


def _placeholders(text: str) -> frozenset[str]:
    """Names of the `{placeholders}` in text.

    For ICU plural/select arguments, the argument's name counts and the branch
    texts are searched for further placeholders; the branch keywords do not count.
    """
    names: set[str] = set()
    for block in _blocks(text):
        match = _ARGUMENT.fullmatch(block)
        assert match is not None, f"cannot read placeholder {{{block}}} in {text!r}"
        name, kind, branches = match.groups()
        names.add(name)
        if kind in _ICU_BRANCHING and branches is not None:
            for branch in _blocks(branches):
                names |= _placeholders(branch)
    return frozenset(names)


def test_placeholder_parser() -> None:
    """The parser reads plain and ICU placeholders and ignores ICU branch keywords."""
    assert _placeholders("A {name} was found at {host}.") == {"name", "host"}
    assert _placeholders("{temperature} °C outside {min} to {max} °C") == {
        "temperature",
        "min",
        "max",
    }
    assert _placeholders("no placeholders") == frozenset()
    assert _placeholders(
        "{count, plural, one {# defrost of {name}} other {# defrosts}}"
    ) == {"count", "name"}
    assert _placeholders("{n, number} kWh") == {"n"}


def test_en_has_no_empty_strings() -> None:
    """Every text in en.json has content and its placeholders can be read."""
    for path, text in _strings(_load(EN)):
        assert text.strip(), f"en.json: {path} is empty"
        _placeholders(text)


@pytest.mark.parametrize("path", [EN, *TRANSLATED], ids=lambda path: path.stem)
def test_file_format(path: Path) -> None:
    """UTF-8 JSON with 2-space indent, characters unescaped, a trailing newline and no [%key:...] references."""
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    # References to Home Assistant's common strings do not resolve in custom integrations.
    for key_path, value in _strings(_load(path)):
        assert "[%key:" not in value, f"{path.name}: {key_path} uses a reference"


@pytest.mark.parametrize("path", TRANSLATED, ids=lambda path: path.stem)
def test_translation_matches_en(path: Path) -> None:
    """Same key paths as en.json, same placeholders in every string, no empty strings or URLs."""
    english = dict(_strings(_load(EN)))
    translated = dict(_strings(_load(path)))

    missing = sorted(english.keys() - translated.keys())
    extra = sorted(translated.keys() - english.keys())
    assert not missing and not extra, (
        f"{path.name}: missing {missing}, not in en.json {extra}"
    )

    wrong = {
        key_path: (
            sorted(_placeholders(english[key_path])),
            sorted(_placeholders(text)),
        )
        for key_path, text in translated.items()
        if _placeholders(text) != _placeholders(english[key_path])
    }
    assert not wrong, f"{path.name}: placeholders differ (en, translation): {wrong}"

    for key_path, text in translated.items():
        assert text.strip(), f"{path.name}: {key_path} is empty"
        assert not _URL.search(text), f"{path.name}: {key_path} contains a URL"


def test_expected_languages_exist() -> None:
    """Every language being translated ships a file."""
    missing = EXPECTED_LANGUAGES - {path.stem for path in TRANSLATED}
    assert not missing, f"translations missing: {sorted(missing)}"


def _code_translation_keys() -> Iterator[tuple[str, str]]:
    """Yield (module stem, key) for every literal translation_key in the integration."""
    for module in sorted(COMPONENT.glob("*.py")):
        for match in _TRANSLATION_KEY.finditer(module.read_text(encoding="utf-8")):
            yield module.stem, match.group(2)


def test_code_translation_keys_exist_in_en() -> None:
    """Every literal translation_key in the integration's modules is translated in en.json.

    In a platform module (sensor.py, ...) a key belongs to that platform's entities
    or to the exceptions the module raises; elsewhere to exceptions, issues or selectors.
    """
    english = _load(EN)
    entities: dict[str, dict[str, Any]] = english["entity"]
    found = list(_code_translation_keys())
    assert found, "no translation_key found in the integration"

    unknown = []
    for module, key in found:
        sections = [english.get("exceptions", {}), english.get("issues", {})]
        sections.append(english.get("selector", {}))
        if module in entities:
            sections.insert(0, entities[module])
        if not any(key in section for section in sections):
            unknown.append(f"{module}.py: {key}")
    assert not unknown, f"translation keys missing from en.json: {unknown}"
