"""Conversation starters for a new pairing thread: warm, light, about the work and the people doing it.

None of them asks about anyone's clients or cases, and none presses for personal recovery history —
a peer shares their own story when they choose to.
"""

from __future__ import annotations

ICEBREAKERS: tuple[str, ...] = (
    "What drew you to peer work, and what keeps you in it?",
    "What's one small thing that made a work day better recently?",
    "What does a good day off look like for you?",
    "Which training or workshop changed how you do this work?",
    "What's a self-care habit you actually stick to (or one you'd like to)?",
    "What's something you're learning right now, in work or outside it?",
    "Who was a mentor or role model for you early on, and what did they teach you?",
    "What's a book, podcast or show that's been good company lately?",
    "What boundary took you the longest to learn?",
    "What part of your role do people outside the field least understand?",
    "If you could add one resource to your community tomorrow, what would it be?",
    "What's your go-to way to decompress after a heavy day?",
    "What's a win — big or small — from the last month you'd like to celebrate?",
    "What's a skill from a past job or hobby that turns out to help in peer work?",
    "Where do you find community outside of work?",
    "What's something you wish you'd known in your first year of this work?",
    "What music gets you through the commute or the paperwork?",
    "What does supervision or peer support look like where you work, and what would you change?",
    "What's a question you love being asked?",
    "What's one thing you're looking forward to this season?",
    "How do you keep your CE hours from piling up at the last minute — any tips to trade?",
    "What's a place (real or imagined) where you feel most at ease?",
    "What phrase or idea do you come back to when things get hard?",
    "What's a recent moment at work that reminded you why it matters?",
    "What's something outside work you're quietly proud of?",
    "If you had a free Saturday with no obligations, how would you spend it?",
)


def pick(seed: int) -> str:
    """One icebreaker, chosen deterministically from a seed (so a retried round posts the same one)."""
    return ICEBREAKERS[seed % len(ICEBREAKERS)]
