"""/resource end to end through the fake Discord: submit, review, search, show, edit, remove, bookmarks."""

import re

import pytest

from bot.services.resources import ResourceService

APPROVE = "harbor:res:approve:{}"
REJECT = "harbor:res:reject:{}"


def text_of(reply):
    parts = [reply.content or ""]
    for embed in reply.embeds:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


async def configure(h, *, queue=True, library=True):
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    channels = {}
    if queue:
        channels["queue"] = h.guild.add_text_channel("mod-queue")
        await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": channels["queue"].id})
    if library:
        channels["library"] = h.guild.add_text_channel("resources")
        await h.slash(h.admin, "setup channel", {"kind": "resources", "channel": channels["library"].id})
    return channels


async def submit(h, user, title, url, description="", tags="harm-reduction"):
    opened = await h.slash(user, "resource add")
    assert opened.response.type == 9
    values = {"resource:title": title, "resource:url": url, "resource:tags": tags}
    if description:
        values["resource:description"] = description
    return await h.fake.submit_modal(user, opened, values)


def new_id(reply):
    return int(re.search(r"#(\d+)", reply.response.content).group(1))


async def submissions(h, user):
    """Every entry the member submitted, whatever its status (what `/mydata export` lists)."""
    return (await h.bot.feature(ResourceService).export_user(user.id))["submissions"]


async def library_size(h):
    """How many approved entries `/resource export` says the library holds."""
    it = await h.slash(h.admin, "resource export")
    reply = (await it.wait_followups(1))[-1]
    return int(re.search(r"The library: (\d+) approved", reply.content).group(1))


async def search(h, user, query, **extra):
    return await h.slash(user, "resource search", {"query": query, **extra})


async def publish(h, title, url, tags="harm-reduction", description=""):
    reply = await submit(h, h.mod, title, url, description, tags)
    assert "Published" in reply.response.content, reply.response.content
    return new_id(reply)


async def test_member_submission_is_queued_then_approved_after_a_restart(harness):
    h = harness
    ch = await configure(h)
    reply = await submit(
        h,
        h.alice,
        "Naloxone: responding to an overdose",
        "https://Example.org/naloxone/?utm_source=x",
        "How to give naloxone, step by step.",
        "harm-reduction, Naloxone",
    )
    assert reply.response.ephemeral and "waiting" in reply.response.content
    rid = new_id(reply)
    card = h.fake.channel_messages(ch["queue"].id)[-1]
    assert "Naloxone" in text_of(card) and f"<@{h.alice.id}>" in text_of(card)
    assert "https://example.org/naloxone" in text_of(card)  # normalised: host case, slash, utm_ dropped
    # pending entries never reach members
    assert "Nothing matched" in text_of((await search(h, h.bob, "naloxone")).response)
    assert "no resource" in (await h.slash(h.bob, "resource show", {"id": rid})).response.content
    await h.restart()  # the buttons work after a restart: state is in the database
    refused = await h.fake.click(h.alice, card, APPROVE.format(rid))
    assert refused.response.ephemeral and "Only moderators" in refused.response.content
    done = await h.fake.click(h.mod, card, APPROVE.format(rid))
    assert done.response.type == 7 and "Approved by" in text_of(done.response)
    assert not done.response.components  # the buttons are gone from the card
    dms = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    assert "approved" in dms[-1].content and f"#{rid}" in dms[-1].content
    found = await search(h, h.bob, "naloxone")
    assert found.response.ephemeral and f"#{rid}" in text_of(found.response)
    # a second click (a stale card elsewhere) is refused, nothing changes
    again = await h.fake.click(h.mod, card, APPROVE.format(rid)) if card.components else None
    assert again is None or "already" in again.response.content


async def test_reject_asks_for_a_reason_and_tells_the_submitter(harness):
    h = harness
    ch = await configure(h)
    rid = new_id(await submit(h, h.bob, "Buy our detox pills", "https://pills.example.com/buy"))
    card = h.fake.channel_messages(ch["queue"].id)[-1]
    refused = await h.fake.click(h.alice, card, REJECT.format(rid))
    assert "Only moderators" in refused.response.content
    opened = await h.fake.click(h.mod, card, REJECT.format(rid))
    assert opened.response.type == 9
    done = await h.fake.submit_modal(h.mod, opened, {"resource:reason": "An advert, not a peer resource."})
    assert "Rejected by" in text_of(done.response) and "An advert" in text_of(done.response)
    dms = await h.fake.wait_for(lambda: h.fake.dms(h.bob))
    assert "An advert, not a peer resource." in dms[-1].content
    assert "no resource" in (await h.slash(h.bob, "resource show", {"id": rid})).response.content
    # a rejected link may be suggested again later; the old card's buttons are gone
    assert not h.fake.messages[card.id].components


async def test_moderator_and_trusted_publish_directly_and_duplicates_point_at_the_entry(harness):
    h = harness
    await configure(h)
    trusted = h.guild.add_role("Trusted")
    h.guild.update_member(h.members[2], roles=[trusted.id])
    await h.slash(h.admin, "setup role", {"kind": "trusted", "role": trusted.id})
    rid = await publish(h, "SAMHSA National Helpline", "https://www.samhsa.gov/find-help/national-helpline")
    by_trusted = await submit(h, h.members[2], "988 Lifeline", "https://988lifeline.org/")
    assert "Published" in by_trusted.response.content
    before = await library_size(h)
    dup = await submit(
        h,
        h.alice,
        "Helpline again",
        "HTTPS://WWW.SAMHSA.GOV:443/find-help/national-helpline/?utm_campaign=a&fbclid=b#top",
    )
    assert dup.response.ephemeral
    assert f"#{rid}" in dup.response.content and "SAMHSA National Helpline" in dup.response.content
    assert await library_size(h) == before and await submissions(h, h.alice) == []


async def test_member_submission_without_a_mod_queue_is_refused_and_nothing_written(harness):
    h = harness
    await configure(h, queue=False)
    reply = await submit(h, h.alice, "A guide", "https://example.org/guide")
    assert reply.response.ephemeral and "mod-queue" in reply.response.content
    assert await submissions(h, h.alice) == []


@pytest.mark.parametrize(
    ("url", "tags", "says"),
    [
        ("javascript:alert(1)", "x", "only http and https"),
        ("file:///etc/passwd", "x", "only http and https"),
        ("not a url", "x", "not allowed in a link"),
        ("example.org/guide", "x", "not a web address"),
        ("https://", "x", "no host"),
        ("https://example.org/a", ", , ,", "at least one tag"),
        ("https://example.org/a", "a,b,c,d,e,f,g,h,i,j,k", "At most 10 tags"),
        ("https://example.org/a", "x" * 31, "longer than 30"),
        ("https://example.org/a", "harm reduction!", "letters, digits and hyphens"),
    ],
)
async def test_bad_input_is_an_ephemeral_message_and_writes_nothing(harness, url, tags, says):
    h = harness
    await configure(h)
    reply = await submit(h, h.mod, "A title", url, tags=tags)
    assert reply.response.ephemeral and says in reply.response.content
    assert await submissions(h, h.mod) == [] and await library_size(h) == 0


async def test_search_ranks_titles_first_pages_and_survives_fts_syntax(harness, monkeypatch):
    h = harness
    await configure(h)
    title_hit = await publish(h, "Burnout recovery worksheet", "https://example.org/burnout", "self-care")
    desc_hit = await publish(
        h,
        "Weekly planner",
        "https://example.org/planner",
        "self-care",
        description="Helps with burnout by planning rest.",
    )
    for i in range(7):
        await publish(h, f"Naloxone training part {i}", f"https://example.org/nx/{i}", "naloxone, training")
    found = await search(h, h.alice, "burn")  # prefix matching
    text = text_of(found.response)
    assert text.index(f"#{title_hit}") < text.index(f"#{desc_hit}")
    for query in [
        '"burnout',
        "burnout*",
        "-burnout",
        "title:burnout",
        "burnout NEAR planner",
        "AND",
        "(burnout",
        "^burnout",
        "burnout OR",
        "NOT",
        "'",
        "🦄",
        "a" * 200,
    ]:
        reply = await search(h, h.alice, query)
        assert reply.response.ephemeral, query
        assert "Something went wrong" not in (reply.response.content or ""), query
    assert f"#{title_hit}" in text_of((await search(h, h.alice, '"burnout" (recovery) -worksheet*')).response)
    only_symbols = await search(h, h.alice, "***")
    assert "Type a word" in only_symbols.response.content
    # paging: 7 naloxone entries, 5 per page
    first = await search(h, h.alice, "naloxone")
    assert len(re.findall(r"\*\*#\d+\*\*", text_of(first.response))) == 5
    page = first.original()
    nxt = next(c["custom_id"] for row in first.response.components for c in row["components"] if "Next" in c["label"])
    await h.restart()  # paging buttons carry their state in the custom id
    second = await h.fake.click(h.alice, page, nxt)
    assert len(re.findall(r"\*\*#\d+\*\*", text_of(second.response))) == 2
    buttons = {c["label"]: c for row in second.response.components for c in row["components"]}
    assert buttons["Next ▶"].get("disabled") and not buttons["◀ Previous"].get("disabled")
    back = await h.fake.click(h.alice, page, buttons["◀ Previous"]["custom_id"])
    assert text_of(back.response) == text_of(first.response)
    # a long query is cut at a word to fit the custom id; every page runs that same search
    long_query = "naloxone " + " ".join(["training"] * 20)
    long = await search(h, h.alice, long_query)
    assert "Naloxone training" in text_of(long.response)
    ids = [c["custom_id"] for row in long.response.components for c in row["components"]]
    assert ids and all(len(i) <= 100 for i in ids)
    more = await h.fake.click(h.alice, long.original(), ids[1])
    assert len(re.findall(r"\*\*#\d+\*\*", text_of(more.response))) == 2
    # a broad query (more matches than the ranking candidates) says so and suggests narrowing
    import bot.db.resources

    monkeypatch.setattr(bot.db.resources, "CANDIDATES", 6)
    broad = await search(h, h.alice, "naloxone")
    assert "Many entries match" in text_of(broad.response)
    assert "Many entries match" not in text_of((await search(h, h.alice, "burnout")).response)
    monkeypatch.undo()
    # tag filter and autocomplete on titles
    tagged = await search(h, h.alice, "part", tag="training")
    assert "Naloxone training" in text_of(tagged.response)
    assert "Nothing matched" in text_of((await search(h, h.alice, "burnout", tag="training")).response)
    choices = await h.fake.autocomplete(h.alice, "resource search", {"query": "burn"}, focused="query", guild=h.guild)
    assert [c["value"] for c in choices] == ["Burnout recovery worksheet"]
    ids = await h.fake.autocomplete(h.alice, "resource show", {"id": "weekly"}, focused="id", guild=h.guild)
    assert ids[0]["value"] == desc_hit and "Weekly planner" in ids[0]["name"]
    by_number = await h.fake.autocomplete(h.alice, "resource save", {"id": str(title_hit)}, focused="id", guild=h.guild)
    assert by_number[0]["value"] == title_hit


async def test_show_tags_and_unknown_ids(harness):
    h = harness
    await configure(h)
    rid = await publish(h, "Compassion fatigue guide", "https://example.org/cf", "self-care, burnout")
    await publish(h, "Stress check", "https://example.org/stress", "self-care")
    shown = await h.slash(h.alice, "resource show", {"id": rid})
    assert not shown.response.ephemeral and "Compassion fatigue guide" in text_of(shown.response)
    wiki = await publish(h, "Peer support [overview]", "https://en.wikipedia.org/wiki/Peer_support_(health)", "wiki")
    listed = text_of((await search(h, h.alice, "overview")).response)
    link = "(https://en.wikipedia.org/wiki/Peer_support_%28health%29)"
    assert f"**#{wiki}** [Peer support \\[overview\\]]{link}" in listed
    tags = await h.slash(h.alice, "resource tags")
    assert (
        tags.response.ephemeral
        and "`self-care` 2" in text_of(tags.response)
        and "`burnout` 1" in text_of(tags.response)
    )
    pending = new_id(await submit(h, h.alice, "Pending", "https://example.org/pending"))
    for bad in (999, rid + 100, pending):
        for command in ("resource show", "resource save"):
            reply = await h.slash(h.bob, command, {"id": bad})
            assert reply.response.ephemeral and "no resource" in reply.response.content, (command, bad)
        for command in ("resource edit", "resource remove"):
            reply = await h.slash(h.bob, command, {"id": bad})
            assert reply.response.ephemeral and "no resource" in reply.response.content, (command, bad)


async def test_edit_by_member_requeues_and_by_moderator_applies(harness):
    h = harness
    ch = await configure(h)
    rid = new_id(await submit(h, h.alice, "Peer support basics", "https://example.org/basics"))
    pending_edit = await h.slash(h.alice, "resource edit", {"id": rid})
    assert "waiting for review" in pending_edit.response.content
    card = h.fake.channel_messages(ch["queue"].id)[-1]
    await h.fake.click(h.mod, card, APPROVE.format(rid))
    other = await h.slash(h.bob, "resource edit", {"id": rid})
    assert other.response.ephemeral and "Only the member who added" in other.response.content
    opened = await h.slash(h.alice, "resource edit", {"id": rid})
    fields = {
        c["component"]["custom_id"] if "component" in c else c["components"][0]["custom_id"]: (
            c.get("component") or c["components"][0]
        ).get("value")
        for c in opened.response.data["components"]
    }
    assert fields["resource:title"] == "Peer support basics" and fields["resource:tags"] == "harm-reduction"
    edited = await h.fake.submit_modal(
        h.alice, opened, {"resource:title": "Peer support: the basics", "resource:url": "https://example.org/basics2"}
    )
    assert "hidden from search" in edited.response.content
    assert "Nothing matched" in text_of((await search(h, h.bob, "basics")).response)
    card = h.fake.channel_messages(ch["queue"].id)[-1]
    assert "Edited" in text_of(card)
    assert "Before the edit Peer support basics\nhttps://example.org/basics" in text_of(card)
    await h.fake.click(h.mod, card, APPROVE.format(rid))
    assert "Peer support: the basics" in text_of((await search(h, h.bob, "basics")).response)
    # a moderator's edit applies at once; bad input in an edit changes nothing
    opened = await h.slash(h.mod, "resource edit", {"id": rid})
    bad = await h.fake.submit_modal(h.mod, opened, {"resource:url": "javascript:void(0)"})
    assert "only http and https" in bad.response.content
    opened = await h.slash(h.mod, "resource edit", {"id": rid})
    ok = await h.fake.submit_modal(h.mod, opened, {"resource:tags": "peer-support, basics"})
    assert "Saved your changes" in ok.response.content
    assert "basics" in text_of((await search(h, h.bob, "peer", tag="peer-support")).response)


async def test_remove_needs_owner_or_moderator_and_a_confirm(harness):
    h = harness
    await configure(h)
    rid = await publish(h, "Old flyer", "https://example.org/flyer")
    await h.slash(h.bob, "resource save", {"id": rid})
    refused = await h.slash(h.alice, "resource remove", {"id": rid})
    assert "Only the member who added" in refused.response.content
    ask = await h.slash(h.mod, "resource remove", {"id": rid})
    assert ask.response.ephemeral and "Remove **#" in ask.response.content
    assert "Old flyer" in text_of((await search(h, h.bob, "flyer")).response)
    yes, cancel = ask.response.components[0]["components"]
    assert yes["label"] == f"Yes, remove #{rid}" and cancel["label"] == "Cancel"
    changed_mind = await h.slash(h.mod, "resource remove", {"id": rid})
    cancelled = await h.fake.click(h.mod, changed_mind.original(), cancel["custom_id"])
    assert "nothing was changed" in cancelled.response.content
    assert "Old flyer" in text_of((await search(h, h.bob, "flyer")).response)
    button = yes["custom_id"]
    await h.restart()
    done = await h.fake.click(h.mod, ask.original(), button)
    assert "Removed" in done.response.content
    assert "Nothing matched" in text_of((await search(h, h.bob, "flyer")).response)
    assert "No bookmarks" in text_of((await h.slash(h.bob, "resource saved")).response)


async def test_owner_can_withdraw_a_pending_submission(harness):
    h = harness
    ch = await configure(h)
    rid = new_id(await submit(h, h.alice, "Draft idea", "https://example.org/draft"))
    ask = await h.slash(h.alice, "resource remove", {"id": rid})
    await h.fake.click(h.alice, ask.original(), ask.response.components[0]["components"][0]["custom_id"])
    card = h.fake.channel_messages(ch["queue"].id)[-1]
    await h.fake.wait_for(lambda: "withdrawn" in card.content)
    assert not card.components
    assert await submissions(h, h.alice) == []


async def test_bookmarks_are_private(harness):
    h = harness
    await configure(h)
    rid = await publish(h, "Boundaries worksheet", "https://example.org/boundaries")
    pending = new_id(await submit(h, h.bob, "Pending thing", "https://example.org/pending"))
    saved = await h.slash(h.alice, "resource save", {"id": rid})
    assert saved.response.ephemeral and "Saved" in saved.response.content
    again = await h.slash(h.alice, "resource save", {"id": rid})
    assert "Already" in again.response.content
    assert "no resource" in (await h.slash(h.alice, "resource save", {"id": pending})).response.content
    mine = await h.slash(h.alice, "resource saved")
    assert mine.response.ephemeral and "Boundaries worksheet" in text_of(mine.response)
    assert "No bookmarks" in text_of((await h.slash(h.bob, "resource saved")).response)
    gone = await h.slash(h.alice, "resource unsave", {"id": rid})
    assert gone.response.ephemeral and "Removed" in gone.response.content
    missing = await h.slash(h.alice, "resource unsave", {"id": rid})
    assert "not among your bookmarks" in missing.response.content
