"""Operator commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app.database.backup import backup_command, restore_command
from app.extensions import db
from app.models import Member, Role
from app.ops.receive_mail import receive_mail_command
from app.ops.recook import recook_command
from app.services import ServiceError
from app.services.members.accounts import create_member


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_member_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(check_counters_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(recook_command)
    app.cli.add_command(receive_mail_command)
    app.cli.add_command(uploads_sweep_command)
    bench_seed = _bench_seed_command()
    if bench_seed is not None:
        app.cli.add_command(bench_seed)


def _bench_seed_command() -> click.Command | None:
    """`flask bench-seed` comes with the benchmarks in bench/: a checkout has them, the installed package does not."""
    try:
        from bench.seed import bench_seed_command
    except ImportError:
        return None
    return bench_seed_command


@click.command("create-member")
@click.option("--email", required=True)
@click.option("--display-name", required=True)
@click.option("--password", required=True, help="At least 10 characters, not a common password.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value, show_default=True)
def create_member_command(email: str, display_name: str, password: str, role: str) -> None:
    """Create a member and print its id."""
    try:
        member = create_member(
            email=email,
            display_name=display_name,
            password=password,
            role=Role(role),
            accepted_guidelines=True,
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(member.id)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (successfully) when the database already has members.")
def seed_demo_command(if_empty: bool) -> None:
    """Fill an empty database with demo groups, members of each role, topics and replies."""
    from app.ops.demo import DEMO_PASSWORD, seed_demo

    if db.session.scalar(select(func.count()).select_from(Member)):
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        raise click.ClickException("The database is not empty; seed-demo only fills an empty database.")
    logins = seed_demo()
    click.echo(f"Demo data loaded. Sign in with any of these (password for all: {DEMO_PASSWORD}):")
    for email, role in logins:
        click.echo(f"  {role:<10} {email}")
    if current_app.config.get("REQUIRE_2FA_ROLES"):
        roles = ", ".join(current_app.config["REQUIRE_2FA_ROLES"])
        click.echo(f"Signing in as {roles} first asks to set up an authenticator app (KINDRED_REQUIRE_2FA_ROLES).")


@click.command("check-counters")
def check_counters_command() -> None:
    """Compare the stored counters with the real counts (after a restore, a crash or a load test)."""
    from app.services.common.integrity import counter_mismatches

    mismatches = counter_mismatches()
    for line in mismatches:
        click.echo(line)
    if mismatches:
        raise click.ClickException("Some counters differ from the real counts.")
    click.echo("All counters equal the real counts.")


@click.command("uploads-sweep")
@click.option(
    "--grace-hours",
    type=click.IntRange(min=0),
    default=24,
    show_default=True,
    help="Keep files younger than this: a post being written may not have saved its rows yet.",
)
def uploads_sweep_command(grace_hours: int) -> None:
    """Delete stored picture files that no picture refers to any more, and list what went."""
    from datetime import timedelta

    from app.services.pictures.files import sweep

    removed = sweep(timedelta(hours=grace_hours))
    for stored in removed:
        click.echo(f"removed {stored.key} ({stored.size} bytes, last changed {stored.modified_at:%Y-%m-%d %H:%M} UTC)")
    click.echo(f"{len(removed)} unreferenced file(s) removed.")
