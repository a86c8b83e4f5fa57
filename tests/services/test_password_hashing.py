"""Passwords are hashed with argon2id: at full cost in production, at the lowest cost in the test
app (so that logging in takes microseconds), and a hash of either cost still signs in."""
from argon2 import PasswordHasher

from app import demo_data
from app.config import Config
from app.extensions import db
from app.services.trust.login import authenticate, hash_password
from tests.conftest import user


def test_production_hashes_at_argon2_cffi_s_default_cost():
    default = PasswordHasher()  # what the app hashed with before the cost became a setting
    production = (Config.PASSWORD_HASH_TIME_COST, Config.PASSWORD_HASH_MEMORY_KIB, Config.PASSWORD_HASH_PARALLELISM)
    assert production == (default.time_cost, default.memory_cost, default.parallelism) == (3, 65536, 4)


def test_a_hash_is_argon2id_at_the_configured_cost(ctx):
    assert hash_password(demo_data.DEMO_PASSWORD).startswith("$argon2id$v=19$m=8,t=1,p=1$")
    ctx.config.update(PASSWORD_HASH_TIME_COST=3, PASSWORD_HASH_MEMORY_KIB=65536, PASSWORD_HASH_PARALLELISM=4)
    try:
        full = hash_password(demo_data.DEMO_PASSWORD)
    finally:
        ctx.config.update(PASSWORD_HASH_TIME_COST=1, PASSWORD_HASH_MEMORY_KIB=8, PASSWORD_HASH_PARALLELISM=1)
    assert full.startswith("$argon2id$v=19$m=65536,t=3,p=4$")

    # A hash keeps its own cost: one made at full cost still signs in under the cheap settings.
    user("staf02").password_hash = full
    db.session.commit()
    assert authenticate(db.session, "staf02", demo_data.DEMO_PASSWORD, "127.0.0.1", "pytest", ctx.config).username == "staf02"
