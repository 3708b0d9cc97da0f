"""`/case new` end to end: scan before post, findings only to the author, redact / keep / edit, anonymity."""

from tests.e2e.test_agreement import agree, gate, my_data, publish

CLEAN = {
    "case:title": "Relapse after a loss in the family",
    "case:situation": "A client relapsed after a death in the family and stopped coming to group.",
    "case:tried": "Two check-in calls and an offer of a ride to group.",
    "case:question": "How do you reopen the door without pushing?",
    "case:anonymous": "no",
}


async def ready(h, user=None):
    _, cases = await gate(h)
    await publish(h, "No identifiers, ever.")
    await agree(h, user or h.alice)
    return cases


async def open_case(h, user, values):
    opened = await h.slash(user, "case new")
    assert opened.response.type == 9, opened.response.content
    return await h.fake.submit_modal(user, opened, values)


async def test_a_clean_case_is_posted_by_the_bot_in_a_new_thread(harness):
    h = harness
    cases = await ready(h)
    done = await open_case(h, h.alice, CLEAN)
    assert done.response.ephemeral and "posted" in done.response.content
    (thread,) = h.fake.threads(cases.id)
    (post,) = h.fake.channel_messages(thread.id)
    assert post.author_id != h.alice.id
    assert "reopen the door" in post.embeds[0]["description"]
    assert f"<@{h.alice.id}>" in (post.content or "")
    assert [t["thread"] for t in (await my_data(h, h.alice))["case_threads"]] == [thread.id]


async def test_anonymous_case_shows_no_author(harness):
    h = harness
    cases = await ready(h)
    await open_case(h, h.alice, {**CLEAN, "case:anonymous": "yes"})
    (thread,) = h.fake.threads(cases.id)
    (post,) = h.fake.channel_messages(thread.id)
    assert str(h.alice.id) not in (post.content or "") + str(post.embeds)
    assert "alice" not in (post.content or "") + str(post.embeds)
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    looked_up = await h.slash(h.mod, "case author", channel=thread)
    assert looked_up.response.ephemeral and str(h.alice.id) in looked_up.response.content
    refused = await h.slash(h.bob, "case author", channel=thread)
    assert refused.response.ephemeral and str(h.alice.id) not in refused.response.content
    elsewhere = await h.slash(h.mod, "case author")
    assert elsewhere.response.ephemeral and "inside a case thread" in elsewhere.response.content


async def test_findings_are_shown_only_to_the_author_and_post_redacted_removes_them(harness):
    h = harness
    cases = await ready(h)
    values = {**CLEAN, "case:situation": "My client Dana Ruiz called from 215-555-0134 after the funeral."}
    shown = await open_case(h, h.alice, values)
    assert shown.response.ephemeral
    text = shown.response.embeds[0]["description"]
    assert "215-555-0134" in text and "PHONE" in text and "[PHONE]" in text
    assert h.fake.threads(cases.id) == []  # nothing posted yet
    token = next(
        c["custom_id"] for row in shown.response.components for c in row["components"] if "post" in c["custom_id"]
    )
    posted = await h.fake.click(h.alice, shown.message, token)
    assert "redacted" in posted.response.content
    (thread,) = h.fake.threads(cases.id)
    body = h.fake.channel_messages(thread.id)[0].embeds[0]["description"]
    assert "215-555-0134" not in body and "Dana" not in body and "[PHONE]" in body


async def test_not_an_identifier_keeps_the_fragment_and_logs_only_kinds(harness):
    h = harness
    modlog = h.guild.add_text_channel("mod-log")
    await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": modlog.id})
    cases = await ready(h)
    values = {**CLEAN, "case:situation": "We met near Riverside Park before group."}
    shown = await open_case(h, h.alice, values)
    buttons = [c["custom_id"] for row in shown.response.components for c in row["components"]]
    keeps = [b for b in buttons if ":keep:" in b]
    assert keeps, "the scanner should hold 'Riverside' (GEO) so there is something to override"
    reply = shown
    while keeps:
        reply = await h.fake.click(h.alice, shown.message, keeps[0])
        if reply.response.embeds:
            buttons = [c["custom_id"] for row in reply.response.components for c in row["components"]]
            keeps = [b for b in buttons if ":keep:" in b]
        else:
            keeps = []
    (thread,) = h.fake.threads(cases.id)
    assert "Riverside" in h.fake.channel_messages(thread.id)[0].embeds[0]["description"]
    logged = await h.fake.wait_for(lambda: h.fake.channel_messages(modlog.id))
    assert "Riverside" not in str([(m.content, m.embeds) for m in logged])


async def test_bad_input_posts_nothing(harness):
    h = harness
    cases = await ready(h)
    for values in (
        {**CLEAN, "case:situation": "    "},
        {**CLEAN, "case:anonymous": "maybe"},
    ):
        done = await open_case(h, h.alice, values)
        assert done.response.ephemeral
        assert "Nothing was posted" in done.response.content or "yes or no" in done.response.content
    assert h.fake.threads(cases.id) == []


async def test_fields_at_their_limits_post_and_the_findings_fit_discord(harness):
    h = harness
    cases = await ready(h)
    sentence = "She keeps coming to group but says little about home. "
    full = {
        "case:title": ("Quiet in group " * 10)[:90],
        "case:situation": (sentence * 40)[:1500],
        "case:tried": (sentence * 30)[:1000],
        "case:question": (sentence * 10)[:500],
    }
    done = await open_case(h, h.alice, {**CLEAN, **full})
    assert "posted" in done.response.content, done.response.content
    leaky = {**full, "case:situation": ("Call 215-555-0134. " + sentence * 40)[:1500]}
    shown = await open_case(h, h.alice, {**CLEAN, **leaky})
    assert shown.response.ephemeral and "215-555-0134" in shown.response.embeds[0]["description"]
    assert len(h.fake.threads(cases.id)) == 1


async def test_no_cases_channel_is_refused(harness):
    h = harness
    role = h.guild.add_role("Case access")
    await h.slash(h.admin, "setup role", {"kind": "case-access", "role": role.id})
    await publish(h, "No identifiers.")
    await agree(h, h.alice)
    refused = await h.slash(h.alice, "case new")
    assert refused.response.ephemeral and "/setup channel cases" in refused.response.content


async def test_no_case_access_role_means_no_agreement_and_no_case(harness):
    h = harness
    cases = h.guild.add_text_channel("cases")
    await h.slash(h.admin, "setup channel", {"kind": "cases", "channel": cases.id})
    await publish(h, "No identifiers.")
    clicked, _ = await agree(h, h.alice)
    assert clicked.response.ephemeral and "case-access" in clicked.response.content
    refused = await h.slash(h.alice, "case new")
    assert refused.response.ephemeral and "/agreement" in refused.response.content
    assert h.fake.threads(cases.id) == []


async def test_edit_reopens_the_modal_prefilled_and_the_fixed_text_posts(harness):
    h = harness
    cases = await ready(h)
    values = {**CLEAN, "case:situation": "She called from 215-555-0134 after the funeral."}
    shown = await open_case(h, h.alice, values)
    edit = next(
        c["custom_id"] for row in shown.response.components for c in row["components"] if ":edit:" in c["custom_id"]
    )
    reopened = await h.fake.click(h.alice, shown.message, edit)
    assert reopened.response.type == 9
    assert "215-555-0134" in str(reopened.response.data)  # prefilled, so she can fix it
    done = await h.fake.submit_modal(h.alice, reopened, {**CLEAN, "case:situation": "She called after the funeral."})
    assert "posted" in done.response.content
    assert len(h.fake.threads(cases.id)) == 1
