"""Notebooks: cells → the module a check runs (extract.py), notebook files (files.py), the
`%tutor` magics (magics.py, loaded by `%load_ext tutor`) and `tutor init --notebooks` (generate.py).

Nothing is imported here: the grader imports files.py without IPython, and the magics are
imported only by the extension."""
