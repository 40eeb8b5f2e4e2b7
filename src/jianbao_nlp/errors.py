"""The project's own exceptions: every problem with user input surfaces as an ``InputError``."""

from __future__ import annotations


def one_line(text: object) -> str:
    """``text`` with every run of white space, line breaks included, as one space: messages the CLI,
    the batch error records and the web API print must stay on one line."""
    return " ".join(str(text).split())


class JianbaoError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(JianbaoError):
    """A file (or text) could not be read or parsed; the message names the file and the problem.

    The CLI prints ``str(err)`` as one line and exits non-zero, so messages must stay on one line.
    """

    def __init__(self, problem: str, path: object | None = None):
        self.problem = one_line(problem)
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {self.problem}" if self.path else self.problem)


class ModelError(JianbaoError):
    """A model directory is missing, incomplete or of the wrong kind."""
