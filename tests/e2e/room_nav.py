"""Getting around the participant's room in tests: its tabs (chat, polls, agenda, rules, people)."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def room_tab(page, name: str):
    """Open the room's tab called `name` ("Chat", "Polls", "Agenda", "Rules", "People"); its
    badge, if any, is part of its name. Returns the tab's panel."""
    tab = page.get_by_role("tab", name=re.compile(rf"^{re.escape(name)}\b"))
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.locator(f"#{tab.get_attribute('aria-controls')}")
