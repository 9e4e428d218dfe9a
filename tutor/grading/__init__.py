"""Autograding: `tutor grade` for one workspace, `tutor grade-class` for many.

- report.py:   GradeReport, ExerciseGrade, PropertyGrade (the data every format renders);
- runner.py:   grade_workspace(workspace, course, options) -> GradeReport;
- feedback.py: the plain-text feedback of a check, truncated with a note;
- formats.py:  json, gradescope, classroom, junit and markdown renderings;
- verify.py:   does a report match the files (and, re-graded, the points)?
- classgrade.py: grade many workspaces in parallel subprocesses, a CSV gradebook and a summary;
- config.py:   grading.toml: the instructor's assignments and points (--config, --assignment);
- fairness.py: a dependent exercise graded with the reference of a dependency that fails alone;
- classpage.py: grade-class --html, the class summary as one self-contained page;
- templates.py: the GitHub Classroom workflow and the Gradescope bundle.

Nothing here prints or exits; the commands in tutor/cli/ render and decide exit codes.
"""
