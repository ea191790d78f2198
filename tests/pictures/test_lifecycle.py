"""A member's pictures leave with them: in the export ZIP, out of storage when their account or posts go, and
swept from storage when no row names a file any more."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

from flask import Flask

from app.services.media.storage import get_storage
from tests.factories import PASSWORD, make_group, make_member, make_topic
from tests.pictures.images import jpeg, kept, picture_rows, png, stored, upload_form
from tests.support import browser, newest_post


def member_with_picture(app: Flask, *pictures: tuple[bytes, str, str]):  # noqa: ANN201
    """A member who replied with the given pictures, signed in in the returned browser."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    upload_form(client, f"/t/{topic.id}/reply", {"body": "Here it is."}, *pictures)
    return member, client


def test_export_zip_holds_own_pictures_and_says_where_each_belongs(app: Flask, uploads: Path) -> None:
    """The export lists each picture with its post and description, and carries the file itself."""
    member, client = member_with_picture(app, (jpeg(), "arm.jpg", "My arm"))
    post = newest_post()
    response = client.post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        data = json.loads(archive.read("kindred-export.json"))
        [row] = data["pictures"]
        assert row["belongs_to"] == {"kind": "post", "id": post.id}
        assert row["description"] == "My arm"
        assert archive.read(row["file"])[:3] == b"\xff\xd8\xff"


def test_export_leaves_out_other_members_pictures(app: Flask, uploads: Path) -> None:
    """Someone else's pictures are theirs: not in this member's export."""
    member_with_picture(app, (png(), "theirs.png", "Theirs"))
    client = browser(app, make_member())
    with zipfile.ZipFile(io.BytesIO(client.post_form("/account/export").get_data())) as archive:
        assert json.loads(archive.read("kindred-export.json"))["pictures"] == []
        assert not [name for name in archive.namelist() if name.startswith("pictures/")]


def test_deleting_the_account_removes_pictures_and_files(app: Flask, store: str) -> None:
    """Deleting an account (posts kept or removed) leaves none of its pictures in the table or in storage."""
    _, client = member_with_picture(app, (png(), "a.png", "One"), (jpeg(), "b.jpg", "Two"))
    assert len(kept()) == 4
    response = client.post_form("/account/delete", {"password": PASSWORD, "remove_posts": "y"})
    assert response.status_code == 302
    assert (picture_rows(), kept()) == (0, [])


def test_sweep_removes_old_unreferenced_files_only(app: Flask, uploads: Path, runner) -> None:  # noqa: ANN001
    """`flask uploads-sweep` deletes files no row names once older than the grace period, and reports them."""
    member_with_picture(app, (png(), "kept.png", "Kept"))
    kept = stored(uploads)
    old = time.time() - 48 * 3600
    orphan, fresh = 64 * "a" + ".png", 64 * "b" + ".png"
    with app.app_context():
        for key in (orphan, fresh):
            get_storage().put(key, b"left behind", "image/png")
    paths = {path.name: path for path in uploads.rglob("*") if path.is_file()}
    for name in (orphan, *kept):
        os.utime(paths[name], (old, old))
    result = runner.invoke(args=["uploads-sweep", "--grace-hours", "24"])
    assert result.exit_code == 0, result.output
    assert f"removed {orphan}" in result.output
    assert "1 unreferenced file(s) removed." in result.output
    assert stored(uploads) == sorted([*kept, fresh])


def test_sweep_on_either_backend_removes_what_no_row_names(app: Flask, store: str, runner) -> None:  # noqa: ANN001
    """With no grace period, `flask uploads-sweep` empties the store of files no row names, in the local folder and
    in the S3 bucket alike, and keeps a picture's files."""
    member_with_picture(app, (png(), "kept.png", "Kept"))
    named = kept()
    orphan = 64 * "c" + ".png"
    get_storage().put(orphan, b"left behind", "image/png")
    result = runner.invoke(args=["uploads-sweep", "--grace-hours", "0"])
    assert result.exit_code == 0, result.output
    assert f"removed {orphan}" in result.output
    assert kept() == named and len(named) == 2
