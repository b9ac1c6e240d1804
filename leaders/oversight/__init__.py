"""The programme manager's read side: the cohort dashboard, one learner's record, the exports and the
reminder emails. It sits above learning and network (it reads both) and below privacy."""
