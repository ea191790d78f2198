"""A real S3 API for the tests: moto's server mode on a free loopback port, spoken to over HTTP by boto3 exactly as
Kindred speaks to AWS S3 or MinIO (the `s3_server` and `s3_uploads` fixtures in conftest.py)."""

from __future__ import annotations

import uuid

from tests.live_server import free_port

ACCESS_KEY = "kindred-test-key"
SECRET_KEY = "kindred-test-secret"


class S3Server:
    """moto's S3 on 127.0.0.1, for the whole run; each test gets a bucket of its own."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer  # imported only by runs that use it: moto is slow to import

        self.port = free_port()
        self.bucket: str | None = None
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def settings(self, bucket: str) -> dict[str, str]:
        """The app settings for a store in `bucket` on this server."""
        return {
            "UPLOADS": "s3",
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_BUCKET": bucket,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def client(self):  # noqa: ANN201 - a boto3 S3 client
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def empty_bucket(self) -> dict[str, str]:
        """The run's bucket, created on first use and emptied; returns the settings that point at it.

        One bucket for the whole run: the settings stay the same from test to test, so the tests share one app."""
        client = self.client()
        if self.bucket is None:
            self.bucket = f"kindred-{uuid.uuid4().hex[:16]}"
            client.create_bucket(Bucket=self.bucket)
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", ()):
                client.delete_object(Bucket=self.bucket, Key=item["Key"])
        client.close()
        return self.settings(self.bucket)
