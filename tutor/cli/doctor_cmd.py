from __future__ import annotations

import sys

import click

from tutor.cli.app import Application, pass_app


@click.command("doctor")
@pass_app
def command(app: Application) -> None:
    """Check Python, numpy, torch, the workspace and write permission; say how to fix each problem."""
    from tutor import render
    from tutor.doctor import Level, diagnose, environment_note

    with app.console.status("Checking Python, the libraries and this workspace…", spinner="dots"):
        findings = diagnose(app.course)
    app.print(render.doctor_report(findings, environment_note()))
    sys.exit(1 if any(f.level is Level.PROBLEM for f in findings) else 0)
