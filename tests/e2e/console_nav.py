"""Moving around the facilitator's console in browser tests: its panels are in tabs."""
from __future__ import annotations

from playwright.sync_api import expect

TABS = ("agenda", "polls", "breakouts", "chat", "goround", "people", "balance", "rules", "safety", "join")


def console_tab(page, name: str):
    """Open the console tab called `name` ("Agenda", "polls", "Go-round", ...) and return its panel."""
    key = name.lower().replace("-", "").replace(" ", "")
    assert key in TABS, f"no console tab {name!r}"
    tab = page.locator(f'#console-tabs [role=tab][data-console-tab="{key}"]')
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.locator(f"#tp-{key}")
    expect(panel).to_be_visible()
    return panel
