"""Backup and restore of the whole database: `flask --app wsgi backup PATH` and `flask --app wsgi restore PATH`.

SQLite: SQLite's online backup API, a consistent copy even while the site is serving. PostgreSQL: `pg_dump -Fc`
and `pg_restore --clean --if-exists --no-owner` (in one transaction), with the connection taken from DATABASE_URL.
Pictures of the local store go to a directory beside the backup, PATH.uploads/ (app/services/media/copies.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from app.extensions import db
from app.services.media.copies import back_up_uploads, restore_uploads, uploads_copy

PG_CLIENT_MISSING = (
    "{tool} was not found. Install the PostgreSQL client tools of your server's version "
    "(Debian/Ubuntu: apt-get install postgresql-client) and try again."
)


def _url() -> URL:
    return db.engine.url


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or "mode=memory" in str(url):
        raise click.ClickException("This database lives in memory only: there is nothing to back up or restore.")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API (safe while others read and write)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _pg_command(tool: str, url: URL) -> tuple[list[str], dict[str, str]]:
    """The tool with DATABASE_URL's connection parameters; the password goes in the environment, not argv."""
    executable = shutil.which(tool)
    if executable is None:
        raise click.ClickException(PG_CLIENT_MISSING.format(tool=tool))
    args = [executable, "--no-password"]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            args += [flag, str(value)]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise click.ClickException(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def backup_database(path: Path) -> None:
    """Write a consistent copy of the current database to `path`."""
    url = _url()
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_file(url), path)
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_command("pg_dump", url)
        _run([*args, "--format=custom", "--file", str(path), "--dbname", str(url.database)], env)
    else:
        raise click.ClickException(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore_database(path: Path) -> None:
    """Replace everything in the current database with the backup at `path`."""
    url = _url()
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database open
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(path)
        _copy_sqlite(path, _sqlite_file(url))
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_command("pg_restore", url)
        flags = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
        _run([*args, *flags, "--dbname", str(url.database), str(path)], env)
    else:
        raise click.ClickException(f"Restoring {url.get_backend_name()} databases is not supported.")
    db.engine.dispose()


def _check_sqlite_backup(path: Path) -> None:
    """Refuse a file that is not an intact Kindred SQLite database before anything is overwritten."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as backup:
            intact = backup.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            has_members = backup.execute("SELECT 1 FROM sqlite_master WHERE name = 'members'").fetchone()
        backup.close()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not a readable SQLite database: {error}") from error
    if not intact or not has_members:
        raise click.ClickException(f"{path} is not an intact Kindred backup; nothing was changed.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Back up the whole database to PATH (SQLite: a database file; PostgreSQL: a pg_dump custom-format file), and
    the local picture store to the directory PATH.uploads/."""
    backup_database(path)
    click.echo(f"Backed up {_url().render_as_string(hide_password=True)} to {path}.")
    pictures = back_up_uploads(path)
    if pictures is None:
        click.echo("Pictures stay in the S3 bucket: back them up with its versioning or replication (docs/deploy.md).")
    else:
        click.echo(f"Copied the uploads directory ({pictures} pictures) to {uploads_copy(path)}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace EVERYTHING in the database with the backup at PATH (asks first unless --yes), and put the pictures of
    PATH.uploads/ back into the picture store."""
    target = _url().render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Replace everything in {target} with the backup {path}?", abort=True)
    restore_database(path)
    click.echo(f"Restored {target} from {path}.")
    pictures = restore_uploads(path)
    if pictures is None:
        click.echo(f"No {uploads_copy(path)} beside the backup: the stored pictures were left as they are.")
    else:
        click.echo(f"Put {pictures} pictures from {uploads_copy(path)} into the picture store.")
