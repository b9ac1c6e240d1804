"""The programme manager's read side: the cohort dashboard, one learner's record, the exports, the
reminder emails and the Emails pages. It sits above learning and network (it reads both) and
below privacy."""
