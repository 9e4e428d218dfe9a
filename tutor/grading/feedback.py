"""The feedback a graded student reads: the same facts `tutor check` shows, as plain text.

Gradescope, GitHub Classroom and JUnit show plain text, so this is the one plain-text rendering of
a CheckResult. It is cut to a size those platforms display well, with a note saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.checking.result import CheckResult

FEEDBACK_CHARS = 4000
"""Longest feedback kept per exercise; the rest is replaced by TRUNCATED_NOTE."""

TRUNCATED_NOTE = "\n… [feedback cut at {limit} characters: run `tutor check {exercise}` to see all of it]"
OUTPUT_CHARS = 800
"""Longest excerpt of what the student's code printed."""


def check_feedback(result: CheckResult) -> str:
    """Everything `tutor check` would show for this result, as plain text, untruncated."""
    if result.passed:
        return result.message
    lines = [result.message]
    if result.detail.get("line") and result.detail.get("text"):
        lines.append(f"  line {result.detail['line']}: {result.detail['text']}")
    failure = result.first_failure()
    if failure is not None:
        if failure.diagnosis:
            lines += ["", f"Likely misconception: {failure.diagnosis}"]
        example = failure.counterexample
        if example is not None:
            lines += ["", f"Smallest failing input (property: {failure.name}):", f"  {example.call}"]
            for name, shown in example.arguments.items():
                lines.append(f"  {name} = " + shown.replace("\n", "\n    "))
            if example.expected is not None:
                lines.append("expected:\n  " + example.expected.replace("\n", "\n  "))
            if example.got is not None:
                lines.append("got:\n  " + example.got.replace("\n", "\n  "))
            if example.worst_index is not None and example.worst_error is not None:
                lines.append(
                    f"worst at index {example.worst_index}: expected {example.expected_at_worst:.6g}, "
                    f"got {example.got_at_worst:.6g} (error {example.worst_error:.3g}); tolerance {example.tolerance}"
                )
            lines += ["", "Reproduce it in Python:", example.reproduce]
    if len(result.properties) > 1:
        lines += ["", "Properties:"]
        lines += [
            f"  {'✓' if p.passed else '✗'} {p.name}: {p.status} ({p.examples} inputs)"
            for p in result.properties
        ]
    if result.output:
        cut = " (truncated)" if result.output_truncated or len(result.output) > OUTPUT_CHARS else ""
        lines += ["", f"Your code printed{cut}:", result.output[-OUTPUT_CHARS:]]
    return "\n".join(lines)


def truncate(text: str, exercise: str, limit: int = FEEDBACK_CHARS) -> tuple[str, bool]:
    """Cut `text` to at most `limit` characters (note included). Returns the text and whether it was cut."""
    if len(text) <= limit:
        return text, False
    note = TRUNCATED_NOTE.format(limit=limit, exercise=exercise)
    return text[: max(0, limit - len(note))].rstrip() + note, True
