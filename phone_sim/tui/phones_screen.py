"""The phones screen: a grid of handset widgets on one live network, the clock bar, the
event log, and the player panel when a scenario plays.

A page holds as many handsets as the terminal has room for (``phone_sim.tui.layout``:
six at 160x50, two at 80x24, more with the keypads folded by ``K``); Tab, Shift+Tab,
Alt+number, PageUp/PageDown and ``g`` choose another. Keys go to the chosen handset through its keypad (``Keypad.press_key``), so the
keyboard and the mouse take the same path. The screen updates only the handsets whose
``HandsetDidChange`` the app passes on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.geometry import Size
from textual.screen import Screen

from phone_sim.network.events import Event
from phone_sim.tui.bindings import bind, fit_footer
from phone_sim.tui.clock_bar import ClockBar
from phone_sim.tui.errors import guarded
from phone_sim.tui.event_log import EventLog
from phone_sim.tui.face import HandsetFace, face_of
from phone_sim.tui.footer import KeysFooter
from phone_sim.tui.handset_widget import HandsetWidget
from phone_sim.tui.keypad import Keypad
from phone_sim.tui.layout import Fit, Shape, fit, page_shape, text_width, wrapped
from phone_sim.tui.names import NetworkNames
from phone_sim.tui.player import Player
from phone_sim.tui.player_panel import PlayerPanel

if TYPE_CHECKING:
    from phone_sim.tui.app import PhoneSimApp

PLAYER_WIDTH = 40  # the player panel beside the handsets (panels.tcss)
WIDE = 120  # columns from which the clock bar has full labels and the company's name
# the footer's keys, most useful first: those that fit the terminal's width are shown
FOOTER_ORDER = ("help", "close_player", "portal", "scenarios", "lessons", "language", "record", "checkpoint",
                "call", "end", "hold", "conf", "power", "move")
# Textual reads ESC+digit (Alt+digit in most Linux terminals, tmux included) as the
# characters macOS's Option+digit types: bind those too, so Alt+number works everywhere.
ALT_DIGIT_CHARS = {1: "inverted_exclamation_mark", 2: "trade_mark_sign", 3: "pound_sign", 4: "cent_sign",
                   5: "infinity", 6: "section_sign", 7: "pilcrow_sign", 8: "bullet", 9: "ª", 0: "º"}
_DIGITS = [bind(k, f"key('{k}')", "digit", show=False) for k in "0123456789"]


class PhonesScreen(Screen[None]):
    BINDINGS = _DIGITS + [
        bind("asterisk", "key('*')", "digit", show=False),
        bind("number_sign", "key('#')", "digit", show=False),
        bind("enter", "key('call')", "call"),
        bind("escape", "key('end')", "end"),
        bind("h", "key('hold')", "hold"),
        bind("c", "key('conf')", "conf"),
        bind("o", "power", "power"),
        bind("m", "move", "move"),
        bind("tab", "next_handset(1)", "next_handset", show=False),
        bind("shift+tab", "next_handset(-1)", "prev_handset", show=False),
        bind("pagedown", "page(1)", "page_next", show=False),
        bind("pageup", "page(-1)", "page_prev", show=False),
        bind("g", "choose", "choose", show=False),
        bind("q", "app.quit", "quit", show=False),
        bind("j", "journal", "journal", show=False),
        bind("K,shift+k", "keypads", "keypads", show=False, key_display="K"),
    ] + [bind(f"alt+{n % 10},{ALT_DIGIT_CHARS[n % 10]}", f"choose_index({n})", "choose_index", show=False,
              key_display=f"Alt+{n % 10}") for n in range(1, 11)]

    def __init__(self, lang: str = "fr") -> None:
        super().__init__()
        self.lang = lang
        self.page = 0
        self.selected: str | None = None
        self._slots: list[HandsetWidget] = []
        self._resumed = False
        self.keypads_wanted = True  # K folds them away for more handsets a page
        self.shape = Shape(3, 2, True)
        self._fit: Fit | None = None

    @property
    def sim(self) -> PhoneSimApp:
        return cast("PhoneSimApp", self.app)

    def compose(self) -> ComposeResult:
        self.shape = self._shape_for(self.app.size.width, self.app.size.height)
        yield ClockBar(self.lang, id="clock-bar")
        with Horizontal(id="main"):
            with Grid(id="handsets") as grid:
                grid.styles.grid_size_columns, grid.styles.grid_size_rows = self.shape.cols, self.shape.rows
                for _ in range(self.shape.per_page):
                    yield HandsetWidget(self.lang, classes="handset")
            yield PlayerPanel(self.lang, id="player")
        yield EventLog(self.lang, id="log")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.log_panel = self.query_one(EventLog)
        self.log_panel.names = NetworkNames(self.sim)
        self.query_one(PlayerPanel).display = False
        remembered = self.sim.prefs.get("handset")
        if remembered in self.order:  # the handset chosen last time
            self.show_page(self.order.index(remembered) // self.per_page, select=remembered)
        else:
            self.show_page(0)
        if self.sim.player is not None:
            self.open_player(self.sim.player)
        # rows, footer and clock for the terminal's size now: the first drawing is the final one
        self.fit()
        self.fit_footer()
        self.update_clock()
        self.call_after_refresh(self.sim.screen_ready)

    # ------------------------------------------------------------------ drawing
    @property
    def order(self) -> list[str]:
        return self.sim.live.order

    @property
    def per_page(self) -> int:
        return self.shape.per_page

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.order) // self.per_page))

    def slots(self) -> list[HandsetWidget]:
        if not self._slots:  # queried once: a DOM query per key would cost milliseconds
            self._slots = list(self.query(HandsetWidget))
        return self._slots

    def slot_of(self, party: str) -> HandsetWidget | None:
        return next((slot for slot in self.slots() if slot.party == party), None)

    def show_page(self, page: int, select: str | None = None) -> None:
        self.page = page % self.pages
        per_page = self.per_page
        visible = self.order[self.page * per_page:(self.page + 1) * per_page]
        for i, slot in enumerate(self.slots()):
            if i < len(visible):
                slot.index = self.page * per_page + i + 1
                slot.face = self._face(visible[i])
            else:
                slot.face = None
        target = select if select in visible else visible[0] if visible else None
        if target is not None:
            self.select(target)
        self.fit()
        self.update_clock()

    def _face(self, party: str) -> HandsetFace:
        live = self.sim.live
        sip = getattr(self.sim, "sip", None)
        return face_of(live.net, live.session.handsets[party], self.lang,
                       sip.device_of(party) if sip is not None else None)

    def handset_changed(self, party: str) -> None:
        slot = self.slot_of(party)
        if slot is not None:
            old = slot.face
            slot.face = self._face(party)
            if old is None or old.lines != slot.face.lines:
                self.fit()

    def refresh_calls(self) -> None:
        """Durations moved on: redraw the visible handsets that are in a call."""
        for slot in self.slots():
            if slot.face is not None and slot.face.in_call:
                slot.face = self._face(slot.face.party)

    def log_event(self, event: Event) -> None:
        self.log_panel.add(event)

    def note(self, line: str) -> None:
        """A line of the app's own (sound notices...) in the log."""
        self.log_panel.add(line)

    # ------------------------------------------------------------------ the page's shape
    def _shape_for(self, width: int, height: int) -> Shape:
        return page_shape(self._grid_width(width), height, self.keypads_wanted)

    def _laid_size(self) -> Size:
        """The screen's size; before it is first laid out, the terminal's (the same)."""
        return self.size if self.size.area else self.app.size

    def _grid_width(self, width: int) -> int:
        player = self.sim.player is not None
        return max(1, width - (PLAYER_WIDTH if player else 0))

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # the first time, every widget was styled a moment ago, when it was mounted:
        # Screen's own handler (run next) would style them all again
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    async def on_resize(self, event: events.Resize) -> None:
        await self.relayout()

    async def relayout(self) -> None:
        """A new terminal size (or keypads folded, or the player opened): the page's shape."""
        width, height = self._laid_size()
        if not width or not height:
            return
        shape = self._shape_for(width, height)
        if shape != self.shape:
            self.shape = shape
            grid = self.query_one("#handsets", Grid)
            grid.styles.grid_size_columns, grid.styles.grid_size_rows = shape.cols, shape.rows
            missing = shape.per_page - len(self.slots())
            if missing > 0:
                more = [HandsetWidget(self.lang, classes="handset") for _ in range(missing)]
                self._slots.extend(more)
                await grid.mount(*more)
            selected = self.selected
            page = self.order.index(selected) // shape.per_page if selected in self.order else 0
            self.show_page(page, select=selected)
        self._fit = None
        self.fit()
        self.fit_footer()
        self.update_clock()

    def fit_footer(self) -> None:
        width = self._laid_size().width
        compact = width < WIDE
        fit_footer([self, self.app], FOOTER_ORDER, width, self.app.get_key_display, compact)
        self.query_one(KeysFooter).compact = compact
        self.refresh_bindings()

    def fit(self) -> None:
        """Rows as tall as their displays need; the log shrinks first, then keypads fold."""
        shape = self.shape
        width, height = self._laid_size()
        if not height:
            return
        columns = text_width(self._grid_width(width) // shape.cols, shape.keypads)
        rows: list[list[int]] = [[] for _ in range(shape.rows)]
        for i, slot in enumerate(self.slots()[:shape.per_page]):
            if slot.face is not None:
                rows[i // shape.cols].append(wrapped(slot.face.lines, columns))
        result = fit(height, rows, shape.keypads)
        if result == self._fit:
            return
        self._fit = result
        grid = self.query_one("#handsets", Grid)
        grid.styles.grid_rows = " ".join(str(h) for h in result.rows)
        self.query_one("#main").styles.height = sum(result.rows)
        compact = not result.keypads
        if grid.has_class("-folded") != compact:
            grid.set_class(compact, "-folded")
            for slot in self.slots():
                slot.compact = compact

    async def action_keypads(self) -> None:
        self.keypads_wanted = not self.keypads_wanted
        await self.relayout()

    # ------------------------------------------------------------------ the player panel
    def open_player(self, player: Player) -> None:
        panel = self.query_one(PlayerPanel)
        panel.display = True
        panel.load(player)
        self.call_later(self.relayout)

    def show_player(self) -> None:
        self.query_one(PlayerPanel).show()

    def close_player(self) -> None:
        panel = self.query_one(PlayerPanel)
        panel.display = False
        panel.player = None
        self.call_later(self.relayout)

    def update_clock(self) -> None:
        sim = self.sim
        width = self._laid_size().width
        status = [sim.text("tui.page", page=self.page + 1, pages=self.pages)]
        if width >= WIDE:  # the company's name when there is room for it
            status.insert(0, sim.live.net.name)
        if sim.live.recorder is not None:
            status.append(sim.text("tui.record.on"))
        status.append(self.lang.upper())
        player = sim.player
        paused = player.paused if player is not None else sim.driver.paused
        speed = player.speed if player is not None else sim.driver.speed
        bar = self.query_one(ClockBar)
        bar.set_narrow(0 < width < WIDE)
        bar.show(sim.live.net.now, speed, paused, (" · " if bar.narrow else "  ·  ").join(status))

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        for slot in self.slots():
            slot.set_lang(lang)
            if slot.party is not None:
                slot.face = self._face(slot.party)
        self.query_one(ClockBar).relabel(lang)
        self.fit_footer()
        self.log_panel.set_lang(lang)
        self.query_one(PlayerPanel).set_lang(lang)
        self.update_clock()

    def reset(self, log: tuple[list[Event | str], dict[int, int]] | None = None) -> None:
        """Another network shown: its names in the log, its entries (``log``), first page."""
        self.log_panel.reset(log)
        self.show_page(0)

    # ------------------------------------------------------------------ choosing a handset
    def select(self, party: str) -> None:
        if party not in self.order:
            return
        index = self.order.index(party)
        if index // self.per_page != self.page:
            self.show_page(index // self.per_page, select=party)
            return
        if party != self.selected:
            self.selected = party
            self.sim.handset_selected(party)
        slot = self.slot_of(party)
        if slot is not None and self.focused is not slot:
            slot.focus()

    def action_next_handset(self, delta: int) -> None:
        order = self.order
        current = order.index(self.selected) if self.selected in order else -delta
        self.select(order[(current + delta) % len(order)])

    def action_choose_index(self, number: int) -> None:
        if 0 < number <= len(self.order):
            self.select(self.order[number - 1])

    def action_page(self, delta: int) -> None:
        self.show_page(self.page + delta)

    def action_choose(self) -> None:
        from phone_sim.tui.picker_screen import PickerScreen

        live = self.sim.live
        names = [(ident, live.net.parties[ident].name) for ident in self.order]
        self.app.push_screen(PickerScreen(names, self.lang), self._chosen)

    def action_journal(self) -> None:
        from phone_sim.tui.journal_screen import JournalScreen

        self.app.push_screen(JournalScreen(self.log_panel.history(), self.lang))

    def _chosen(self, party: str | None) -> None:
        if party is not None:
            self.select(party)

    # ------------------------------------------------------------------ acting
    @guarded
    def action_key(self, key: str) -> None:
        """A key of the chosen handset, pressed now: keys arrive here in the order typed
        (bindings run one after the other), and the handset is the one chosen when the
        key is acted on, even if a page turned since (slots are reused)."""
        if self.selected is not None:
            self.sim.press(self.selected, key)

    def action_power(self) -> None:
        if self.selected is not None:
            self.sim.toggle_power(self.selected)

    def action_move(self) -> None:
        if self.selected is not None:
            self._ask_move(self.selected)

    def _ask_move(self, party: str) -> None:
        from phone_sim.tui.move_screen import MoveScreen

        live = self.sim.live
        target = live.net.parties[party]
        self.app.push_screen(MoveScreen(target.name, target.location, self.lang),
                             lambda location: self.sim.move(party, location) if location else None)

    @guarded
    def on_keypad_pressed(self, event: Keypad.Pressed) -> None:
        """A handset's key (clicked, or pressed by a key binding): one queue, in order."""
        handset = next((node for node in event.keypad.ancestors if isinstance(node, HandsetWidget)), None)
        if handset is None:
            return
        event.stop()
        message = handset.message_for(event.button_id)
        if message is None:
            return
        if handset.party != self.selected:
            self.select(handset.party or "")
        # handled here and now rather than posted: one hop less between a key and the display
        if isinstance(message, HandsetWidget.KeyPressed):
            self.on_handset_widget_key_pressed(message)
        else:
            self.post_message(message)

    def on_handset_widget_key_pressed(self, message: HandsetWidget.KeyPressed) -> None:
        self.sim.press(message.party, message.key)

    def on_handset_widget_power_toggled(self, message: HandsetWidget.PowerToggled) -> None:
        self.sim.toggle_power(message.party)

    def on_handset_widget_move_requested(self, message: HandsetWidget.MoveRequested) -> None:
        self._ask_move(message.party)

    def on_handset_widget_chosen(self, message: HandsetWidget.Chosen) -> None:
        if message.party != self.selected:
            self.select(message.party)

    async def on_clock_bar_command(self, message: ClockBar.Command) -> None:
        if message.name.startswith("page_"):
            self.action_page(1 if message.name == "page_next" else -1)
        else:
            await self.app.run_action(message.name)

    async def on_player_panel_command(self, message: PlayerPanel.Command) -> None:
        await self.app.run_action("close_player" if message.name == "close" else message.name)
