"""Keys sent at full speed (a burst, as tmux send-keys or a paste of key names gives them,
not one Pilot press at a time) keep their order in our text fields: portal login,
forms, the trainee's name; and keys typed while the portal opens stay out of it."""

from __future__ import annotations

import asyncio

from textual import events
from textual.widgets import Checkbox, Input
from tuihelp import SIZE, open_portal, run, stored_app, until

from phone_sim.store.accounts import DEMO_MANAGER
from phone_sim.tui.app import PhoneSimApp
from phone_sim.tui.lessons.picker import LessonPicker
from phone_sim.tui.portal import PortalScreen

BACKSPACES = ["backspace"] * 10


def burst(app: PhoneSimApp, keys: list[str]) -> None:
    """Every key handed to the app at once, as a terminal delivers a fast burst."""
    for key in keys:
        if len(key) == 1:
            name = {"-": "minus", " ": "space", "*": "asterisk", "#": "number_sign"}.get(key, key)
            event = events.Key(name, key)
        else:
            event = events.Key(key, "\x7f" if key == "backspace" else "\r" if key == "enter" else None)
        app._driver.send_message(event)


def field(app: PhoneSimApp, selector: str) -> Input:
    return app.screen.query_one(selector, Input)


def quiet(app: PhoneSimApp) -> bool:
    return app._in_flight is None and not getattr(app, "_held", None)


def test_backspaces_and_characters_keep_their_order_in_the_login_field(tmp_path):
    app = stored_app(tmp_path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await open_portal(pilot)
            burst(app, [*"06010203", *BACKSPACES, *"0601020303"])
            await until(pilot, lambda: quiet(app) and field(app, "#login-name").value == "0601020303")
            await pilot.pause(0.1)
            assert field(app, "#login-name").value == "0601020303"

    try:
        run(scenario())
    finally:
        app.finish()


def test_a_whole_login_typed_at_once_logs_in(tmp_path):
    app = stored_app(tmp_path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await open_portal(pilot)
            burst(app, [*"gestionnairX", "backspace", "e", "enter", *app.store.first_passwords[DEMO_MANAGER], "enter"])
            screen = app.screen
            assert isinstance(screen, PortalScreen)
            await until(pilot, lambda: screen.current == "home" and quiet(app))
            assert screen.session.account is not None and screen.session.account.name == DEMO_MANAGER

    try:
        run(scenario())
    finally:
        app.finish()


def test_a_forwarding_number_typed_at_once_is_saved_as_typed(tmp_path):
    app = stored_app(tmp_path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await open_portal(pilot)
            burst(app, [*DEMO_MANAGER, "enter", *app.store.first_passwords[DEMO_MANAGER], "enter"])
            screen = app.screen
            await until(pilot, lambda: screen.current == "home" and quiet(app))
            await screen.show("forwarding", line="C")
            await pilot.pause()
            app.screen.query_one("#active", Checkbox).value = True
            field(app, "#number").focus()
            await pilot.pause()
            burst(app, [*"0601020399", *BACKSPACES, *"0601020308", "backspace", "9", "enter"])
            await until(pilot, lambda: quiet(app) and app.live.net.parties["C"].forwarding.get("no_answer")
                        is not None)
            assert app.live.net.parties["C"].forwarding.get("no_answer") == "0601020309"

    try:
        run(scenario())
    finally:
        app.finish()


def test_keys_typed_while_the_portal_opens_stay_out_of_its_fields(tmp_path):
    app = stored_app(tmp_path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            burst(app, ["p", *"pgestion"])  # a second p (nothing seemed to happen), then more
            await until(pilot, lambda: isinstance(app.screen, PortalScreen) and quiet(app))
            await pilot.pause(0.2)
            assert field(app, "#login-name").value == ""
            assert app.live.session.handsets["A"].buffer == ""  # nor on the phone left behind
            # a key typed while it opened but reaching the app only now (the app was busy
            # building the portal) is not typed into the field that has the focus now
            late = events.Key("x", "x")
            late.time = app.screen.keys_from - 0.05
            app._driver.send_message(late)
            await pilot.pause(0.2)
            assert field(app, "#login-name").value == ""
            await pilot.press(*"ok")  # once it is up, typing works
            assert field(app, "#login-name").value == "ok"

    try:
        run(scenario())
    finally:
        app.finish()


def test_the_trainees_name_typed_at_once(tmp_path):
    app = stored_app(tmp_path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("e")
            assert isinstance(app.screen, LessonPicker)
            burst(app, [*"Lx", "backspace", *"éa"])
            await until(pilot, lambda: quiet(app) and field(app, "#trainee-name").value == "Léa")
            await asyncio.sleep(0.1)
            assert field(app, "#trainee-name").value == "Léa"

    try:
        run(scenario())
    finally:
        app.finish()
