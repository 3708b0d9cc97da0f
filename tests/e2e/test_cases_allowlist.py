"""`/setup allowlist`: moderators' words the scanner never flags, applied to posts and replies."""

from tests.e2e.test_cases_new import CLEAN, open_case
from tests.e2e.test_cases_replies import case_thread


async def test_allowlisted_words_are_not_flagged_in_posts_or_replies(harness):
    h = harness
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    # /setup is hidden from non-admins by default; the admin lets moderators (and, here, everyone) see it.
    h.guild.allow_command("setup", h.mod_role)
    h.guild.allow_command("setup", h.alice)
    thread, _ = await case_thread(h)
    text = "We met at Riverside Park after group."
    flagged = await open_case(h, h.alice, {**CLEAN, "case:situation": text})
    flagged_words = flagged.response.embeds[0]["description"] if flagged.response.embeds else ""
    refused = await h.slash(h.alice, "setup allowlist add", {"word": "Riverside"})
    assert refused.response.ephemeral and "moderators" in refused.response.content.lower()
    for word in ("Riverside", "Park"):
        added = await h.slash(h.mod, "setup allowlist add", {"word": word})
        assert added.response.ephemeral
    listed = await h.slash(h.mod, "setup allowlist list")
    assert "Riverside" in listed.response.content
    bad = await h.slash(h.mod, "setup allowlist add", {"word": "215-555"})
    assert bad.response.ephemeral and "no digits" in bad.response.content
    if "Riverside" in flagged_words:
        done = await open_case(h, h.alice, {**CLEAN, "case:situation": text})
        assert "posted" in done.response.content
    msg = await h.fake.post_message(h.bob, thread, "Riverside Park has a quiet bench.")
    await h.fake.post_message(h.bob, thread, "ok")
    assert not msg.deleted
    removed = await h.slash(h.mod, "setup allowlist remove", {"word": "riverside"})
    assert "Removed" in removed.response.content


async def test_allow_list_bad_input_and_moderators_only(harness):
    h = harness
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    h.guild.allow_command("setup", h.mod_role)
    for word, expected in (("   ", "1 to 40"), ("x" * 41, "1 to 40"), ("Dana99", "no digits"), ("a@b", "no digits")):
        reply = await h.slash(h.mod, "setup allowlist add", {"word": word})
        assert reply.response.ephemeral and expected in (reply.response.content or ""), (word, reply.response.content)
    empty = await h.slash(h.mod, "setup allowlist list")
    assert "empty" in empty.response.content
    first = await h.slash(h.mod, "setup allowlist add", {"word": "  Harbor   House "})
    assert "“Harbor House”" in first.response.content
    again = await h.slash(h.mod, "setup allowlist add", {"word": "harbor house"})
    assert "already allowed" in again.response.content
    missing = await h.slash(h.mod, "setup allowlist remove", {"word": "Elm"})
    assert "not on the allow-list" in missing.response.content
    admin_only = await h.slash(h.mod, "setup retention", {"kind": "case-threads", "days": 30})
    assert admin_only.response.ephemeral and "Only server admins" in admin_only.response.content
    by_admin = await h.slash(h.admin, "setup allowlist list")
    assert "Harbor House" in by_admin.response.content
