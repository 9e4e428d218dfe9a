from __future__ import annotations

import os
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.watch import POLL_SECONDS, Step, WatchSession


@contextmanager
def keys_without_enter(fd: int) -> Iterator[None]:
    """Read single key presses (no Enter, no echo) while inside; the terminal is restored on the way out."""
    if not os.isatty(fd):
        yield
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@click.command("watch")
@click.argument("exercise_id", type=EXERCISE_ID, required=False)
@click.option("--timeout", type=float, default=None, help="Seconds allowed per call of your function.")
@pass_app
def command(app: Application, exercise_id: str | None, timeout: float | None) -> None:
    """Re-check the current exercise every time you save it. Keys: n next, h hint, l list, r re-run, q quit."""
    from tutor.checking.sandbox import SpareWorker
    from tutor.core import check_exercise, limits_for, prepare_check

    workspace = app.workspace()
    assert workspace is not None
    limits = limits_for(workspace, call_seconds=timeout)
    start = app.exercise(exercise_id) if exercise_id else None
    # The next check's worker starts while the student edits: a save then only sends the file.
    spare = SpareWorker()
    session = WatchSession(
        workspace,
        app.course,
        lambda exercise: check_exercise(workspace, exercise, limits=limits, spare=spare),
        start,
        prepare=lambda exercise: prepare_check(workspace, exercise, spare, limits=limits),
    )
    with spare:
        _watch(app, session)


def _watch(app: Application, session: WatchSession) -> None:
    from tutor import render

    console = app.console

    def draw() -> None:
        console.clear()
        console.print(render.watch_screen(session.view()))

    def check() -> None:
        if session.exercise is not None:
            console.clear()
            console.print(
                f"[bold]tutor watch[/bold]  ·  checking [cyan]{session.exercise.id}[/cyan] against PyTorch…"
            )
        session.check()
        draw()
        session.prepare_next()

    def update() -> None:
        """After a save: check a code exercise again, or re-read a numeric question's answers."""
        if session.needs_check():
            check()
        else:
            session.check()
            draw()
            session.prepare_next()

    fd = sys.stdin.fileno()
    reading = True
    with keys_without_enter(fd):
        try:
            update()
            while True:
                ready = select.select([fd], [], [], POLL_SECONDS)[0] if reading else []
                if not reading:
                    select.select([], [], [], POLL_SECONDS)
                if ready:
                    data = os.read(fd, 64).decode("utf-8", errors="ignore")
                    if not data:
                        reading = False  # stdin closed (not a terminal): keep watching, Ctrl-C quits
                        continue
                    for key in data:
                        step = session.press(key)
                        if step is Step.QUIT:
                            console.print(
                                "Bye! Your progress is saved; run [cyan]tutor[/cyan] to see where you are."
                            )
                            return
                        if step is Step.CHECK:
                            check()
                        elif step is Step.REDRAW:
                            draw()
                elif session.file_changed():
                    update()
        except KeyboardInterrupt:
            console.print("\nStopped watching. Your progress is saved.")
