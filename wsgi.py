"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""

import os
import sys

from app import create_app
from config import check_served_config

app = create_app()

# gunicorn imports this module to serve it; `flask` commands import it too, and may run with development settings.
if "gunicorn" in sys.modules:
    warning = check_served_config(os.environ.get("KINDRED_ENV"), app.config.get("SECRET_KEY"))
    if warning:
        print(warning, file=sys.stderr, flush=True)
        app.logger.warning(warning)
