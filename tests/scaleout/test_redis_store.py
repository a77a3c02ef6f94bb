"""The Redis event store on its own: appends only on the expected version,
room codes reserved once across processes."""

from __future__ import annotations

import asyncio

import pytest

from server.redis_store import Conflict, RedisStore, StoreUnavailable
from server.store import RoomRecord


@pytest.fixture
async def store(redis_server):
    opened = RedisStore(redis_server.url)
    await opened.open()
    yield opened
    await opened.close()


def record(code: str = "BCDFGHJK") -> RoomRecord:
    return RoomRecord(code=code, deck_id="test", max_seats=2, settings={}, last_active=1.0)


async def test_a_room_code_is_reserved_once(store, redis_server):
    other = RedisStore(redis_server.url)  # a second process
    await other.open()
    try:
        assert await store.create_room(record())
        assert not await other.create_room(record())
        assert (await other.load_room("BCDFGHJK")).deck_id == "test"
    finally:
        await other.close()


async def test_append_only_on_the_expected_version(store):
    await store.create_room(record())
    await store.append("BCDFGHJK", 1, 0, {"type": "draw"}, 1.0)
    with pytest.raises(Conflict) as again:
        await store.append("BCDFGHJK", 1, 1, {"type": "veto"}, 2.0)
    assert again.value.length == 1
    with pytest.raises(Conflict):
        await store.append("BCDFGHJK", 3, 1, {"type": "veto"}, 2.0)
    # the same append sent twice (its reply lost) is recognised, not doubled
    await store.append("BCDFGHJK", 1, 0, {"type": "draw"}, 1.0)
    logged = await store.load_actions("BCDFGHJK")
    assert [(e.seq, e.seat, e.action) for e in logged] == [(1, 0, {"type": "draw"})]


async def test_racing_appends_of_one_version_exactly_one_lands(store, redis_server):
    stores = [RedisStore(redis_server.url) for _ in range(8)]
    for s in stores:
        await s.open()
    try:
        results = await asyncio.gather(
            *(s.append("BCDFGHJK", 1, i, {"type": "pause"}, float(i))
              for i, s in enumerate(stores)), return_exceptions=True)
        assert sum(r is None for r in results) == 1
        assert all(isinstance(r, Conflict) for r in results if r is not None)
        assert len(await store.load_actions("BCDFGHJK")) == 1
    finally:
        for s in stores:
            await s.close()


async def test_an_unreachable_redis_is_a_clear_error():
    lost = RedisStore("redis://127.0.0.1:1/0", connect_timeout_s=0.5)
    with pytest.raises(StoreUnavailable) as error:
        await lost.open()
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in str(error.value)
