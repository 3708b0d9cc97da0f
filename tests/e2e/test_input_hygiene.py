"""Every string option is cleaned once at the edge: NUL and other controls removed, NFC, empty refused."""

import json

from tests.e2e.harness import reply_text
from tests.e2e.test_ce_entries import crs as crs
from tests.e2e.test_ce_entries import entries_of, log


async def test_nul_in_a_title_is_removed_not_a_crash(crs):
    h = crs
    reply = await log(h, h.alice, title="Eth\x00ics\x07 in pe\u0301er support")
    assert reply.response.ephemeral
    assert "Logged" in reply_text(reply.response)
    (entry,) = await entries_of(h, h.alice)
    assert entry.title == "Ethics in p\u00e9er support"


async def test_an_option_of_only_controls_is_refused_clearly(crs):
    h = crs
    reply = await log(h, h.alice, title="\x00\x01\x02")
    assert reply.response.ephemeral
    assert "nothing Harbor can use" in reply_text(reply.response)
    assert await entries_of(h, h.alice) == []


async def test_modal_fields_are_cleaned_too(harness):
    opened = await harness.slash(harness.alice, "checkin now")
    ids = [c["custom_id"] for row in opened.response.components for c in row["components"]]
    clicked = await harness.fake.click(harness.alice, opened.original(), ids[3])
    note_button = next(
        c["custom_id"] for row in clicked.response.components for c in row["components"] if ":note:" in c["custom_id"]
    )
    modal = await harness.fake.click(harness.alice, opened.original(), note_button)
    field = modal.response.data["components"][0]
    custom_id = field.get("component", field.get("components", [{}])[0]).get("custom_id")
    done = await harness.fake.submit_modal(harness.alice, modal, {custom_id: "rough\x00 shift\r\nca\u0301lm now"})
    assert done.response.ephemeral
    export = await harness.slash(harness.alice, "mydata export")
    body = next(f for r in [export.response, *await export.wait_followups(1)] for f in r.files)[1]
    stored = json.loads(body)["data"]["checkins"]["checkins"]
    assert [c["note"] for c in stored] == ["rough shift\nc\u00e1lm now"]
