"""Flask extensions, created without an app and bound in create_app()."""

from functools import cached_property
from typing import TYPE_CHECKING, Any

from flask_babel import Babel, Domain
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.database.replica import RoutingSession

# Named constraints let Alembic alter and drop them on every database (SQLite included).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The routing session sends read-only page views to DATABASE_REPLICA_URL when one is set (app/database/replica.py).
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class CatalogueDomain(Domain):
    """Flask-Babel keeps one cache of loaded catalogues per process, keyed by language alone; several apps in one
    process (the test suite's, each with its own catalogue folder) would read each other's. Key it by folder too."""

    def get_translations_cache(self, ctx: Any) -> dict:
        return self.cache.setdefault(tuple(self.translation_directories), {})


class KindredBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return CatalogueDomain(domain=self.domain)


babel = KindredBabel()

# The models' base class. db.Model is built at run time (on Base's metadata), which mypy cannot follow, so the
# type checker sees the models as subclasses of Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
