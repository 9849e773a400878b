"""What the command line writes on stderr while and after it reads sheets: the problems
found and a progress bar. Light on purpose (no result class, no table writer): ``validate``
needs only this.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from minimetrics.problems import Problem


def write_problems(problems: list[Problem] | tuple[Problem, ...], err: TextIO) -> None:
    """Problems as ``path:line:col: severity: message — hint`` lines."""
    for problem in problems:
        err.write(str(problem) + "\n")


PROGRESS_FROM = 50  # files: fewer load in well under a second, and a bar would only flicker


class LoadProgress:
    """A progress bar on ``err`` while many sheets load, as a ``load_data(progress=...)`` callback.

    Shown only past ``PROGRESS_FROM`` files, only when ``err`` is a terminal and not under CI,
    and gone when the loading is done (the bar is transient): pipes and logs never see it.
    """

    def __init__(self, err: TextIO, label: str = "Reading fact sheets", shown: bool = True) -> None:
        self.err, self.label = err, label
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        # Not under --quiet (shown=False), not in CI, not into a pipe or a log file.
        self.wanted = shown and err.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.wanted or total <= PROGRESS_FROM:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.err, stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
