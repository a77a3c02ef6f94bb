"""Short versions of the reliability campaigns in bench/ (seconds, not
minutes), so a regression in crash safety, hostile-input handling,
reconnects, storage faults or the benchmark tooling fails the suite. The
full versions and their figures: docs/reliability.md."""

from __future__ import annotations

import random
from pathlib import Path

import crash_campaign
import disk_full
import hostile_campaign
import reconnect_storm
import scale_curve
from hostile_frames import WEIGHTS, HostileFrames

from game.protocol import ProtocolError, decode


async def test_sigkill_loses_no_acknowledged_action(tmp_path: Path) -> None:
    r = await crash_campaign.campaign(workdir=tmp_path, rooms=3, kills=2, min_gap=0.3,
                                      max_gap=0.8, seed=7)
    assert r["acknowledged"] > 20
    assert r["lost"] == 0, r["lost_detail"]
    assert r["behind"] == 0, r["behind_detail"]
    assert r["not_back"] == 0, r["rejoin_problems"]
    assert crash_campaign.ok(r)


async def test_hostile_frames_neither_crash_the_server_nor_stop_an_honest_game(
        tmp_path: Path) -> None:
    r = await hostile_campaign.campaign(workdir=tmp_path, frames=3000, outsiders=20,
                                        flooders=1, insiders=2, baseline_s=1.0, settle_s=0.5,
                                        seed=3)
    assert r["frames"] >= 3000
    assert r["crashes"] == 0 and r["bugs"] == 0, r["bug_detail"]
    assert r["honest_final_ok"] and not r["honest_errors"]
    assert r["closes"].get("1008", 0) > 0  # junk and floods were shut out
    assert r["exit_code"] == 0


def test_the_decoder_answers_every_hostile_frame_with_a_protocol_error_or_a_message() -> None:
    frames = HostileFrames(random.Random(11))
    seen = set()
    for _ in range(5000):
        kind, frame = frames.next()
        seen.add(kind)
        try:
            msg = decode(frame if isinstance(frame, bytes) else frame)  # type: ignore[arg-type]
        except ProtocolError as exc:
            assert exc.code and exc.message
        else:
            assert isinstance(msg["type"], str)
    assert seen == set(WEIGHTS)


async def test_every_seat_gets_back_after_a_reconnect_storm(tmp_path: Path) -> None:
    r = await reconnect_storm.campaign(workdir=tmp_path, rooms=20, window=1.0, workers=1)
    assert r["back"] == r["seats"] == 80, r["problems"]
    assert r["still_playing"] == 20
    assert reconnect_storm.ok(r)


async def test_a_full_or_read_only_disk_refuses_cleanly_and_recovers(tmp_path: Path) -> None:
    results = await disk_full.campaign(workdir=tmp_path, rooms=2, attempts=3)
    for r in results:
        assert r["lost"] == 0
        assert set(r["refusals"]) == {"server/storage"}
        assert r["rejoined_during"] == 2 and r["recovered_after"] == 1
        assert disk_full.ok(r), r


async def test_the_scale_curve_measures_both_servers_and_draws_a_plot(tmp_path: Path) -> None:
    points = await scale_curve.measure([6], seconds=1.5, rate=2.0, deck="friends",
                                       sync="normal")
    (p,) = points
    for mode in ("heartlight", "relay"):
        assert p[f"{mode}_errors"] == 0
        assert p[f"{mode}_actions_per_s"] > 5
        assert 0 < p[f"{mode}_p50_ms"] <= p[f"{mode}_p99_ms"]
    second = {**p, "rooms": 60}
    png = tmp_path / "curve.png"
    scale_curve.plot([p, second], png, title="test")
    import pygame

    assert pygame.image.load(str(png)).get_size() == (960, 600)
