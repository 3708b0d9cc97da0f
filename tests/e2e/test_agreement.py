"""The confidentiality-agreement gate end to end: publish, agree, new version revokes, /case refused without it."""

import json

from tests.e2e.harness import reply_text


async def my_data(h, user):
    """The `data` of the member's `/mydata export` file."""
    export = await h.slash(user, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    return json.loads(next(body for r in replies for _, body in r.files))["data"]


AGREE = "harbor:agree:{}"


async def gate(h):
    """A case-access role and a cases channel."""
    role = h.guild.add_role("Case access")
    await h.slash(h.admin, "setup role", {"kind": "case-access", "role": role.id})
    cases = h.guild.add_text_channel("cases")
    await h.slash(h.admin, "setup channel", {"kind": "cases", "channel": cases.id})
    return role, cases


async def publish(h, text):
    opened = await h.slash(h.admin, "setup agreement")
    assert opened.response.type == 9
    done = await h.fake.submit_modal(h.admin, opened, {"agreement:body": text})
    assert done.response.ephemeral and "Published version" in done.response.content
    return done


async def agree(h, user):
    shown = await h.slash(user, "agreement")
    assert shown.response.ephemeral
    version = int(shown.response.embeds[0]["title"].rsplit(" ", 1)[1])
    return await h.fake.click(user, shown.message, AGREE.format(version)), shown


async def test_publish_agree_and_a_new_version_revokes_the_role(harness):
    h = harness
    role, _ = await gate(h)
    nothing = await h.slash(h.alice, "agreement")
    assert nothing.response.ephemeral and "not published" in nothing.response.content
    refused = await h.slash(h.alice, "case new")
    assert refused.response.ephemeral and "/agreement" in refused.response.content

    await publish(h, "I will never share anything that could identify a person I serve.")
    clicked, shown = await agree(h, h.alice)
    assert "never share" in reply_text(shown.response)
    assert clicked.response.ephemeral and "version 1" in clicked.response.content
    assert role.id in h.guild.members[h.alice.id].roles
    assert [a["version"] for a in (await my_data(h, h.alice))["case_agreements"]] == [1]
    assert (await my_data(h, h.bob)).get("case_agreements", []) == []
    opened = await h.slash(h.alice, "case new")
    assert opened.response.type == 9  # the modal

    await h.restart()  # the button and the record survive a restart
    again = await h.slash(h.alice, "agreement")
    assert "accepted this version" in again.response.embeds[0]["footer"]["text"]

    await publish(h, "Version two: also no dates of birth.")
    await h.fake.wait_for(lambda: role.id not in h.guild.members[h.alice.id].roles)
    dm = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.alice) if "version 2" in (m.content or "")])
    assert "/agreement" in dm[0].content
    refused = await h.slash(h.alice, "case new")
    assert refused.response.ephemeral and "/agreement" in refused.response.content

    # an old "I agree" no longer counts
    stale = await h.fake.click(h.alice, shown.message, AGREE.format(1))
    assert stale.response.ephemeral and "newer version" in stale.response.content
    clicked, _ = await agree(h, h.alice)
    assert "version 2" in clicked.response.content
    assert role.id in h.guild.members[h.alice.id].roles


async def test_agreeing_without_a_role_records_nothing(harness):
    h = harness
    await publish(h, "Keep it anonymous.")
    clicked, _ = await agree(h, h.bob)
    assert clicked.response.ephemeral and "case-access" in clicked.response.content
    assert (await my_data(h, h.bob)).get("case_agreements", []) == []


async def test_members_cannot_publish_and_empty_text_is_refused(harness):
    h = harness
    opened = await h.slash(h.admin, "setup agreement")
    done = await h.fake.submit_modal(h.admin, opened, {"agreement:body": "   "})
    assert done.response.ephemeral
    shown = await h.slash(h.alice, "agreement")
    assert "not published" in shown.response.content  # nothing was stored


async def test_mydata_exports_acceptances(harness):
    h = harness
    await gate(h)
    await publish(h, "Keep it anonymous.")
    await agree(h, h.alice)
    assert (await my_data(h, h.alice))["case_agreements"][0]["version"] == 1
    await h.bot.services.mydata.erase(h.alice.id)
    assert (await my_data(h, h.alice)).get("case_agreements", []) == []
    refused = await h.slash(h.alice, "case new")  # erased: must agree again
    assert refused.response.ephemeral and "/agreement" in refused.response.content
