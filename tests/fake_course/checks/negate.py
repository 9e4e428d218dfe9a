from __future__ import annotations

import numpy as np  # noqa: F401

from tests.fake_course.checks._common import unary
from tutor.checking.spec import ExerciseCheck

CHECK = ExerciseCheck(properties=(unary("negate", lambda x: -x, "negates every element"),))
