"""A room: its lobby, its game, and the one queue that orders its requests.

Every request that can change a room (a join, a start, an action, a dropped
connection) is a job on the room's queue, run one at a time by the room's
worker, so actions apply strictly in order. An action is checked (stale
version, the server's own timers, then the rules), appended to the store,
and only then becomes the room's state and is broadcast: each connection
gets a ``view`` for every seat it holds, then one ``events`` notice.

Nothing here knows about sockets beyond ``Client.send``.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from game.protocol import encode
from game.rules.actions import (
    Action,
    Leave,
    Resume,
    SetAway,
    SkipTurn,
    with_text_restored,
    without_text,
)
from game.rules.deck import Deck
from game.rules.engine import NAME_LIMIT, apply, clean_name, is_stale, new_game
from game.rules.errors import GameError, IllegalAction, SetupError
from game.rules.state import Phase, Settings, State
from game.rules.view import view_for

from . import codes
from .conn import CLOSE_REPLACED, CLOSE_ROOM_CLOSED, Client
from .logs import log
from .store import RoomRecord, SeatRecord

if TYPE_CHECKING:
    from .hub import Hub

Job = Callable[[], Awaitable[None]]


class Refused(GameError):
    """A request the server refuses (not a rule of the game)."""


class Room:
    def __init__(self, hub: Hub, record: RoomRecord, deck: Deck, *, restored: bool) -> None:
        self.hub = hub
        self.record = record
        self.deck = deck
        self.code = record.code
        self.state: State | None = None
        #: seat -> the connection holding it (a newer one replaces an older)
        self.conns: dict[int, Client] = {}
        self.queue: asyncio.Queue[Job] = asyncio.Queue()
        self.worker: asyncio.Task[None] | None = None
        #: a restored game is replayed from its log on first use
        self.loaded = not restored or record.seed is None
        self.paused_at: float | None = None
        self.away_since: dict[int, float] = {}
        self.started_at = 0.0
        self.ended_at: float | None = None
        self.closed = False

    # -- the queue ------------------------------------------------------------

    def submit(self, job: Job) -> None:
        if self.worker is None:
            self.worker = asyncio.get_running_loop().create_task(self._work())
        self.queue.put_nowait(job)

    async def _work(self) -> None:
        while True:
            job = await self.queue.get()
            try:
                if not self.loaded:
                    await self._restore()
                await job()
            except Exception as exc:  # a bug: log it, keep the room alive
                log("room_error", room=self.code, error=repr(exc)[:200])
            finally:
                self.queue.task_done()
                # an idle room must not keep its last request (and so that
                # request's closed connection and its buffers) alive
                del job

    async def drain(self) -> None:
        """Wait until every queued job has run."""
        if self.worker is not None:
            await self.queue.join()

    def stop(self) -> None:
        self.closed = True
        if self.worker is not None:
            self.worker.cancel()

    # -- who holds what -------------------------------------------------------

    @property
    def started(self) -> bool:
        return self.record.seed is not None

    def seats_of(self, client: Client) -> list[int]:
        return sorted(s for s, c in self.conns.items() if c is client)

    def clients(self) -> list[Client]:
        return list(dict.fromkeys(self.conns.values()))

    def touch(self) -> None:
        self.record.last_active = time.time()

    # -- the lobby ------------------------------------------------------------

    def lobby_frame(self, client: Client) -> bytes:
        r = self.record
        return encode(
            "lobby", code=codes.display(self.code),
            deck={"id": self.deck.id, "name": self.deck.name},
            seats=[{"seat": i, "name": s.name, "connected": i in self.conns}
                   for i, s in enumerate(r.seats)],
            max_seats=r.max_seats, host=r.host, you=self.seats_of(client),
            settings=dict(r.settings),
        )

    def send_lobby(self) -> None:
        for client in self.clients():
            client.send_frame(self.lobby_frame(client))

    def _check_name(self, name: str) -> str:
        name = clean_name(name)
        if not 1 <= len(name) <= NAME_LIMIT:
            raise Refused("name/invalid", f"A name needs 1 to {NAME_LIMIT} visible characters.")
        if any(s.name.casefold() == name.casefold() for s in self.record.seats):
            raise Refused("name/taken", f"Someone in this room is already called {name!r}; "
                          "pick another name.")
        return name

    async def add_seat(self, client: Client, name: str, msg: dict[str, Any]) -> None:
        """Join (or create, or claim): a new seat in the lobby for ``client``."""
        if client.gone:
            return
        try:
            if self.started:
                raise Refused("room/started", "This room's game has already started; ask "
                              "the table to make a new room.")
            if len(self.record.seats) >= self.record.max_seats:
                raise Refused("room/full", f"This room is full ({self.record.max_seats} "
                              "seats).")
            name = self._check_name(name)
        except Refused as exc:
            self._refuse(client, exc, msg)
            return
        token = codes.new_token()
        self.record.seats.append(SeatRecord(name, codes.hash_token(token)))
        seat = len(self.record.seats) - 1
        self.touch()
        try:
            await self.hub.store.save_room(self.record)
        except Exception as exc:
            self.record.seats.pop()
            self._storage_failed(client, exc, msg)
            return
        self.hub.storage_ok()
        self.conns[seat] = client
        client.room = self
        log("seat_taken", room=self.code, seat=seat, via=msg["type"])
        client.send("welcome", code=codes.display(self.code), seat=seat, token=token,
                    host=seat == self.record.host, name=name)
        self.send_lobby()

    async def rejoin(self, client: Client, token: str, msg: dict[str, Any]) -> None:
        if client.gone:
            return
        seat = codes.match_token(token, [s.token_hash for s in self.record.seats])
        if seat is None:
            self._refuse(client, self.hub.auth_refused(), msg)
            return
        old = self.conns.get(seat)
        self.conns[seat] = client
        client.room = self
        self.touch()
        if old is not None and old is not client:
            old.send("released", seat=seat, reason="replaced")
            if not self.seats_of(old):
                old.room = None
                old.close(CLOSE_REPLACED, "seat taken by a newer connection")
        log("seat_rejoined", room=self.code, seat=seat, replaced=old is not None)
        client.send("welcome", code=codes.display(self.code), seat=seat, token=None,
                    host=seat == self.record.host, name=self.record.seats[seat].name)
        if not self.started:
            self.send_lobby()
            return
        assert self.state is not None
        if self.state.seats[seat].away and self.state.phase is not Phase.ENDED:
            await self._commit(seat, SetAway(away=False), None, None)
            if self.state.seats[seat].away:  # not saved (storage failing): show it anyway
                client.send("view", seat=seat, view=self.view(self.state, seat))
        else:
            client.send("view", seat=seat, view=self.view(self.state, seat))

    async def leave(self, client: Client, seat: int | None, msg: dict[str, Any]) -> None:
        try:
            seat = self._resolve_seat(client, seat)
        except Refused as exc:
            self._refuse(client, exc, msg)
            return
        if self.started:
            await self._act(client, seat, Leave(), None, msg)
            if self.state is not None and self.state.seats[seat].left:
                self._release(client, seat, "left")
            return
        # before the start: free the seat; later seats move down one
        del self.record.seats[seat]
        conns = {}
        for s, c in self.conns.items():
            if s != seat:
                conns[s - 1 if s > seat else s] = c
        self.conns = conns
        if self.record.host == seat:
            self.record.host = 0
        elif self.record.host > seat:
            self.record.host -= 1
        self.touch()
        client.send("released", seat=seat, reason="left")
        if not self.seats_of(client):
            client.room = None
        log("seat_freed", room=self.code, seat=seat)
        if not self.record.seats:
            await self.hub.remove_room(self, reason="empty")
            return
        await self.hub.store.save_room(self.record)
        self.send_lobby()

    def _release(self, client: Client, seat: int, reason: str) -> None:
        if self.conns.get(seat) is client:
            del self.conns[seat]
        client.send("released", seat=seat, reason=reason)
        if not self.seats_of(client):
            client.room = None

    async def start(self, client: Client, msg: dict[str, Any]) -> None:
        try:
            if self.started:
                raise Refused("room/started", "The game has already started.")
            if self.record.host not in self.seats_of(client):
                raise Refused("room/not_host", "Only the host (who made the room) can start.")
            need = max(2, self.deck.min_seats)
            if len(self.record.seats) < need:
                raise Refused("room/too_few", f"This deck needs at least {need} seats; "
                              f"{len(self.record.seats)} joined so far.")
            seed = secrets.randbits(63)
            state = new_game(self.deck, self._settings(), seed)
        except (Refused, SetupError) as exc:
            self._refuse(client, exc, msg)
            return
        self.record.seed = seed
        self.record.started = time.time()
        self.touch()
        try:
            await self.hub.store.save_room(self.record)
        except Exception as exc:
            self.record.seed, self.record.started = None, 0.0
            self._storage_failed(client, exc, msg)
            return
        self.hub.storage_ok()
        self.state = state
        self.started_at = self.record.started
        log("game_started", room=self.code, seats=len(state.seats), deck=self.deck.id)
        self._broadcast(state, [{"type": "game_started"}])

    def _settings(self) -> Settings:
        s = self.record.settings
        return Settings(names=tuple(seat.name for seat in self.record.seats),
                        everyone_answers=s.get("everyone_answers"),
                        excluded_tags=frozenset(s.get("excluded_tags", ())),
                        text_mode=bool(s.get("text_mode", False)))

    # -- the game -------------------------------------------------------------

    def _resolve_seat(self, client: Client, seat: int | None) -> int:
        held = self.seats_of(client)
        if seat is None:
            if len(held) == 1:
                return held[0]
            raise Refused("seat/which", f"This connection holds seats {held}; say which "
                          "seat acts with 'seat'.")
        if seat not in held:
            raise Refused("seat/not_yours", f"This connection does not hold seat {seat}.")
        return seat

    async def action(self, client: Client, msg: dict[str, Any]) -> None:
        try:
            if not self.started or self.state is None:
                raise Refused("room/not_started", "The game has not started yet.")
            seat = self._resolve_seat(client, msg["seat"])
        except Refused as exc:
            self._refuse(client, exc, msg)
            return
        await self._act(client, seat, msg["action"], msg["version"], msg)
        if isinstance(msg["action"], Leave) and self.state is not None \
                and self.state.seats[seat].left:
            self._release(client, seat, "left")  # as the 'leave' message does

    async def _act(self, client: Client, seat: int, action: Action, version: int | None,
                   msg: dict[str, Any]) -> None:
        state = self.state
        assert state is not None
        try:
            if version is not None and is_stale(state, version):
                raise Refused("action/stale", f"The table moved on since the view you "
                              f"acted on (version {version}; now {state.version}). Look "
                              "again and choose.")
            self._check_timers(state, seat, action)
        except Refused as exc:
            self._refuse(client, exc, msg)
            return
        await self._commit(seat, action, client, msg)

    def _check_timers(self, state: State, seat: int, action: Action) -> None:
        now = time.time()
        config = self.hub.config
        if isinstance(action, SkipTurn):
            speaker = state.speaker
            if speaker is not None and state.seats[speaker].away:
                waited = now - self.away_since.get(speaker, now)
                if waited < config.away_skip_after_s:
                    left = int(config.away_skip_after_s - waited + 0.999)
                    raise Refused("turn/away_too_short", "The speaker has only just gone "
                                  f"away; their turn can be skipped in {left} s.")
        if isinstance(action, Resume) and action.after_wait and state.paused_by is not None \
                and state.paused_by != seat:
            waited = now - (self.paused_at if self.paused_at is not None else now)
            if waited < config.pause_timeout_s:
                left = int(config.pause_timeout_s - waited + 0.999)
                raise Refused("pause/too_soon", "The pause is still young; anyone may lift "
                              f"it in {left} s.")

    async def _commit(self, seat: int, action: Action, client: Client | None,
                      msg: dict[str, Any] | None) -> None:
        """Apply, append durably, then adopt and broadcast. Refusals go to
        ``client``; ``client`` None marks a system action."""
        state = self.state
        assert state is not None
        try:
            new, events = apply(state, seat, action)
        except IllegalAction as exc:
            if client is not None:
                self._refuse(client, exc, msg)
            return
        now = time.time()
        # the write starts now; the views are built while the disk works
        written = self.hub.store.begin_append(self.code, new.version, seat,
                                              without_text(action), now)
        frames = self._frames(new, [e.to_dict() for e in events])
        try:
            await written
        except Exception as exc:
            if client is not None:
                self._storage_failed(client, exc, msg)
            else:
                self.hub.storage_failed(exc, self.code)
            return
        self.hub.storage_ok()
        self.state = new
        self.touch()
        self._track_timers(state, new, now)
        log("action", room=self.code, seat=seat, action=action.type, version=new.version)
        for client, out in frames:
            client.send_frames(out)

    def _track_timers(self, old: State, new: State, now: float) -> None:
        if new.phase is Phase.ENDED and old.phase is not Phase.ENDED:
            self.ended_at = now
        if new.paused_by is None:
            self.paused_at = None
        elif old.paused_by is None:
            self.paused_at = now
        for i, seat in enumerate(new.seats):
            if seat.away and not old.seats[i].away:
                self.away_since[i] = now
            elif not seat.away:
                self.away_since.pop(i, None)

    def view(self, state: State, seat: int) -> dict[str, Any]:
        view = view_for(state, seat)
        if view["recap"] is not None and self.started_at:
            # the rules never read a clock: the server measures the evening
            end = self.ended_at if self.ended_at is not None else time.time()
            view["recap"]["duration_s"] = round(end - self.started_at, 1)
        return view

    def _frames(self, state: State, events: list[dict[str, Any]]
                ) -> list[tuple[Client, list[bytes]]]:
        """What each connection is sent for ``state``: a view per seat it
        holds, then the notice of ``events``."""
        views: dict[int, bytes] = {}
        notice = encode("events", version=state.version, events=events) if events else None
        out = []
        for client in self.clients():
            frames = []
            for seat in self.seats_of(client):
                if seat not in views:
                    views[seat] = encode("view", seat=seat, view=self.view(state, seat))
                frames.append(views[seat])
            if notice is not None:
                frames.append(notice)
            out.append((client, frames))
        return out

    def _broadcast(self, state: State, events: list[dict[str, Any]]) -> None:
        for client, frames in self._frames(state, events):
            client.send_frames(frames)

    # -- connections coming and going -----------------------------------------

    async def disconnected(self, client: Client) -> None:
        seats = self.seats_of(client)
        for seat in seats:
            del self.conns[seat]
        self.touch()
        if not seats:
            return
        if not self.started:
            self.send_lobby()
            return
        if self.hub.stopping:
            return
        for seat in seats:
            state = self.state
            if state is not None and state.phase is not Phase.ENDED \
                    and not state.seats[seat].left:
                await self._commit(seat, SetAway(away=True), None, None)

    def close_all(self, reason: str) -> None:
        for client in self.clients():
            client.room = None
            client.close(CLOSE_ROOM_CLOSED, reason)
        self.conns.clear()

    # -- restoring ------------------------------------------------------------

    def _replayed(self, logged: list[Any]) -> State:
        """The game rebuilt from its stored log, typed text as placeholders
        (a log entry the rules refuse stops the replay, and is logged)."""
        assert self.record.seed is not None
        state = new_game(self.deck, self._settings(), self.record.seed)
        for entry in logged:
            old = state
            try:
                state, _ = apply(state, entry.seat, with_text_restored(entry.action))
            except GameError as exc:
                log("replay_failed", room=self.code, seq=entry.seq, code=exc.code)
                break
            self._track_timers(old, state, entry.ts)
        return state

    async def _restore(self) -> None:
        """Replay the log (typed text as placeholders), then mark every seat
        away: after a restart nobody is connected until they rejoin."""
        self.loaded = True
        started = time.perf_counter()
        logged = await self.hub.store.load_actions(self.code)
        self.state = state = self._replayed(logged)
        self.started_at = self.record.started
        log("room_restored", room=self.code, actions=len(logged),
            ms=round((time.perf_counter() - started) * 1000, 2))
        if state.phase is not Phase.ENDED:
            for seat, info in enumerate(state.seats):
                if not info.left and not info.away and seat not in self.conns:
                    await self._commit(seat, SetAway(away=True), None, None)

    # -- answering ------------------------------------------------------------

    def _storage_failed(self, client: Client, exc: Exception,
                        msg: dict[str, Any] | None) -> None:
        self.hub.storage_failed(exc, self.code)
        self._refuse(client, Refused("server/storage", "The server cannot save right now "
                                     "(its disk is full or read-only); nothing changed. "
                                     "Try again in a moment."), msg)

    def _refuse(self, client: Client, exc: GameError, msg: dict[str, Any] | None) -> None:
        self._forget_refused(client, msg)
        client.error(exc.code, exc.message, msg["type"] if msg else None,
                     msg.get("id") if msg else None)

    def _forget_refused(self, client: Client, msg: dict[str, Any] | None) -> None:
        if client.room is self and not self.seats_of(client) and not self.started \
                and msg is not None and msg["type"] in ("join", "create_room"):
            client.room = None
            if not self.record.seats and self.hub.rooms.get(self.code) is self:
                # a room whose creation was refused: never stored, never kept
                del self.hub.rooms[self.code]
                self.stop()
