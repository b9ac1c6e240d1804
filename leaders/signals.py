"""What features announce, so that others can listen without editing them (blinker, as Flask uses).

Every signal here is sent only after the change it announces has been committed (through
leaders.uow.after_commit), so a listener never sees a change that was rolled back. Listeners run
outside that transaction: one that writes opens its own unit of work (``with uow.transaction():``).
Connect with ``@signals.lesson_completed.connect`` (a weak reference: keep the function alive).

lesson_completed
    sender: the Flask app. Keyword arguments:
    ``user_id`` (int) — who completed it; ``lesson_key`` (str) — the lesson's canonical key;
    ``course_key`` (str); ``cohort_id`` (int | None) — the learner's current cohort on the course,
    or None if they are in none. Sent once per lesson per person: completing a lesson again (a new
    version, a double submit) sends nothing.

course_completed
    sender: the Flask app. Keyword arguments:
    ``user_id`` (int); ``course_key`` (str). Sent once, when the completion that makes every lesson
    of the course complete is committed.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

lesson_completed = _signals.signal("lesson-completed")
course_completed = _signals.signal("course-completed")
