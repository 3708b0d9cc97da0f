"""Harbor's UI kit: restart-proof, owned DynamicItems (buttons, selects, `Confirm`, `Pager`) and modals.

Everything here keeps its state in the custom id or the database, never in a view object, so a
message keeps working after the bot restarts. See docs/ARCHITECTURE.md ("The UI kit") for examples.
"""

from bot.ui.base import HarborModal, HarborView, guarded
from bot.ui.confirm import CANCELLED, Confirm
from bot.ui.items import (
    MAX_CUSTOM_ID,
    NOT_YOURS,
    Choice,
    Field,
    IdButton,
    Int,
    KitButton,
    KitChannelSelect,
    KitItem,
    KitPicker,
    KitRoleSelect,
    KitSelect,
    KitUserSelect,
    Text,
)
from bot.ui.pager import Page, Pager

__all__ = [
    "CANCELLED",
    "MAX_CUSTOM_ID",
    "NOT_YOURS",
    "Choice",
    "Confirm",
    "Field",
    "HarborModal",
    "HarborView",
    "IdButton",
    "Int",
    "KitButton",
    "KitChannelSelect",
    "KitItem",
    "KitPicker",
    "KitRoleSelect",
    "KitSelect",
    "KitUserSelect",
    "Page",
    "Pager",
    "Text",
    "guarded",
]
