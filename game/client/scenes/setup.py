"""Setting up a game: deck, seats and names, tags to leave out, play options.

``mode="table"`` starts a game on this screen; ``mode="host"`` hands the
same choices to the online lobby (names there are the seats this device
holds; other players bring their own).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame

from game.journal import Journal
from game.rules.deck import KNOWN_TAGS
from game.rules.errors import SetupError
from game.rules.state import Settings as GameSettings

from .. import gfx
from ..decks import deck_choices, load
from .base import Column, Scene

DEFAULT_NAMES = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana")


class SetupScene(Scene):
    name = "setup"

    def __init__(self, app: Any, mode: str = "table") -> None:
        super().__init__(app)
        self.mode = mode
        self.decks = deck_choices()
        if mode == "host":  # the built-in sampler lives only in this client, not on servers
            self.decks = [d for d in self.decks if d.id != "sampler"] or self.decks
        self.deck_index = 0
        self.seat_count = 2 if mode == "table" else 1
        self.names = [""] * 8
        self.excluded: set[str] = set()
        self.everyone: bool | None = None
        self.text_mode = False
        #: leave out cards this group already shared (from the local journal)
        self.fresh = True

    # -- state changes --------------------------------------------------------
    def _stash_names(self) -> None:
        for i in range(8):
            if f"name{i}" in self.keys:
                self.names[i] = self.text_of(f"name{i}")

    def _change(self, **what: Any) -> None:
        self._stash_names()
        for key, value in what.items():
            setattr(self, key, value)
        self.rebuild()

    def _seat_range(self) -> tuple[int, int]:
        deck = self.decks[self.deck_index]
        if self.mode == "host":
            return 1, deck.max_seats - 1
        return max(2, deck.min_seats), min(8, deck.max_seats)

    def _seats(self, delta: int) -> None:
        low, high = self._seat_range()
        self._change(seat_count=min(high, max(low, self.seat_count + delta)))

    def _deck(self, delta: int) -> None:
        index = (self.deck_index + delta) % len(self.decks)
        self.deck_index = index
        low, high = self._seat_range()
        self._change(seat_count=min(high, max(low, self.seat_count)))

    def _toggle_tag(self, tag: str) -> None:
        self._change(excluded=self.excluded ^ {tag})

    def chosen_names(self) -> list[str]:
        self._stash_names()
        return [(self.names[i].strip() or DEFAULT_NAMES[i]) for i in range(self.seat_count)]

    def game_settings(self) -> GameSettings:
        names = tuple(self.chosen_names())
        before: frozenset[str] = frozenset()
        if self.mode == "table" and self.fresh and self.app.user.journal:
            before = Journal().answered_before(self.decks[self.deck_index].id, names)
        return GameSettings(names=names, everyone_answers=self.everyone,
                            excluded_tags=frozenset(self.excluded), text_mode=self.text_mode,
                            excluded_cards=before)

    # -- layout ----------------------------------------------------------------
    def build(self) -> None:
        w, h = self.app.size
        u = self.u
        margin = round(24 * u) if w > 900 else 14
        top = round(70 * u)
        gap = margin
        colw = (w - 2 * margin - gap) // 2
        left = Column(self, pygame.Rect(margin, top, colw, h - top))
        right = Column(self, pygame.Rect(margin + colw + gap, top, colw, h - top))
        deck = self.decks[self.deck_index]

        prev, label, nxt = self._three(left)
        self.button(prev, "<", lambda: self._deck(-1), key="deck_prev", tip="Previous deck")
        self.deck_rect = label
        self.button(nxt, ">", lambda: self._deck(1), key="deck_next", tip="Next deck")
        self.desc_rect = left.take(round(44 * u))
        del deck

        minus, label, plus = self._three(left)
        low, high = self._seat_range()
        self.button(minus, "-", lambda: self._seats(-1), key="seats_minus",
                    enabled=self.seat_count > low, tip="One seat fewer")
        self.seats_rect = label
        self.button(plus, "+", lambda: self._seats(1), key="seats_plus",
                    enabled=self.seat_count < high, tip="One more seat")
        rows = (self.seat_count + 1) // 2
        eh = round(34 * u)
        for r in range(rows):
            cells = left.row(2, eh)
            for c in range(2):
                i = r * 2 + c
                if i < self.seat_count:
                    self.entry(cells[c], f"name{i}", placeholder=DEFAULT_NAMES[i],
                               initial=self.names[i], limit=24)
        if self.mode == "table" and self.app.user.journal:
            self.button(left.take(), f"New cards only: {'on' if self.fresh else 'off'}",
                        lambda: self._change(fresh=not self.fresh), key="fresh",
                        tip="Leave out cards these names shared on earlier evenings")

        self.tags_top = right.y
        right.space(round(26 * u))
        for r in range(0, len(KNOWN_TAGS), 2):
            cells = right.row(2, round(32 * u))
            for c, tag in enumerate(KNOWN_TAGS[r:r + 2]):
                out = tag in self.excluded
                self.button(cells[c], f"{'Left out' if out else 'In'}: {tag}",
                            partial(self._toggle_tag, tag), key=f"tag_{tag}",
                            style="selected" if out else None)
        words = {None: "default", True: "on", False: "off"}
        cycle = {None: True, True: False, False: None}
        self.button(right.take(), f"Everyone answers: {words[self.everyone]}",
                    lambda: self._change(everyone=cycle[self.everyone]), key="everyone",
                    tip="Each question answered by every seat in turn (default: on for two)")
        self.button(right.take(), f"Text mode: {'on' if self.text_mode else 'off'}",
                    lambda: self._change(text_mode=not self.text_mode), key="text_mode",
                    tip="Type answers instead of saying them aloud")
        back, start = right.row(2, round(44 * u))
        self.button(back, "Back", self.on_escape, style="gentle", key="back")
        start_label = "Start" if self.mode == "table" else "Create room"
        self.button(start, start_label, self.start, style="primary", key="start")
        if self.focus < 0:
            self.set_focus(len(self.focusables) - 1)

    def _three(self, col: Column) -> list[pygame.Rect]:
        r = col.take()
        bw = round(44 * self.u)
        return [pygame.Rect(r.x, r.y, bw, r.height),
                pygame.Rect(r.x + bw, r.y, r.width - 2 * bw, r.height),
                pygame.Rect(r.right - bw, r.y, bw, r.height)]

    # -- actions ------------------------------------------------------------------
    def start(self) -> None:
        choice = self.decks[self.deck_index]
        try:
            deck = load(choice.id)
        except LookupError as exc:
            self.app.toast(str(exc), kind="warning")
            return
        settings = self.game_settings()
        if self.mode == "host":
            from .lobby import HostScene

            self.app.switch(HostScene(self.app, deck=deck, settings=settings))
            return
        from ..session import LocalSession
        from .table import TableScene

        try:
            session = LocalSession(deck, settings)
        except SetupError as exc:
            self.app.toast(exc.message, kind="warning")
            return
        self.app.switch(TableScene(self.app, session))

    def on_escape(self) -> None:
        self.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        u = self.u
        w, _ = surface.get_size()
        heading = "Set up the table" if self.mode == "table" else "Host an online room"
        title = gfx.text(heading, round(28 * u), pal.text, bold=True)
        surface.blit(title, title.get_rect(center=(w // 2, round(34 * u))))
        deck = self.decks[self.deck_index]
        label = gfx.text(gfx.fit(deck.name, round(18 * u), self.deck_rect.width - 10, True),
                         round(18 * u), pal.accent, bold=True)
        surface.blit(label, label.get_rect(center=self.deck_rect.center))
        gfx.draw_wrapped(surface, deck.description, self.desc_rect, round(13 * u), pal.soft_text,
                         max_lines=2)
        what = "seats" if self.mode == "table" else "seats on this screen"
        seats = gfx.text(f"{self.seat_count} {what}", round(17 * u), pal.text, bold=True)
        surface.blit(seats, seats.get_rect(center=self.seats_rect.center))
        tags = gfx.text("Topics (tap to leave out)", round(15 * u), pal.soft_text)
        surface.blit(tags, (self.tags_top_x(), self.tags_top))

    def tags_top_x(self) -> int:
        key = f"tag_{KNOWN_TAGS[0]}"
        return int(self.keys[key].get_abs_rect().x) if key in self.keys else 0
