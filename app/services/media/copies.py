"""Pictures in `flask backup`/`restore`: the local store is copied to a directory beside the database backup.

`flask backup PATH` writes the database to PATH and, with KINDRED_UPLOADS=local, mirrors the uploads directory to
`PATH.uploads/` (same sharded layout; files already there are kept, since a key names its bytes, and files no longer
stored are removed), so repeated backups to one path copy only new pictures. The database is copied first: a
picture is always stored before the row that refers to it, so every picture the database backup names is in the
copy (except one removed in the seconds between the two). With KINDRED_UPLOADS=s3 nothing is copied: the bucket's
versioning or replication backs pictures up (docs/deploy.md).

`flask restore PATH` puts every picture of `PATH.uploads/` into the configured store, whichever backend it is (so a
local backup can also move pictures into a bucket). Pictures in the store that the backup lacks are left for
`flask uploads-sweep`, which removes files no post or message refers to any more.
"""

from __future__ import annotations

from pathlib import Path

from app.services.media.storage import LocalStorage, get_storage

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


def uploads_copy(backup: Path) -> Path:
    """The directory beside a database backup that holds its pictures."""
    return backup.with_name(backup.name + ".uploads")


def back_up_uploads(backup: Path) -> int | None:
    """Mirror the local store beside the backup; the number of pictures it holds, or None for a bucket."""
    store = get_storage()
    if not isinstance(store, LocalStorage):
        return None
    copy = LocalStorage(uploads_copy(backup))
    copy.root.mkdir(parents=True, exist_ok=True)
    kept = set()
    for item in store.files():
        try:
            data = store.read(item.key)
        except KeyError:  # removed while the backup ran
            continue
        copy.put(item.key, data, CONTENT_TYPES[item.key.rsplit(".", 1)[1]])
        kept.add(item.key)
    for item in list(copy.files()):
        if item.key not in kept:
            copy.delete(item.key)
    return len(kept)


def restore_uploads(backup: Path) -> int | None:
    """Put every picture of the backup's copy into the store; how many, or None when the backup has no copy."""
    directory = uploads_copy(backup)
    if not directory.is_dir():
        return None
    copy, store = LocalStorage(directory), get_storage()
    count = 0
    for item in copy.files():
        store.put(item.key, copy.read(item.key), CONTENT_TYPES[item.key.rsplit(".", 1)[1]])
        count += 1
    return count
