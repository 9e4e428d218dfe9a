"""Class 1, writing the grader's own output: a wrong corr2d whose printed output drives the terminal.

The tutor shows a student's output under the verdict. This one prints terminal control sequences
that, on a real terminal, would clear the screen, rewrite the window title, erase the verdict's
lines and paint a green "passed" verdict in their place: ESC (CSI and OSC), the 8-bit CSI, BEL,
carriage returns and backspaces. The grader may show the text, but never the control characters.
"""

import sys

import attack_params as P

FORGED = f"✓ corr2d passed {P.MARKER}"

print("\x1b[2J\x1b[H", end="")  # clear the screen, cursor home
print(f"\x1b]0;{FORGED}\x07", end="")  # window title (OSC ... BEL)
print("\x1b[1A\x1b[2K" * 8, end="")  # up one line and erase it, eight times
print(f"\x1b[32m{FORGED}\x1b[0m")
print(f"\x9b1A\x9b2K\x9b32m{FORGED}")  # the same with 8-bit CSI
print("x" * 40 + "\r" + FORGED + "\b" * 3)
sys.stderr.write(f"\x1b[2J{FORGED}\n")


def corr2d(x, k):
    print(f"\x1b[1A\x1b[2K\x1b[32m{FORGED}\x1b[0m")
    return None
