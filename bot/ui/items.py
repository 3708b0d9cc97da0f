"""Restart-proof DynamicItems whose custom id template and builder come from one spec.

A kit item declares its custom id once, as a prefix and named fields::

    class MoodButton(KitButton, prefix="harbor:checkin:mood", fields="owner prompt mood", owner="owner"):
        owner: int
        prompt: int
        mood: int

        async def clicked(self, interaction: discord.Interaction[Harbor]) -> None: ...

From that one spec the class gets its regex template, `custom_id_for(...)`, `from_custom_id` (so a
click after a restart rebuilds the item from the custom id alone), and, when ``owner=`` names a
field holding a member id, an owner check that answers everyone else with `NOT_YOURS`. `clicked` is
already guarded: any error becomes the same friendly ephemeral reply a command would give. The custom
id is only a pointer; `clicked` re-reads and re-checks the state it needs from the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, cast

import discord
from discord.ui.select import BaseSelect

from bot.domain.errors import NOT_YOURS, HarborError
from bot.errors import report

if TYPE_CHECKING:
    from bot.app import Harbor

MAX_CUSTOM_ID = 100
"""Discord's limit on a component's custom id."""


class Field:
    """One value in a custom id: its regex, its text form, and (for a last field only) a default."""

    def __init__(self, pattern: str, default: Any = None) -> None:
        self.pattern = pattern
        self.default = default

    def parse(self, raw: str) -> Any:
        """The value from its text in a custom id."""
        raise NotImplementedError

    def dump(self, value: Any) -> str:
        """The text of a value in a custom id (refuses values the pattern would not read back)."""
        raise NotImplementedError


class Int(Field):
    """A whole number (a member id, a row id, a page); negative only when ``signed``."""

    def __init__(self, *, signed: bool = False) -> None:
        super().__init__(r"-?\d+" if signed else r"\d+")
        self.signed = signed

    def parse(self, raw: str) -> int:
        """The number."""
        return int(raw)

    def dump(self, value: Any) -> str:
        """Digits."""
        if not isinstance(value, int) or isinstance(value, bool) or (value < 0 and not self.signed):
            msg = f"{value!r} is not a {'' if self.signed else 'non-negative '}whole number"
            raise ValueError(msg)
        return str(value)


class Choice(Field):
    """One word from a fixed set (an answer, a direction); with a default, it may be left out at the end."""

    def __init__(self, *words: str, default: str | None = None) -> None:
        super().__init__("|".join(re.escape(word) for word in words), default)
        self.words = words

    def parse(self, raw: str) -> str:
        """The word."""
        return raw

    def dump(self, value: Any) -> str:
        """The word, if it is one of the set."""
        if value not in self.words:
            msg = f"{value!r} is not one of {self.words}"
            raise ValueError(msg)
        return str(value)


class Text(Field):
    """Free text without line breaks (a search query); only as the last field, so it may hold colons."""

    def __init__(self) -> None:
        super().__init__(r"[^\n]*")

    def parse(self, raw: str) -> str:
        """The text."""
        return raw

    def dump(self, value: Any) -> str:
        """The text, if it has no line break."""
        if not isinstance(value, str) or "\n" in value:
            msg = "custom-id text must be one line"
            raise ValueError(msg)
        return value


Spec = Mapping[str, Field] | str
"""Fields in order: a mapping of name → Field, or space-separated names that are all `Int()`."""

ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])


def _fields(spec: Spec) -> dict[str, Field]:
    if isinstance(spec, str):
        return {name: Int() for name in spec.split()}
    return dict(spec)


class KitItem(discord.ui.DynamicItem[ItemT], template=r"(?!)"):
    """The restart-proof, optionally owned DynamicItem every Harbor button and select is built on.

    Subclass with ``prefix=``, ``fields=`` (a `Spec`) and optionally ``owner=`` (the field holding the
    member id allowed to use it). Intermediate bases are declared without ``prefix=``; their template
    matches nothing, so registering one by mistake is harmless.
    """

    prefix: ClassVar[str] = ""
    fields: ClassVar[dict[str, Field]] = {}
    owner_field: ClassVar[str | None] = None
    where: ClassVar[str] = ""
    lead_fields: ClassVar[dict[str, Field]] = {}
    """Fields a kit base (such as `Pager`) puts before the subclass's own."""
    trail_fields: ClassVar[dict[str, Field]] = {}
    """Fields a kit base (such as `Confirm`) puts after the subclass's own."""

    def __init_subclass__(
        cls, *, prefix: str | None = None, fields: Spec = "", owner: str | None = None, **kwargs: Any
    ) -> None:
        if prefix is None:
            super().__init_subclass__(template=kwargs.pop("template", r"(?!)"), **kwargs)
            return
        spec = {**cls.lead_fields, **_fields(fields), **cls.trail_fields}
        for position, (name, field) in enumerate(spec.items()):
            last = position == len(spec) - 1
            if not name.isidentifier() or hasattr(cls, name):
                msg = f"{cls.__name__}: field name {name!r} is not an identifier or clashes with an attribute"
                raise TypeError(msg)
            if not last and (isinstance(field, Text) or field.default is not None):
                msg = f"{cls.__name__}: only the last field may be free text or have a default"
                raise TypeError(msg)
        if owner is not None and not isinstance(spec.get(owner), Int):
            msg = f"{cls.__name__}: owner={owner!r} must name a whole-number field"
            raise TypeError(msg)
        template = re.escape(prefix)
        for name, field in spec.items():
            group = f":(?P<{name}>{field.pattern})"
            template += f"(?:{group})?" if field.default is not None else group
        super().__init_subclass__(template=template, **kwargs)
        cls.prefix, cls.fields, cls.owner_field = prefix, spec, owner
        cls.where = cls.where or prefix

    @classmethod
    def bind(cls, *values: Any, **named: Any) -> dict[str, Any]:
        """Values by field name from positional (in field order) and named arguments; all required but defaults."""
        names = list(cls.fields)
        if len(values) > len(names):
            msg = f"{cls.__name__} takes {len(names)} values, got {len(values)}"
            raise TypeError(msg)
        bound = dict(zip(names, values, strict=False))
        for name, value in named.items():
            if name not in cls.fields or name in bound:
                msg = f"{cls.__name__}: unexpected or repeated value {name!r}"
                raise TypeError(msg)
            bound[name] = value
        for name, field in cls.fields.items():
            if name not in bound:
                if field.default is None:
                    msg = f"{cls.__name__}: missing value {name!r}"
                    raise TypeError(msg)
                bound[name] = field.default
        return {name: bound[name] for name in names}

    @classmethod
    def custom_id_for(cls, *values: Any, **named: Any) -> str:
        """The custom id for these values (a defaulted last field is left out when it has its default)."""
        custom_id = cls.prefix
        for name, value in cls.bind(*values, **named).items():
            field = cls.fields[name]
            if field.default is not None and value == field.default:
                continue
            custom_id += ":" + field.dump(value)
        if len(custom_id) > MAX_CUSTOM_ID:
            msg = f"{cls.__name__}: custom id is {len(custom_id)} characters (Discord allows {MAX_CUSTOM_ID})"
            raise ValueError(msg)
        return custom_id

    @classmethod
    def values_in(cls, custom_id: str | None) -> dict[str, Any] | None:
        """The values in a custom id of this class, or None when it is some other component's."""
        match = cls.__discord_ui_compiled_template__.fullmatch(custom_id or "")
        return None if match is None else cls._parse(match)

    @classmethod
    def _parse(cls, match: re.Match[str]) -> dict[str, Any]:
        return {
            name: field.default if match[name] is None else field.parse(match[name])
            for name, field in cls.fields.items()
        }

    def __init__(self, *values: Any, row: int | None = None, **named: Any) -> None:
        bound = self.bind(*values, **named)
        for name, value in bound.items():
            setattr(self, name, value)
        super().__init__(self.build(self.custom_id_for(**bound)), row=row)

    def build(self, custom_id: str) -> ItemT:
        """The wrapped component, drawn for this item's values."""
        raise NotImplementedError

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild from the custom id alone (a click after a restart lands here)."""
        return cls(**cls._parse(match))

    @property
    def owner_id(self) -> int | None:
        """The member this item belongs to, or None when anyone may use it."""
        return None if self.owner_field is None else int(getattr(self, self.owner_field))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Refuse anyone but the owner with the one message, then run `clicked`; errors become replies."""
        try:
            if self.owner_id is not None and interaction.user.id != self.owner_id:
                await interaction.response.send_message(NOT_YOURS, ephemeral=True)
                return
            await self.clicked(interaction)
        except Exception as exc:  # every error ends in a reply and a log line
            await report(interaction, exc, where=self.where)

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """What the item does for its owner (or anyone, when unowned)."""
        raise NotImplementedError


class KitButton(KitItem[discord.ui.Button[Any]]):
    """A kit button; its look comes from the class attributes, or from `look()` when it depends on state."""

    label: ClassVar[str | None] = None
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary
    emoji: ClassVar[str | None] = None

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """Label, style and emoji for this item's values (override when they depend on the values)."""
        return self.label, self.style, self.emoji

    def build(self, custom_id: str) -> discord.ui.Button[Any]:
        """A button drawn from `look()`."""
        label, style, emoji = self.look()
        return discord.ui.Button(label=label, style=style, emoji=emoji, custom_id=custom_id)

    @property
    def button(self) -> discord.ui.Button[Any]:
        """The wrapped button (to disable it or change its label before sending)."""
        return self.item


class IdButton(KitButton, fields={"item_id": Int()}):
    """A kit button about one stored thing, custom id `<prefix>:<id>`; subclass with ``prefix=``.

    Kept for the buttons written before the kit had fields: ``IdButton(item_id)``, ``self.item_id``,
    ``custom_id_for(item_id)``, ``id_in(custom_id)``, and ``label_for(item_id)`` for a label that
    names the item. Subclasses may implement `clicked` or override `callback` (wrapping it in `guarded`).
    """

    item_id: int

    def __init_subclass__(cls, *, prefix: str | None = None, owner: str | None = None, **kwargs: Any) -> None:
        fields = kwargs.pop("fields", {"item_id": Int()})
        super().__init_subclass__(prefix=prefix, fields=fields, owner=owner, **kwargs)

    def __init__(self, item_id: int, *, row: int | None = None) -> None:
        super().__init__(item_id, row=row)

    @classmethod
    def id_in(cls, custom_id: str | None) -> int | None:
        """The item id in a custom id of this class, or None when it is some other component's."""
        values = cls.values_in(custom_id)
        return None if values is None else int(values["item_id"])

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """The class look, with `label_for` naming the item."""
        return self.label_for(self.item_id), self.style, self.emoji

    def label_for(self, item_id: int) -> str | None:
        """The button's label (override when it names the item)."""
        return self.label


class KitSelect(KitItem[discord.ui.Select[Any]]):
    """A restart-proof select: `choices()` lists the options, `chosen()` receives the picked values.

    Picked values are checked against `choices()` before `chosen` runs, so a forged or stale value is
    refused with a clear message instead of reaching the service.
    """

    placeholder: ClassVar[str | None] = None
    min_values: ClassVar[int] = 1
    max_values: ClassVar[int] = 1

    def choices(self) -> list[discord.SelectOption]:
        """The options, drawn for this item's values."""
        raise NotImplementedError

    def build(self, custom_id: str) -> discord.ui.Select[Any]:
        """A select with `choices()`."""
        return discord.ui.Select(
            custom_id=custom_id,
            placeholder=self.placeholder,
            min_values=self.min_values,
            max_values=self.max_values,
            options=self.choices(),
        )

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Check the picked values against the offered ones, then hand them to `chosen`."""
        offered = {option.value for option in self.choices()}
        picked = list(self.item.values)
        if not picked or any(value not in offered for value in picked):
            raise HarborError("Pick one of the listed choices.")
        await self.chosen(interaction, picked)

    async def chosen(self, interaction: discord.Interaction[Harbor], values: list[str]) -> None:
        """What picking does."""
        raise NotImplementedError


class KitPicker(KitItem[ItemT]):
    """A restart-proof member, role or channel select (Discord fills the options); use the three below.

    Set ``placeholder``, ``min_values`` and ``max_values`` on the class, or return them from `drawn()`
    when they depend on state (a placeholder naming the item, ``default_values`` showing the current
    choice). `clicked` reads the picks from ``self.item.values``.
    """

    select_class: ClassVar[type[BaseSelect[Any]]]
    placeholder: ClassVar[str | None] = None
    min_values: ClassVar[int] = 1
    max_values: ClassVar[int] = 1

    def drawn(self) -> dict[str, Any]:
        """Keyword arguments of the select besides its custom id (override to add or change some)."""
        return {"placeholder": self.placeholder, "min_values": self.min_values, "max_values": self.max_values}

    def build(self, custom_id: str) -> ItemT:
        """The select drawn from `drawn()`."""
        return cast("ItemT", self.select_class(custom_id=custom_id, **self.drawn()))


class KitUserSelect(KitPicker[discord.ui.UserSelect[Any]]):
    """A kit member select."""

    select_class = discord.ui.UserSelect


class KitRoleSelect(KitPicker[discord.ui.RoleSelect[Any]]):
    """A kit role select."""

    select_class = discord.ui.RoleSelect


class KitChannelSelect(KitPicker[discord.ui.ChannelSelect[Any]]):
    """A kit channel select, limited to ``channel_types`` (all types when empty)."""

    select_class = discord.ui.ChannelSelect
    channel_types: ClassVar[list[discord.ChannelType]] = []

    def drawn(self) -> dict[str, Any]:
        """The common arguments and the channel types."""
        return {**super().drawn(), "channel_types": self.channel_types}
