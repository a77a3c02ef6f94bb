"""The recap: the evening on a postcard, sealed notes, and saving the picture."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pygame

from game.journal import Evening, Journal, JournalError

from .. import gfx, postcard
from ..config import pictures_dir
from ..session import Session
from .base import Column, Scene


class RecapScene(Scene):
    name = "recap"

    def __init__(self, app: Any, session: Session) -> None:
        super().__init__(app)
        self.session = session
        view = session.view(session.seats[0] if session.seats else None) or {}
        self.view = view
        recap = dict(view.get("recap") or {})
        if not recap.get("duration_s"):
            recap["duration_s"] = session.elapsed()
        self.recap = recap
        self.card = postcard.render(recap, view) if recap else None
        self.saved: Path | None = None
        self._write_journal()

    def _write_journal(self) -> None:
        """Remember tonight on this machine (cards, not words), once per game."""
        if not self.app.user.journal or not self.recap.get("shared_cards"):
            return
        if getattr(self.session, "journaled", False):
            return
        try:
            Journal().record(Evening.from_recap(self.recap, deck=self.view["deck"]["id"]))
        except JournalError as exc:
            self.app.toast(str(exc), kind="warning")
        self.session.journaled = True  # type: ignore[attr-defined]

    def build(self) -> None:
        w, h = self.app.size
        u = self.u
        side = min(round(330 * u), int(w * 0.32))
        col = Column(self, pygame.Rect(w - side - 16, round(70 * u), side, h))
        folder = self.app.user.postcard_folder or str(pictures_dir())
        self.note_top = col.y
        col.space(round(22 * u))
        self.entry(col.take(round(36 * u)), "folder", initial=folder, on_enter=self.save)
        self.button(col.take(), "Save postcard", self.save, style="primary", key="save",
                    enabled=self.card is not None)
        col.space(round(12 * u))
        self.button(col.take(), "Play again", self.again, key="again")
        self.button(col.take(), "Back to the title", self.on_escape, style="gentle", key="title")
        self.notes_rect = pygame.Rect(col.rect.x, col.y + 10, side, h - col.y - 20)
        self.card_rect = pygame.Rect(16, round(70 * u), w - side - 48, h - round(90 * u))
        if self.focus < 0:
            self.set_focus(1)

    def save(self) -> None:
        if self.card is None:
            return
        folder = Path(self.text_of("folder").strip() or str(pictures_dir())).expanduser()
        try:
            self.saved = postcard.save(self.card, folder)
        except (OSError, pygame.error) as exc:
            self.app.toast(f"Could not save to {folder}: {exc}", kind="warning")
            return
        if str(folder) != self.app.user.postcard_folder:
            self.app.apply_settings(replace(self.app.user, postcard_folder=str(folder)))
        self.app.toast(f"Saved {self.saved.name} in {folder}")

    def again(self) -> None:
        from .setup import SetupScene

        self.session.close()
        self.app.switch(SetupScene(self.app, mode="table"))

    def on_escape(self) -> None:
        self.session.close()
        self.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        u = self.u
        w, _ = surface.get_size()
        title = gfx.text("Tonight's recap", round(28 * u), pal.text, bold=True)
        surface.blit(title, (16, round(22 * u)))
        if self.card is not None:
            r = self.card_rect
            scale = min(r.width / self.card.get_width(), r.height / self.card.get_height())
            size = (int(self.card.get_width() * scale), int(self.card.get_height() * scale))
            if getattr(self, "_scaled_size", None) != size:
                self._scaled = pygame.transform.smoothscale(self.card, size)
                self._scaled_size = size
            surface.blit(self._scaled, (r.x, r.y))
            pygame.draw.rect(surface, pal.card_edge, (r.x, r.y, *size), 2, border_radius=6)
        label = gfx.text("Save the postcard to this folder:", round(14 * u), pal.soft_text)
        surface.blit(label, (self.notes_rect.x, self.note_top))
        notes = self.view.get("sealed_notes") or []
        y = self.notes_rect.y
        for note in notes[:3]:
            who = self.view["seats"][note["by"]]["name"]
            y = gfx.draw_wrapped(surface, f"A sealed note from {who}: {note['text']}",
                                 pygame.Rect(self.notes_rect.x, y, self.notes_rect.width, 10),
                                 round(15 * u), pal.accent, max_lines=5) + 8
        del w
