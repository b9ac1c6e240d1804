"""The learner's journey: course and lesson pages, progress, knowledge checks and the journal."""
