"""The UI kit through the fake Discord: owner check with one message, restarts, Confirm, Pager, select."""

from __future__ import annotations

import discord
import pytest

from bot.ui import CANCELLED, NOT_YOURS, Confirm, Int, KitButton, KitSelect, Page, Pager, Text

WORDS = "anchor buoy cove dock ebb fathom gale harbor isle jetty keel".split()
dropped: list[int] = []


class Count(KitButton, prefix="t:kit:count", fields="owner n", owner="owner"):
    label = "Count"
    owner: int
    n: int

    async def clicked(self, interaction):
        await interaction.response.send_message(f"n is {self.n}", ephemeral=True)


class Drop(Confirm, prefix="t:kit:drop", fields="owner thing", owner="owner"):
    label = "Yes, drop it"
    owner: int
    thing: int

    async def confirmed(self, interaction):
        dropped.append(self.thing)
        return f"Dropped {self.thing}."


class Words(Pager, prefix="t:kit:pg", fields={"owner": Int(), "start": Text()}, owner="owner"):
    owner: int
    start: str

    async def render(self, interaction, page):
        chosen = [w for w in WORDS if w >= self.start]
        pages = [chosen[i : i + 3] for i in range(0, len(chosen), 3)] or [[]]
        page = max(0, min(page, len(pages) - 1))
        return Page(page, page < len(pages) - 1, content=f"page {page + 1}: " + " ".join(pages[page]))


class Pick(KitSelect, prefix="t:kit:pick", fields="owner", owner="owner"):
    owner: int

    def choices(self):
        return [discord.SelectOption(label=c, value=c) for c in ("red", "green")]

    async def chosen(self, interaction, values):
        await interaction.response.send_message(f"picked {values[0]}", ephemeral=True)


ITEMS = (Count, Drop, Words, Pick)


async def _post(h, view=None, **kwargs):
    channel = h.bot.get_channel(h.general.id)
    sent = await channel.send(view=view, **kwargs)
    return h.fake.messages[sent.id]


def _components(message):
    return [c for row in message.components for c in row["components"]]


@pytest.fixture
async def kit(harness):
    harness.bot.add_dynamic_items(*ITEMS)
    dropped.clear()
    return harness


async def test_owner_check_answers_everyone_else_with_one_message_and_survives_restart(kit):
    h = kit
    view = discord.ui.View(timeout=None)
    view.add_item(Count(h.alice.id, 7))
    view.add_item(Pick(h.alice.id))
    message = await _post(h, view, content="alice's panel")
    count_id, pick_id = Count.custom_id_for(h.alice.id, 7), Pick.custom_id_for(h.alice.id)
    for refused in (
        await h.fake.click(h.bob, message, count_id),
        await h.fake.select(h.bob, message, pick_id, ["red"]),
    ):
        assert refused.response.ephemeral and refused.response.content == NOT_YOURS
    await h.restart()
    h.bot.add_dynamic_items(*ITEMS)
    assert (await h.fake.click(h.alice, message, count_id)).response.content == "n is 7"
    assert (await h.fake.select(h.alice, message, pick_id, ["green"])).response.content == "picked green"


async def test_confirm_yes_and_cancel_after_restart(kit):
    h = kit
    yes_message = await _post(h, Drop.ask(h.alice.id, 11), content="Drop 11?")
    no_message = await _post(h, Drop.ask(h.alice.id, 12), content="Drop 12?")
    refused = await h.fake.click(h.bob, yes_message, Drop.custom_id_for(h.alice.id, 11))
    assert refused.response.content == NOT_YOURS and dropped == []
    await h.restart()
    h.bot.add_dynamic_items(*ITEMS)
    await h.fake.click(h.alice, no_message, Drop.custom_id_for(h.alice.id, 12, "no"))
    assert no_message.content == CANCELLED and not no_message.components
    await h.fake.click(h.alice, yes_message, Drop.custom_id_for(h.alice.id, 11))
    assert yes_message.content == "Dropped 11." and not yes_message.components
    assert dropped == [11]


async def test_pager_pages_in_place_across_a_restart(kit):
    h = kit
    first = await Words(0, h.alice.id, "c").message(None)
    message = await _post(h, **first)
    assert message.content == "page 1: cove dock ebb"
    back, ahead = _components(message)
    assert back.get("disabled") and not ahead.get("disabled")
    await h.fake.click(h.alice, message, ahead["custom_id"])
    assert message.content == "page 2: fathom gale harbor"
    await h.restart()
    h.bot.add_dynamic_items(*ITEMS)
    refused = await h.fake.click(h.bob, message, _components(message)[1]["custom_id"])
    assert refused.response.content == NOT_YOURS and message.content == "page 2: fathom gale harbor"
    await h.fake.click(h.alice, message, _components(message)[1]["custom_id"])
    assert message.content == "page 3: isle jetty keel"
    back, ahead = _components(message)
    assert ahead.get("disabled") and not back.get("disabled")
    await h.fake.click(h.alice, message, back["custom_id"])
    assert message.content == "page 2: fathom gale harbor"
