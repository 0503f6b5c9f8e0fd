"""The speed harness: is the explorer still instant from 5 sources to thousands?

Each metric is measured on the bundled dossier and a large synthetic one (synth.py), as the
median and p95 over repeated runs, beside an anchor measured in the same run, and checked
against its target. Why anchors: absolute milliseconds depend on the machine and on what
else it runs; a ratio to something every Textual app or tool must pay (a bare "hello" app,
ripgrep, a plain Python scan, PyYAML's C parser) says whether our own code is the cost.

The parts, in the order a run uses them:

- `main`      the run: prepares the dossiers, calls each phase, prints and writes the table
- `core`      the plan (repeats, time budget), the dossiers, the children's environment
- `worker`    the measuring child: one fresh interpreter per load, search and memory
- `loads`     cold and warm loads, search, peak memory (parent side of the worker)
- `screen`    startup and key presses in a pseudo-terminal, beside a bare Textual app
- `terminal`  the pseudo-terminal driver (the tests that type into the app use it too)
- `switches`  turn a hand-written fast path off, so a row can say what it is worth
- `launch`    start the explorer with some fast paths switched off
- `report`    rows, medians and p95s, targets, the printed table
- `keys`      only the key rows, for working on them (`python -m benchmarks.harness.keys`)
- `startup`   only the startup rows, the app and the hello app started in turns
"""
