"""The right-hand panel of the table for each phase of a turn.

A mixin of ``TableScene``: each method reads the view, reserves room for a
headline and a sentence, and adds the buttons that phase offers, greyed out
where ``legal`` does not list the action. Wild activities have their own
module (``activities``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.rules.actions import (
    Appreciate,
    AskFollowUp,
    CloseResponses,
    ConfirmReflection,
    Draw,
    EndTurn,
    FinishAnswer,
    FinishClosing,
    LastLightVote,
    LightBulb,
    NothingToAdd,
    Pass,
    ProposeDeeper,
    ReadyVote,
    Reflect,
    Resume,
    Veto,
)

from .base import Column

if TYPE_CHECKING:
    from .table import TableScene



# -- phases --------------------------------------------------------------------------
def paused(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    scene.header(
        col,
        "Someone needs a moment",
        "The table waits. Take all the time you need; nothing moves until the pause is lifted.",
    )
    mine = next((s for s in scene.session.seats if (scene.v(s) or {}).get("i_paused")), None)
    if mine is not None or scene.session.mode == "table":
        seat = mine if mine is not None else scene.anyone("resume")
        scene.primary(col, "Resume", scene.act(seat, Resume()), scene.can(seat, "resume"),
                      key="resume")
        return
    # online, someone else paused: after the server's wait anyone may lift it
    scene.note(col, "Only the person who paused can resume; after ten minutes anyone can.")
    seat = scene.anyone("resume")
    scene.plain(col, "Resume (after ten minutes)", scene.act(seat, Resume(after_wait=True)),
                seat is not None, key="resume_after_wait")


def draw_phase(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    speaker = view["speaker"]
    scene.header(
        col,
        f"{scene.name_of(speaker)}'s turn to draw",
        "Pick a pile. The deepest open pile is the default; deeper piles open as "
        "the lamp grows and everyone is ready.",
    )
    open_tiers = [t for t in view["tiers"] if t["open"]]
    if speaker not in scene.session.seats:
        scene.note(col, f"Waiting for {scene.name_of(speaker)} to draw a card.")
    for t in reversed(view["tiers"]):
        if t["open"] and speaker in scene.session.seats:
            deepest = t is open_tiers[-1]
            label = f"Draw from {t['name']} ({t['cards_left']} left)"
            fn = scene.act(speaker, Draw(tier=t["id"]))
            enabled = scene.can(speaker, "draw") and t["cards_left"] > 0
            if deepest:
                scene.primary(col, label, fn, enabled, key=f"draw_{t['id']}")
            else:
                scene.plain(col, label, fn, enabled, key=f"draw_{t['id']}")
    seat = scene.anyone("propose_deeper")
    if seat is not None:
        scene.plain(
            col,
            "Ask the table to go deeper",
            scene.act(seat, ProposeDeeper()),
            key="propose_deeper",
        )
    locked = [t for t in view["tiers"] if not t["open"]]
    if locked:
        t = locked[0]
        scene.note(
            col,
            f"{t['name']} can be proposed at {t['threshold']} bulbs "
            f"({max(0, t['threshold'] - view['lit'])} to go).",
        )


def answer(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    turn, speaker = view["turn"], view["speaker"]
    many = len(turn["answerers"]) > 1
    where = f" ({turn['answer_index'] + 1} of {len(turn['answerers'])})" if many else ""
    scene.header(
        col,
        f"{scene.name_of(speaker)} answers{where}",
        "Everyone else: listen without fixing or judging. Passing is always fine; "
        "nothing counts passes.",
    )
    text_mode = view["settings"]["text_mode"]
    if text_mode and speaker in scene.session.seats:
        scene.text_entry(
            col, "answer", "Type your answer…", 2000, on_enter=lambda: _finish(scene, speaker)
        )
    scene.primary(
        col,
        "Done answering",
        lambda: _finish(scene, speaker),
        scene.can(speaker, "finish_answer"),
        key="finish",
    )
    scene.plain(
        col, "Pass this card", scene.act(speaker, Pass()), scene.can(speaker, "pass"), key="pass"
    )
    veto = scene.anyone("veto")
    if veto is not None:
        scene.plain(
            col, "Not this card (private)", scene.act(veto, Veto()), key="veto", style="gentle"
        )


def _finish(scene: TableScene, speaker: int) -> None:
    scene.send(speaker, FinishAnswer(text=scene.text_of("answer").strip()))


def _listeners(scene: TableScene, view: dict[str, Any]) -> list[int]:
    speaker = view["speaker"]
    return [i for i, s in enumerate(view["seats"]) if i != speaker and not s["left"]]


def respond(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    turn, speaker = view["turn"], view["speaker"]
    listeners = [s for s in _listeners(scene, view) if s in scene.session.seats]
    if scene.responder not in listeners:
        scene.responder = listeners[0] if listeners else None
    who = scene.responder
    scene.header(
        col,
        f"Responding to {scene.name_of(speaker)}",
        f"Ask a follow-up ({turn['follow_ups_left']} left) or reflect back what "
        "you heard. Tap a seat to choose who is responding.",
    )
    if who is not None:
        scene.note(col, f"Responding now: {scene.name_of(who)}", optional=True)
        can_ask, can_reflect = scene.can(who, "ask_follow_up"), scene.can(who, "reflect")
        nothing = (f"{scene.name_of(who)}: nothing to add", scene.act(who, NothingToAdd()),
                   scene.can(who, "nothing_to_add"), "nothing")
        reflect = ("Reflected back", lambda: _reflect(scene), can_reflect, "reflect")
        if view["settings"]["text_mode"]:
            scene.entry_and_button(col, "own_follow_up", "Type a follow-up or reflection…",
                                   600, ("Ask it", lambda: _ask_own(scene), can_ask, "ask_own"))
            scene.two(col, reflect, nothing)
        else:
            scene.two(col, ("Asked my own", lambda: _ask_own(scene), can_ask, "ask_own"),
                      reflect)
            scene.plain(col, *nothing[:3], key=nothing[3])
        asked = {f["suggestion"] for f in turn["follow_ups"]}
        for i in range(len(view["card"]["follow_ups"])):
            done = i in asked
            scene.card_buttons.append(
                (
                    i,
                    "Asked" if done else "Ask",
                    scene.act(who, AskFollowUp(suggestion=i)),
                    scene.can(who, "ask_follow_up") and not done,
                )
            )
    for r in turn["reflections"]:
        if r["confirmed"] is None and speaker in scene.session.seats:
            said = f': "{r["text"]}"' if r["text"] else ""
            scene.note(col, f"{scene.name_of(r['by'])} reflected back{said}. Is that it?")
            scene.two(
                col,
                ("Yes, that's it", scene.act(speaker, ConfirmReflection(by=r["by"], fits=True)),
                 True, f"fits_{r['by']}"),
                ("Not quite", scene.act(speaker, ConfirmReflection(by=r["by"], fits=False)),
                 True, f"nofit_{r['by']}"),
            )
    scene.primary(
        col,
        "On to the bulbs",
        scene.act(speaker, CloseResponses()),
        scene.can(speaker, "close_responses"),
        key="close_responses",
    )
    for seat in listeners:
        chosen = seat == who
        scene.tile_buttons[seat] = (
            "Responding" if chosen else "Respond",
            _choose_responder(scene, seat),
            True,
            "selected" if chosen else None,
        )


def _choose_responder(scene: TableScene, seat: int) -> Any:
    def choose() -> None:
        scene.responder = seat
        scene.rebuild()

    return choose


def _ask_own(scene: TableScene) -> None:
    text = scene.take_text("own_follow_up")
    scene.send(scene.responder, AskFollowUp(text=text) if text else AskFollowUp(aloud=True))


def _reflect(scene: TableScene) -> None:
    scene.send(scene.responder, Reflect(text=scene.take_text("own_follow_up")))


def bulb_options(scene: TableScene, view: dict[str, Any], seat: int) -> dict[str, int]:
    """Which bulbs the speaker may still light for ``seat`` (the rules say, in the
    view's ``legal_bulbs``; a second follow-up bulb shows once the first is lit)."""
    speakers_view = scene.session.view(view["speaker"]) or {}
    legal = speakers_view.get("legal_bulbs", [])
    reasons = {b["reason"] for b in legal if b["to"] == seat}
    return {reason: int(reason in reasons) for reason in ("heard", "follow_up", "reflection")}


def acknowledge(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    speaker = view["speaker"]
    scene.header(
        col,
        f"{scene.name_of(speaker)} lights bulbs",
        "Tap each listener who made you feel heard. Their follow-ups and the "
        "reflections you confirmed light bulbs of their own.",
    )
    can = scene.can(speaker, "light_bulb")
    for seat in _listeners(scene, view):
        options = bulb_options(scene, view, seat)
        scene.tile_buttons[seat] = (
            "Felt heard" if options["heard"] else "Heard: lit",
            scene.act(speaker, LightBulb(to=seat, reason="heard")),
            can and options["heard"] > 0,
            None,
        )
        for reason, label, prefix in (("follow_up", "Follow-up", "fu"),
                                      ("reflection", "Reflection", "rf")):
            if options[reason] > 0:
                scene.plain(col, f"{label} bulb for {scene.name_of(seat)}",
                            scene.act(speaker, LightBulb(to=seat, reason=reason)), can,
                            key=f"{prefix}_{seat}")
    scene.primary(
        col,
        "End turn",
        scene.act(speaker, EndTurn()),
        scene.can(speaker, "end_turn"),
        key="end_turn",
    )


def ready_check(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    check = view["ready_check"]
    tier = next((t["name"] for t in view["tiers"] if t["id"] == check["tier"]), check["tier"])
    scene.header(
        col,
        "The lamp is bright enough to go deeper",
        f"Ready for {tier}? Each of you answers privately; only the count shows. "
        "Any 'not yet' keeps the table where it is, no questions asked.",
    )
    scene.note(col, f"Answers so far: {check['votes']} of {check['needed']}")
    waiting = [s for s in scene.session.seats if scene.can(s, "ready_vote")]
    if not waiting:
        scene.note(col, "Waiting for the others to answer.")
        return
    seat = waiting[0]
    private = scene.session.mode == "table" or len(scene.session.seats) > 1
    if private and scene.reveal != seat:
        scene.note(
            col, f"Pass the screen to {scene.name_of(seat)}. Everyone else, look away for a moment."
        )
        scene.primary(
            col,
            f"I'm {scene.name_of(seat)}: show my choice",
            lambda: _reveal(scene, seat),
            key="reveal",
        )
        return
    if private:
        scene.note(col, f"{scene.name_of(seat)}, this choice is yours alone.")
    scene.primary(col, "Ready", lambda: _vote(scene, seat, True), key="ready")
    scene.plain(col, "Not yet", lambda: _vote(scene, seat, False), key="not_yet")


def _reveal(scene: TableScene, seat: int) -> None:
    scene.reveal = seat
    scene.rebuild()


def _vote(scene: TableScene, seat: int, ready: bool) -> None:
    scene.reveal = None
    scene.send(seat, ReadyVote(ready=ready))


def closing(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    closing = view["closing"]
    closer = closing["closer"]
    online = scene.session.mode != "table"
    scene.header(
        col,
        f"Closing: {scene.name_of(closer)} speaks",
        "Tell someone one thing you appreciated tonight. Tap their seat when "
        "you have told them." + (" A sealed note is read when the game ends." if online else ""),
    )
    if view["settings"]["text_mode"] or online:
        scene.text_entry(col, "note", "Your words (optional)…", 1000)
    if online:
        scene.plain(
            col,
            f"Sealed note: {'yes' if scene.sealed else 'no'}",
            lambda: _toggle_sealed(scene),
            key="sealed",
        )
    told = {a["to"] for a in closing["appreciations"] if a["by"] == closer}
    for seat in _listeners(scene, {**view, "speaker": closer}):
        done = seat in told
        scene.tile_buttons[seat] = (
            "Told" if done else "Tell",
            lambda s=seat: _appreciate(scene, closer, s),
            scene.can(closer, "appreciate") and not done,
            None,
        )
    scene.primary(
        col,
        "I'm finished",
        scene.act(closer, FinishClosing()),
        scene.can(closer, "finish_closing"),
        key="finish_closing",
    )


def _toggle_sealed(scene: TableScene) -> None:
    scene.sealed = not scene.sealed
    scene.rebuild()


def _appreciate(scene: TableScene, closer: int, seat: int) -> None:
    text = scene.take_text("note")
    scene.send(closer, Appreciate(to=seat, text=text, sealed=scene.sealed and bool(text)))


def last_light(scene: TableScene, view: dict[str, Any], col: Column) -> None:
    ll = view["last_light"]
    col.space(round(6 * scene.u))
    scene.note(
        col,
        f"Last light proposed: {ll['agreed']} of {ll['needed']} agree. "
        "When everyone agrees, the closing begins.",
    )
    voters = [s for s in scene.session.seats if scene.can(s, "last_light_vote")]
    for seat in voters:
        scene.tile_buttons[seat] = (
            "Agree",
            scene.act(seat, LastLightVote(agree=True)),
            True,
            "selected",
        )
    if voters:
        scene.plain(
            col,
            "Not yet: keep playing",
            scene.act(voters[0], LastLightVote(agree=False)),
            key="keep_playing",
            style="gentle",
        )
