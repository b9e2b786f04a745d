"""ESPHome Ecodan (Mitsubishi air-to-water units, gekkekoe/esphome-ecodan-hp) through core `esphome`.

ESPHome entities get the unique id `<mac>-<type>-<object id>`, and the object id is the entity's name
made lower case with every character other than a-z, 0-9, `-` and `_` turned into `_` (ESPHome's
snake_case + sanitize, done on the UTF-8 bytes, so `ä` becomes `__`). The names come from the
project's label files, confs/ecodan-labels-<language>.yaml: one substitution key per entity
(`outside_temp`, `hp_feed_temp` ...), the same key in every language, with that language's label.
The preset therefore knows, per key, the label of every language the project ships and accepts the
object id of any of them; which language a user built with does not matter. Builds from before the
label files named each sensor by its key itself (`name: hp_feed_temp` in the project's old
ecodan-esphome.yaml), so the key is accepted as a name too.

Keys used: `daily_repported_input_power` (kWh since midnight, from the controller),
`outside_temp`, `hp_feed_temp`, `hp_return_temp`, `flow_rate` (L/min), `compressor_frequency`,
`status_defrost`, `status_compressor` and `status_booster`. Flow rate x (feed - return) gives the
heat; the firmware's own estimated output is not used (it is a model, not a measurement).

Not matched: the Japanese, Korean and Chinese labels (nothing of them survives in the object id
but underscores, which would match unrelated entities), entities a user renamed in their own YAML
(ESPHome builds the id from the name it is given), and a key a language file leaves out (the Dutch
file has no `status_compressor`). Those fields stay empty for the user to pick.
"""

from __future__ import annotations

import re

from .model import EntityRule, Preset

# Labels per substitution key, from confs/ecodan-labels-{en,nl,de,fr,it,es,pl,sv,no,da,fi,sk}.yaml.
LABELS: dict[str, dict[str, str]] = {
    "daily_repported_input_power": {
        "en": "Reported Total Daily Energy Consumption",
        "nl": "Gerapporteerde opgenomen vermogen (Per dag)",
        "de": "Gemeldeter täglicher Energieverbrauch",
        "fr": "Consommation totale d'énergie quotidienne déclarée",
        "it": "Consumo Energetico Giornaliero Totale Segnalato",
        "es": "Consumo Total Diario de Energía Reportado",
        "pl": "Zgłoszone całkowite dzienne zużycie energii",
        "sv": "Rapporterat total daglig energiförbrukning",
        "no": "Rapportert total daglig energiforbruk",
        "da": "Rapporteret total daglig energiforbrug",
        "fi": "Raportoitu päivittäinen energiankulutus",
        "sk": "Hlásená denná spotreba energie",
    },
    "outside_temp": {
        "en": "Outside Temp",
        "nl": "Buiten temp",
        "de": "Außentemperatur",
        "fr": "Temp Ext",
        "it": "T. Esterna",
        "es": "Temp. Exterior",
        "pl": "Temperatura zewnętrzna",
        "sv": "Utetemperatur",
        "no": "Utetemperatur",
        "da": "Udetemperatur",
        "fi": "Ulkolämpötila",
        "sk": "Vonkajšia teplota",
    },
    "hp_feed_temp": {
        "en": "Feed Temp",
        "nl": "Aanvoer temp",
        "de": "Vorlauftemperatur",
        "fr": "Temp départ",
        "it": "T. Mandata PDC",
        "es": "Temp. Alimentación",
        "pl": "Temperatura zasilania",
        "sv": "Framledning temperatur",
        "no": "Fremløp temperatur",
        "da": "Fremledning temperatur",
        "fi": "Menolämpötila",
        "sk": "Výstupná teplota",
    },
    "hp_return_temp": {
        "en": "Return Temp",
        "nl": "Retour temp",
        "de": "Rücklauftemperatur",
        "fr": "Temp retour",
        "it": "T. Ritorno Liq. Refr.",
        "es": "Temp. Retorno",
        "pl": "Temperatura powrotu",
        "sv": "Retur temperatur",
        "no": "Retur temperatur",
        "da": "Retur temperatur",
        "fi": "Paluulämpötila",
        "sk": "Vratná teplota",
    },
    "flow_rate": {
        "en": "Flow Rate",
        "nl": "Flow waarde",
        "de": "Durchflussrate",
        "fr": "Débit",
        "it": "Portata",
        "es": "Caudal",
        "pl": "Przepływ",
        "sv": "Flöde",
        "no": "Flytrate",
        "da": "Flow",
        "fi": "Virtausnopeus",
        "sk": "Prietok vody",
    },
    "compressor_frequency": {
        "en": "Compressor Frequency",
        "nl": "Kompressor frequentie",
        "de": "Kompressor-Frequenz",
        "fr": "Freq Compresseur",
        "it": "Freq. Compressore",
        "es": "Frecuencia del Compresor",
        "pl": "Częstotliwość sprężarki",
        "sv": "Kompressor frekvens",
        "no": "Kompressorfrekvens",
        "da": "Kompressor frekvens",
        "fi": "Kompressorin taajuus",
        "sk": "Frekvencia kompresora",
    },
    "status_defrost": {
        "en": "Defrost",
        "nl": "Status defrost",
        "de": "Abtauen",
        "fr": "Dégivrage",
        "it": "Sbrinamento",
        "es": "Descongelar",
        "pl": "Odmrażanie",
        "sv": "Avfrostning",
        "no": "Avrim",
        "da": "Afrimning",
        "fi": "Sulatus",
        "sk": "Odmrazovanie",
    },
    "status_compressor": {
        "en": "Compressor",
        "de": "Kompressor",
        "fr": "Compresseur",
        "it": "Compressore",
        "es": "Compresor",
        "pl": "Sprężarka",
        "sv": "Kompressor",
        "no": "Kompressor",
        "da": "Kompressor",
        "fi": "Kompressorin",
        "sk": "Kompresor",
    },
    "status_booster": {
        "en": "Booster Heater",
        "nl": "Status booster heater",
        "de": "Zusatzheizung",
        "fr": "Statut réchauffeur élec",
        "it": "Riscaldatore Booster",
        "es": "Calentador Auxiliar",
        "pl": "Grzałka wspomagająca",
        "sv": "Booster värmare",
        "no": "Booster varme",
        "da": "Booster varme",
        "fi": "Tehostinlämmitin",
        "sk": "Pomocný elektrický ohrievač",
    },
}
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def object_id_pattern(label: str) -> str:
    """Return a regular expression for the object id ESPHome derives from a name.

    ASCII letters are lower-cased, spaces and other ASCII punctuation become `_`; a non-ASCII
    character becomes one `_` per UTF-8 byte (the firmware works on bytes), or a single `_` where a
    name was sanitised character by character.
    """
    parts = []
    for char in label:
        if char.isascii():
            lowered = char.lower()
            parts.append(re.escape(lowered) if lowered in _ALLOWED else "_")
        else:
            parts.append(f"_{{1,{len(char.encode())}}}")
    return "".join(parts)


def _esphome(kind: str, key: str) -> str:
    """A unique-id suffix matching the entity of a label key in any shipped language (or named by the key)."""
    names = (*LABELS[key].values(), key)
    ids = sorted({object_id_pattern(label) for label in names})
    return rf"-{kind}-(?:{'|'.join(ids)})$"


ECODAN = Preset(
    key="ecodan",
    platform="esphome",
    title="ESPHome Ecodan",
    rules=(
        EntityRule(
            field="electrical_energy",
            unique_id=_esphome("sensor", "daily_repported_input_power"),
        ),
        EntityRule(
            field="outdoor_temperature", unique_id=_esphome("sensor", "outside_temp")
        ),
        EntityRule(
            field="flow_temperature", unique_id=_esphome("sensor", "hp_feed_temp")
        ),
        EntityRule(
            field="return_temperature", unique_id=_esphome("sensor", "hp_return_temp")
        ),
        EntityRule(field="flow_rate", unique_id=_esphome("sensor", "flow_rate")),
        EntityRule(
            field="compressor_frequency",
            unique_id=_esphome("sensor", "compressor_frequency"),
        ),
        EntityRule(
            field="defrost",
            domain="binary_sensor",
            unique_id=_esphome("binary_sensor", "status_defrost"),
        ),
        EntityRule(
            field="compressor_running",
            domain="binary_sensor",
            unique_id=_esphome("binary_sensor", "status_compressor"),
        ),
        EntityRule(
            field="backup_heater",
            domain="binary_sensor",
            unique_id=_esphome("binary_sensor", "status_booster"),
        ),
    ),
    min_matches=3,  # an ESPHome device: ask for more than a temperature or two
)
