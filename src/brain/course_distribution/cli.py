"""`brain distributions …`: operating the public catalog."""

from __future__ import annotations

import typer

from brain.course_distribution import catalog
from brain.course_distribution.dependencies import DistributionDeps
from brain.kernel.cli import Runner


def build(run: Runner[DistributionDeps]) -> typer.Typer:
    app = typer.Typer(help="Course distributions: the public catalog.", no_args_is_help=True)

    @app.command("rebuild-catalog")
    def rebuild_catalog() -> None:
        """Recompute the public catalog's read model from the distributions (after a restore,
        say)."""

        async def work(deps: DistributionDeps) -> int:
            async with deps.units_of_work() as uow:
                return await catalog.rebuild(uow.session)

        typer.echo(f"catalog rebuilt: {run(work)} public distribution(s)")

    return app
