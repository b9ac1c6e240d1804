"""The programme's impact report, for boards and funders: per cohort and per course, HTML and PDF."""
