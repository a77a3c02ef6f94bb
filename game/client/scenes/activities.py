"""The panel for each wild card's activity: its own instructions and buttons.

One function per kind, looked up by the card's ``kind``; a kind without one
here still gets its instructions and an *End* button, so a new wild kind in
the rules never leaves the table stuck.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from game.rules.actions import (
    AskFollowUp,
    ChooseAnswer,
    ChooseSeat,
    ConfirmGuess,
    ConfirmReflection,
    EndTurn,
    GuessLoveLanguage,
    LightBulb,
    Pass,
    Reflect,
    SavePlan,
    ShareFeeling,
    Veto,
)

from .base import Column

if TYPE_CHECKING:
    from .table import TableScene

View = dict[str, Any]
LANGUAGE_WORDS = {"words": "Words", "time": "Time together", "gifts": "Gifts",
                  "service": "Help", "touch": "Touch"}


def build(scene: TableScene, view: View, col: Column) -> None:
    card, turn = view["card"], view["turn"]
    builder = _BUILDERS.get(card["kind"], _generic)
    builder(scene, view, col, turn["activity"] or {})
    drawer = turn["drawer"]
    if scene.can(drawer, "pass"):
        scene.plain(col, "Pass this card", scene.act(drawer, Pass()), key="pass")
    veto = scene.anyone("veto")
    if veto is not None:
        scene.plain(col, "Not this card (private)", scene.act(veto, Veto()), key="veto",
                    style="gentle")
    scene.primary(col, "End this card", scene.act(drawer, EndTurn()),
                  scene.can(drawer, "end_turn"), key="end_turn")


def _generic(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    scene.header(col, view["card"]["text"], view["card"]["instructions"])


def _check_in(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    scene.header(col, "Check in",
                 "Each of you says how tonight feels so far, then taps your seat. Going deeper, "
                 "staying, or easing back are all fine answers; a fresh ready check follows.")
    shared = set(act.get("shared", []))
    for seat in scene.session.seats:
        done = seat in shared
        scene.tile_buttons[seat] = ("Shared" if done else "I've shared",
                                    scene.act(seat, ShareFeeling()),
                                    scene.can(seat, "share_feeling"), "selected" if done else None)
    scene.note(col, f"{len(shared)} of {len([s for s in view['seats'] if not s['left']])} "
               "have checked in.")


def _reflect(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    reflector, previous = act["reflector"], act["previous_speaker"]
    scene.header(col, f"{scene.name_of(reflector)}, reflect back",
                 f"In your own words, say back what {scene.name_of(previous)} said about: "
                 f"“{act['previous_card']}” Then {scene.name_of(previous)} says if that's it.")
    r = act.get("reflection")
    if act.get("done"):
        scene.note(col, "That landed. A reflection bulb is lit.")
        return
    if r is None or r["confirmed"] is False:
        if view["settings"]["text_mode"]:
            scene.text_entry(col, "reflection", "What I heard is…", 600)
        scene.plain(col, "I reflected back", lambda: scene.send(
            reflector, Reflect(text=scene.text_of("reflection").strip())),
            scene.can(reflector, "reflect"), key="reflect")
    elif r["confirmed"] is None:
        if r["text"]:
            scene.note(col, f"“{r['text']}”")
        can = scene.can(previous, "confirm_reflection")
        scene.two(col,
                  ("Yes, that's it", scene.act(previous, ConfirmReflection(
                      by=reflector, fits=True)), can, "fits"),
                  ("Not quite", scene.act(previous, ConfirmReflection(
                      by=reflector, fits=False)), can, "nofit"))


def _gratitude(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    drawer = view["turn"]["drawer"]
    chosen = act.get("chosen")
    if chosen is None:
        scene.header(col, f"{scene.name_of(drawer)}: gratitude",
                     "Choose someone by tapping their seat, then tell them one specific thing "
                     "you appreciate about them.")
        for seat, info in enumerate(view["seats"]):
            if seat != drawer and not info["left"]:
                scene.tile_buttons[seat] = ("Choose", scene.act(drawer, ChooseSeat(seat=seat)),
                                            scene.can(drawer, "choose_seat"), None)
        return
    scene.header(col, f"{scene.name_of(drawer)} tells {scene.name_of(chosen)}",
                 "One specific thing you appreciate. If it landed, "
                 f"{scene.name_of(chosen)} may light a 'seen' bulb.")
    scene.tile_buttons[chosen] = ("Seen: lit" if act.get("seen") else "I felt seen",
                                  scene.act(chosen, LightBulb(to=drawer, reason="seen")),
                                  scene.can(chosen, "light_bulb") and not act.get("seen"), None)


def _dig_deeper(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    drawer = view["turn"]["drawer"]
    picked = act.get("picked")
    if picked is None:
        scene.header(col, f"{scene.name_of(drawer)}: dig deeper",
                     "Pick a card someone else answered tonight and ask them one more question.")
        for index, answer in enumerate(view["answered"]):
            if answer["seat"] == drawer or view["seats"][answer["seat"]]["left"]:
                continue
            label = f"{scene.name_of(answer['seat'])}: {answer['text']}"
            scene.plain(col, label, scene.act(drawer, ChooseAnswer(index=index)),
                        scene.can(drawer, "choose_answer"), key=f"pick_{index}")
        return
    who = picked["seat"]
    if not act.get("asked"):
        scene.header(col, f"Ask {scene.name_of(who)} one more question",
                     f"About: “{picked['text']}” Pick a follow-up or ask your own.")
        for i, follow in enumerate(picked["follow_ups"][:3]):
            scene.plain(col, follow, scene.act(drawer, AskFollowUp(suggestion=i)),
                        scene.can(drawer, "ask_follow_up"), key=f"dig_{i}")
        scene.plain(col, "Asked my own", scene.act(drawer, AskFollowUp(aloud=True)),
                    scene.can(drawer, "ask_follow_up"), key="dig_own")
        return
    scene.header(col, f"{scene.name_of(who)} answers",
                 f"If the question opened something, {scene.name_of(who)} may light a bulb for "
                 f"{scene.name_of(drawer)}.")
    scene.tile_buttons[who] = ("Lit" if act.get("lit") else "Light a bulb",
                               scene.act(who, LightBulb(to=drawer, reason="follow_up")),
                               scene.can(who, "light_bulb") and not act.get("lit"), None)


def _plan(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    scene.header(col, "Plan together",
                 "Plan one small thing to do together: when, where, what. Anyone can save it "
                 "to tonight's recap.")
    if act.get("saved"):
        scene.note(col, "Saved to the recap.")
        return
    scene.text_entry(col, "plan", "Our plan, in a few words…", 200)
    seat = scene.anyone("save_plan")

    def save() -> None:
        scene.send(seat, SavePlan(text=scene.text_of("plan").strip()))

    scene.plain(col, "Save the plan", save, seat is not None, key="save_plan")


def _love(scene: TableScene, view: View, col: Column, act: dict[str, Any]) -> None:
    guesses = act.get("guesses", [])
    pending = guesses[-1] if guesses and guesses[-1]["fits"] is None else None
    if pending is not None:
        target, by = pending["target"], pending["by"]
        scene.header(col, f"{scene.name_of(target)}, does it fit?",
                     f"{scene.name_of(by)} guessed you most feel loved through "
                     f"{LANGUAGE_WORDS.get(pending['language'], pending['language']).lower()}.")
        can = scene.can(target, "confirm_guess")
        scene.two(col, ("It fits", scene.act(target, ConfirmGuess(fits=True)), can, "fits"),
                  ("Not quite", scene.act(target, ConfirmGuess(fits=False)), can, "nofit"))
        return
    guesser = act.get("guesser")
    if guesser is None:
        scene.header(col, "Love languages", "Everyone has guessed. End the card when ready.")
        return
    scene.header(col, f"{scene.name_of(guesser)} guesses",
                 "Tap the seat you are guessing about, then how they most feel loved.")
    others = [s for s, info in enumerate(view["seats"]) if s != guesser and not info["left"]]
    if scene.love_target not in others:
        scene.love_target = others[0] if others else None
    for seat in others:
        scene.tile_buttons[seat] = ("Guessing" if seat == scene.love_target else "Guess",
                                    _pick_target(scene, seat), True,
                                    "selected" if seat == scene.love_target else None)
    if scene.love_target is None:
        return
    langs = act.get("languages", list(LANGUAGE_WORDS))
    can = scene.can(guesser, "guess_love_language")
    for start in range(0, len(langs), 2):
        scene.two(col, *[(LANGUAGE_WORDS.get(lang, lang), scene.act(
            guesser, GuessLoveLanguage(target=scene.love_target, language=lang)), can,
            f"lang_{lang}") for lang in langs[start:start + 2]])


def _pick_target(scene: TableScene, seat: int) -> Callable[[], None]:
    def pick() -> None:
        scene.love_target = seat
        scene.rebuild()
    return pick


_BUILDERS: dict[str, Callable[[TableScene, View, Column, dict[str, Any]], None]] = {
    "check_in": _check_in,
    "reflect": _reflect,
    "gratitude": _gratitude,
    "dig_deeper": _dig_deeper,
    "plan_together": _plan,
    "love_languages": _love,
}
