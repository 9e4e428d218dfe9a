from __future__ import annotations

import numpy as np

from tests.fake_course.checks._common import unary
from tutor.checking.spec import ExerciseCheck

CHECK = ExerciseCheck(
    properties=(unary("clip01", lambda x: np.clip(x, 0.0, 1.0), "matches np.clip(x, 0, 1)"),)
)
