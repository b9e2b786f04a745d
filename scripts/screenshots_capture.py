"""Drive a fresh Home Assistant for scripts/screenshots: onboard, add the unit, install the dashboard, take PNGs.

Run by scripts/screenshots with a Python that has Playwright and PyYAML (never Playwright's own browser
download: Chromium comes from the system). Talks to Home Assistant over its REST API and, once logged in, over
the frontend's own websocket connection.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
import json
from pathlib import Path
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import (
    Browser,
    Error as PlaywrightError,
    Locator,
    Page,
    sync_playwright,
)
import yaml

DOMAIN = "heatpump_efficiency"
DASHBOARD_URL = "heat-pump"
USER = {"name": "Demo", "username": "demo", "password": "demo-password-1"}
FAILED_SHOT = Path(__file__).resolve().parent.parent / ".screenshots" / "failed.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def log(message: str) -> None:
    """Print a progress line like the bash scripts do."""
    print(f"==> {message}", file=sys.stderr, flush=True)


class HomeAssistant:
    """A tiny REST client for onboarding, auth and config flows."""

    def __init__(self, base: str) -> None:
        """Remember the base URL; the client id is the base URL, as the frontend uses."""
        self.base = base.rstrip("/")
        self.client_id = f"{self.base}/"
        self.tokens: dict[str, Any] = {}

    def request(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        form: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        """Send a GET (no body) or POST (JSON or form body) and return the decoded JSON answer."""
        headers = {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth and self.tokens:
            headers["Authorization"] = f"Bearer {self.tokens['access_token']}"
        request = urllib.request.Request(  # noqa: S310 (a local http URL we built)
            self.base + path, data=data, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                text = response.read().decode()
        except urllib.error.HTTPError as err:
            raise RuntimeError(
                f"{path}: HTTP {err.code}: {err.read().decode()[:500]}"
            ) from err
        return json.loads(text) if text else None

    def wait_until_up(self, timeout: float) -> None:
        """Wait until the onboarding API answers (Home Assistant and its http server are up)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.request("/api/onboarding", auth=False)
            except (OSError, RuntimeError) as err:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Home Assistant did not start within {timeout:.0f} s"
                    ) from err
                time.sleep(2)
            else:
                return

    def onboard(self) -> None:
        """Create the owner, log in and finish the onboarding steps (the location step is pre-marked done)."""
        answer = self.request(
            "/api/onboarding/users",
            {**USER, "client_id": self.client_id, "language": "en"},
            auth=False,
        )
        self.tokens = self.request(
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": answer["auth_code"],
                "client_id": self.client_id,
            },
            auth=False,
        )
        self.request("/api/onboarding/analytics", {})
        self.request(
            "/api/onboarding/integration",
            {
                "client_id": self.client_id,
                "redirect_uri": f"{self.base}/?auth_callback=1",
            },
        )

    def add_unit(self, host: str, port: int) -> str:
        """Add the simulated unit through the config flow; return the entry id."""
        flow = self.request(
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        url = f"/api/config/config_entries/flow/{flow['flow_id']}"
        if (
            flow.get("type") == "menu"
        ):  # "a unit on the network" or "sensors I already have"
            options = list(flow["menu_options"])
            choice = "device" if "device" in options else options[0]
            self.request(url, {"next_step_id": choice})
        result = self.request(
            url, {"unit_type": "heishamon", "host": host, "port": port}
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"config flow did not create an entry: {result}")
        return str(result["result"]["entry_id"])

    def add_daikin(self, host: str) -> str:
        """Add Home Assistant's own Daikin AC integration on the simulated adapter (host:port); return its id."""
        flow = self.request(
            "/api/config/config_entries/flow",
            {"handler": "daikin", "show_advanced_options": False},
        )
        result = self.request(
            f"/api/config/config_entries/flow/{flow['flow_id']}", {"host": host}
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"Daikin config flow did not create an entry: {result}")
        return str(result["result"]["entry_id"])

    def reload_entry(self, entry_id: str) -> None:
        """Reload a config entry (after enabling one of its entities)."""
        self.request(f"/api/config/config_entries/entry/{entry_id}/reload", {})

    def add_from_device(self) -> str:
        """Add our entry on top of the first offered device, accepting the preset's mapping; return its id."""
        flow = self.request(
            "/api/config/config_entries/flow",
            {"handler": DOMAIN, "show_advanced_options": False},
        )
        url = f"/api/config/config_entries/flow/{flow['flow_id']}"
        result = self.request(url, {"next_step_id": "sensors"})
        for _ in range(6):
            if result.get("type") != "form":
                break
            if result["step_id"] == "sensors_device":
                options = result["data_schema"][0]["selector"]["select"]["options"]
                values = {"device": options[0]["value"]}
                log(f"Device offered: {options[0]['label']}")
            else:  # accept what the preset suggests, as a user who reviews and agrees would
                values = {
                    field["name"]: field["description"]["suggested_value"]
                    for field in result["data_schema"]
                    if (field.get("description") or {}).get("suggested_value")
                    is not None
                }
            result = self.request(url, values)
        if result.get("type") != "create_entry":
            raise RuntimeError(f"config flow did not create an entry: {result}")
        return str(result["result"]["entry_id"])

    def set_options(self, entry_id: str, options: dict[str, Any]) -> None:
        """Submit the options flow with some options (the others keep their defaults)."""
        flow = self.request(
            "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        result = self.request(
            f"/api/config/config_entries/options/flow/{flow['flow_id']}",
            {**options, "thresholds": {}},
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"options flow failed: {result}")

    def refresh(self) -> None:
        """Get a fresh access token (they last 30 minutes; the daikin variant waits longer than that)."""
        fresh = self.request(
            "/auth/token",
            form={
                "grant_type": "refresh_token",
                "refresh_token": self.tokens["refresh_token"],
                "client_id": self.client_id,
            },
            auth=False,
        )
        self.tokens = {**self.tokens, **fresh}

    def frontend_tokens(self) -> dict[str, Any]:
        """Return the token record the frontend keeps in localStorage ("hassTokens")."""
        return {
            "access_token": self.tokens["access_token"],
            "refresh_token": self.tokens["refresh_token"],
            "token_type": "Bearer",
            "expires_in": self.tokens["expires_in"],
            "expires": int(time.time() * 1000) + 1000 * self.tokens["expires_in"],
            "hassUrl": self.base,
            "clientId": self.client_id,
        }


def open_page(
    browser: Browser, ha: HomeAssistant, height: int, *, sidebar: str = "docked"
) -> Page:
    """Open a logged-in page (tokens preset in localStorage) of the given height."""
    context = browser.new_context(
        viewport={"width": 1280, "height": height},
        device_scale_factor=1,
        locale="en-GB",
        timezone_id="Europe/Berlin",
        color_scheme="light",
    )
    tokens = json.dumps(ha.frontend_tokens())
    context.add_init_script(
        f"window.localStorage.setItem('hassTokens', {json.dumps(tokens)});"
        f"window.localStorage.setItem('dockedSidebar', '\"{sidebar}\"');"
    )
    return context.new_page()


def goto(page: Page, url: str, ready: str) -> None:
    """Navigate and wait until a selector that only the loaded page has is visible."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(
        "() => !!document.querySelector('home-assistant')?.hass?.connected",
        timeout=60_000,
    )
    wait_visible(page, page.locator(ready).first, 60)


def wait_visible(page: Page, locator: Locator, seconds: float) -> None:
    """Wait for an element to be shown."""
    with keep_failure(page):
        locator.wait_for(state="visible", timeout=seconds * 1000)


@contextmanager
def keep_failure(page: Page) -> Iterator[None]:
    """On a browser error, keep a screenshot of what the page showed instead."""
    try:
        yield
    except PlaywrightError:
        page.screenshot(path=str(FAILED_SHOT))
        log(f"{page.url}: failed; the page is in {FAILED_SHOT}")
        raise


def call_ws(page: Page, message: dict[str, Any]) -> Any:
    """Send one websocket command over the frontend's own connection."""
    return page.evaluate(
        "(msg) => document.querySelector('home-assistant').hass.callWS(msg)", message
    )


def settle(page: Page, seconds: float) -> None:
    """Let charts animate and late data arrive; fail on a visible spinner."""
    page.wait_for_timeout(seconds * 1000)
    page.wait_for_load_state("networkidle")


def shoot(page: Page, path: Path) -> None:
    """Save a PNG of the viewport."""
    page.screenshot(path=str(path), full_page=False)
    log(f"{path.name}: {path.stat().st_size // 1024} KiB")


def config_flow_shot(browser: Browser, ha: HomeAssistant, out: Path, sim: str) -> None:
    """The config-flow dialog with the simulated unit's address typed in."""
    page = open_page(browser, ha, 800)
    goto(
        page,
        f"{ha.base}/config/integrations/dashboard/add?domain={DOMAIN}",
        "ha-config-integrations-dashboard",
    )
    # Opened from a link, the dialog first asks whether to set the integration up.
    confirm = page.get_by_role("button", name="OK")
    wait_visible(page, confirm, 30)
    confirm.click()
    dialog = page.locator("dialog-data-entry-flow")
    form = dialog.locator("ha-form").first
    menu_item = dialog.locator("step-flow-menu").locator(
        "ha-md-list-item, ha-list-item, mwc-list-item"
    )
    wait_visible(page, form.or_(menu_item.first), 30)
    if menu_item.count():  # first choice: a unit on the network
        menu_item.first.click()
        wait_visible(page, form, 30)
    host, port = sim.split(":")
    with keep_failure(page):
        # The text fields in form order: host, then port (the unit type is a radio group).
        fields = dialog.locator("ha-form input:not([type=radio]):not([type=checkbox])")
        fields.nth(0).fill(host)
        fields.nth(1).fill(port)
        fields.nth(1).blur()
    settle(page, 2)
    shoot(page, out / "config_flow.png")
    page.context.close()


def device_shot(browser: Browser, ha: HomeAssistant, out: Path) -> None:
    """The device page: controls, sensors, diagnostics and the config entry."""
    page = open_page(browser, ha, 1000)
    goto(page, f"{ha.base}/config/integrations", "ha-config-integrations-dashboard")
    devices = call_ws(page, {"type": "config/device_registry/list"})
    device = next(
        d
        for d in devices
        if any(identifier[0] == DOMAIN for identifier in d["identifiers"])
    )
    goto(
        page,
        f"{ha.base}/config/devices/device/{device['id']}",
        "ha-config-device-page ha-device-info-card",
    )
    settle(page, 3)
    shoot(page, out / "device.png")
    page.context.close()


def dashboard_shot(
    browser: Browser,
    ha: HomeAssistant,
    out: Path,
    dashboard: Path,
    *,
    png: str = "dashboard.png",
    ready: str = "hui-thermostat-card",
    device_slug: str = "heat_pump",
) -> None:
    """Install the shipped dashboard in storage mode and capture it."""
    # Without the sidebar the three sections sit side by side.
    page = open_page(browser, ha, 1150, sidebar="always_hidden")
    goto(page, f"{ha.base}/config/lovelace/dashboards", "ha-config-lovelace-dashboards")
    text = dashboard.read_text(encoding="utf-8")
    # The dashboard names the default device's entities; the docs tell users to replace the prefix.
    text = text.replace(".heat_pump_", f".{device_slug}_")
    config = yaml.safe_load(text)
    existing = call_ws(page, {"type": "lovelace/dashboards/list"})
    if not any(d["url_path"] == DASHBOARD_URL for d in existing):
        call_ws(
            page,
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD_URL,
                "title": config.get("title", "Heat pump"),
                "icon": "mdi:heat-pump",
                "mode": "storage",
                "show_in_sidebar": True,
                "require_admin": False,
            },
        )
    call_ws(
        page,
        {"type": "lovelace/config/save", "url_path": DASHBOARD_URL, "config": config},
    )
    goto(page, f"{ha.base}/{DASHBOARD_URL}/0", ready)
    settle(page, 8)
    shoot(page, out / png)
    page.context.close()


def main() -> int:
    """Onboard, add the unit, then take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="Home Assistant base URL")
    parser.add_argument("--sim", required=True, help="simulator host:port")
    parser.add_argument("--out", type=Path, required=True, help="directory for PNGs")
    parser.add_argument("--dashboard", type=Path, required=True, help="dashboard YAML")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--history", type=float, default=720, help="seconds of data before capturing"
    )
    parser.add_argument("--poll", type=int, default=10, help="poll interval option (s)")
    parser.add_argument(
        "--daikin",
        help="simulated Daikin adapter host:port: add Home Assistant's Daikin AC integration on it, our "
        "entry on its device through the preset, and capture only the dashboard for units without heat",
    )
    args = parser.parse_args()
    if args.daikin:
        return daikin_main(args)

    ha = HomeAssistant(args.url)
    log("Waiting for Home Assistant")
    ha.wait_until_up(600)
    ha.onboard()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            log("Config flow dialog")
            config_flow_shot(browser, ha, args.out, args.sim)
            host, port = args.sim.split(":")
            entry_id = ha.add_unit(host, int(port))
            ha.set_options(entry_id, {"poll_interval": args.poll})
            log(f"Unit added; collecting {args.history:.0f} s of data")
            time.sleep(args.history)
            log("Device page")
            device_shot(browser, ha, args.out)
            log("Dashboard")
            dashboard_shot(browser, ha, args.out, args.dashboard)
        finally:
            browser.close()
    return 0


def daikin_main(args: argparse.Namespace) -> int:
    """The air-to-air variant: core Daikin on the simulated adapter, our entry through its preset."""
    ha = HomeAssistant(args.url)
    log("Waiting for Home Assistant")
    ha.wait_until_up(600)
    ha.onboard()
    daikin_entry = ha.add_daikin(args.daikin)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            # As docs/air_to_air.md tells users: enable the Daikin device's compressor frequency first.
            page = open_page(browser, ha, 800)
            goto(
                page,
                f"{ha.base}/config/integrations",
                "ha-config-integrations-dashboard",
            )
            frequency = next(
                e["entity_id"]
                for e in call_ws(page, {"type": "config/entity_registry/list"})
                if e["platform"] == "daikin"
                and e["unique_id"].endswith("-compressor_frequency")
            )
            call_ws(
                page,
                {
                    "type": "config/entity_registry/update",
                    "entity_id": frequency,
                    "disabled_by": None,
                },
            )
            page.context.close()
            ha.reload_entry(daikin_entry)
            time.sleep(10)
            ha.add_from_device()
            log(
                f"Daikin unit and our entry added; collecting {args.history:.0f} s of data"
            )
            time.sleep(args.history)
            ha.refresh()
            log("Dashboard for units without heat measurement")
            dashboard_shot(
                browser,
                ha,
                args.out,
                args.dashboard,
                png="dashboard_no_heat.png",
                ready="hui-tile-card",
                device_slug="living_room",  # the simulated adapter's name
            )
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
