"""Network: the ties between learners from different public bodies.

The computational core is pure functions over plain `Person` and `Tie` records, with no Flask and
no database: `graph` builds the networkx graph, `metrics` measures it (density, bridging ties,
brokers, isolates, change between survey waves), `allocation` splits a cohort into action learning
sets with the widest mix, and `layout` places people in a box so a page can draw the network as
SVG. The feature's models, services and views build on those.

networkx is imported inside the functions that use it, and igraph only by `metrics`: a gunicorn
worker that serves lessons and dashboards never loads the graph libraries (about 20 MB of its
memory; bench/load.py prints each worker's RSS). tests/test_memory.py keeps it so.
"""
