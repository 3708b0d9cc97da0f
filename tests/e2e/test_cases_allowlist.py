"""`/case allowlist`: moderators' words the scanner never flags, applied to posts and replies."""

from tests.e2e.test_cases_new import CLEAN, open_case
from tests.e2e.test_cases_replies import case_thread


async def test_allowlisted_words_are_not_flagged_in_posts_or_replies(harness):
    h = harness
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    thread, _ = await case_thread(h)
    text = "We met at Riverside Park after group."
    flagged = await open_case(h, h.alice, {**CLEAN, "case:situation": text})
    flagged_words = flagged.response.embeds[0]["description"] if flagged.response.embeds else ""
    refused = await h.slash(h.alice, "case allowlist add", {"word": "Riverside"})
    assert refused.response.ephemeral and "moderators" in refused.response.content.lower()
    for word in ("Riverside", "Park"):
        added = await h.slash(h.mod, "case allowlist add", {"word": word})
        assert added.response.ephemeral
    listed = await h.slash(h.mod, "case allowlist list")
    assert "Riverside" in listed.response.content
    bad = await h.slash(h.mod, "case allowlist add", {"word": "215-555"})
    assert bad.response.ephemeral and "no digits" in bad.response.content
    if "Riverside" in flagged_words:
        done = await open_case(h, h.alice, {**CLEAN, "case:situation": text})
        assert "posted" in done.response.content
    msg = await h.fake.post_message(h.bob, thread, "Riverside Park has a quiet bench.")
    await h.fake.post_message(h.bob, thread, "ok")
    assert not msg.deleted
    removed = await h.slash(h.mod, "case allowlist remove", {"word": "riverside"})
    assert "Removed" in removed.response.content
