"""The performance curve picture: running COP and heat output against outdoor temperature (SVG)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .analytics.curve import CurveBand
from .analytics.curve_svg import MIN_SOLID_DAYS, CurveLabels, render_curve_svg
from .const import DOMAIN
from .coordinator import HeatpumpCoordinator
from .data import HeatpumpEfficiencyConfigEntry
from .entity import (
    HeatpumpEntity,
    HeatpumpEntityDescription,
    fed_descriptions,
    measures_heat,
)

PARALLEL_UPDATES = 0  # read-only: the coordinator does all I/O
CONTENT_TYPE = "image/svg+xml"
# The picture is drawn again at most this often, and only when what it shows changed.
RENDER_INTERVAL = timedelta(hours=1)

# What the picture shows of a band, rounded as drawn closely enough that the eye cannot tell.
type BandKey = tuple[float, float | None, float | None, bool]


@dataclass(frozen=True, kw_only=True)
class HeatpumpImageDescription(ImageEntityDescription, HeatpumpEntityDescription):
    """An image described as data."""


PERFORMANCE_CURVE = HeatpumpImageDescription(
    key="performance_curve",
    translation_key="performance_curve",
    # Without heat there is no COP and no heat output to draw.
    has_fn=measures_heat,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatpumpEfficiencyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the performance curve picture where the source gives heat."""
    coordinator = entry.runtime_data.coordinator
    descriptions = fed_descriptions(
        hass, coordinator, Platform.IMAGE, (PERFORMANCE_CURVE,)
    )
    if not descriptions:
        return
    labels = await async_picture_labels(hass)
    async_add_entities(
        PerformanceCurveImage(hass, coordinator, description, labels)
        for description in descriptions
    )


async def async_picture_labels(hass: HomeAssistant) -> CurveLabels:
    """Return the picture's texts in Home Assistant's language (English for any text it lacks).

    They live in the translations as the image's `state_attributes` names, the one place the
    translation schema gives an entity's own texts.
    """
    strings = await async_get_translations(
        hass, hass.config.language, "entity", {DOMAIN}
    )
    prefix = f"component.{DOMAIN}.entity.image.{PERFORMANCE_CURVE.translation_key}.state_attributes"
    found = {
        field.name: text.replace("{days}", str(MIN_SOLID_DAYS))
        for field in fields(CurveLabels)
        if (text := strings.get(f"{prefix}.{field.name}.name"))
    }
    labels = CurveLabels(**found)
    try:
        render_curve_svg((), (), labels)
    except (
        ValueError
    ):  # a translation with markup characters: English rather than no picture
        return CurveLabels()
    return labels


def shown_bands(bands: tuple[CurveBand, ...]) -> tuple[BandKey, ...]:
    """Return what the picture shows of each band, rounded as the eye reads it."""
    return tuple(
        (
            band.low_c,
            None if band.cop is None else round(band.cop, 1),
            None if band.heat_kw is None else round(band.heat_kw, 1),
            band.days >= MIN_SOLID_DAYS,
        )
        for band in bands
    )


class PerformanceCurveImage(HeatpumpEntity, ImageEntity):
    """The season's performance curve; the picture changes rarely and carries no attributes of its own."""

    _attr_content_type = CONTENT_TYPE

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: HeatpumpCoordinator,
        description: HeatpumpImageDescription,
        labels: CurveLabels,
    ) -> None:
        """Draw the first picture from what the coordinator has learned so far."""
        super().__init__(coordinator, description)
        ImageEntity.__init__(self, hass)
        self._labels = labels
        self._shown_bands: tuple[tuple[BandKey, ...], tuple[BandKey, ...]] | None = None
        self._picture = b""
        self._render(dt_util.utcnow())

    @property
    def available(self) -> bool:
        """Return True: the curve is history and stays readable while the unit is offline."""
        return True

    def _bands(self) -> tuple[tuple[CurveBand, ...], tuple[CurveBand, ...]]:
        """Return this season's and last season's bands."""
        curve = self.coordinator.curve
        return curve.bands(), curve.last_season_bands()

    def _render(self, now: datetime) -> bool:
        """Draw the picture if what it shows changed; return whether it did."""
        bands, last = self._bands()
        shown = (shown_bands(bands), shown_bands(last))
        if shown == self._shown_bands:
            return False
        self._picture = render_curve_svg(bands, last, self._labels)
        self._shown_bands = shown
        self._attr_image_last_updated = now
        return True

    @callback
    def _handle_coordinator_update(self) -> None:
        """Draw again when the curve changed, at most once an hour; otherwise write nothing."""
        now = dt_util.utcnow()
        last = self._attr_image_last_updated
        if last is not None and now - last < RENDER_INTERVAL:
            return
        if self._render(now):
            self.async_write_ha_state()

    async def async_image(self) -> bytes | None:
        """Return the picture (drawn when the curve changed, never per request)."""
        return self._picture
