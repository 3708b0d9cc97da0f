"""The UI kit's custom-id spec: one declaration gives the template, the builder and the rebuild."""

from __future__ import annotations

from typing import ClassVar, Self
from unittest.mock import create_autospec

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui import (
    MAX_CUSTOM_ID,
    NOT_YOURS,
    Choice,
    Confirm,
    Field,
    IdButton,
    Int,
    KitButton,
    KitChannelSelect,
    KitRoleSelect,
    KitSelect,
    KitUserSelect,
    Page,
    Pager,
    Text,
)


class Answer(KitButton, prefix="t:answer", fields={"owner": Int(), "n": Int(signed=True), "word": Choice("a", "b")}):
    owner: int
    n: int
    word: str


class Search(Pager, prefix="t:search", fields={"tag": Choice("x", "y"), "query": Text()}):
    tag: str
    query: str


class Erase(Confirm, prefix="t:erase", fields="owner thing", owner="owner"):
    owner: int
    thing: int


class Legacy(IdButton, prefix="t:legacy"):
    label = "Open"


class Colour(KitSelect, prefix="t:colour", fields="owner", owner="owner"):
    def choices(self) -> list[discord.SelectOption]:
        return [discord.SelectOption(label=c, value=c) for c in ("red", "green")]


async def _rebuild(cls, custom_id):
    match = cls.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None, custom_id
    return await cls.from_custom_id(None, None, match)


async def test_one_spec_gives_builder_template_and_rebuild():
    item = Answer(5, -3, "b")
    assert item.custom_id == Answer.custom_id_for(owner=5, n=-3, word="b") == "t:answer:5:-3:b"
    again = await _rebuild(Answer, item.custom_id)
    assert (again.owner, again.n, again.word) == (5, -3, "b")
    assert Answer.values_in("t:answer:5:-3:c") is None
    assert Answer.values_in("t:answer:5:-3:b:extra") is None
    assert Answer.values_in("other:5:-3:b") is None


async def test_confirm_answer_is_last_and_yes_is_left_out():
    view = Erase.ask(7, 99)
    ids = [item.custom_id for item in view.children]
    assert ids == ["t:erase:7:99", "t:erase:7:99:no"]
    yes, no = [await _rebuild(Erase, i) for i in ids]
    assert (yes.answer, no.answer) == ("yes", "no")
    assert yes.owner_id == no.owner_id == 7
    assert [c.item.label for c in view.children] == ["Yes", "Cancel"]


async def test_pager_page_comes_first_so_text_may_hold_colons():
    item = Search(2, "x", "a:b: c")
    assert item.custom_id == "t:search:2:x:a:b: c"
    again = await _rebuild(Search, item.custom_id)
    assert (again.page, again.tag, again.query) == (2, "x", "a:b: c")
    assert again.owner_id is None


async def test_legacy_id_button_keeps_its_custom_id():
    button = Legacy(42)
    assert button.custom_id == "t:legacy:42" == Legacy.custom_id_for(42)
    assert Legacy.id_in("t:legacy:42") == 42 and Legacy.id_in("t:legacy:x") is None
    assert (await _rebuild(Legacy, "t:legacy:42")).item_id == 42
    assert button.button.label == "Open"


def test_select_draws_its_choices():
    select = Colour(3)
    assert [o.value for o in select.item.options] == ["red", "green"]
    assert select.custom_id == "t:colour:3"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((5, 1, "c"), ValueError),  # not one of the words
        ((-5, 1, "a"), ValueError),  # owner is unsigned
        ((5, 1.5, "a"), ValueError),
        ((5, True, "a"), ValueError),
        ((5, 1), TypeError),  # missing word
        ((5, 1, "a", 9), TypeError),  # too many
    ],
)
def test_values_the_template_would_not_read_back_are_refused(args, error):
    with pytest.raises(error):
        Answer(*args)


def test_custom_id_over_discords_limit_is_refused():
    with pytest.raises(ValueError, match="characters"):
        Search(0, "x", "q" * MAX_CUSTOM_ID)
    with pytest.raises(ValueError, match="one line"):
        Search(0, "x", "two\nlines")


def test_bad_specs_fail_at_class_definition():
    with pytest.raises(TypeError, match="last field"):

        class TextFirst(KitButton, prefix="t:bad1", fields={"q": Text(), "n": Int()}):
            pass

    with pytest.raises(TypeError, match="clashes"):

        class Clash(KitButton, prefix="t:bad2", fields="view"):
            pass

    with pytest.raises(TypeError, match="owner"):

        class NoOwner(KitButton, prefix="t:bad3", fields={"word": Choice("a")}, owner="word"):
            pass


@given(
    owner=st.integers(min_value=0, max_value=2**64),
    n=st.integers(min_value=-(2**63), max_value=2**63),
    word=st.sampled_from(["a", "b"]),
)
def test_any_values_round_trip(owner, n, word):
    custom_id = Answer.custom_id_for(owner, n, word)
    assert Answer.values_in(custom_id) == {"owner": owner, "n": n, "word": word}


@given(query=st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=60))
def test_any_one_line_query_round_trips(query):
    custom_id = Search.custom_id_for(3, "y", query)
    assert Search.values_in(custom_id) == {"page": 3, "tag": "y", "query": query}


def _interaction(user_id):
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.user = create_autospec(discord.User, instance=True)
    interaction.user.id = user_id
    interaction.response = create_autospec(discord.InteractionResponse, instance=True)
    interaction.response.is_done.return_value = False
    return interaction


class Shade(KitSelect, prefix="t:shade", fields="owner", owner="owner"):
    picked: ClassVar[list[list[str]]] = []

    def choices(self) -> list[discord.SelectOption]:
        return [discord.SelectOption(label=c, value=c) for c in ("light", "dark")]

    async def chosen(self, interaction, values):
        self.picked.append(values)


async def test_a_forged_select_value_never_reaches_chosen():
    Shade.picked.clear()
    select = await _rebuild(Shade, "t:shade:9")
    select.item._values = ["purple"]  # not offered: a forged or stale payload
    interaction = _interaction(9)
    await select.callback(interaction)
    interaction.response.send_message.assert_awaited_once()
    assert "Pick one of the listed choices" in interaction.response.send_message.await_args.args[0]
    assert Shade.picked == []
    select.item._values = ["dark"]
    await select.callback(_interaction(9))
    assert Shade.picked == [["dark"]]


async def test_owner_check_refuses_with_the_one_message_before_anything_runs():
    Shade.picked.clear()
    select = await _rebuild(Shade, "t:shade:9")
    select.item._values = ["dark"]
    stranger = _interaction(10)
    await select.callback(stranger)
    stranger.response.send_message.assert_awaited_once_with(NOT_YOURS, ephemeral=True)
    assert Shade.picked == []


class Who(KitUserSelect, prefix="t:who", fields="owner", owner="owner"):
    placeholder = "Who came"
    max_values = 25
    seen: ClassVar[list[list[int]]] = []

    async def clicked(self, interaction):
        self.seen.append([user.id for user in self.item.values])


class Where(KitChannelSelect, prefix="t:where", fields={"kind": Choice("log", "queue")}):
    channel_types: ClassVar[list[discord.ChannelType]] = [discord.ChannelType.text]

    def __init__(self, kind: str, current: int | None = None) -> None:
        self.current = current
        super().__init__(kind)

    def drawn(self):
        shown = [discord.Object(self.current, type=discord.abc.GuildChannel)] if self.current else []
        return {**super().drawn(), "placeholder": f"the {self.kind} channel", "default_values": shown}


class Which(KitRoleSelect, prefix="t:which", fields="n"):
    pass


async def test_pickers_draw_discords_member_channel_and_role_selects_from_one_spec():
    who = Who(4)
    assert isinstance(who.item, discord.ui.UserSelect)
    assert who.item.to_component_dict() == {
        "type": 5,
        "custom_id": "t:who:4",
        "placeholder": "Who came",
        "min_values": 1,
        "max_values": 25,
        "disabled": False,
        "required": False,
    }
    where = Where("queue", 77)
    drawn = where.item.to_component_dict()
    assert isinstance(where.item, discord.ui.ChannelSelect) and drawn["type"] == 8
    assert (drawn["custom_id"], drawn["placeholder"], drawn["channel_types"]) == (
        "t:where:queue",
        "the queue channel",
        [0],
    )
    assert drawn["default_values"] == [{"id": 77, "type": "channel"}]
    assert "default_values" not in Where("log").item.to_component_dict()
    assert Where.values_in("t:where:other") is None  # only the declared kinds match
    again = await _rebuild(Where, "t:where:log")  # after a restart: rebuilt from the custom id alone
    assert (again.kind, again.current) == ("log", None)
    which = await _rebuild(Which, "t:which:12")
    assert isinstance(which.item, discord.ui.RoleSelect) and which.n == 12 and which.owner_id is None


async def test_a_picker_is_owned_and_guarded_like_every_kit_item():
    Who.seen.clear()
    who = await _rebuild(Who, "t:who:4")
    who.item._values = [create_autospec(discord.User, instance=True, id=8)]
    stranger = _interaction(5)
    await who.callback(stranger)
    stranger.response.send_message.assert_awaited_once_with(NOT_YOURS, ephemeral=True)
    assert Who.seen == []
    await who.callback(_interaction(4))
    assert Who.seen == [[8]]


class Older(Pager, prefix="t:older", fields={"member": Int(), "page": Int(), "way": Choice("p", "n")}):
    """A pager whose custom ids were laid out before the kit: page in the middle, a direction last."""

    lead_fields: ClassVar[dict[str, Field]] = {}
    member: int
    way: str

    def turned(self, page: int, *, forward: bool) -> Self:
        return type(self)(self.member, page, "n" if forward else "p")

    async def render(self, interaction, page):
        page = min(page, 2)  # three pages
        return Page(page, page < 2, content=f"page {page}")


async def test_a_pager_may_keep_an_older_custom_id_layout():
    item = Older(7, 1, "n")
    assert item.custom_id == "t:older:7:1:n"
    message = await item.message(None)
    assert message["content"] == "page 1"
    back, ahead = message["view"].children
    assert (back.custom_id, back.item.label, back.item.disabled) == ("t:older:7:0:p", "◀ Prev", False)
    assert (ahead.custom_id, ahead.item.disabled) == ("t:older:7:2:n", False)
    last = await (await _rebuild(Older, "t:older:7:9:n")).message(None)  # clamped by render
    back, ahead = last["view"].children
    assert last["content"] == "page 2" and back.custom_id == "t:older:7:1:p" and ahead.item.disabled
