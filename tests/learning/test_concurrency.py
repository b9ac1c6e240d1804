"""Progress is written by upserts: double submits and simultaneous requests leave one row and no error."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from leaders.catalogue.store import get_catalogue
from leaders.extensions import db
from leaders.learning import services
from leaders.learning.models import JournalEntry, LessonProgress, Visibility
from tests.factories import make_user

KEY = "sample-course/going-further/mapping-your-place"


def _in_threads(app, work, times=12):
    def run(i):
        with app.app_context():
            try:
                work(i)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(run, range(times)))  # re-raises any exception from a thread


def test_simultaneous_views_and_completions_leave_one_row(app):
    user = make_user()
    lesson = get_catalogue().lesson(KEY)

    def work(i):
        if i % 2:
            services.record_view(user.id, lesson)
            db.session.commit()
        else:
            services.complete_lesson(user.id, lesson)

    _in_threads(app, work)
    rows = (
        db.session.execute(select(LessonProgress).where(LessonProgress.user_id == user.id))
        .scalars()
        .all()
    )
    assert len(rows) == 1
    assert rows[0].completed_at is not None
    assert rows[0].version_completed == lesson.version


def test_simultaneous_journal_saves_leave_one_entry(app):
    user = make_user()
    prompt_key = f"{KEY}#who-is-missing"

    def work(i):
        services.save_reflection(user.id, prompt_key, f"draft {i}", Visibility.PRIVATE)

    _in_threads(app, work)
    count = db.session.scalar(select(func.count()).select_from(JournalEntry))
    assert count == 1
