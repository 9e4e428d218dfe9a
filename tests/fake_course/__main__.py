"""`python -m tests.fake_course ARGS` runs the tutor CLI against the fake course.

grade-class grades every workspace in a subprocess; its tests point it at this entry point.
"""

from tests.fake_course import install

install()

from tutor.cli import main  # noqa: E402

main()
