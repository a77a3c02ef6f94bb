"""The table: the lamp, the card, the seats, and what each person can do now.

The scene rebuilds its widgets whenever a view changes, from the views alone:
the phase says what the panel shows, ``legal`` says which buttons are live.
Choices that are private (veto, ease back, pause, the ready check) never name
a seat on screen: table-wide buttons act through any seat allowed to
(``seat_for``), and the ready check asks each seat in turn while the others
look away.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.rules.actions import (
    Action,
    EaseBack,
    Leave,
    Pause,
    ProposeLastLight,
    SkipTurn,
    Star,
)

from .. import gfx
from ..lamp import Lamp
from ..session import Session, seat_for
from ..style import seat_colour, seat_shape
from . import activities, phases
from .base import Column, Scene

KIND_NAMES = {
    "question": "Question", "everyone_answers": "Everyone answers", "reflect": "Reflect back",
    "gratitude": "Gratitude", "dig_deeper": "Dig deeper", "check_in": "Check in",
    "plan_together": "Plan together", "love_languages": "Love languages",
    "good_news": "Good news",
}


class TableScene(Scene):
    name = "table"

    def __init__(self, app: Any, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.lamp = Lamp()
        self.lamp.reduced_motion = app.user.reduced_motion
        self.responder: int | None = None
        self.reveal: int | None = None       # ready check: whose private choice is shown
        self.love_target: int | None = None
        self.sealed = False
        self.signature: Any = None
        self.card_layout: dict[str, Any] = {}
        view = self.view
        if view is not None:
            self.lamp.sync(view, animate=False)

    # -- reading the session ---------------------------------------------------------
    @property
    def view(self) -> dict[str, Any] | None:
        return self.session.view(self.session.seats[0] if self.session.seats else None)

    def v(self, seat: int) -> dict[str, Any] | None:
        return self.session.view(seat)

    def can(self, seat: int | None, action_type: str) -> bool:
        if seat is None or seat not in self.session.seats:
            return False
        view = self.v(seat)
        return view is not None and action_type in view["legal"]

    def anyone(self, action_type: str, prefer: int | None = None) -> int | None:
        return seat_for(self.session, action_type, prefer=prefer)

    def name_of(self, seat: int | None) -> str:
        view = self.view
        if view is None or seat is None or not 0 <= seat < len(view["seats"]):
            return "Someone"
        return str(view["seats"][seat]["name"])

    def send(self, seat: int | None, action: Action) -> None:
        if seat is None:
            self.app.toast("Nobody at this screen can do that right now.", kind="warning")
            return
        self.session.send(seat, action)
        self.pump()

    def act(self, seat: int | None, action: Action) -> Any:
        """A button command: send ``action`` for ``seat`` when pressed."""
        return lambda: self.send(seat, action)

    def _signature(self) -> Any:
        views = tuple((s, (self.v(s) or {}).get("version")) for s in self.session.seats)
        return (views, self.session.connection, self.responder, self.reveal, self.love_target,
                self.sealed)

    # -- notices and animation -------------------------------------------------------
    def pump(self) -> None:
        """Take the session's notices: sounds, animations, toasts; rebuild if needed."""
        for notice in self.session.poll():
            kind = notice.get("type")
            if kind == "error":
                self.app.toast(str(notice.get("message", "That did not work.")), kind="warning")
            elif kind == "bulb_lit":
                self.app.sounds.play("bulb")
            elif kind == "tier_unlocked":
                view = self.view
                name = str(notice.get("tier", ""))
                if view is not None:
                    name = next((t["name"] for t in view["tiers"] if t["id"] == name), name)
                self.lamp.start_celebration(name)
                self.app.sounds.play("unlock")
            elif kind == "card_returned":
                reason = notice.get("reason")
                self.app.toast("The card went back to the pile." if reason != "eased_back"
                               else "That card went back; the table eased back.")
            elif kind == "eased_back":
                self.app.toast("The table eased back a tier. Going deeper needs a new check.")
                self.app.sounds.play("soft")
            elif kind == "ready_check_closed":
                self.app.toast("Not everyone is ready yet, and that is fine. The lamp waits.")
            elif kind == "paused":
                self.app.sounds.play("soft")
            elif kind == "connection":
                self.app.toast(f"Connection: {notice.get('state')}")
        view = self.view
        if view is not None:
            self.lamp.sync(view, animate=not self.app.user.reduced_motion)
            if view["phase"] == "ended":
                from .recap import RecapScene

                self.app.switch(RecapScene(self.app, self.session))
                return
        if self._signature() != self.signature:
            self.rebuild()

    def update(self, dt: float) -> bool:
        if dt > 0:
            self.pump()
        self.lamp.reduced_motion = self.app.user.reduced_motion
        was = self.lamp.celebrate is not None
        moving = self.lamp.update(dt)
        if was and self.lamp.celebrate is None:
            self.app.dirty = True
        return moving

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == getattr(self.session, "event_type", -1):
            self.pump()
            return True
        return super().handle_event(event)

    def toast_area(self) -> pygame.Rect:
        return self.regions()["lamp"]

    def on_escape(self) -> None:
        from .settings import SettingsScene

        self.app.switch(SettingsScene(self.app, back=lambda: self, leave=self.leave_game))

    def leave_game(self) -> None:
        """Leave: online, each seat held here leaves the room; then the title."""
        from .title import TitleScene

        if self.session.mode != "table":
            for seat in self.session.seats:
                self.session.send(seat, Leave())
        self.session.close()
        self.app.switch(TitleScene(self.app))

    # -- layout ------------------------------------------------------------------------
    def regions(self) -> dict[str, pygame.Rect]:
        w, h = self.app.size
        u = self.u
        bar = round(40 * u) + 10
        tiles = round(30 * u) + round(38 * u * 0.9) + 16
        margin = 12
        panel_w = min(max(round(w * 0.36), round(300 * u)), w // 2)
        left_w = w - panel_w - 3 * margin
        body_h = h - bar - tiles - 2 * margin
        lamp_h = max(round(96 * u), int(body_h * (0.34 if body_h < 440 * u else 0.42)))
        return {
            "bar": pygame.Rect(0, 0, w, bar),
            "lamp": pygame.Rect(margin, bar, left_w, lamp_h),
            "card": pygame.Rect(margin, bar + lamp_h + margin // 2, left_w,
                                body_h - lamp_h - margin // 2),
            "panel": pygame.Rect(w - panel_w - margin, bar, panel_w, body_h),
            "tiles": pygame.Rect(margin, h - tiles - margin, w - 2 * margin, tiles),
        }

    @property
    def button_h(self) -> int:
        return round((32 if self.compact else 38) * self.u)

    @property
    def card_size(self) -> int:
        return round((17 if self.compact else 24) * self.u)

    @property
    def compact(self) -> bool:
        """Little room for the panel (small window or large text): say less."""
        return self.regions()["panel"].height < 440 * self.u

    def build(self) -> None:
        view = self.view
        self.signature = self._signature()
        if view is None:
            return  # "Connecting…" is drawn until the first view arrives
        r = self.regions()
        # made in Tab order: what to do now first, the table-wide buttons last
        self.squeeze, self.dropped = False, 0
        self._build_tiles_and_panel(view, r)
        if self.dropped:
            # a control did not fit: say less (no explanations) rather than lose it
            self.clear()
            self.squeeze, self.dropped = True, 0
            self._build_tiles_and_panel(view, r)
        self._build_bar(view, r["bar"])

    def _build_bar(self, view: dict[str, Any], bar: pygame.Rect) -> None:
        u = self.u
        labels: list[tuple[str, Any, bool, str]] = []
        paused = view["paused"]
        labels.append(("Pause", self.act(self.anyone("pause"), Pause()),
                       self.anyone("pause") is not None, "pause"))
        labels.append(("Ease back", self.act(self.anyone("ease_back"), EaseBack()),
                       self.anyone("ease_back") is not None, "ease_back"))
        ll = self.anyone("propose_last_light")
        labels.append(("Last light", self.act(ll, ProposeLastLight()), ll is not None,
                       "last_light"))
        labels.append(("Menu", self.on_escape, True, "menu"))
        del paused
        bw = min(round(118 * u), (bar.width - 24) // (len(labels) + 1))
        del view
        x = bar.right - 12 - len(labels) * (bw + 6) + 6
        for text, fn, enabled, key in labels:
            self.button(pygame.Rect(x, bar.y + 8, bw, bar.height - 14), text, fn,
                        enabled=enabled, key=key, style="gentle")
            x += bw + 6
        self.bar_left = bar.right - 12 - len(labels) * (bw + 6)

    def _build_tiles_and_panel(self, view: dict[str, Any], r: dict[str, pygame.Rect]) -> None:
        u = self.u
        panel = r["panel"]
        col = Column(self, pygame.Rect(panel.x + 14, panel.y + 10, panel.width - 28,
                                       panel.height - 20))
        self.tile_buttons: dict[int, tuple[str, Any, bool, str | None]] = {}
        self.card_buttons: list[tuple[int, str, Any, bool]] = []
        phase = view["phase"]
        if view["paused"]:
            phases.paused(self, view, col)
        elif phase == "draw":
            phases.draw_phase(self, view, col)
        elif phase == "answer":
            phases.answer(self, view, col)
        elif phase == "respond":
            phases.respond(self, view, col)
        elif phase == "acknowledge":
            phases.acknowledge(self, view, col)
        elif phase == "activity":
            activities.build(self, view, col)
        elif phase == "ready_check":
            phases.ready_check(self, view, col)
        elif phase == "closing":
            phases.closing(self, view, col)
        if view["last_light"] is not None and phase != "closing" and not view["paused"]:
            phases.last_light(self, view, col)
        skipper = self.anyone("skip_turn")
        if skipper is not None and not view["paused"]:
            self.plain(col, f"Skip {self.name_of(view['speaker'])}'s turn (away)",
                       self.act(skipper, SkipTurn()), key="skip_turn", style="gentle")
        self._place_tiles(view, r["tiles"])
        self._place_card(view, r["card"])
        del u

    # -- panel text helpers ------------------------------------------------------------
    def header(self, col: Column, headline: str, sub: str = "") -> None:
        """Reserve room in the panel for a headline and a sentence (drawn in ``draw``)."""
        u = self.u
        width = col.rect.width
        lines = gfx.wrap(headline, round(20 * u), width, bold=True)[:2]
        sub_lines = gfx.wrap(sub, round(14 * u), width) if sub and not self.squeeze else []
        limit = 2 if self.compact else 5
        if len(sub_lines) > limit:
            sub_lines = sub_lines[:limit]
            sub_lines[-1] = gfx.fit(sub_lines[-1] + " …", round(14 * u), width)
        self.texts.append((pygame.Rect(col.rect.x, col.y, width, 0), lines, sub_lines))
        col.space(len(lines) * round(20 * u * 1.3) + len(sub_lines) * round(14 * u * 1.3)
                  + round(8 * u))

    def note(self, col: Column, text: str, *, optional: bool = False) -> None:
        """A short sentence in the panel; an ``optional`` one gives way when crowded."""
        if optional and self.squeeze:
            return
        u = self.u
        lines = gfx.wrap(text, round(14 * u), col.rect.width)
        limit = 1 if self.squeeze else 2 if self.compact else 3
        if len(lines) > limit:
            lines = lines[:limit]
            lines[-1] = gfx.fit(lines[-1] + " …", round(14 * u), col.rect.width)
        self.texts.append((pygame.Rect(col.rect.x, col.y, col.rect.width, 1), [], lines))
        col.space(len(lines) * round(14 * u * 1.3) + round(6 * u))

    def clear(self) -> None:
        super().clear()
        self.texts: list[tuple[pygame.Rect, list[str], list[str]]] = []

    def fits(self, col: Column, height: int | None = None) -> bool:
        """Room for one more row in the panel; counts what did not fit."""
        if col.left >= (height or self.button_h):
            return True
        self.dropped += 1
        return False

    def two(self, col: Column, *buttons: tuple[str, Any, bool, str]) -> None:
        """Buttons (label, action, enabled, key) side by side on one row, if it fits."""
        if not self.fits(col):
            return
        for rect, (label, fn, enabled, key) in zip(col.row(len(buttons)), buttons, strict=True):
            self.button(rect, label, fn, enabled=enabled, key=key)

    def primary(self, col: Column, label: str, fn: Any, enabled: bool = True,
                key: str | None = None) -> None:
        if self.fits(col):
            self.button(col.take(), label, fn, enabled=enabled, style="primary", key=key)

    def plain(self, col: Column, label: str, fn: Any, enabled: bool = True,
              key: str | None = None, style: str | None = None) -> None:
        if self.fits(col):
            self.button(col.take(), label, fn, enabled=enabled, key=key, style=style)

    def entry_and_button(self, col: Column, key: str, placeholder: str, limit: int,
                         button: tuple[str, Any, bool, str]) -> None:
        """A text box with its button on the same row (Enter in the box presses it)."""
        if not self.fits(col):
            return
        row = col.take()
        label, fn, enabled, bkey = button
        bw = max(round(90 * self.u), row.width // 3)
        self.entry(pygame.Rect(row.x, row.y, row.width - bw - col.gap, row.height), key,
                   placeholder=placeholder, limit=limit, on_enter=fn if enabled else None)
        self.button(pygame.Rect(row.right - bw, row.y, bw, row.height), label, fn,
                    enabled=enabled, key=bkey)

    def text_entry(self, col: Column, key: str, placeholder: str, limit: int,
                   on_enter: Any = None) -> None:
        if self.fits(col, round(36 * self.u)):
            self.entry(col.take(round(36 * self.u)), key, placeholder=placeholder, limit=limit,
                       on_enter=on_enter)

    # -- tiles and card -------------------------------------------------------------------
    def _place_tiles(self, view: dict[str, Any], rect: pygame.Rect) -> None:
        seats = view["seats"]
        n = len(seats)
        gap = 8
        tw = (rect.width - gap * (n - 1)) // n
        self.tile_rects: list[pygame.Rect] = []
        bh = round(38 * self.u * 0.9)
        for i in range(n):
            tile = pygame.Rect(rect.x + i * (tw + gap), rect.y, tw, rect.height)
            self.tile_rects.append(tile)
            spec = self.tile_buttons.get(i)
            if spec is not None:
                label, fn, enabled, style = spec
                brect = pygame.Rect(tile.x + 6, tile.bottom - bh - 6, tile.width - 12, bh)
                self.button(brect, label, fn, enabled=enabled, key=f"seat_{i}",
                            style=style or "seat")

    def _place_card(self, view: dict[str, Any], rect: pygame.Rect) -> None:
        self.card_rect = rect
        self.follow_rows: list[tuple[pygame.Rect, list[str]]] = []
        card = view["card"]
        if card is None:
            return
        u = self.u
        pad = round(18 * u)
        inner = rect.inflate(-2 * pad, -2 * pad)
        star_seat = self.anyone("star", prefer=view["speaker"])
        kw = min(round(120 * u), inner.width // 3)
        self.button(pygame.Rect(inner.right - kw, inner.y - round(6 * u), kw, round(28 * u)),
                    "Keep card", self.act(star_seat, Star()), enabled=star_seat is not None,
                    key="star", tip="Keep this card for the recap")
        y = inner.y + round(26 * u)
        size = self.card_size
        text_lines = gfx.wrap(card["text"], size, inner.width, bold=True)[:5]
        y += len(text_lines) * round(size * 1.3) + round(10 * u)
        self.card_text_lines = text_lines
        said = (view["turn"] or {}).get("answer_text")
        if said and view["phase"] in ("respond", "acknowledge"):
            said_lines = gfx.wrap(f"x wrote: {said}", round(15 * u), inner.width)[:3]
            y += len(said_lines) * round(15 * u * 1.3) + round(6 * u)
        if card["kind"] != "question" and card["kind"] not in ("everyone_answers", "good_news"):
            return
        if not card["follow_ups"]:
            return
        y += round(22 * u)
        bw = round(64 * u)
        buttons = {i: (label, fn, en) for i, label, fn, en in self.card_buttons}
        for i, follow in enumerate(card["follow_ups"]):
            width = inner.width - (bw + 8 if buttons else 0)
            lines = gfx.wrap(follow, round(15 * u), width)[:2]
            row_h = max(len(lines) * round(15 * u * 1.3), round(30 * u) if buttons else 0)
            if y + row_h > inner.bottom - round(18 * u):
                break
            row = pygame.Rect(inner.x, y, width, row_h)
            self.follow_rows.append((row, lines))
            if i in buttons:
                label, fn, en = buttons[i]
                self.button(pygame.Rect(inner.right - bw, y, bw, round(30 * u)), label, fn,
                            enabled=en, key=f"suggest_{i}")
            y += row_h + round(6 * u)

    # -- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        u = self.u
        r = self.regions()
        view = self.view
        gfx.panel(surface, r["panel"], pal.panel, pal.panel_edge)
        if view is None:
            label = gfx.text("Connecting to the table…", round(20 * u), pal.text)
            surface.blit(label, label.get_rect(center=surface.get_rect().center))
            return
        self._draw_bar(surface, view, r["bar"])
        self.lamp.draw(surface, r["lamp"], pal, u)
        self._draw_lamp_caption(surface, view, r["lamp"])
        self._draw_card(surface, view, r["card"])
        self._draw_tiles(surface, view)
        for rect, lines, sub in self.texts:
            y = gfx.draw_lines(surface, lines, (rect.x, rect.y), round(20 * u), pal.accent, True)
            gfx.draw_lines(surface, sub, (rect.x, y + 2), round(14 * u), pal.text)

    def _draw_bar(self, surface: pygame.Surface, view: dict[str, Any], bar: pygame.Rect) -> None:
        pal = self.app.palette
        u = self.u
        x = 14
        state = self.session.connection
        if state != "local":
            colour = {"online": (0, 158, 115)}.get(state, pal.warning)
            pygame.draw.circle(surface, colour, (x + 7, bar.centery), 7)
            label = gfx.text({"online": "Online"}.get(state, state.capitalize()), round(14 * u),
                             pal.text, bold=True)
            surface.blit(label, (x + 20, bar.centery - label.get_height() // 2))
            x += 28 + label.get_width()
        room = getattr(self.session, "room_code", "")
        title = f"{view['deck']['name']}" + (f" · room {room}" if room else "")
        width = self.bar_left - x - 10
        if width > 40:
            label = gfx.text(gfx.fit(title, round(17 * u), width, True), round(17 * u),
                             pal.text, bold=True)
            surface.blit(label, (x, bar.centery - label.get_height() // 2))

    def _draw_lamp_caption(self, surface: pygame.Surface, view: dict[str, Any],
                           rect: pygame.Rect) -> None:
        pal = self.app.palette
        u = self.u
        parts = []
        for t in view["tiers"]:
            parts.append(t["name"] + (" open" if t["open"] else f" at {t['threshold']}"))
        caption = " · ".join(parts)
        label = gfx.text(gfx.fit(caption, round(13 * u), rect.width), round(13 * u),
                         pal.soft_text)
        surface.blit(label, label.get_rect(midbottom=(rect.centerx, rect.bottom)))

    def _draw_card(self, surface: pygame.Surface, view: dict[str, Any], rect: pygame.Rect) -> None:
        pal = self.app.palette
        u = self.u
        card = view["card"]
        if card is None:
            if view["paused"]:
                self._draw_card_back(surface, rect, "Take your time.")
            elif view["phase"] == "draw":
                self._draw_card_back(surface, rect, "The next card waits face down.")
            elif view["phase"] == "ready_check":
                check = view["ready_check"]
                tier = next((t["name"] for t in view["tiers"] if t["id"] == check["tier"]), "")
                self._draw_card_back(surface, rect, f"Ready for {tier}?",
                                     f"{check['votes']} of {check['needed']} have answered")
            elif view["phase"] == "closing":
                if view["closing"]["appreciations"]:
                    self._draw_appreciations(surface, view, rect)
                else:
                    self._draw_card_back(surface, rect, "One thing I appreciated tonight…",
                                         "said aloud, typed, or sealed for later")
            return
        gfx.panel(surface, rect, pal.card, pal.card_edge, radius=18, width=3)
        pad = round(18 * u)
        inner = rect.inflate(-2 * pad, -2 * pad)
        surface.set_clip(rect.inflate(-6, -6))
        try:
            self._draw_card_face(surface, view, card, inner)
        finally:
            surface.set_clip(None)

    def _draw_card_face(self, surface: pygame.Surface, view: dict[str, Any],
                        card: dict[str, Any], inner: pygame.Rect) -> None:
        pal = self.app.palette
        u = self.u
        tier = next((t["name"] for t in view["tiers"] if t["id"] == card["tier"]), card["tier"])
        kind = KIND_NAMES.get(card["kind"], card["kind"])
        head = f"{tier} · {kind}" if card["kind"] != "question" else tier
        label = gfx.text(head.upper(), round(13 * u), pal.card_soft, bold=True)
        surface.blit(label, inner.topleft)
        turn = view["turn"] or {}
        if turn.get("stars"):
            star = gfx.text(f"kept by {turn['stars']}", round(13 * u), pal.card_soft)
            kw = min(round(120 * u), inner.width // 3)
            surface.blit(star, star.get_rect(topright=(inner.right - kw - 10, inner.y)))
        y = inner.y + round(26 * u)
        y = gfx.draw_lines(surface, getattr(self, "card_text_lines", []), (inner.x, y),
                           self.card_size, pal.card_text, True)
        said = (view["turn"] or {}).get("answer_text")
        if said and view["phase"] in ("respond", "acknowledge"):
            y = gfx.draw_wrapped(surface, f"{self.name_of(view['speaker'])} wrote: {said}",
                                 pygame.Rect(inner.x, y, inner.width, 10), round(15 * u),
                                 pal.card_text, max_lines=3) + round(6 * u)
        if card["kind"] not in ("question", "everyone_answers", "good_news"):
            gfx.draw_wrapped(surface, card["instructions"], pygame.Rect(inner.x, y + 8,
                             inner.width, 10), round(16 * u), pal.card_soft, max_lines=4)
        elif self.follow_rows:
            label = gfx.text("Suggested follow-ups", round(13 * u), pal.card_soft, bold=True)
            surface.blit(label, (inner.x, self.follow_rows[0][0].y - round(20 * u)))
            for row, lines in self.follow_rows:
                dot = pal.card_text if self.app.user.high_contrast else pal.card_edge
                pygame.draw.circle(surface, dot, (row.x + 5, row.y + round(10 * u)), 4)
                gfx.draw_lines(surface, lines, (row.x + 16, row.y), round(15 * u), pal.card_text)
        if card["tags"]:
            tags = gfx.text(" · ".join(card["tags"]), round(12 * u), pal.card_soft)
            surface.blit(tags, tags.get_rect(bottomright=inner.bottomright))
        asked = [f for f in turn.get("follow_ups", [])]
        if asked and view["phase"] in ("respond", "acknowledge"):
            text = "; ".join(f"{self.name_of(f['by'])} asked" + (
                " aloud" if f.get("aloud") else f": {f['text']}") for f in asked)
            label = gfx.text(gfx.fit(text, round(13 * u), inner.width - 120), round(13 * u),
                             pal.card_soft)
            surface.blit(label, label.get_rect(bottomleft=inner.bottomleft))

    def _draw_card_back(self, surface: pygame.Surface, rect: pygame.Rect, line: str,
                        small: str = "") -> None:
        """A face-down card: warm, with the lamp on it, and one line of words."""
        pal = self.app.palette
        u = self.u
        h = rect.height - 10
        w = min(rect.width - 20, int(h * 1.5))
        back = pygame.Rect(0, 0, w, h)
        back.center = rect.center
        gfx.panel(surface, back, pal.panel, pal.card_edge, radius=18, width=3)
        inner = back.inflate(-round(16 * u), -round(16 * u))
        pygame.draw.rect(surface, pal.panel_edge, inner, 1, border_radius=12)
        r = max(8, min(inner.height // 6, round(26 * u)))
        cy = inner.y + inner.height // 3
        surface.blit(gfx.glow(r * 3, pal.lamp), (inner.centerx - r * 3, cy - r * 3))
        pygame.draw.circle(surface, pal.lamp, (inner.centerx, cy), r)
        size = round((18 if self.compact else 22) * u)
        y = gfx.draw_wrapped(surface, line, pygame.Rect(inner.x + 10, cy + r + round(14 * u),
                             inner.width - 20, 10), size, pal.text, bold=True, centre=True,
                             max_lines=2)
        if small:
            gfx.draw_wrapped(surface, small, pygame.Rect(inner.x + 10, y, inner.width - 20, 10),
                             round(15 * u), pal.soft_text, centre=True, max_lines=1)

    def _draw_appreciations(self, surface: pygame.Surface, view: dict[str, Any],
                            rect: pygame.Rect) -> None:
        pal = self.app.palette
        u = self.u
        y = rect.y + 10
        for a in view["closing"]["appreciations"][-6:]:
            words = "sealed note" if a["sealed"] else (a["text"] or "said aloud")
            line = f"{self.name_of(a['by'])} to {self.name_of(a['to'])}: {words}"
            label = gfx.text(gfx.fit(line, round(15 * u), rect.width - 20), round(15 * u), pal.text)
            surface.blit(label, (rect.x + 10, y))
            y += label.get_height() + 6

    def _doing(self, view: dict[str, Any], seat: int, speaking: bool) -> str:
        info = view["seats"][seat]
        if info["left"]:
            return "has left"
        if info["away"]:
            return "away: reconnecting"
        phase = view["phase"]
        if view["paused"]:
            return "taking a moment"
        if phase == "draw":
            return "drawing a card" if speaking else ""
        if phase in ("answer", "respond"):
            return "answering" if speaking else "listening"
        if phase == "acknowledge":
            return "lighting bulbs" if speaking else "listening"
        if phase == "ready_check":
            return "answering privately"
        if phase == "closing":
            closing = view["closing"]
            return "telling someone" if closing and closing["closer"] == seat else "listening"
        if phase == "activity":
            return "leads this card" if speaking else ""
        return ""

    def _draw_tiles(self, surface: pygame.Surface, view: dict[str, Any]) -> None:
        pal = self.app.palette
        u = self.u
        speaker = view["speaker"]
        for i, tile in enumerate(getattr(self, "tile_rects", [])):
            seat = view["seats"][i]
            speaking = i == speaker and view["phase"] in ("draw", "answer", "respond",
                                                          "acknowledge", "activity")
            edge = pal.accent if speaking else pal.panel_edge
            gfx.panel(surface, tile, pal.panel, edge, width=4 if speaking else 2)
            r = round(9 * u)
            cy = tile.y + 8 + round(12 * u)
            gfx.draw_shape(surface, seat_shape(i), (tile.x + 10 + r, cy), r, seat_colour(i),
                           pal.background)
            role = "left" if seat["left"] else "away" if seat["away"] else (
                "speaks" if speaking else "")
            info = f"{seat['bulbs']}" + (f" · {role}" if role else "")
            label = gfx.text(info, round(14 * u), pal.accent if speaking else pal.soft_text,
                             bold=speaking)
            surface.blit(label, label.get_rect(midright=(tile.right - 10, cy)))
            # a small bulb beside the count says what the number is
            bx = tile.right - 16 - label.get_width() - r
            if seat["bulbs"]:
                surface.blit(gfx.glow(r * 2, seat_colour(i)), (bx - r * 2, cy - r * 2))
            gfx.draw_shape(surface, "circle", (bx, cy), r * 0.55, pal.lamp if seat["bulbs"]
                           else pal.bulb_off)
            name_w = bx - r - (tile.x + 16 + 2 * r) - 6
            name = gfx.text(gfx.fit(seat["name"], round(16 * u), max(20, name_w), True),
                            round(16 * u), pal.text, bold=True)
            surface.blit(name, name.get_rect(midleft=(tile.x + 16 + 2 * r, cy)))
            if i not in self.tile_buttons:  # no button: say what this seat is doing
                doing = self._doing(view, i, speaking)
                if doing:
                    label = gfx.text(gfx.fit(doing, round(14 * u), tile.width - 20),
                                     round(14 * u), pal.soft_text)
                    bottom = tile.bottom - round(38 * u * 0.9) // 2 - 6
                    surface.blit(label, label.get_rect(center=(tile.centerx, bottom)))
