"""Password hashing for operator accounts, by a kept library (pwdlib, argon2id).

Parameters are OWASP's recommended minimum for argon2id (19 MiB, 2 passes, 1 lane):
about 50 ms a hash on a small server, so logins stay cheap while a stolen table stays
expensive to attack. ``pwdlib`` reads the parameters back from each stored hash, so
they can be raised later (``needs_rehash``) without breaking existing accounts.
"""

import re
import unicodedata

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH = 12
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


# --- the policy of a new password ------------------------------------------------------
#
# NIST SP 800-63B (5.1.1.2): a length floor, no composition rules, and a check against
# passwords known to be weak: the demo password (published in the README), common ones,
# repetitive or sequential characters, and the account's own login. One rule for every
# place a password is chosen (``POST /v1/admin/accounts``, ``jilin create-operator``):
# ``accounts.check_new_account`` refuses with 422 ``weak_password`` naming ``password``.

DEMO_PASSWORD = "demo-operator-2026"  # noqa: S105 (documented demo login, refused in production)

# Known passwords of at least MIN_LENGTH characters, compared as ``_squashed`` (letters
# and digits only, case-folded): "Password-1234" is "password1234". Shorter ones are
# refused by the length floor already.
_KNOWN = frozenset(
    {
        DEMO_PASSWORD,
        "demo-operator",
        "jilin-sojourn",
        "jilin-sojourn-2026",
        "operator-2026",
        "operator-password",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "password-password",
        "qwertyuiop12",
        "qwerty123456",
        "qwertyuiopasdf",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "iloveyou1234",
        "abc123abc123",
        "changeme1234",
        "welcome12345",
        "letmein12345",
        "administrator",
        "admin1234567",
        "admin123456789",
        "woaini1314520",
        "woaini5201314",
        "correct-horse-battery-staple",
    }
)
_SEQUENCES = ("0123456789" * 4, "abcdefghijklmnopqrstuvwxyz" * 2, "qwertyuiopasdfghjklzxcvbnm")
# A few characters said over and over ("123123123123", "abcd-abcd-abcd", "长白山长白山…"):
# repetitive however many distinct characters the repeated part has.
_REPEATED = re.compile(rf"(.{{1,{MIN_LENGTH // 2}}}?)\1+")


def _squashed(text: str) -> str:
    """Letters and digits only, NFKC-normalised and case-folded."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


_KNOWN_SQUASHED = frozenset(_squashed(p) for p in _KNOWN)


def password_problem(password: str, *, login: str = "") -> tuple[str, str] | None:
    """Why a new ``password`` is refused, in English and Chinese, or None when it may be
    chosen. Its length is counted without the spaces at either end, so "   short   " is
    short; spaces inside count (a passphrase is welcome)."""
    kept = password.strip()
    if not kept:
        return (
            "the password must not be only spaces",
            "密码不能只由空格组成。",
        )
    if len(kept) < MIN_LENGTH:
        return (
            f"the password must have at least {MIN_LENGTH} characters, not counting "
            "spaces at either end",
            f"密码至少需要 {MIN_LENGTH} 个字符（两端的空格不计）。",
        )
    if len(password) > MAX_LENGTH:
        return (
            f"the password must have at most {MAX_LENGTH} characters",
            f"密码至多 {MAX_LENGTH} 个字符。",
        )
    squashed = _squashed(kept)
    if squashed and squashed == _squashed(login):
        return ("the password must not be the login", "密码不能与账号相同。")
    if (
        squashed in _KNOWN_SQUASHED
        or len(set(kept.casefold()) - {" "}) <= 2
        or _REPEATED.fullmatch(squashed)
        or (len(squashed) >= 8 and any(squashed in s or squashed in s[::-1] for s in _SEQUENCES))
    ):
        return (
            "this password is published or too easy to guess (the demo password, a "
            "common password, or repeated or sequential characters); choose another",
            "这个密码已公开或太容易猜到（演示密码、常见密码，或重复、连续的字符），请换一个。",
        )
    return None
