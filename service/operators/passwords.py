"""Password hashing for operator accounts, by a kept library (pwdlib, argon2id).

Parameters are OWASP's recommended minimum for argon2id (19 MiB, 2 passes, 1 lane):
about 50 ms a hash on a small server, so logins stay cheap while a stolen table stays
expensive to attack. ``pwdlib`` reads the parameters back from each stored hash, so
they can be raised later (``needs_rehash``) without breaking existing accounts.
"""

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH = 10
MAX_LENGTH = 200

_hasher = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))
# Verified against when the login is unknown, so that an unknown login takes as long as
# a wrong password (no account enumeration by timing).
_DUMMY = _hasher.hash("not-a-real-password-0")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY)
        return False
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # a malformed stored hash is a failed login, never a 500
        return False


def password_problem(password: str) -> str | None:
    """Why ``password`` is refused (English, for the CLI and the API's detail), or None."""
    if len(password) < MIN_LENGTH:
        return f"the password must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password must have at most {MAX_LENGTH} characters"
    return None
