"""Signals survive the trip over a bus; anything else on the channel is ignored."""

from __future__ import annotations

import pytest

from events.signals import Revocation, Wakeup, coalesce, decode, encode


@pytest.mark.parametrize(
    "signal",
    [
        Wakeup("network", 12, 345),
        Wakeup("person", 1, 0),
        Revocation("session", "ab12" * 8),
        Revocation("person", "7"),
        Revocation("sessions", "7"),
        Revocation("token", "99"),
    ],
)
def test_round_trip(signal: Wakeup | Revocation) -> None:
    assert decode(encode(signal)) == signal


@pytest.mark.parametrize("text", ["", "n:1", "n:a:2", "q:1:2", "x:z:1", "x:s:", "n:1:2:3", "x:s:" + "a" * 200])
def test_malformed_signals_are_ignored(text: str) -> None:
    assert decode(text) is None


def test_coalesce_keeps_the_highest_seq_per_stream() -> None:
    got = coalesce([Wakeup("network", 1, 3), Wakeup("network", 1, 5), Wakeup("person", 1, 2), Wakeup("network", 2, 1)])
    assert sorted(got, key=lambda w: (w.stream, w.owner_id)) == [
        Wakeup("network", 1, 5),
        Wakeup("network", 2, 1),
        Wakeup("person", 1, 2),
    ]


def test_many_signals_pack_into_few_bus_messages_and_unpack_in_order() -> None:
    from events.signals import PACK_LIMIT, pack, unpack

    signals: list[Wakeup | Revocation] = [Wakeup("person", i, i * 7) for i in range(1, 3001)]
    signals.append(Revocation("session", "ab12" * 8))
    messages = pack(signals)
    assert 1 < len(messages) < 10
    assert all(len(m) <= PACK_LIMIT for m in messages)
    assert [s for m in messages for s in unpack(m)] == signals
    assert unpack("n:1:2 garbage p:3:4") == [Wakeup("network", 1, 2), Wakeup("person", 3, 4)]
    assert pack([]) == []
