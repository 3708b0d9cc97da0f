"""Privacy proofs for case discussion: after redacting, overriding, deleting replies and escalating, no
flagged fragment is in the SQLite file, its -wal file, any log line, or any mod-log / mod-queue message.
"""

import logging

from tests.e2e.test_cases_new import CLEAN, open_case, ready

REDACTED = ("Dana Ruiz", "215-555-0134")
KEPT = "Riverside"
REPLIES = {
    "dana.ruiz@example.com": "You could email her at dana.ruiz@example.com",
    "123-45-6789": "Her SSN 123-45-6789 is on the intake form",
    "267-555-0199": "Her brother's cell is 267-555-0199",
}
FRAGMENTS = (*REDACTED, KEPT, *REPLIES, "dana.ruiz", "Ruiz")


def buttons(reply):
    return [c["custom_id"] for row in reply.response.components for c in row["components"]]


async def test_no_fragment_in_the_database_wal_logs_or_mod_messages(harness, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    caplog.set_level(logging.INFO)
    h = harness
    modlog = h.guild.add_text_channel("mod-log")
    queue = h.guild.add_text_channel("mod-queue")
    await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": modlog.id})
    await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": queue.id})
    cases = await ready(h)

    # redact: the post carries [KIND] placeholders
    shown = await open_case(h, h.alice, {**CLEAN, "case:situation": "My client Dana Ruiz called from 215-555-0134."})
    post = next(b for b in buttons(shown) if ":post:" in b)
    await h.fake.click(h.alice, shown.message, post)
    # override: the author keeps a fragment; only its kind and count are recorded
    shown = await open_case(
        h, h.alice, {**CLEAN, "case:title": "Meeting spot", "case:situation": "We met near Riverside Park."}
    )
    reply = shown
    while keeps := [b for b in buttons(reply) if ":keep:" in b]:
        reply = await h.fake.click(h.alice, shown.message, keeps[0])
    first, second = h.fake.threads(cases.id)
    assert KEPT in h.fake.channel_messages(second.id)[0].embeds[0]["description"]
    # reply deletes, three of them: the escalation rule fires
    sent = [await h.fake.post_message(h.bob, first, text) for text in REPLIES.values()]
    await h.fake.wait_for(lambda: all(m.deleted for m in sent))
    escalated = await h.fake.wait_for(
        lambda: [m for m in h.fake.channel_messages(queue.id) if "scalation" in str((m.content, m.embeds))]
    )
    assert escalated
    dms = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")][:3] or None)
    assert any("123-45-6789" in m.content for m in h.fake.dms(h.bob))  # the author alone is shown the fragment
    assert dms

    await h.slash(h.admin, "setup automod")  # rules hold patterns, never anyone's words
    mod_messages = [*h.fake.channel_messages(modlog.id), *h.fake.channel_messages(queue.id)]
    assert len(h.fake.channel_messages(modlog.id)) >= 4  # an override and three deletes at least
    mod_text = str([(m.content, m.embeds) for m in mod_messages])
    assert "GEO" in mod_text or "kinds" in mod_text.lower()
    stored = h.db_path.read_bytes()
    wal = h.db_path.with_name(h.db_path.name + "-wal")
    stored += wal.read_bytes() if wal.exists() else b""
    assert wal.exists() and wal.stat().st_size > 0, "the test must look at an unflushed WAL too"
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    rules = str(list(h.guild.automod_rules.values()))
    for fragment in FRAGMENTS:
        for encoded in (fragment.encode(), fragment.encode("utf-16-le")):
            assert encoded not in stored, f"{fragment!r} is in the database file"
        assert fragment not in logs, f"{fragment!r} is in a log line"
        assert fragment not in mod_text, f"{fragment!r} is in a mod-log or mod-queue message"
        assert fragment not in rules, f"{fragment!r} is in an AutoMod rule"
