"""The adaptive limit of the served-model client: a freed slot goes to the waiter it wakes, so
waiters are served in order and each is woken once."""

from __future__ import annotations

import asyncio
import random

from harness.summarizers.chat_client import AdaptiveLimit


def test_waiters_get_slots_in_arrival_order_and_the_limit_holds():
    async def main() -> tuple[list[int], int]:
        limit, order, most = AdaptiveLimit(4), [], 0
        rng = random.Random(0)

        async def one(i: int) -> None:
            nonlocal most
            await limit.acquire()
            order.append(i)
            most = max(most, limit.in_flight)
            await asyncio.sleep(rng.choice([0, 0.001, 0.002]))  # replies come back unevenly
            limit.release(answered=True)

        await asyncio.gather(*(one(i) for i in range(200)))
        return order, most

    order, most = asyncio.run(main())
    assert order == list(range(200))
    assert most == 4


def test_a_waiter_cancelled_after_its_slot_was_handed_over_gives_it_back():
    async def main() -> int:
        limit = AdaptiveLimit(1)
        await limit.acquire()
        waiting = asyncio.ensure_future(limit.acquire())
        await asyncio.sleep(0)  # queued
        limit.release()  # hands the slot to `waiting`...
        waiting.cancel()  # ...which is cancelled before it runs
        await asyncio.gather(waiting, return_exceptions=True)
        return limit.in_flight

    assert asyncio.run(main()) == 0
