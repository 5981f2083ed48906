"""Extensions, created unbound and bound to an app in `create_app`."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so that Alembic migrations are reviewable and portable.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


@event.listens_for(db.Model, "instrument_class", propagate=True)
def _never_reuse_ids(_mapper, cls) -> None:
    """Every model's table asks SQLite for AUTOINCREMENT on its integer surrogate key.

    Without it SQLite gives a new row max(id) + 1, so the id of a deleted last row comes back,
    and ids name socket rooms (`meeting:<id>`, `participant:<id>`): a socket left in a deleted
    meeting's room would receive the next meeting's events. With AUTOINCREMENT the highest id
    ever used is kept in `sqlite_sequence` and never given again. SQLAlchemy renders it only for
    a single-column INTEGER primary key that is not also a foreign key (a settings row keyed by
    its meeting keeps that meeting's id); other databases ignore the option (PostgreSQL's
    sequences never go back). Set here, once, so a new model cannot forget it."""
    table = cls.__dict__.get("__table__")
    if table is not None:
        table.dialect_kwargs["sqlite_autoincrement"] = True


migrate = Migrate()
socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()

HELD = "facilitator_held"


def hold(*objects) -> None:
    """Keep loaded objects referenced until the action ends (the socket registry lets go).

    The session's identity map holds objects weakly: one read in a check and dropped is read
    again by the next `session.get` of the same row in the action."""
    db.session.info.setdefault(HELD, []).extend(objects)


def let_go() -> None:
    if db.session.registry.has():  # (no session to make if the action never used one)
        db.session.info.pop(HELD, None)
