from __future__ import annotations

from tests.fake_course.checks._common import unary
from tutor.checking.spec import ExerciseCheck

CHECK = ExerciseCheck(properties=(unary("total", lambda x: x.sum(axis=0), "matches x.sum(axis=0)"),))
